"""The workspace's MLflow tracking store, and fast writes into it for v1 logging.

Each workspace has an MLflow SQLite store (`mlflow.db`, WAL mode) and an artifact root (`mlartifacts/`). MLflow
itself (inside jobs, notebooks, `mlflow ui`) reads and writes it through its SQLAlchemy store; the sandbox writes
runs, statuses and v1 `run.log*` values straight into the same tables with sqlite3, so a run whose script never
imports MLflow pays nothing for it. The tables belong to the pinned MLflow version; tests check MLflow reads what
the sandbox writes.

Creating a fresh MLflow database takes MLflow seconds (migrations), so one is made once per machine in the user
cache and copied for each new workspace.
"""
from __future__ import annotations

import math
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

DB_FILE = "mlflow.db"
ARTIFACTS = "mlartifacts"
STATUS = {  # Azure ML state -> MLflow status
    "NotStarted": "SCHEDULED", "Starting": "SCHEDULED", "Preparing": "SCHEDULED", "Queued": "SCHEDULED",
    "Provisioning": "SCHEDULED", "Running": "RUNNING", "Finalizing": "RUNNING", "CancelRequested": "RUNNING",
    "Completed": "FINISHED", "Failed": "FAILED", "Canceled": "KILLED",
}


def db_path(ws: "Workspace") -> Path:
    return ws.root / DB_FILE


def tracking_uri(ws: "Workspace") -> str:
    return f"sqlite:///{db_path(ws).resolve()}"


def artifact_root(ws: "Workspace") -> Path:
    return (ws.root / ARTIFACTS).resolve()


def _template() -> Path:
    from importlib.metadata import version

    from platformdirs import user_cache_dir

    folder = Path(os.environ.get("DP100_CACHE") or user_cache_dir("dp100", appauthor=False))
    return folder / f"mlflow-{version('mlflow-skinny')}.db"


def _make_template(target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    code = (
        "import sys, logging; logging.disable(logging.CRITICAL)\n"
        "from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore\n"
        "SqlAlchemyStore('sqlite:///' + sys.argv[1], sys.argv[2])\n"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp), str(target.parent / "artifacts")], check=True,
                   capture_output=True)
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    os.replace(tmp, target)


def ensure_db(ws: "Workspace") -> Path:
    path = db_path(ws)
    if path.exists():
        return path
    template = _template()
    if not template.exists():
        _make_template(template)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    shutil.copyfile(template, tmp)
    conn = sqlite3.connect(tmp)
    conn.execute("UPDATE experiments SET artifact_location = ? WHERE experiment_id = 0", (str(artifact_root(ws) / "0"),))
    conn.commit()
    conn.close()
    try:
        os.link(tmp, path)  # atomic: the first process wins
    except FileExistsError:
        pass
    tmp.unlink(missing_ok=True)
    return path


def connect(ws: "Workspace") -> sqlite3.Connection:
    ensure_db(ws)
    conn = sqlite3.connect(db_path(ws), timeout=30.0, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def _ms(t: float | None = None) -> int:
    return int((t if t is not None else time.time()) * 1000)


def ensure_experiment(ws: "Workspace", name: str) -> str:
    conn = connect(ws)
    try:
        row = conn.execute("SELECT experiment_id FROM experiments WHERE name = ?", (name,)).fetchone()
        if row:
            return str(row[0])
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute("SELECT experiment_id FROM experiments WHERE name = ?", (name,)).fetchone()
        if row:
            conn.execute("COMMIT")
            return str(row[0])
        now = _ms()
        cur = conn.execute(
            "INSERT INTO experiments(name, artifact_location, lifecycle_stage, creation_time, last_update_time)"
            " VALUES(?, '', 'active', ?, ?)", (name, now, now))
        exp_id = cur.lastrowid
        conn.execute("UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?",
                     (str(artifact_root(ws) / str(exp_id)), exp_id))
        conn.execute("COMMIT")
        return str(exp_id)
    finally:
        conn.close()


def run_artifacts(ws: "Workspace", experiment_id: str, run_id: str) -> Path:
    return artifact_root(ws) / str(experiment_id) / run_id / "artifacts"


def create_run(ws: "Workspace", run_id: str, experiment_id: str, name: str, tags: dict[str, str] | None = None,
               source: str = "JOB", status: str = "SCHEDULED") -> None:
    conn = connect(ws)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO runs(run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time,"
            " end_time, source_version, lifecycle_stage, artifact_uri, experiment_id)"
            " VALUES(?,?,?,?,?,?,?,?,NULL,'','active',?,?)",
            (run_id, name, source, "", "", "learner", status, _ms(),
             str(run_artifacts(ws, experiment_id, run_id)), int(experiment_id)))
        all_tags = {"mlflow.runName": name, "mlflow.user": "learner", **(tags or {})}
        conn.executemany("INSERT OR REPLACE INTO tags(key, value, run_uuid) VALUES(?,?,?)",
                         [(k, str(v), run_id) for k, v in all_tags.items()])
        conn.execute("COMMIT")
    finally:
        conn.close()


def set_status(ws: "Workspace", run_id: str, azure_status: str) -> None:
    status = STATUS.get(azure_status, "RUNNING")
    conn = connect(ws)
    try:
        if status in ("FINISHED", "FAILED", "KILLED"):
            conn.execute("UPDATE runs SET status = ?, end_time = COALESCE(end_time, ?) WHERE run_uuid = ?",
                         (status, _ms(), run_id))
        else:
            conn.execute("UPDATE runs SET status = ? WHERE run_uuid = ?", (status, run_id))
    finally:
        conn.close()


def log_metrics(ws: "Workspace", run_id: str, items: list[tuple[str, float, int | None]]) -> None:
    """Append (key, value, step) points; step None means 'next step for that key'."""
    conn = connect(ws)
    try:
        conn.execute("BEGIN IMMEDIATE")
        for key, value, step in items:
            value = float(value)
            is_nan = math.isnan(value)
            if step is None:
                row = conn.execute("SELECT MAX(step) FROM metrics WHERE run_uuid = ? AND key = ?", (run_id, key)).fetchone()
                step = 0 if row[0] is None else row[0] + 1
            now = _ms()
            conn.execute("INSERT OR IGNORE INTO metrics(key, value, timestamp, run_uuid, step, is_nan) VALUES(?,?,?,?,?,?)",
                         (key, 0.0 if is_nan else value, now, run_id, step, int(is_nan)))
            latest = conn.execute("SELECT step, timestamp FROM latest_metrics WHERE run_uuid = ? AND key = ?",
                                  (run_id, key)).fetchone()
            if latest is None or (step, now) >= (latest[0], latest[1] or 0):
                conn.execute("INSERT OR REPLACE INTO latest_metrics(key, value, timestamp, step, is_nan, run_uuid)"
                             " VALUES(?,?,?,?,?,?)", (key, 0.0 if is_nan else value, now, step, int(is_nan), run_id))
        conn.execute("COMMIT")
    finally:
        conn.close()


def set_tags(ws: "Workspace", run_id: str, tags: dict[str, Any]) -> None:
    conn = connect(ws)
    try:
        conn.executemany("INSERT OR REPLACE INTO tags(key, value, run_uuid) VALUES(?,?,?)",
                         [(k, str(v), run_id) for k, v in tags.items()])
    finally:
        conn.close()


def get_tags(ws: "Workspace", run_id: str) -> dict[str, str]:
    conn = connect(ws)
    try:
        return dict(conn.execute("SELECT key, value FROM tags WHERE run_uuid = ?", (run_id,)).fetchall())
    finally:
        conn.close()


def set_experiment_tags(ws: "Workspace", experiment_id: str, tags: dict[str, Any], remove: list[str] = ()) -> None:
    conn = connect(ws)
    try:
        conn.executemany("INSERT OR REPLACE INTO experiment_tags(key, value, experiment_id) VALUES(?,?,?)",
                         [(k, str(v), int(experiment_id)) for k, v in tags.items()])
        conn.executemany("DELETE FROM experiment_tags WHERE key = ? AND experiment_id = ?",
                         [(k, int(experiment_id)) for k in remove])
    finally:
        conn.close()


def get_experiment_tags(ws: "Workspace", experiment_id: str) -> dict[str, str]:
    conn = connect(ws)
    try:
        return dict(conn.execute("SELECT key, value FROM experiment_tags WHERE experiment_id = ?",
                                 (int(experiment_id),)).fetchall())
    finally:
        conn.close()


def get_params(ws: "Workspace", run_id: str) -> dict[str, str]:
    conn = connect(ws)
    try:
        return dict(conn.execute("SELECT key, value FROM params WHERE run_uuid = ?", (run_id,)).fetchall())
    finally:
        conn.close()


def metric_history(ws: "Workspace", run_id: str) -> dict[str, list[float]]:
    conn = connect(ws)
    try:
        rows = conn.execute("SELECT key, value, is_nan FROM metrics WHERE run_uuid = ? ORDER BY key, step, timestamp",
                            (run_id,)).fetchall()
    finally:
        conn.close()
    result: dict[str, list[float]] = {}
    for key, value, is_nan in rows:
        result.setdefault(key, []).append(float("nan") if is_nan else value)
    return result


def run_status(ws: "Workspace", run_id: str) -> str | None:
    conn = connect(ws)
    try:
        row = conn.execute("SELECT status FROM runs WHERE run_uuid = ?", (run_id,)).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def logged_model_dir(ws: "Workspace", run_id: str, name: str, experiment_id: str | None = None,
                     window_ms: tuple[int, int] | None = None) -> Path | None:
    """Where MLflow 3 stored a model logged by a run under `name` (logged models live outside run artifacts).

    A model logged with no active run has no source run; then the model of that name logged in the run's
    experiment while the run was going (`window_ms`) is taken.
    """
    from urllib.parse import unquote, urlparse

    conn = connect(ws)
    try:
        row = conn.execute(
            "SELECT artifact_location FROM logged_models WHERE source_run_id = ? AND name = ? AND "
            "COALESCE(lifecycle_stage, 'active') = 'active' ORDER BY creation_timestamp_ms DESC LIMIT 1",
            (run_id, name)).fetchone()
        if row is None and experiment_id is not None and window_ms is not None:
            row = conn.execute(
                "SELECT artifact_location FROM logged_models WHERE source_run_id IS NULL AND name = ? AND "
                "experiment_id = ? AND creation_timestamp_ms BETWEEN ? AND ? "
                "ORDER BY creation_timestamp_ms DESC LIMIT 1", (name, int(experiment_id), *window_ms)).fetchone()
    except sqlite3.OperationalError:  # an MLflow without logged models
        return None
    finally:
        conn.close()
    if not row:
        return None
    location = row[0]
    path = Path(unquote(urlparse(location).path)) if location.startswith("file:") else Path(location)
    return path if path.exists() else None
