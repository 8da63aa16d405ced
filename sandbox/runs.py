"""Run-level helpers shared by the v1 and v2 facades: files, metrics views, details, log streaming layout."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from sandbox import jobs, tracking
from sandbox.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

RULE = "=" * 120


def artifacts_dir(ws: "Workspace", name: str) -> Path:
    job = jobs.get(ws, name)
    return tracking.run_artifacts(ws, job.experiment_id, name)


def file_names(ws: "Workspace", name: str) -> list[str]:
    root = artifacts_dir(ws, name)
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []
    log = jobs.log_path(ws, name)
    if log.exists() and "user_logs/std_log.txt" not in names:
        names.append("user_logs/std_log.txt")
    return names


def file_path(ws: "Workspace", name: str, rel: str) -> Path:
    rel = rel.lstrip("/")
    if rel == "user_logs/std_log.txt" and jobs.log_path(ws, name).exists():
        return jobs.log_path(ws, name)
    path = artifacts_dir(ws, name) / rel
    if not path.exists():
        known = ", ".join(file_names(ws, name)) or "none"
        raise NotFound(f"The run has no file {rel!r}. Its files: {known}. (Files written to ./outputs appear "
                       "when the run finishes.)")
    return path


def upload(ws: "Workspace", name: str, rel: str, source: Path) -> None:
    target = artifacts_dir(ws, name) / rel.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    if Path(source).is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
    else:
        shutil.copyfile(source, target)


def metrics(ws: "Workspace", name: str) -> dict[str, Any]:
    """v1 get_metrics() shapes: one value -> scalar, several -> list, rows/tables -> dict of columns."""
    result: dict[str, Any] = {}
    for key, series in tracking.metric_history(ws, name).items():
        result[key] = series[0] if len(series) == 1 else series
    for key, kind, value in jobs.values(ws, name):
        if kind == "scalar":
            current = result.get(key)
            result[key] = value if current is None else (current + [value] if isinstance(current, list) else [current, value])
        elif kind == "row":
            table = result.setdefault(key, {})
            for column, cell in value.items():
                table.setdefault(column, []).append(cell)
        elif kind == "table":
            result[key] = value
        else:
            result[key] = value
    return result


def details(ws: "Workspace", name: str) -> dict[str, Any]:
    job = jobs.get(ws, name)
    info: dict[str, Any] = {
        "runId": job.name,
        "target": job.compute or "local",
        "status": job.status,
        "startTimeUtc": job.start_time,
        "endTimeUtc": job.end_time,
        "services": {},
        "properties": job.properties,
        "inputDatasets": [{"name": k, **v.model_dump(exclude_none=True)}
                          for k, v in (getattr(job.spec, "inputs", None) or {}).items()],
        "outputDatasets": [],
        "runDefinition": job.spec.describe(),
        "logFiles": {"user_logs/std_log.txt": str(jobs.log_path(ws, name))},
        "submittedBy": "learner@dp100.sandbox",
    }
    if job.error:
        info["error"] = {"error": {"code": job.error.get("code"), "message": job.error.get("message")}}
    return info


def named_outputs(ws: "Workspace", name: str) -> dict[str, str]:
    """The job's named outputs: output name -> its URI on a datastore."""
    from sandbox.jobs import inputs

    job = jobs.get(ws, name)
    outputs = getattr(job.spec, "outputs", None) or {}
    return {out: inputs.output_uri(name, out, job.spec) for out in outputs}


def studio_url(ws: "Workspace", name: str) -> str:
    return f"https://ml.azure.com/runs/{name}?wsid={ws.arm_id}&tid=dp100-sandbox"


def stream(ws: "Workspace", name: str, write: Callable[[str], None] = print) -> jobs.JobRecord:
    """Follow a job's log in Azure's layout until it ends; return its final record."""
    url = studio_url(ws, name)
    write(f"RunId: {name}")
    write(f"Web View: {url}")
    write("")
    write("Streaming user_logs/std_log.txt")
    write("=" * len("Streaming user_logs/std_log.txt"))
    write("")
    job = jobs.wait(ws, name, on_line=write)
    write("")
    write("Execution Summary")
    write("=================")
    write(f"RunId: {name}")
    write(f"Web View: {url}")
    write("")
    if job.status == "Failed" and job.error:
        write(f"Warnings:\n{job.error.get('message')}")
    return job


def plain(value: Any) -> Any:
    """A logged value as plain JSON-able Python: numpy scalars become numbers, arrays and pandas Series lists,
    datetimes ISO strings (what the v1 SDK's serialiser accepts from pandas-based notebooks)."""
    if isinstance(value, (str, bool, int, float)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if hasattr(value, "tolist") and callable(value.tolist):  # numpy arrays and scalars, pandas Series/Index
        return plain(value.tolist())
    if hasattr(value, "item") and callable(value.item):
        return plain(value.item())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_log_value(name: str, value: Any) -> None:
    if isinstance(value, (list, tuple)):
        raise InvalidInput(f"run.log({name!r}, ...) takes one value; to log a list use run.log_list({name!r}, values).")
