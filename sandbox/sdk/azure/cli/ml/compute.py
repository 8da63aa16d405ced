"""`az ml compute`: clusters (AmlCompute) and compute instances."""
from __future__ import annotations

from typing import Any

from azure.cli.commands import WORKSPACE_ARGS, arg, command
from azure.cli.context import CLIError, Context
from azure.cli.ml import client, dump, overrides

_NAME = arg("--name", "-n", required=True)
_TYPES = {"amlcompute": "AmlCompute", "computeinstance": "ComputeInstance"}


def _dump(compute: Any, args: Any) -> dict:
    data = dump(compute, args, drop=("_record",))
    data["type"] = (compute.type or "").lower()
    return data


@command("ml compute create", arg("--file", "-f"), arg("--name", "-n"), arg("--type", "-t"),
         arg("--size"), arg("--min-instances", type=int), arg("--max-instances", type=int),
         arg("--idle-time-before-scale-down", type=int), arg("--tier"), arg("--description"),
         arg("--tags", nargs="*"), arg("--location", "-l"), arg("--set", action="append"),
         arg("--no-wait", action="store_true"), arg("--admin-username"), arg("--admin-password"),
         arg("--ssh-public-access-enabled", type=lambda v: v.lower() == "true"),
         arg("--enable-node-public-ip", type=lambda v: v.lower() == "true"), scope=WORKSPACE_ARGS)
def create(ctx: Context, args: Any) -> dict:
    """Create a compute target from a YAML file or from flags."""
    from azure.ai.ml import load_compute
    from azure.ai.ml.entities import AmlCompute, ComputeInstance

    ml = client(ctx, args)
    if args.file:
        compute = load_compute(args.file, params_override=overrides(args))
        if args.name:
            compute.name = args.name
    else:
        if not args.name:
            raise CLIError("the following arguments are required: --name/-n", 2)
        kind = _TYPES.get((args.type or "").lower())
        if kind is None:
            raise CLIError(f"usage error: --type must be one of AmlCompute, ComputeInstance (got {args.type!r}).", 2)
        tags = dict(p.partition("=")[::2] for p in args.tags) if args.tags else None
        if kind == "AmlCompute":
            options = {k: v for k, v in dict(size=args.size, min_instances=args.min_instances,
                                              max_instances=args.max_instances,
                                              idle_time_before_scale_down=args.idle_time_before_scale_down,
                                              tier=args.tier.lower() if args.tier else None,
                                              description=args.description, tags=tags).items() if v is not None}
            compute = AmlCompute(name=args.name, **options)  # no size: Standard_DS3_v2 when new, kept when not
        else:
            compute = ComputeInstance(name=args.name, size=args.size or "Standard_DS3_v2",
                                      description=args.description, tags=tags)
    poller = ml.compute.begin_create_or_update(compute)
    return _dump(poller.result(), args)


@command("ml compute show", _NAME, scope=WORKSPACE_ARGS)
def show(ctx: Context, args: Any) -> dict:
    """Show a compute target."""
    return _dump(client(ctx, args).compute.get(args.name), args)


@command("ml compute list", arg("--type", "-t"), arg("--max-results", type=int), scope=WORKSPACE_ARGS,
         table=("name:Name", "type:Type", "size:Size", "state:State", "provisioning_state:ProvisioningState",
                "min_instances:MinInstances", "max_instances:MaxInstances"))
def list_(ctx: Context, args: Any) -> list[dict]:
    """List the compute targets."""
    items = [_dump(c, args) for c in client(ctx, args).compute.list(compute_type=args.type)]
    return items[: args.max_results] if args.max_results else items


@command("ml compute update", _NAME, arg("--min-instances", type=int), arg("--max-instances", type=int),
         arg("--idle-time-before-scale-down", type=int), arg("--description"), arg("--set", action="append"),
         scope=WORKSPACE_ARGS)
def update(ctx: Context, args: Any) -> dict:
    """Update a cluster's scale settings."""
    from azure.ai.ml.entities import AmlCompute

    ml = client(ctx, args)
    current = ml.compute.get(args.name)
    if not isinstance(current, AmlCompute):
        raise CLIError(f"{args.name} is a compute instance; only clusters have scale settings to update.")
    updated = AmlCompute(name=args.name, min_instances=current.min_instances if args.min_instances is None
                         else args.min_instances,
                         max_instances=current.max_instances if args.max_instances is None else args.max_instances,
                         idle_time_before_scale_down=current.idle_time_before_scale_down
                         if args.idle_time_before_scale_down is None else args.idle_time_before_scale_down,
                         description=args.description)
    return _dump(ml.compute.begin_create_or_update(updated).result(), args)


@command("ml compute delete", _NAME, arg("--no-wait", action="store_true"), scope=WORKSPACE_ARGS,
         confirm="Are you sure you want to perform this operation?")
def delete(ctx: Context, args: Any) -> None:
    """Delete a compute target."""
    client(ctx, args).compute.begin_delete(args.name)
    return None


def _instance_action(action: str):
    def handler(ctx: Context, args: Any) -> None:
        getattr(client(ctx, args).compute, f"begin_{action}")(args.name)
        return None

    handler.__doc__ = f"{action.capitalize()} a compute instance."
    return handler


for _action in ("start", "stop", "restart"):
    command(f"ml compute {_action}", _NAME, arg("--no-wait", action="store_true"),
            scope=WORKSPACE_ARGS)(_instance_action(_action))


@command("ml compute list-sizes", arg("--location", "-l"), arg("--type", "-t"), scope=WORKSPACE_ARGS)
def list_sizes(ctx: Context, args: Any) -> list[dict]:
    """List the VM sizes."""
    from azure.cli.ml import plain

    return [plain(s._to_dict()) for s in client(ctx, args).compute.list_sizes()]


@command("ml compute list-nodes", _NAME, scope=WORKSPACE_ARGS)
def list_nodes(ctx: Context, args: Any) -> list[dict]:
    """List a cluster's nodes."""
    return [{k: v for k, v in vars(n).items() if not k.startswith("_")}
            for n in client(ctx, args).compute.list_nodes(args.name)]
