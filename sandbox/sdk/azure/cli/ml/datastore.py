"""`az ml datastore`: blob, file share and data lake datastores (credentials never printed back)."""
from __future__ import annotations

from typing import Any

from azure.cli.commands import WORKSPACE_ARGS, arg, command
from azure.cli.context import CLIError, Context
from azure.cli.ml import client, dump, overrides

_SCHEMAS = {"azure_blob": "azureBlob", "azure_file": "azureFile", "azure_data_lake_gen2": "azureDataLakeGen2"}


def _dump(store: Any, args: Any) -> dict:
    data = dump(store, args, _SCHEMAS.get(getattr(store, "type", ""), None))
    creds = data.get("credentials")
    if isinstance(creds, dict):
        data["credentials"] = {k: v for k, v in creds.items() if k in ("type",)}
    return data


@command("ml datastore create", arg("--file", "-f", required=True), arg("--name", "-n"),
         arg("--set", action="append"), scope=WORKSPACE_ARGS)
def create(ctx: Context, args: Any) -> dict:
    """Create (register) a datastore from a YAML file."""
    from azure.ai.ml import load_datastore

    store = load_datastore(args.file, params_override=overrides(args))
    if args.name:
        store.name = args.name
    return _dump(client(ctx, args).datastores.create_or_update(store), args)


@command("ml datastore show", arg("--name", "-n", required=True), scope=WORKSPACE_ARGS)
def show(ctx: Context, args: Any) -> dict:
    """Show a datastore."""
    return _dump(client(ctx, args).datastores.get(args.name), args)


@command("ml datastore list", arg("--max-results", "-r", type=int), scope=WORKSPACE_ARGS)
def list_(ctx: Context, args: Any) -> list[dict]:
    """List the datastores."""
    items = [_dump(d, args) for d in client(ctx, args).datastores.list()]
    return items[: args.max_results] if args.max_results else items


@command("ml datastore delete", arg("--name", "-n", required=True), scope=WORKSPACE_ARGS)
def delete(ctx: Context, args: Any) -> None:
    """Delete a datastore (its files stay in the storage account)."""
    if args.name in ("workspaceblobstore", "workspacefilestore", "workspaceartifactstore",
                     "workspaceworkingdirectory"):
        raise CLIError(f"The default datastore '{args.name}' cannot be deleted.")
    client(ctx, args).datastores.delete(args.name)
    return None
