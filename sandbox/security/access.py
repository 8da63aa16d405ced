"""Role assignments and the one authorization check every engine entry point goes through.

An assignment gives a principal a role at a scope: the resource group or the workspace (ARM ids). A check asks:
does any role the caller holds at a scope containing the workspace allow this action (control plane) or data
action (data plane)? If not, `AuthorizationFailed` in Azure's words names the caller, the action and the scope.

Who is asking: facades bind the caller to the engine workspace they use (`ws.as_caller(principal)`, from the SDK
credential or v1 authentication object). A workspace with no caller is the sandbox itself (the job supervisor,
the grader, `dp100 sandbox ls`) and is never refused. Engine functions declare what they need with
`@requires("computes/write")` (an action under `Microsoft.MachineLearningServices/workspaces/`, or a full action
string); this module is the only place that decides.
"""
from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from sandbox.clock import iso_now
from sandbox.errors import AuthorizationFailed, InvalidInput, NotFound
from sandbox.security import principals, roles

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])
GENERATION = "security.generation"
MIGRATIONS = ["""
CREATE TABLE role_assignments (
    id TEXT PRIMARY KEY,
    principal TEXT NOT NULL,
    role TEXT NOT NULL,
    scope TEXT NOT NULL,
    created TEXT NOT NULL,
    UNIQUE (principal, role, scope)
);
"""]


@dataclass(frozen=True)
class Assignment:
    id: str
    principal: principals.Principal
    role: roles.RoleDefinition
    scope: str


def _ensure(ws: "Workspace") -> None:
    ws.store.ensure_schema("role_assignments", MIGRATIONS)


def full_action(action: str) -> str:
    return action if action.startswith("Microsoft.") else f"{roles.ML}/{action}"


def resource_group_scope(ws: "Workspace") -> str:
    return f"/subscriptions/{ws.subscription_id}/resourceGroups/{ws.resource_group}"


def workspace_scope(ws: "Workspace") -> str:
    return ws.arm_id


def normalise_scope(ws: "Workspace", scope: str | None) -> str:
    """'workspace' (default), 'resource-group', 'subscription' or an ARM id that contains the workspace."""
    if scope in (None, "", "workspace"):
        return workspace_scope(ws)
    if scope in ("resource-group", "resourcegroup", "rg"):
        return resource_group_scope(ws)
    if scope == "subscription":
        return f"/subscriptions/{ws.subscription_id}"
    text = str(scope).rstrip("/")
    if not workspace_scope(ws).lower().startswith(text.lower()):
        raise InvalidInput(f"The scope {scope!r} does not contain this workspace. Use 'workspace', "
                           f"'resource-group', or an id such as {resource_group_scope(ws)!r}.")
    return text


# -- assignments --------------------------------------------------------------------------------------------------
def seed_owner(ws: "Workspace", object_id: str) -> None:
    """The learner owns the workspace (and, as its creator, its key vault and storage data)."""
    _ensure(ws)
    scope = resource_group_scope(ws)
    for role in ("Owner", "Key Vault Administrator", "Storage Blob Data Contributor"):
        ws.store.run("INSERT OR IGNORE INTO role_assignments(id, principal, role, scope, created) VALUES(?,?,?,?,?)",
                     str(uuid.uuid4()), object_id, roles.get(ws, role).id, scope, iso_now())
    bump_generation(ws)


def assign(ws: "Workspace", principal: str | principals.Principal, role: str, scope: str | None = None) -> Assignment:
    who = principal if isinstance(principal, principals.Principal) else principals.get(ws, principal)
    definition = roles.get(ws, role)
    where = normalise_scope(ws, scope)
    if definition.is_custom and not any(where.lower().startswith(s.rstrip("/").lower()) or s == "/"
                                        for s in definition.assignable_scopes):
        raise InvalidInput(f"The role {definition.name!r} cannot be assigned at {where}: its AssignableScopes are "
                           f"{', '.join(definition.assignable_scopes)}. The sandbox's subscription is "
                           f"/subscriptions/{ws.subscription_id} (put that in AssignableScopes).")
    _ensure(ws)
    ws.store.run("INSERT OR IGNORE INTO role_assignments(id, principal, role, scope, created) VALUES(?,?,?,?,?)",
                 str(uuid.uuid4()), who.object_id, definition.id, where, iso_now())
    bump_generation(ws)
    return next(a for a in list_assignments(ws, who.object_id) if a.role.id == definition.id and a.scope == where)


def remove(ws: "Workspace", principal: str, role: str | None = None, scope: str | None = None) -> int:
    """Remove the principal's assignments (of one role and/or at one scope); how many went."""
    who = principals.get(ws, principal)
    sql, args = "DELETE FROM role_assignments WHERE principal = ?", [who.object_id]
    if role is not None:
        sql += " AND role = ?"
        args.append(roles.get(ws, role).id)
    if scope is not None:
        sql += " AND scope = ?"
        args.append(normalise_scope(ws, scope))
    _ensure(ws)
    before = len(list_assignments(ws, who.object_id))
    ws.store.run(sql, *args)
    bump_generation(ws)
    return before - len(list_assignments(ws, who.object_id))


def remove_all_for(ws: "Workspace", principal: principals.Principal) -> None:
    _ensure(ws)
    ws.store.run("DELETE FROM role_assignments WHERE principal = ?", principal.object_id)
    bump_generation(ws)


def list_assignments(ws: "Workspace", principal: str | None = None) -> list[Assignment]:
    _ensure(ws)
    rows = ws.store.all("SELECT * FROM role_assignments WHERE (? IS NULL OR principal = ?) ORDER BY created",
                        principal, principal)
    out = []
    for row in rows:
        try:
            out.append(Assignment(row["id"], principals.get(ws, row["principal"]), roles.get(ws, row["role"]),
                                  row["scope"]))
        except NotFound:  # a deleted custom role or principal: the assignment no longer means anything
            continue
    return out


def bump_generation(ws: "Workspace") -> None:
    ws.store.run("INSERT INTO meta(key, value) VALUES(?, '1') ON CONFLICT(key) DO UPDATE SET value = value + 1",
                 GENERATION)


# -- checks -------------------------------------------------------------------------------------------------------
_cache: dict[tuple[str, str, str], tuple[roles.RoleDefinition, ...]] = {}


def _roles_of(ws: "Workspace", principal: principals.Principal) -> tuple[roles.RoleDefinition, ...]:
    generation = ws.store.get_meta(GENERATION, "0") or "0"
    key = (str(ws.root), principal.object_id, generation)
    found = _cache.get(key)
    if found is None:
        principals.learner(ws)  # seeds the learner's ownership in a workspace that has none yet
        target = workspace_scope(ws).lower()
        found = tuple(a.role for a in list_assignments(ws, principal.object_id)
                      if target.startswith(a.scope.lower().rstrip("/")) or a.scope == "/")
        if len(_cache) > 256:
            _cache.clear()
        _cache[key] = found
    return found


def permitted(ws: "Workspace", principal: principals.Principal, action: str, data: bool = False) -> bool:
    action = full_action(action)
    return any(role.allows(action, data) for role in _roles_of(ws, principal))


def check(ws: "Workspace", action: str, data: bool = False) -> None:
    """Refuse the workspace's caller an action it does not hold (no caller: the sandbox itself, always allowed)."""
    caller = getattr(ws, "caller", None)
    if caller is None or permitted(ws, caller, action, data):
        return
    action = full_action(action)
    kind = "data action" if data else "action"
    raise AuthorizationFailed(
        f"The client '{caller.display}' with object id '{caller.object_id}' does not have authorization to perform "
        f"{kind} '{action}' over scope '{workspace_scope(ws)}' or the scope is invalid. If access was recently "
        f"granted, please refresh your credentials. (Give it a role that allows the {kind}: "
        f"`dp100 sandbox role assign {caller.name} \"<role>\"`.)")


def requires(action: str, data: bool = False) -> Callable[[F], F]:
    """Mark an engine entry point: its first argument is the workspace; the caller must hold `action`."""

    def wrap(func: F) -> F:
        @functools.wraps(func)
        def inner(ws: "Workspace", *args: Any, **kwargs: Any) -> Any:
            check(ws, action, data)
            return func(ws, *args, **kwargs)

        inner.__dp100_action__ = full_action(action)  # type: ignore[attr-defined]
        return inner  # type: ignore[return-value]

    return wrap
