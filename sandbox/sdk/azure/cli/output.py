"""Printing a command's result the way the Azure CLI does: `-o json` (default; sorted keys, indent 2), `jsonc`,
`yaml`, `table` (scalar fields as columns, `id`/`type`/`etag` left out), `tsv` (values only, tab-separated,
sorted by key when no query picked them) and `none`; `--query` is JMESPath (the `jmespath` library)."""
from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

FORMATS = ("json", "jsonc", "yaml", "yamlc", "table", "tsv", "none")
_SKIP = ("id", "type", "etag")


class OutputError(Exception):
    """A --query or -o problem: exit code 2 (argument error)."""


def query(result: Any, expression: str | None) -> Any:
    if not expression:
        return result
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        return jmespath.compile(expression).search(result, jmespath.Options(dict_cls=OrderedDict))
    except JMESPathError as exc:
        raise OutputError(f"argument --query: invalid jmespath_type value: {expression!r}\n{exc}") from None


def render(result: Any, fmt: str, query_active: bool = False) -> str:
    if result is None:
        return ""
    fmt = fmt.lower()
    if fmt in ("json", "jsonc"):
        return json.dumps(result, ensure_ascii=False, indent=2, sort_keys=not isinstance(result, OrderedDict),
                          separators=(",", ": "), default=str) + "\n"
    if fmt in ("yaml", "yamlc"):
        import yaml

        return yaml.safe_dump(json.loads(json.dumps(result, default=str)), default_flow_style=False, allow_unicode=True)
    if fmt == "table":
        return table(result, sort_keys=not query_active)
    if fmt == "tsv":
        return tsv(result)
    if fmt == "none":
        return ""
    raise OutputError(f"argument --output/-o: invalid choice: {fmt!r} (choose from {', '.join(FORMATS)})")


def columns(result: Any, keys: tuple[str, ...]) -> Any:
    """Keep the named fields in order, as `Key:Header` pairs (an az table transformer)."""
    def pick(item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        row: OrderedDict = OrderedDict()
        for spec in keys:
            key, _, header = spec.partition(":")
            value = item
            for part in key.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            row[header or key] = value
        return row

    return [pick(i) for i in result] if isinstance(result, list) else pick(result)


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    return str(value)


def table(result: Any, sort_keys: bool = True) -> str:
    items = result if isinstance(result, list) else [result]
    rows: list[OrderedDict] = []
    for item in items:
        row: OrderedDict = OrderedDict()
        if isinstance(item, dict):
            keys = sorted(item) if sort_keys and not isinstance(item, OrderedDict) else list(item)
            for key in keys:
                value = item[key]
                if (key in _SKIP and sort_keys) or value is None or isinstance(value, (list, dict, set)):
                    continue
                row[key[:1].upper() + key[1:]] = value
        elif isinstance(item, list):
            for i, value in enumerate(item):
                row[f"Column{i + 1}"] = value
        else:
            row["Result"] = item
        rows.append(row)
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    if not columns:
        return ""
    cells = [[_cell(row.get(c, "")) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"


def _tsv_value(value: Any) -> str:
    if isinstance(value, list):
        return str(len(value))
    if isinstance(value, dict):
        return ""
    return value if isinstance(value, str) else str(value)


def tsv(result: Any) -> str:
    out = []
    for item in (result if isinstance(result, list) else [result]):
        if isinstance(item, OrderedDict):
            values = list(item.values())
        elif isinstance(item, dict):
            values = [v for _, v in sorted(item.items())]
        elif isinstance(item, list):
            values = item
        elif isinstance(item, bool):
            values = [str(item).lower()]
        else:
            values = [item]
        out.append("\t".join(_tsv_value(v) for v in values))
    return "".join(line + "\n" for line in out)
