"""`MLTable`: a lazily evaluated table definition saved as an `MLTable` YAML file."""
from __future__ import annotations

import copy
import os
from enum import Enum
from pathlib import Path
from typing import Any

from sandbox import mltables as _engine
from sandbox import uris as _uris
from sandbox.errors import SandboxError


class UserErrorException(Exception):
    """Raised for a bad MLTable or a path that cannot be read."""


class MLTableHeaders(Enum):
    no_header = "no_header"
    from_first_file = "from_first_file"
    all_files_different_headers = "all_files_different_headers"
    all_files_same_headers = "all_files_same_headers"


class DataType:
    @staticmethod
    def to_string() -> str:
        return "string"

    @staticmethod
    def to_int() -> str:
        return "int"

    @staticmethod
    def to_float() -> str:
        return "float"

    @staticmethod
    def to_bool() -> str:
        return "boolean"

    @staticmethod
    def to_datetime(formats: Any = None, date_constant: Any = None) -> str:
        return "datetime"


def _workspace():
    from sandbox.workspace import current_workspace

    return current_workspace()


def _wrap_errors(func):
    import functools

    @functools.wraps(func)
    def inner(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except SandboxError as exc:
            raise UserErrorException(str(exc)) from None

    return inner


class MLTable:
    def __init__(self, document: dict[str, Any], base: str) -> None:
        self._doc = document
        self._base = base

    @property
    def paths(self) -> list[dict[str, str]]:
        return copy.deepcopy(self._doc["paths"])

    def _with(self, step: dict[str, Any]) -> "MLTable":
        doc = copy.deepcopy(self._doc)
        doc.setdefault("transformations", []).append(step)
        return MLTable(doc, self._base)

    @_wrap_errors
    def to_pandas_dataframe(self) -> Any:
        return _engine.to_dataframe(self._doc, self._base, _workspace)

    def show(self, count: int = 20) -> Any:
        return self.take(count).to_pandas_dataframe()

    def take(self, count: int = 20) -> "MLTable":
        return self._with({"take": int(count)})

    def skip(self, count: int) -> "MLTable":
        return self._with({"skip": int(count)})

    def take_random_sample(self, probability: float, seed: int | None = None) -> "MLTable":
        return self._with({"take_random_sample": {"probability": probability, "seed": seed}})

    def random_split(self, percent: float = 0.5, seed: int | None = None) -> tuple["MLTable", "MLTable"]:
        return (self._with({"random_split": {"percentage": percent, "seed": seed, "part": 0}}),
                self._with({"random_split": {"percentage": percent, "seed": seed, "part": 1}}))

    def keep_columns(self, columns: str | list[str]) -> "MLTable":
        return self._with({"keep_columns": [columns] if isinstance(columns, str) else list(columns)})

    def drop_columns(self, columns: str | list[str]) -> "MLTable":
        return self._with({"drop_columns": [columns] if isinstance(columns, str) else list(columns)})

    def filter(self, expression: str) -> "MLTable":
        return self._with({"filter": expression})

    @_wrap_errors
    def save(self, path: str | os.PathLike | None = None, overwrite: bool = True, colocated: bool = False,
             show_progress: bool = False, if_err_remove_files: bool = True) -> "MLTable":
        import yaml

        folder = Path(path) if path is not None else Path(self._base)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "MLTable"
        if target.exists() and not overwrite:
            raise UserErrorException(f"{target} already exists; pass overwrite=True to replace it.")
        doc = copy.deepcopy(self._doc)
        doc["paths"] = [self._relative_to(entry, folder) for entry in doc["paths"]]
        target.write_text(yaml.safe_dump({"type": "mltable", **doc}, sort_keys=False), encoding="utf-8")
        return MLTable(doc, str(folder.resolve()))

    def _relative_to(self, entry: dict[str, str], folder: Path) -> dict[str, str]:
        (kind, value), = entry.items()
        if "://" in value or value.startswith("azureml:") or "://" in self._base:
            return {kind: value}
        absolute = Path(value) if Path(value).is_absolute() else (Path(self._base) / value).resolve()
        return {kind: os.path.relpath(absolute, folder.resolve())}

    def __repr__(self) -> str:
        import yaml

        return yaml.safe_dump(self._doc, sort_keys=False)

    __str__ = __repr__


@_wrap_errors
def load(uri: str, storage_options: dict | None = None, ml_client: Any = None) -> MLTable:
    text = str(uri)
    parsed = _uris.parse(text)
    if isinstance(parsed, _uris.LocalPath):
        folder = parsed.path.resolve()
        base = str(folder)
    else:
        ws = _workspace()
        if isinstance(parsed, _uris.AssetRef):
            from sandbox import data

            asset = data.get(ws, parsed.name, version=parsed.version, label=parsed.label or (None if parsed.version else "latest"))
            text = asset.path
        folder = _uris.resolve(ws, text)
        base = text.rstrip("/") + "/"
    return MLTable(_engine.read_document(folder), base)


def _paths_arg(paths: Any) -> list[dict[str, str]]:
    if isinstance(paths, (str, dict)):
        paths = [paths]
    result = []
    for entry in paths:
        if isinstance(entry, dict):
            result.append({k: str(v) for k, v in entry.items()})
        else:
            text = str(entry)
            result.append({"pattern" if _uris.has_glob(text) else ("folder" if text.endswith("/") else "file"): text})
    return result


def _make(paths: Any, transformations: list[dict[str, Any]]) -> MLTable:
    doc = {"paths": _paths_arg(paths), "transformations": transformations}
    try:
        _engine.check_document(doc, "paths")
    except SandboxError as exc:
        raise UserErrorException(str(exc)) from None
    return MLTable(doc, str(Path.cwd()))


def from_delimited_files(paths: Any, header: Any = "all_files_same_headers", delimiter: str = ",",
                         support_multi_line: bool = False, empty_as_string: bool = False, encoding: str = "utf8",
                         include_path_column: bool = False, infer_column_types: Any = True) -> MLTable:
    header_value = header.value if isinstance(header, MLTableHeaders) else header
    return _make(paths, [{"read_delimited": {"delimiter": delimiter, "header": header_value, "encoding": encoding,
                                             "empty_as_string": empty_as_string,
                                             "include_path_column": include_path_column,
                                             "infer_column_types": bool(infer_column_types)}}])


def from_parquet_files(paths: Any, include_path_column: bool = False) -> MLTable:
    return _make(paths, [{"read_parquet": {"include_path_column": include_path_column}}])


def from_json_lines_files(paths: Any, invalid_lines: str = "error", encoding: str = "utf8",
                          include_path_column: bool = False) -> MLTable:
    return _make(paths, [{"read_json_lines": {"encoding": encoding, "include_path_column": include_path_column,
                                              "invalid_lines": invalid_lines}}])


def from_paths(paths: Any) -> MLTable:
    return _make(paths, [])
