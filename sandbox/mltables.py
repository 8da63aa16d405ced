"""MLTable documents: the YAML that says which files make a table and how to read and shape them."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from sandbox import tables, uris
from sandbox.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    import pandas as pd

    from sandbox.workspace import Workspace

READERS = {"read_delimited": "delimited", "read_parquet": "parquet", "read_json_lines": "json_lines"}
STEPS = ("take", "skip", "keep_columns", "drop_columns", "filter", "take_random_sample", "random_split")
HEADER_MODES = ("no_header", "from_first_file", "all_files_different_headers", "all_files_same_headers")


def read_document(folder: Path) -> dict[str, Any]:
    import yaml

    path = folder / "MLTable"
    if not path.is_file():
        raise NotFound(f"No MLTable file in {folder}. An MLTable folder holds a YAML file named exactly 'MLTable'.")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InvalidInput(f"The MLTable file {path} is not valid YAML: {exc}") from None
    check_document(doc, str(path))
    return doc


def check_document(doc: Any, where: str) -> None:
    if not isinstance(doc, dict):
        raise InvalidInput(f"{where}: an MLTable must be a YAML mapping with a 'paths' list.")
    paths = doc.get("paths")
    if not isinstance(paths, list) or not paths:
        raise InvalidInput(f"{where}: 'paths' must be a non-empty list of {{file|folder|pattern: <path>}} entries.")
    for entry in paths:
        if not (isinstance(entry, dict) and len(entry) == 1 and next(iter(entry)) in ("file", "folder", "pattern")):
            raise InvalidInput(f"{where}: each path must be one of file:, folder: or pattern:, got {entry!r}.")
    for step in doc.get("transformations") or []:
        name = next(iter(step)) if isinstance(step, dict) and len(step) == 1 else step
        if name not in READERS and name not in STEPS:
            raise InvalidInput(
                f"{where}: unknown transformation {name!r}; known: {', '.join([*READERS, *STEPS])}."
            )


def _resolver(base: str | Path, ws_factory: Callable[[], "Workspace"]) -> Callable[[str], Path]:
    base_text = str(base)

    def resolve(path: str) -> Path:
        if "://" in path or path.startswith("azureml:"):
            return uris.resolve(ws_factory(), path)
        if Path(path).is_absolute():
            return Path(path)
        if base_text.startswith("azureml:") or "://" in base_text:
            return uris.resolve(ws_factory(), base_text.rstrip("/") + "/" + path.lstrip("./"))
        return (Path(base_text) / path).resolve()

    return resolve


def files(doc: dict[str, Any], base: str | Path, ws_factory: Callable[[], "Workspace"]) -> list[Path]:
    resolve = _resolver(base, ws_factory)
    found: list[Path] = []
    for entry in doc["paths"]:
        (kind, value), = entry.items()
        local = resolve(str(value))
        matches = uris.expand_files(local)
        if kind == "file" and not local.is_file():
            raise NotFound(f"MLTable path file: {value} does not exist.")
        if kind == "folder" and not local.is_dir():
            raise NotFound(f"MLTable path folder: {value} does not exist.")
        found.extend(m for m in matches if m.name != "MLTable")
    if not found:
        raise NotFound(
            "The MLTable's paths match no files: " + ", ".join(str(next(iter(e.values()))) for e in doc["paths"])
            + f" (relative paths start at the MLTable's folder, {base}). When an MLTable folder is uploaded, files "
            "outside it are not, so keep the data beside the MLTable file or use azureml:// URIs in its paths."
        )
    return found


def to_dataframe(doc: dict[str, Any], base: str | Path, ws_factory: Callable[[], "Workspace"]) -> "pd.DataFrame":
    import pandas as pd

    found = files(doc, base, ws_factory)
    read_spec: dict[str, Any] | None = None
    steps: list[dict[str, Any]] = []
    for step in doc.get("transformations") or []:
        (name, arg), = step.items() if isinstance(step, dict) else ((step, None),)
        if name in READERS:
            read_spec = _read_spec(READERS[name], arg or {})
        elif name == "take_random_sample":
            steps.append({"take_sample": {"probability": arg["probability"], "seed": arg.get("seed")}})
        else:
            steps.append({name: arg})
    if read_spec is None:
        df = pd.DataFrame({"Path": [str(f) for f in found]})
    else:
        df = tables.read_files(found, read_spec)
    return tables.apply_steps(df, steps)


def _read_spec(fmt: str, arg: dict[str, Any]) -> dict[str, Any]:
    header = arg.get("header", "all_files_same_headers")
    if fmt == "delimited" and header not in HEADER_MODES:
        raise InvalidInput(f"Unknown header mode {header!r}; use one of {', '.join(HEADER_MODES)}.")
    return {
        "format": fmt,
        "separator": arg.get("delimiter", ","),
        "header": header,
        "encoding": arg.get("encoding", "utf8"),
        "include_path": bool(arg.get("include_path_column", False)),
        "infer_column_types": arg.get("infer_column_types", True) is not False,
    }
