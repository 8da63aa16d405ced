"""What the versioned asset groups (data, environment, model) share: show/list/archive/restore commands."""
from __future__ import annotations

from typing import Any, Callable

from azure.cli.commands import WORKSPACE_ARGS, arg, command
from azure.cli.context import CLIError, Context
from azure.cli.ml import client, dump


def versioned(group: str, operations: str, schema: str, noun: str) -> None:
    """Register `az ml <group> show|list|archive|restore` over `ml_client.<operations>`."""

    def ops(ctx: Context, args: Any) -> Any:
        return getattr(client(ctx, args), operations)

    def show(ctx: Context, args: Any) -> dict:
        if args.version is None and args.label is None:
            args.label = "latest" if group != "data" else None
        if (args.version is None) == (args.label is None):
            raise CLIError("Please specify exactly one of --version/-v or --label/-l.", 2)
        return dump(ops(ctx, args).get(args.name, version=args.version, label=args.label), args, schema)

    def list_(ctx: Context, args: Any) -> list[dict]:
        items = [dump(e, args, schema) for e in ops(ctx, args).list(name=args.name)]
        return items[: args.max_results] if args.max_results else items

    def archive(ctx: Context, args: Any) -> None:
        ops(ctx, args).archive(args.name, version=args.version)
        return None

    def restore(ctx: Context, args: Any) -> None:
        ops(ctx, args).restore(args.name, version=args.version)
        return None

    show.__doc__ = f"Show details for {noun}."
    list_.__doc__ = f"List {noun}s in a workspace."
    archive.__doc__ = f"Archive {noun} (all versions without --version)."
    restore.__doc__ = f"Restore an archived {noun}."
    name, version = arg("--name", "-n", required=True), arg("--version", "-v")
    command(f"ml {group} show", name, version, arg("--label", "-l"), scope=WORKSPACE_ARGS)(show)
    command(f"ml {group} list", arg("--name", "-n"), arg("--max-results", "-r", type=int),
            arg("--archived-only", action="store_true"), arg("--include-archived", action="store_true"),
            scope=WORKSPACE_ARGS, table=("name:Name", "version:Version", "type:Type", "description:Description",
                                         "creation_context.created_at:Created"))(list_)
    command(f"ml {group} archive", name, version, arg("--label", "-l"), scope=WORKSPACE_ARGS)(archive)
    command(f"ml {group} restore", name, version, arg("--label", "-l"), scope=WORKSPACE_ARGS)(restore)


def load_or_build(args: Any, load: Callable[..., Any], build: Callable[[], Any], required: tuple[str, ...]) -> Any:
    """The entity from `--file` (flags such as --name/--version override it) or built from flags."""
    from azure.cli.ml import overrides

    if args.file:
        entity = load(args.file, params_override=overrides(args))
        for flag in ("name", "version", "description"):
            if getattr(args, flag, None) is not None:
                setattr(entity, flag, getattr(args, flag))
        return entity
    missing = [f"--{r}" for r in required if getattr(args, r.replace("-", "_"), None) is None]
    if missing:
        raise CLIError(f"the following arguments are required: {', '.join(missing)} (or --file/-f with a YAML file)", 2)
    return build()
