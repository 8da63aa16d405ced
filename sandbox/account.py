"""The Azure account around the sandbox workspace: its subscription, resource groups, the names the workspace is
known by, and registered resource providers.

The sandbox holds one workspace per folder. Set-up scripts from Microsoft's labs create a resource group and a
workspace with names of their own (`az group create -n rg-dp100-…`, `az ml workspace create -n mlw-dp100-…`);
creating a workspace here gives the sandbox workspace that extra name in that resource group, so every later
command, config file or SDK call that uses those coordinates reaches it. Its own name and group (the defaults in
`dp100 sandbox config`) always work.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sandbox.clock import iso_now
from sandbox.errors import AlreadyExists, InvalidInput, NotFound

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

MIGRATIONS = [
    """
    CREATE TABLE resource_groups (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        location TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        created TEXT NOT NULL
    );
    CREATE TABLE workspace_names (
        resource_group TEXT NOT NULL COLLATE NOCASE,
        name TEXT NOT NULL COLLATE NOCASE,
        location TEXT NOT NULL,
        display_name TEXT,
        description TEXT,
        created TEXT NOT NULL,
        PRIMARY KEY (resource_group, name)
    );
    CREATE TABLE resource_providers (
        namespace TEXT PRIMARY KEY COLLATE NOCASE,
        registered TEXT NOT NULL
    );
    """,
]
PROVIDERS = ("Microsoft.MachineLearningServices", "Microsoft.Storage", "Microsoft.KeyVault",
             "Microsoft.ContainerRegistry", "Microsoft.Insights", "Microsoft.Compute", "Microsoft.Network",
             "Microsoft.Authorization", "Microsoft.Resources", "Microsoft.PolicyInsights", "Microsoft.Cdn",
             "Microsoft.ContainerInstance", "Microsoft.ContainerService", "Microsoft.MachineLearning")
_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.()")


@dataclass(frozen=True)
class ResourceGroup:
    name: str
    location: str
    tags: dict
    subscription_id: str

    @property
    def id(self) -> str:
        return f"/subscriptions/{self.subscription_id}/resourceGroups/{self.name}"


@dataclass(frozen=True)
class WorkspaceName:
    name: str
    resource_group: str
    location: str
    display_name: str | None
    description: str | None
    created: str


def _ensure(ws: "Workspace") -> None:
    ws.store.ensure_schema("account", MIGRATIONS)


# -- resource groups --------------------------------------------------------------------------
def create_group(ws: "Workspace", name: str, location: str, tags: dict | None = None) -> ResourceGroup:
    """Create (or update the tags of) a resource group; its location cannot change, as in Azure."""
    import json

    if not name or len(name) > 90 or not set(name) <= _NAME_CHARS or name.endswith("."):
        raise InvalidInput(f"Resource group name {name!r} is invalid: use up to 90 letters, digits, '-', '_', '.', "
                           "'(' and ')', not ending in '.'.")
    _ensure(ws)
    existing = _group_row(ws, name)
    if existing is not None and existing["location"].lower() != location.lower():
        raise AlreadyExists(f"Invalid resource group location '{location}'. The Resource group already exists in "
                            f"location '{existing['location']}'.")
    if existing is None:
        ws.store.run("INSERT INTO resource_groups(name, location, tags, created) VALUES(?,?,?,?)", name,
                     location.lower(), json.dumps(tags or {}), iso_now())
    elif tags is not None:
        ws.store.run("UPDATE resource_groups SET tags = ? WHERE name = ?", json.dumps(tags), name)
    return get_group(ws, name)


def _group_row(ws: "Workspace", name: str):
    _ensure(ws)
    return ws.store.one("SELECT * FROM resource_groups WHERE name = ?", name)


def get_group(ws: "Workspace", name: str) -> ResourceGroup:
    import json

    if name.lower() == ws.resource_group.lower():
        row = _group_row(ws, name)
        return ResourceGroup(ws.resource_group, row["location"] if row else ws.location,
                             json.loads(row["tags"]) if row else {}, ws.subscription_id)
    row = _group_row(ws, name)
    if row is None:
        raise NotFound(f"Resource group '{name}' could not be found.")
    return ResourceGroup(row["name"], row["location"], json.loads(row["tags"]), ws.subscription_id)


def list_groups(ws: "Workspace") -> list[ResourceGroup]:
    _ensure(ws)
    names = [ws.resource_group] + [r["name"] for r in ws.store.all("SELECT name FROM resource_groups ORDER BY name")
                                   if r["name"].lower() != ws.resource_group.lower()]
    return [get_group(ws, n) for n in names]


def delete_group(ws: "Workspace", name: str) -> None:
    if name.lower() == ws.resource_group.lower():
        raise InvalidInput(f"The resource group {name!r} holds the sandbox workspace itself and cannot be deleted; "
                           "`dp100 sandbox reset` empties the workspace.")
    get_group(ws, name)
    ws.store.run("DELETE FROM workspace_names WHERE resource_group = ?", name)
    ws.store.run("DELETE FROM resource_groups WHERE name = ?", name)


# -- workspace names --------------------------------------------------------------------------
def create_workspace(ws: "Workspace", name: str, resource_group: str, location: str | None = None,
                     display_name: str | None = None, description: str | None = None) -> WorkspaceName:
    """Give the sandbox workspace the name `name` in `resource_group` (which must exist)."""
    _check_workspace_name(name)
    group = get_group(ws, resource_group)
    if is_own_name(ws, name, resource_group):
        return workspace_name(ws, name, resource_group)
    _ensure(ws)
    row = ws.store.one("SELECT * FROM workspace_names WHERE resource_group = ? AND name = ?", group.name, name)
    if row is None:
        ws.store.run("INSERT INTO workspace_names(resource_group, name, location, display_name, description, created)"
                     " VALUES(?,?,?,?,?,?)", group.name, name, (location or group.location).lower(), display_name,
                     description, iso_now())
    elif display_name is not None or description is not None:
        ws.store.run("UPDATE workspace_names SET display_name = COALESCE(?, display_name), description = "
                     "COALESCE(?, description) WHERE resource_group = ? AND name = ?", display_name, description,
                     group.name, name)
    return workspace_name(ws, name, group.name)


def _check_workspace_name(name: str) -> None:
    import re

    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{2,32}", name):
        raise InvalidInput(f"Workspace name {name!r} is invalid: it must be 3-33 characters, start with a letter or "
                           "digit, and contain only letters, digits, '-' and '_'.")


def is_own_name(ws: "Workspace", name: str, resource_group: str | None) -> bool:
    return name == ws.name and (resource_group is None or resource_group.lower() == ws.resource_group.lower())


def workspace_name(ws: "Workspace", name: str, resource_group: str | None = None) -> WorkspaceName:
    """The workspace known as `name` (in `resource_group` when given)."""
    if is_own_name(ws, name, resource_group):
        return WorkspaceName(ws.name, ws.resource_group, ws.location, None, "dp100 sandbox workspace",
                             ws.store.get_meta("created") or "")
    _ensure(ws)
    if resource_group is None:
        row = ws.store.one("SELECT * FROM workspace_names WHERE name = ?", name)
    else:
        row = ws.store.one("SELECT * FROM workspace_names WHERE resource_group = ? AND name = ?", resource_group, name)
    if row is None:
        raise NotFound(f"The Resource 'Microsoft.MachineLearningServices/workspaces/{name}' under resource group "
                       f"'{resource_group or ws.resource_group}' was not found.")
    return WorkspaceName(row["name"], row["resource_group"], row["location"], row["display_name"],
                         row["description"], row["created"])


def list_workspace_names(ws: "Workspace", resource_group: str | None = None) -> list[WorkspaceName]:
    _ensure(ws)
    names = [workspace_name(ws, ws.name)] if resource_group is None or \
        resource_group.lower() == ws.resource_group.lower() else []
    rows = ws.store.all("SELECT name, resource_group FROM workspace_names ORDER BY resource_group, name")
    names += [workspace_name(ws, r["name"], r["resource_group"]) for r in rows
              if resource_group is None or r["resource_group"].lower() == resource_group.lower()]
    return names


def delete_workspace_name(ws: "Workspace", name: str, resource_group: str) -> None:
    if is_own_name(ws, name, resource_group):
        raise InvalidInput(f"{name!r} is the sandbox workspace itself; it is not deleted. `dp100 sandbox reset` "
                           "empties it.")
    workspace_name(ws, name, resource_group)
    ws.store.run("DELETE FROM workspace_names WHERE resource_group = ? AND name = ?", resource_group, name)


def knows(ws: "Workspace", name: str, resource_group: str | None) -> bool:
    """Whether (resource group, name) names the sandbox workspace."""
    try:
        workspace_name(ws, name, resource_group)
        return True
    except NotFound:
        return False


# -- resource providers -------------------------------------------------------------------------
def register_provider(ws: "Workspace", namespace: str) -> str:
    known = {p.lower(): p for p in PROVIDERS}
    if namespace.lower() not in known:
        raise NotFound(f"The resource namespace '{namespace}' is invalid.")
    _ensure(ws)
    ws.store.run("INSERT OR IGNORE INTO resource_providers(namespace, registered) VALUES(?,?)",
                 known[namespace.lower()], iso_now())
    return known[namespace.lower()]


def provider_state(ws: "Workspace", namespace: str) -> str:
    known = {p.lower(): p for p in PROVIDERS}
    if namespace.lower() not in known:
        raise NotFound(f"The resource namespace '{namespace}' is invalid.")
    if namespace.lower() == "microsoft.machinelearningservices":
        return "Registered"  # the sandbox workspace exists, so its provider is registered
    _ensure(ws)
    row = ws.store.one("SELECT namespace FROM resource_providers WHERE namespace = ?", namespace)
    return "Registered" if row else "NotRegistered"
