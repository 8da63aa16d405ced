"""Security as the registry shows it (sandbox.domains): identities with their roles, and vault secret names."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.security import access, keyvault, principals

if TYPE_CHECKING:
    from sandbox.workspace import Workspace


def ls_rows(ws: "Workspace", name: str | None = None) -> list[dict]:
    found = [principals.get(ws, name)] if name else principals.list_principals(ws)
    rows = []
    for p in found:
        held = access.list_assignments(ws, p.object_id)
        rows.append({"name": p.name, "kind": p.kind, "roles": ", ".join(sorted({a.role.name for a in held})) or "—",
                     "client id": p.app_id or "—", "object id": p.object_id})
    return rows


def tree(ws: "Workspace") -> list:
    from sandbox.domains import Entry

    out = []
    for p in principals.list_principals(ws):
        held = access.list_assignments(ws, p.object_id)
        children = tuple(Entry(("assignment", a.id), f"{a.role.name} · {_scope_word(ws, a.scope)}") for a in held)
        out.append(Entry(("principal", p.name), f"{p.name} ({p.kind})", children=children))
    return out


def _scope_word(ws: "Workspace", scope: str) -> str:
    if scope.lower() == access.workspace_scope(ws).lower():
        return "workspace"
    if scope.lower() == access.resource_group_scope(ws).lower():
        return "resource group"
    return scope


class secrets:  # noqa: N801 - a second registry view in this module, used as "sandbox.security.listing:secrets"
    @staticmethod
    def ls_rows(ws: "Workspace", name: str | None = None) -> list[dict]:
        return [{"name": p.name, "version": p.version, "updated": p.updated} for p in keyvault.list_secrets(ws)
                if name is None or p.name == name]
