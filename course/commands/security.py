"""`dp100 sandbox user|sp|identity|role|login|whoami|secrets`: the workspace's identities, roles and Key Vault."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

console = Console()
user_app = typer.Typer(help="Users of the sandbox tenant (the learner owns the workspace).", no_args_is_help=True)
sp_app = typer.Typer(help="Service principals: applications that sign in with a client secret.", no_args_is_help=True)
identity_app = typer.Typer(help="User-assigned managed identities (attach them to compute).", no_args_is_help=True)
role_app = typer.Typer(help="Azure RBAC: role definitions and role assignments.", no_args_is_help=True)


def register(sandbox_app: typer.Typer) -> None:
    sandbox_app.add_typer(user_app, name="user")
    sandbox_app.add_typer(sp_app, name="sp")
    sandbox_app.add_typer(identity_app, name="identity")
    sandbox_app.add_typer(role_app, name="role")
    sandbox_app.command("login")(login)
    sandbox_app.command("whoami")(whoami)
    sandbox_app.command("secrets")(secrets)


def _ws():
    from sandbox.home import workspace_dir
    from sandbox.workspace import Workspace

    return Workspace.open_or_create(workspace_dir())


# -- users, service principals, identities ------------------------------------------------------------------------
@user_app.command("add")
def user_add(name: str = typer.Argument(..., help="The user's name, e.g. ana@contoso.com.")) -> None:
    """Add a user (with no role until you assign one)."""
    from sandbox.security import principals

    user = principals.add_user(_ws(), name)
    console.print(f"Added user [cyan]{user.name}[/cyan] (object id {user.object_id}). It has no role yet: "
                  f"[bold]dp100 sandbox role assign {user.name} \"AzureML Data Scientist\"[/bold]")


@user_app.command("list")
def user_list() -> None:
    """Every user, service principal and managed identity."""
    from sandbox.security import principals

    table = Table("name", "kind", "object id", "client id")
    for p in principals.list_principals(_ws()):
        table.add_row(p.name, p.kind, p.object_id, p.app_id or "—")
    console.print(table)


@sp_app.command("create")
def sp_create(name: str = typer.Argument(..., help="A name for the application, e.g. ci-pipeline."),
              days: float = typer.Option(365.0, help="How long the client secret is valid (sandbox clock).")) -> None:
    """Create a service principal; prints its tenant id, client id and secret (the secret only this once)."""
    from sandbox.security import principals

    principal, secret = principals.create_service_principal(_ws(), name, days)
    _print_sp(principal, secret)
    console.print(f"It has no role yet: [bold]dp100 sandbox role assign {name} \"AzureML Data Scientist\"[/bold]")


@sp_app.command("reset-secret")
def sp_reset(name: str = typer.Argument(..., help="The service principal's name or client id."),
             days: float = typer.Option(365.0, help="How long the new secret is valid.")) -> None:
    """Replace the service principal's secrets with a new one (printed once)."""
    from sandbox.security import principals

    ws = _ws()
    principal = principals.get(ws, name)
    _print_sp(principal, principals.rotate_secret(ws, principal, days))


def _print_sp(principal, secret: str) -> None:
    table = Table(show_header=False, box=None)
    table.add_row("tenant id", principal.tenant_id)
    table.add_row("client id (appId)", principal.app_id or "")
    table.add_row("client secret", secret)
    console.print(table)
    console.print("[yellow]Copy the secret now: it is not stored and cannot be shown again.[/yellow]")


@sp_app.command("list")
def sp_list() -> None:
    """Service principals and when their secrets expire (on the sandbox clock)."""
    from datetime import datetime, timezone

    from sandbox.security import principals

    ws = _ws()
    table = Table("name", "client id", "secrets (hint, expires)")
    for p in principals.list_principals(ws, principals.SERVICE_PRINCIPAL):
        infos = principals.secret_infos(ws, p)
        table.add_row(p.name, p.app_id or "", ", ".join(
            f"{i.hint}… {datetime.fromtimestamp(i.expires, timezone.utc):%Y-%m-%d}" for i in infos) or "none")
    console.print(table)


@identity_app.command("create")
def identity_create(name: str = typer.Argument(..., help="A name for the user-assigned identity.")) -> None:
    """Create a user-assigned managed identity."""
    from sandbox.security import principals

    ws = _ws()
    identity = principals.create_managed_identity(ws, name)
    console.print(f"Created identity [cyan]{identity.name}[/cyan]: client id {identity.app_id}, resource id "
                  f"{principals.resource_id(ws, identity)}")


# -- roles --------------------------------------------------------------------------------------------------------
@role_app.command("list")
def role_list(custom: bool = typer.Option(False, "--custom", help="Custom roles only."),
              as_json: bool = typer.Option(False, "--json", help="The definitions as JSON.")) -> None:
    """Role definitions: built-in and custom."""
    from sandbox.security import roles

    found = roles.list_roles(_ws(), custom_only=custom)
    if as_json:
        print(json.dumps([r.as_json() for r in found], indent=2))
        return
    table = Table("name", "custom", "description", box=None)
    for r in found:
        table.add_row(r.name, "yes" if r.is_custom else "", r.description)
    console.print(table)


@role_app.command("create")
def role_create(file: Path = typer.Option(..., "--file", "-f", help="A role definition JSON file "
                                          "(Name, Description, Actions, NotActions, DataActions, AssignableScopes).")) -> None:
    """Create a custom role from a JSON definition (the shape `az role definition create` takes)."""
    from sandbox.security import roles

    if not file.is_file():
        console.print(f"[red]No such file: {file}[/red]")
        raise typer.Exit(2)
    role = roles.create_custom(_ws(), file.read_text(encoding="utf-8"))
    console.print(f"Created custom role [cyan]{role.name}[/cyan] ({role.id}).")


@role_app.command("delete")
def role_delete(name: str) -> None:
    """Delete a custom role."""
    from sandbox.security import roles

    roles.delete_custom(_ws(), name)
    console.print(f"Deleted custom role {name}.")


@role_app.command("assign")
def role_assign(principal: str = typer.Argument(..., help="User, service principal or identity (name or id)."),
                role: str = typer.Argument(..., help="Role name, e.g. \"AzureML Data Scientist\"."),
                scope: str = typer.Option("workspace", help="workspace, resource-group, or an ARM id.")) -> None:
    """Give a principal a role at a scope."""
    from sandbox.security import access

    made = access.assign(_ws(), principal, role, scope)
    console.print(f"{made.principal.name} now holds [cyan]{made.role.name}[/cyan] at {made.scope}.")


@role_app.command("remove")
def role_remove(principal: str, role: Optional[str] = typer.Argument(None, help="Only this role."),
                scope: Optional[str] = typer.Option(None, help="Only at this scope.")) -> None:
    """Remove role assignments."""
    from sandbox.security import access

    count = access.remove(_ws(), principal, role, scope)
    console.print(f"Removed {count} role assignment{'s' if count != 1 else ''}.")


@role_app.command("show")
def role_show(principal: Optional[str] = typer.Argument(None, help="Whose assignments (default: everyone's)."),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """Role assignments."""
    from sandbox.security import access, principals

    ws = _ws()
    object_id = principals.get(ws, principal).object_id if principal else None
    found = access.list_assignments(ws, object_id)
    if as_json:
        print(json.dumps([{"principal": a.principal.name, "principalId": a.principal.object_id,
                           "roleDefinitionName": a.role.name, "scope": a.scope} for a in found], indent=2))
        return
    table = Table("principal", "kind", "role")
    table.add_column("scope", overflow="fold")
    for a in found:
        table.add_row(a.principal.name, a.principal.kind, a.role.name, a.scope)
    console.print(table)


# -- sign-in and the vault ----------------------------------------------------------------------------------------
def login(as_: Optional[str] = typer.Option(None, "--as", help="Sign the CLI in as this user or service principal "
                                            "(AzureCliCredential and DefaultAzureCredential then use it)."),
          logout: bool = typer.Option(False, "--logout", help="Back to the learner.")) -> None:
    """Choose whom CLI-style credentials sign in as (like `az login`)."""
    from sandbox.security import principals

    principal = principals.cli_login(_ws(), None if logout else as_)
    console.print(f"Signed in as [cyan]{principal.name}[/cyan] ({principal.kind}).")


def whoami() -> None:
    """Whom CLI-style credentials sign in as, and the roles it holds here."""
    from sandbox.security import access, principals

    ws = _ws()
    me = principals.cli_principal(ws)
    console.print(f"{me.name} ({me.kind}, object id {me.object_id}, tenant {me.tenant_id})")
    for a in access.list_assignments(ws, me.object_id):
        console.print(f"  {a.role.name} at {a.scope}")


def secrets() -> None:
    """The names of the secrets in the workspace's Key Vault (never their values)."""
    from sandbox.security import keyvault

    ws = _ws()
    found = keyvault.list_secrets(ws)
    console.print(f"Key Vault {keyvault.vault_url(ws)}: {len(found)} secret{'s' if len(found) != 1 else ''}")
    for p in found:
        console.print(f"  {p.name}  (updated {p.updated[:19]})")
