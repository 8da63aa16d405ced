"""Reading tabular data from files and applying a chain of transformations.

Shared by v1 TabularDatasets and MLTable: both are *definitions* (where the files are, how to read them, what to
do to the rows) that become a pandas DataFrame only when materialised.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from sandbox.errors import InvalidInput

if TYPE_CHECKING:
    import pandas as pd

ReadSpec = dict[str, Any]
Step = dict[str, Any]

_PANDAS_TYPES = {
    "int": "Int64", "integer": "Int64", "long": "Int64", "float": "float64", "double": "float64", "decimal": "float64",
    "bool": "boolean", "boolean": "boolean", "string": "string", "str": "string", "datetime": "datetime64[ns]",
    "date": "datetime64[ns]",
}


def read_files(files: Iterable[Path], spec: ReadSpec, display: Callable[[Path], str] = str) -> "pd.DataFrame":
    import pandas as pd

    files = list(files)
    fmt = spec.get("format", "delimited")
    frames = []
    for number, path in enumerate(files):
        if fmt == "delimited":
            header = spec.get("header", True)
            use_header = _header_row(header, number)
            frame = pd.read_csv(
                path,
                sep=spec.get("separator", ","),
                header=0 if use_header else None,
                encoding=_encoding(spec.get("encoding", "utf8")),
                                dtype=None if spec.get("infer_column_types", True) else str,
                keep_default_na=True,
            )
            if not use_header:
                if number > 0 and frames and header not in (False, "no_header"):
                    frame.columns = frames[0].columns[: len(frame.columns)]
                else:
                    frame.columns = [f"Column{i + 1}" for i in range(frame.shape[1])]
        elif fmt == "parquet":
            frame = pd.read_parquet(path)
        elif fmt == "json_lines":
            frame = pd.read_json(path, lines=True, encoding=_encoding(spec.get("encoding", "utf8")))
        else:
            raise InvalidInput(f"Unknown file format {fmt!r}; expected delimited, parquet or json_lines.")
        if spec.get("include_path"):
            frame.insert(0, "Path", display(path))
        frames.append(frame)
    if not frames:
        return pd.DataFrame()
    df = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    types = spec.get("set_column_types") or {}
    for column, kind in types.items():
        if column not in df.columns:
            raise InvalidInput(f"set_column_types names column {column!r}, which the data does not have.")
        target = _PANDAS_TYPES.get(str(kind).lower())
        if target is None:
            raise InvalidInput(f"Unknown column type {kind!r} for {column!r}.")
        df[column] = pd.to_datetime(df[column]) if target.startswith("datetime") else df[column].astype(target)
    return df


def _header_row(header: Any, number: int) -> bool:
    # v1 bool / PromoteHeadersBehavior names and MLTable header modes
    if header in (False, "no_header", "NO_HEADERS", 0):
        return False
    if header in ("from_first_file", "only_first_file_has_headers", "ONLY_FIRST_FILE_HAS_HEADERS"):
        return number == 0
    return True


def _encoding(name: str) -> str:
    return {"utf8": "utf-8", "iso88591": "latin-1", "latin1": "latin-1", "ascii": "ascii", "utf16": "utf-16"}.get(
        str(name).lower().replace("-", ""), name
    )


def apply_steps(df: "pd.DataFrame", steps: Iterable[Step]) -> "pd.DataFrame":
    for step in steps:
        (op, arg), = step.items()
        if op == "take":
            df = df.head(int(arg))
        elif op == "skip":
            df = df.iloc[int(arg):]
        elif op == "keep_columns":
            _check_columns(df, arg, op)
            df = df[list(arg)]
        elif op == "drop_columns":
            _check_columns(df, arg, op)
            df = df.drop(columns=list(arg))
        elif op == "take_sample":
            df = df[_mask(len(df), arg["probability"], arg.get("seed"))]
        elif op == "random_split":
            mask = _mask(len(df), arg["percentage"], arg.get("seed"))
            df = df[mask] if arg["part"] == 0 else df[~mask]
        elif op == "filter":
            df = df.query(_filter_to_query(arg), engine="python")
        elif op == "time_filter":
            df = _time_filter(df, arg)
        else:
            raise InvalidInput(f"Unknown transformation {op!r}.")
    return df.reset_index(drop=True)


def _time_filter(df: "pd.DataFrame", arg: dict[str, Any]) -> "pd.DataFrame":
    """Rows whose timestamp column lies within the bounds (v1 time_before/after/between/recent)."""
    import pandas as pd

    column = arg["column"]
    _check_columns(df, [column], "with_timestamp_columns")
    stamps = pd.to_datetime(df[column])
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_convert(None)
    keep = pd.Series(True, index=df.index)
    inclusive = arg.get("include_boundary", True)
    for key, above in (("lower", True), ("upper", False)):
        if arg.get(key) is None:
            continue
        bound = pd.Timestamp(arg[key])
        if bound.tzinfo is not None:
            bound = bound.tz_convert(None)
        if above:
            keep &= (stamps >= bound) if inclusive else (stamps > bound)
        else:
            keep &= (stamps <= bound) if inclusive else (stamps < bound)
    return df[keep]


def apply_file_steps(files: list[Any], steps: Iterable[Step]) -> list[Any]:
    for step in steps:
        (op, arg), = step.items()
        if op == "take":
            files = files[: int(arg)]
        elif op == "skip":
            files = files[int(arg):]
        elif op in ("take_sample", "random_split"):
            mask = _mask(len(files), arg.get("probability", arg.get("percentage")), arg.get("seed"))
            keep = mask if op == "take_sample" or arg["part"] == 0 else ~mask
            files = [f for f, k in zip(files, keep) if k]
        else:
            raise InvalidInput(f"{op} is not available for file datasets.")
    return files


def _mask(n: int, fraction: float, seed: int | None):
    import numpy as np

    fraction = float(fraction)
    if not 0.0 <= fraction <= 1.0:
        raise InvalidInput(f"The fraction must be between 0 and 1, got {fraction}.")
    rng = np.random.default_rng(seed)
    return rng.random(n) < fraction


def _check_columns(df: "pd.DataFrame", columns: list[str], op: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InvalidInput(
            f"{op} names columns that do not exist: {', '.join(map(str, missing))}. "
            f"Available columns: {', '.join(map(str, df.columns))}."
        )


def _filter_to_query(expression: str) -> str:
    """MLTable filter expressions use col("name"); pandas queries use backquoted names."""
    import re

    query = re.sub(r"col\(\s*[\"']([^\"']+)[\"']\s*\)", lambda m: f"`{m.group(1)}`", expression)
    return query.replace("&&", " and ").replace("||", " or ")
