"""Reading the CLI v2 / SDK YAML files with line numbers, and validation errors that name file, line and field.

`read(source)` returns the document as plain data plus a `Lines` index (field path -> line). `--set key=value`
overrides (`params_override`) are applied before validation. A `YamlValidationError` carries one entry per
problem, shaped like the real CLI's report: message, path, value, location (`file#line N`).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml

from azure.ai.ml.exceptions import ValidationException


class YamlValidationError(ValidationException):
    def __init__(self, source: str, errors: list[dict[str, Any]]) -> None:
        self.source = source
        self.errors = errors
        super().__init__(self.report())

    def report(self) -> str:
        first = self.errors[0] if self.errors else {}
        head = (f"{first.get('location', self.source)}: {first.get('path') or '(document)'}: {first.get('message')}"
                if first else self.source)
        body = json.dumps({"result": "Failed", "errors": self.errors, "warnings": []}, indent=4, default=str)
        return f"Validation for {Path(self.source).name} failed:\n\n{body}\n\nFirst problem: {head}"


class Lines:
    """Field path (tuple of keys / indexes) -> 1-based line in the file."""

    def __init__(self, source: str, index: dict[tuple, int]) -> None:
        self.source = source
        self.index = index

    def line_of(self, path: tuple) -> int | None:
        path = tuple(path)
        while path:
            if path in self.index:
                return self.index[path]
            path = path[:-1]
        return self.index.get((), None)

    def location(self, path: tuple) -> str:
        line = self.line_of(path)
        return f"{self.source}#line {line}" if line else self.source

    def error(self, path: tuple, message: str, value: Any = None) -> YamlValidationError:
        return YamlValidationError(self.source, [self.entry(path, message, value)])

    def entry(self, path: tuple, message: str, value: Any = None) -> dict[str, Any]:
        return {"message": message, "path": ".".join(str(p) for p in path), "value": value,
                "location": self.location(path)}


def _index(node: yaml.Node, path: tuple, out: dict[tuple, int]) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value
            out[path + (name,)] = key.start_mark.line + 1
            _index(value, path + (name,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, path + (i,), out)


def read(source: str | os.PathLike, params_override: list[dict[str, Any]] | None = None) -> tuple[dict, Lines, Path]:
    """The YAML document at `source` (a mapping), its line index, and the folder relative paths start from."""
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(f"No such file or directory: {str(source)!r}")
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}#line {mark.line + 1}" if mark is not None else str(path)
        raise YamlValidationError(str(path), [{"message": f"The file is not valid YAML: {getattr(exc, 'problem', exc)}",
                                               "path": "", "value": None, "location": where}]) from None
    index: dict[tuple, int] = {}
    if node is not None:
        _index(node, (), index)
    lines = Lines(str(path), index)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise lines.error((), f"The file must hold a YAML mapping (key: value lines); it holds a {type(data).__name__}.")
    for override in params_override or []:
        for key, value in override.items():
            apply_override(data, key, value)
    return data, lines, path.resolve().parent


def apply_override(data: dict, dotted: str, value: Any) -> None:
    """`--set a.b=c`: set a nested field (creating mappings on the way); values are read as YAML scalars."""
    if isinstance(value, str):
        try:
            value = yaml.safe_load(value) if value != "" else ""
        except yaml.YAMLError:
            pass
    keys = dotted.split(".")
    target = data
    for key in keys[:-1]:
        if not isinstance(target.get(key), dict):
            target[key] = {}
        target = target[key]
    target[keys[-1]] = value


def parse_set(pairs: list[str] | None) -> list[dict[str, Any]]:
    """`--set k=v` arguments as the params_override list azure-ai-ml's load_* functions take."""
    overrides = []
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--set takes key=value pairs, e.g. --set compute=azureml:cpu-cluster; got {pair!r}.")
        overrides.append({key.strip(): value})
    return overrides


def schema_kind(data: dict) -> str | None:
    """The kind a `$schema` URL names: `…/commandJob.schema.json` -> 'commandJob'."""
    url = data.get("$schema")
    if not isinstance(url, str) or not url.strip():
        return None
    name = url.rstrip("/").rsplit("/", 1)[-1]
    return name.split(".schema.json")[0].split(".json")[0]
