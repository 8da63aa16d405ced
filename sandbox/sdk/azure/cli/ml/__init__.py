"""`az ml`: the Azure ML CLI v2 extension. Each group's module loads YAML with the v2 `load_*` functions and calls
the v2 `MLClient` facade; this module holds what they share: the client, `--set` overrides, and the entity ->
JSON shape the real CLI prints (YAML field names, `creation_context`, `id`, `resourceGroup`)."""
from __future__ import annotations

from typing import Any

from azure.cli.context import CLIError, Context


def client(ctx: Context, args: Any) -> Any:
    return ctx.ml_client(args.resource_group, args.workspace_name)


def overrides(args: Any) -> list[dict]:
    from azure.ai.ml._yaml import parse_set

    try:
        return parse_set(getattr(args, "set", None))
    except ValueError as exc:
        raise CLIError(str(exc), 2) from None


def plain(value: Any) -> Any:
    from enum import Enum

    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "_to_dict"):
        return plain(value._to_dict())
    return str(value)


def dump(entity: Any, args: Any, schema: str | None = None, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """An entity as the CLI prints it."""
    data = plain(entity._to_dict())
    for key in ("print_as_yaml", "latest_version", "is_anonymous", *drop):
        data.pop(key, None)
    if schema:
        data["$schema"] = f"https://azuremlschemas.azureedge.net/latest/{schema}.schema.json"
    data["resourceGroup"] = getattr(args, "resource_group", None)
    return data

