"""`az ml workspace`: the sandbox workspace, under its own name or the names created here (lab set-up scripts)."""
from __future__ import annotations

from typing import Any

from azure.cli.commands import arg, command
from azure.cli.context import CLIError, Context
from azure.cli.ml import dump, overrides

_GROUP = arg("--resource-group", "-g", dest="resource_group")
_NAME = arg("--name", "-n", "--workspace-name", "-w", dest="name")


def _client(ctx: Context, group: str | None) -> Any:
    from azure.ai.ml import MLClient
    from azure.identity import AzureCliCredential

    ctx.require_login()
    if not group:
        raise CLIError("the following arguments are required: --resource-group/-g", 2)
    return MLClient(AzureCliCredential(), ctx.ws.subscription_id, group, None)


def _args(ctx: Context, args: Any) -> tuple[str | None, str | None]:
    group = args.resource_group or ctx.setting("defaults", "group")
    name = getattr(args, "name", None) or ctx.setting("defaults", "workspace")
    args.resource_group = group
    return group, name


@command("ml workspace create", _NAME, _GROUP, arg("--file", "-f"), arg("--location", "-l"),
         arg("--display-name"), arg("--description"), arg("--tags", nargs="*"), arg("--set", action="append"),
         arg("--no-wait", action="store_true"), arg("--update-dependent-resources", "-u", action="store_true"))
def create(ctx: Context, args: Any) -> dict:
    """Create a workspace (in the sandbox: a name for the sandbox workspace in that resource group)."""
    from azure.ai.ml import load_workspace
    from azure.ai.ml.entities import Workspace

    group, name = _args(ctx, args)
    if args.file:
        ws = load_workspace(args.file, params_override=overrides(args))
        name = ws.name if not args.name else args.name
        ws.name = name
    else:
        if not name:
            raise CLIError("the following arguments are required: --name/-n", 2)
        ws = Workspace(name=name, location=args.location, display_name=args.display_name,
                       description=args.description)
    ws.resource_group = group
    return dump(_client(ctx, group).workspaces.begin_create(ws).result(), args)


@command("ml workspace show", _NAME, _GROUP)
def show(ctx: Context, args: Any) -> dict:
    """Show a workspace."""
    group, name = _args(ctx, args)
    if not name:
        raise CLIError("the following arguments are required: --name/-n", 2)
    return dump(_client(ctx, group).workspaces.get(name), args)


@command("ml workspace list", _GROUP)
def list_(ctx: Context, args: Any) -> list[dict]:
    """List the workspaces of a resource group (or of the subscription without -g)."""
    group = args.resource_group or ctx.setting("defaults", "group")
    from azure.ai.ml import MLClient
    from azure.identity import AzureCliCredential

    ctx.require_login()
    client = MLClient(AzureCliCredential(), ctx.ws.subscription_id, group, None)
    return [dump(w, args) for w in client.workspaces.list(scope="resource_group" if group else "subscription")]


@command("ml workspace update", _NAME, _GROUP, arg("--display-name"), arg("--description"))
def update(ctx: Context, args: Any) -> dict:
    """Update a workspace's display name or description."""
    group, name = _args(ctx, args)
    client = _client(ctx, group)
    ws = client.workspaces.get(name)
    ws.display_name = args.display_name or ws.display_name
    ws.description = args.description or ws.description
    ws.resource_group = group
    return dump(client.workspaces.begin_update(ws).result(), args)


@command("ml workspace delete", _NAME, _GROUP, arg("--all-resources", action="store_true"),
         arg("--no-wait", action="store_true"), arg("--permanently-delete", action="store_true"),
         confirm="Are you sure you want to perform this operation?")
def delete(ctx: Context, args: Any) -> None:
    """Delete a workspace name (the sandbox workspace itself is kept: `dp100 sandbox reset` empties it)."""
    group, name = _args(ctx, args)
    _client(ctx, group).workspaces.begin_delete(name)
    return None
