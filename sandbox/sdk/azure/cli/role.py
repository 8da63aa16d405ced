"""`az role definition|assignment` and `az ad sp create-for-rbac`: Azure RBAC over the sandbox's security engine
(built-in and custom roles, assignments at subscription, resource group or workspace scope)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from azure.cli.commands import arg, command
from azure.cli.context import CLIError, Context
from sandbox.errors import SandboxError


def _engine(func: Any, *args: Any) -> Any:
    try:
        return func(*args)
    except SandboxError as exc:
        raise CLIError(str(exc), 3 if exc.code == "ResourceNotFound" else 1) from None


def _definition(role: Any) -> dict:
    return {"assignableScopes": list(role.assignable_scopes), "description": role.description,
            "id": f"/providers/Microsoft.Authorization/roleDefinitions/{role.id}", "name": role.id,
            "permissions": [{"actions": list(role.actions), "notActions": list(role.not_actions),
                             "dataActions": list(role.data_actions), "notDataActions": list(role.not_data_actions)}],
            "roleName": role.name, "roleType": "CustomRole" if role.is_custom else "BuiltInRole",
            "type": "Microsoft.Authorization/roleDefinitions"}


def _assignment(a: Any) -> dict:
    kind = a.principal.kind if a.principal.kind in ("User", "ServicePrincipal") else "ServicePrincipal"
    return {"id": f"{a.scope}/providers/Microsoft.Authorization/roleAssignments/{a.id}", "name": a.id,
            "principalId": a.principal.object_id, "principalName": a.principal.display, "principalType": kind,
            "roleDefinitionId": f"/providers/Microsoft.Authorization/roleDefinitions/{a.role.id}",
            "roleDefinitionName": a.role.name, "scope": a.scope,
            "type": "Microsoft.Authorization/roleAssignments"}


@command("role definition list", arg("--name", "-n"), arg("--custom-role-only", action="store_true"),
         arg("--scope"), table=("roleName:Name", "roleType:Type", "description:Description"))
def definition_list(ctx: Context, args: Any) -> list[dict]:
    """List role definitions (built-in and custom)."""
    from sandbox.security import roles

    ctx.require_login()
    found = [_definition(r) for r in _engine(roles.list_roles, ctx.ws, args.custom_role_only)]
    return [d for d in found if not args.name or args.name.lower() in (d["roleName"].lower(), d["name"])]


@command("role definition create", arg("--role-definition", required=True,
                                       help="A JSON role definition, or @file.json"))
def definition_create(ctx: Context, args: Any) -> dict:
    """Create a custom role from JSON (Name, Actions, NotActions, AssignableScopes, ...)."""
    from sandbox.security import roles

    ctx.require_login()
    text = args.role_definition
    if text.startswith("@") or Path(text).is_file():
        text = Path(text.lstrip("@")).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CLIError(f"The role definition is not valid JSON: {exc}") from None
    return _definition(_engine(roles.create_custom, ctx.ws, data))


@command("role definition delete", arg("--name", "-n", required=True), arg("--scope"))
def definition_delete(ctx: Context, args: Any) -> None:
    """Delete a custom role."""
    from sandbox.security import roles

    ctx.require_login()
    _engine(roles.delete_custom, ctx.ws, args.name)
    return None


@command("role assignment create", arg("--assignee", required=True), arg("--role", required=True),
         arg("--scope"), arg("--assignee-object-id"), arg("--assignee-principal-type"), arg("--description"))
def assignment_create(ctx: Context, args: Any) -> dict:
    """Assign a role to a user, service principal or managed identity at a scope."""
    from sandbox.security import access

    ctx.require_login()
    return _assignment(_engine(access.assign, ctx.ws, args.assignee_object_id or args.assignee, args.role,
                               args.scope))


@command("role assignment list", arg("--assignee"), arg("--role"), arg("--scope"), arg("--all", action="store_true"),
         table=("principalName:Principal", "roleDefinitionName:Role", "scope:Scope"))
def assignment_list(ctx: Context, args: Any) -> list[dict]:
    """List role assignments."""
    from sandbox.security import access, principals

    ctx.require_login()
    who = _engine(principals.get, ctx.ws, args.assignee).object_id if args.assignee else None
    found = [_assignment(a) for a in _engine(access.list_assignments, ctx.ws, who)]
    return [a for a in found if (not args.role or a["roleDefinitionName"].lower() == args.role.lower())
            and (not args.scope or a["scope"].lower() == args.scope.lower())]


@command("role assignment delete", arg("--assignee", required=True), arg("--role"), arg("--scope"))
def assignment_delete(ctx: Context, args: Any) -> None:
    """Remove role assignments."""
    from sandbox.security import access

    ctx.require_login()
    if _engine(access.remove, ctx.ws, args.assignee, args.role, args.scope) == 0:
        raise CLIError("No matched assignments were found to delete")
    return None


@command("ad sp create-for-rbac", arg("--name", "-n", required=True), arg("--role"), arg("--scopes", nargs="*"),
         arg("--years", type=int))
def create_for_rbac(ctx: Context, args: Any) -> dict:
    """Create a service principal (its secret is shown once) and optionally assign it a role."""
    from sandbox.security import access, principals

    ctx.require_login()
    principal, secret = _engine(principals.create_service_principal, ctx.ws, args.name)
    for scope in (args.scopes or [None]) if args.role else []:
        _engine(access.assign, ctx.ws, principal, args.role, scope)
    return {"appId": principal.app_id, "displayName": principal.name, "password": secret,
            "tenant": principal.tenant_id}
