"""Role definitions: Azure's built-in roles that matter for Azure ML, custom roles, and action matching.

A role is a set of permissions: `actions` minus `not_actions` (control plane: create a compute, submit a job) and
`data_actions` minus `not_data_actions` (data plane: read a blob, get a secret). Patterns use `*` wildcards and
match case-insensitively, as in Azure; `*` matches any characters, and a `/*/` segment also matches a single
`/` (so `workspaces/computes/*/write` covers `workspaces/computes/write`, which is how the AzureML Data Scientist
role keeps compute creation out). A principal's effective permissions are the union of its roles' permissions at
the scopes that contain the resource.
"""
from __future__ import annotations

import functools
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sandbox.clock import iso_now
from sandbox.errors import AlreadyExists, InvalidInput, NotFound

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

ML = "Microsoft.MachineLearningServices/workspaces"
MIGRATIONS = ["""
CREATE TABLE custom_roles (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    definition TEXT NOT NULL,
    created TEXT NOT NULL
);
"""]


@dataclass(frozen=True)
class RoleDefinition:
    name: str
    id: str
    description: str = ""
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()
    data_actions: tuple[str, ...] = ()
    not_data_actions: tuple[str, ...] = ()
    assignable_scopes: tuple[str, ...] = ("/",)
    is_custom: bool = False

    def allows(self, action: str, data: bool = False) -> bool:
        allowed, denied = (self.data_actions, self.not_data_actions) if data else (self.actions, self.not_actions)
        return any(matches(p, action) for p in allowed) and not any(matches(p, action) for p in denied)

    def as_json(self) -> dict[str, Any]:
        """The shape `az role definition list` prints (and `az role definition create` takes)."""
        return {"Name": self.name, "Id": self.id, "IsCustom": self.is_custom, "Description": self.description,
                "Actions": list(self.actions), "NotActions": list(self.not_actions),
                "DataActions": list(self.data_actions), "NotDataActions": list(self.not_data_actions),
                "AssignableScopes": list(self.assignable_scopes)}


@functools.lru_cache(maxsize=512)
def _pattern(pattern: str) -> re.Pattern:
    parts = re.split(r"(/\*/|\*)", pattern)
    regex = "".join("(?:/.*)?/" if p == "/*/" else ".*" if p == "*" else re.escape(p) for p in parts)
    return re.compile(f"^{regex}$", re.IGNORECASE)


def matches(pattern: str, action: str) -> bool:
    return bool(_pattern(pattern).match(action))


_KV = "Microsoft.KeyVault/vaults"
_BLOB = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs"
BUILT_IN: tuple[RoleDefinition, ...] = (
    RoleDefinition("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
                   "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
                   ("*",)),
    RoleDefinition("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c",
                   "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.",
                   ("*",), ("Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
                            "Microsoft.Authorization/elevateAccess/Action")),
    RoleDefinition("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7", "View all resources, but does not allow you "
                   "to make any changes.", ("*/read",)),
    RoleDefinition("AzureML Data Scientist", "f6c7c914-8db3-469d-8ca1-694a8f32e121",
                   "Can perform all actions within an Azure Machine Learning workspace, except for creating or "
                   "deleting compute resources and modifying the workspace itself.",
                   (f"{ML}/*/read", f"{ML}/*/action", f"{ML}/*/delete", f"{ML}/*/write"),
                   (f"{ML}/delete", f"{ML}/write", f"{ML}/computes/*/write", f"{ML}/computes/*/delete",
                    f"{ML}/computes/listKeys/action", f"{ML}/listKeys/action", f"{ML}/hubs/write", f"{ML}/hubs/delete",
                    f"{ML}/featurestores/write", f"{ML}/featurestores/delete")),
    RoleDefinition("AzureML Compute Operator", "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815",
                   "Can access and perform CRUD operations on Machine Learning Services managed compute resources "
                   "(including Notebook VMs).", (f"{ML}/computes/*", f"{ML}/notebooks/vm/*")),
    RoleDefinition("AzureML Metrics Writer (preview)", "635dd51f-9968-44d3-b7fb-6d9a6bd613ae",
                   "Lets you write metrics to AzureML workspace", (f"{ML}/metrics/*/write",)),
    RoleDefinition("Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
                   "Read and list Azure Storage containers and blobs.",
                   ("Microsoft.Storage/storageAccounts/blobServices/containers/read",
                    "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"),
                   data_actions=(f"{_BLOB}/read",)),
    RoleDefinition("Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
                   "Read, write, and delete Azure Storage containers and blobs.",
                   ("Microsoft.Storage/storageAccounts/blobServices/containers/*",
                    "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"),
                   data_actions=(f"{_BLOB}/*",)),
    RoleDefinition("Key Vault Administrator", "00482a5a-887f-4fb3-b363-3b7fe8e74483",
                   "Perform all data plane operations on a key vault and all objects in it.",
                   ("Microsoft.Authorization/*/read", f"{_KV}/*/read"), data_actions=(f"{_KV}/*",)),
    RoleDefinition("Key Vault Secrets Officer", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
                   "Perform any action on the secrets of a key vault, except manage permissions.",
                   ("Microsoft.Authorization/*/read", f"{_KV}/*/read"), data_actions=(f"{_KV}/secrets/*",)),
    RoleDefinition("Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6",
                   "Read secret contents.", (),
                   data_actions=(f"{_KV}/secrets/getSecret/action", f"{_KV}/secrets/readMetadata/action")),
)
_BY_NAME = {r.name.lower(): r for r in BUILT_IN}
_BY_ID = {r.id: r for r in BUILT_IN}


def _ensure(ws: "Workspace") -> None:
    ws.store.ensure_schema("custom_roles", MIGRATIONS)


def _strings(value: Any, field_name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{field_name} must be a list of strings, e.g. [\"{ML}/*/read\"].")
    return tuple(value)


def parse_definition(data: dict[str, Any], default_scope: str) -> RoleDefinition:
    """A custom role from the JSON `az role definition create --role-definition` takes (Name, Actions, ...)."""
    if not isinstance(data, dict):
        raise InvalidInput("A role definition is a JSON object with Name, Description, Actions, NotActions, "
                           "DataActions, NotDataActions and AssignableScopes.")
    keys = {k.lower(): v for k, v in data.items()}
    known = {"name", "rolename", "id", "iscustom", "description", "actions", "notactions", "dataactions",
             "notdataactions", "assignablescopes"}
    unknown = sorted(k for k in data if k.lower() not in known)
    if unknown:
        raise InvalidInput(f"Unknown field(s) in the role definition: {', '.join(unknown)}. Known: Name, IsCustom, "
                           "Description, Actions, NotActions, DataActions, NotDataActions, AssignableScopes.")
    name = keys.get("name") or keys.get("rolename")
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("The role definition needs a Name, e.g. \"Name\": \"Job Submitter\".")
    if name.lower() in _BY_NAME:
        raise AlreadyExists(f"{name!r} is a built-in role; give the custom role another name.")
    actions = _strings(keys.get("actions"), "Actions")
    data_actions = _strings(keys.get("dataactions"), "DataActions")
    if not actions and not data_actions:
        raise InvalidInput("A role definition needs at least one entry in Actions or DataActions.")
    scopes = _strings(keys.get("assignablescopes"), "AssignableScopes") or (default_scope,)
    return RoleDefinition(name.strip(), str(uuid.uuid5(uuid.NAMESPACE_URL, f"dp100-role/{name.strip().lower()}")),
                          str(keys.get("description") or ""), actions, _strings(keys.get("notactions"), "NotActions"),
                          data_actions, _strings(keys.get("notdataactions"), "NotDataActions"), scopes, True)


def create_custom(ws: "Workspace", data: dict[str, Any] | str) -> RoleDefinition:
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise InvalidInput(f"The role definition is not valid JSON: {exc}.") from None
    role = parse_definition(data, f"/subscriptions/{ws.subscription_id}")
    _ensure(ws)
    with ws.store.transaction():
        if ws.store.one("SELECT 1 FROM custom_roles WHERE name = ?", role.name):
            raise AlreadyExists(f"A custom role named {role.name!r} already exists; delete it first or choose "
                                "another name.")
        ws.store.run("INSERT INTO custom_roles(id, name, definition, created) VALUES(?,?,?,?)", role.id, role.name,
                     json.dumps(role.as_json()), iso_now())
    _bump(ws)
    return role


def delete_custom(ws: "Workspace", name: str) -> None:
    role = get(ws, name)
    if not role.is_custom:
        raise InvalidInput(f"{role.name!r} is a built-in role and cannot be deleted.")
    ws.store.run("DELETE FROM custom_roles WHERE id = ?", role.id)
    _bump(ws)


def _from_row(row: Any) -> RoleDefinition:
    d = json.loads(row["definition"])
    return RoleDefinition(d["Name"], d["Id"], d.get("Description", ""), tuple(d.get("Actions", ())),
                          tuple(d.get("NotActions", ())), tuple(d.get("DataActions", ())),
                          tuple(d.get("NotDataActions", ())), tuple(d.get("AssignableScopes", ("/",))), True)


def get(ws: "Workspace", name_or_id: str) -> RoleDefinition:
    """A role by name (case-insensitive) or id."""
    key = str(name_or_id).strip()
    role = _BY_NAME.get(key.lower()) or _BY_ID.get(key.rsplit("/", 1)[-1])
    if role is not None:
        return role
    _ensure(ws)
    row = ws.store.one("SELECT * FROM custom_roles WHERE name = ? OR id = ?", key, key.rsplit("/", 1)[-1])
    if row is None:
        names = ", ".join(r.name for r in list_roles(ws))
        raise NotFound(f"Role {name_or_id!r} was not found. Roles: {names}.")
    return _from_row(row)


def list_roles(ws: "Workspace", custom_only: bool = False) -> list[RoleDefinition]:
    _ensure(ws)
    custom = [_from_row(r) for r in ws.store.all("SELECT * FROM custom_roles ORDER BY name")]
    return custom if custom_only else [*BUILT_IN, *custom]


def _bump(ws: "Workspace") -> None:
    from sandbox.security import access

    access.bump_generation(ws)
