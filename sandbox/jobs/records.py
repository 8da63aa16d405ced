"""Job records: the `jobs` table, Azure's states, cancellation, waiting, and jobs whose supervisor died.

A job is a row in the workspace store plus a folder `jobs/<name>/` holding its code snapshot, working directory
and logs. Every reader (`get`, `list_jobs`, `wait`) reconciles a running job with its supervisor process: a
job whose supervisor is gone is failed there and then, and its user process stopped, so no reader ever shows a
job as running for ever.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from pydantic import BaseModel

from sandbox import processes, tracking
from sandbox.clock import iso_now, parse_iso, utcnow
from sandbox.errors import InvalidInput, NotFound
from sandbox.jobs import specs as _specs
from sandbox.jobs.names import validate_experiment_name
from sandbox.security.access import requires

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

SCHEMA = [
    """
    CREATE TABLE jobs (
        name TEXT PRIMARY KEY,
        experiment TEXT NOT NULL,
        experiment_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        sdk TEXT NOT NULL,
        status TEXT NOT NULL,
        display_name TEXT,
        description TEXT,
        tags TEXT NOT NULL DEFAULT '{}',
        properties TEXT NOT NULL DEFAULT '{}',
        spec TEXT NOT NULL DEFAULT '{}',
        compute TEXT,
        environment TEXT,
        parent TEXT,
        created TEXT NOT NULL,
        start_time TEXT,
        end_time TEXT,
        error TEXT,
        supervisor_pid INTEGER,
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        seq INTEGER NOT NULL
    );
    CREATE INDEX jobs_experiment ON jobs(experiment);
    CREATE INDEX jobs_parent ON jobs(parent);
    CREATE TABLE run_values (
        run TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        seq INTEGER PRIMARY KEY AUTOINCREMENT
    );
    CREATE INDEX run_values_run ON run_values(run);
    """,
    # 2: processes named by pid *and* start time (pid reuse), the user process, and whether a step was reused
    """
    ALTER TABLE jobs ADD COLUMN supervisor TEXT;
    ALTER TABLE jobs ADD COLUMN process TEXT;
    CREATE INDEX jobs_status ON jobs(status);
    """,
    # 3: who submitted the job, and whose identity it uses for data access (user_identity | managed | aml_token)
    """
    ALTER TABLE jobs ADD COLUMN submitter TEXT;
    ALTER TABLE jobs ADD COLUMN identity TEXT;
    """,
]

TERMINAL = ("Completed", "Failed", "Canceled")
ACTIVE = ("NotStarted", "Starting", "Preparing", "Queued", "Running", "Finalizing", "CancelRequested", "Provisioning")
# A job that has had no supervisor for this long after it was created was never started (its submitter died).
NEVER_STARTED_AFTER = 30.0

SUPERVISOR_DIED = ("The sandbox process running this job stopped unexpectedly (it was killed or the machine "
                   "restarted). Submit the job again.")
NEVER_STARTED = "The job was never started: the process that submitted it ended first. Submit the job again."


@dataclass
class JobRecord:
    name: str
    experiment: str
    experiment_id: str
    kind: str  # "command" (v2), "script" (v1 ScriptRunConfig), "interactive" (v1 start_logging / child), ...
    sdk: str
    status: str
    display_name: str | None = None
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    spec: Any = None  # the typed spec (sandbox.jobs.specs)
    compute: str | None = None
    environment: str | None = None
    parent: str | None = None
    created: str = ""
    start_time: str | None = None
    end_time: str | None = None
    error: dict[str, Any] | None = None
    cancel_requested: bool = False
    supervisor: processes.ProcessId | None = None
    process: processes.ProcessId | None = None
    submitter: str | None = None     # object id of the principal that submitted it
    identity: str | None = None      # user_identity | managed | aml_token | None (Azure's default)

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL

    @property
    def supervised(self) -> bool:
        """Does a sandbox supervisor process run this job (as opposed to the learner's own process)?"""
        return self.kind != "interactive"


def _schema(ws: "Workspace") -> None:
    ws.store.ensure_schema("jobs", SCHEMA)


def job_dir(ws: "Workspace", name: str) -> Path:
    return ws.root / "jobs" / name


def log_path(ws: "Workspace", name: str) -> Path:
    return job_dir(ws, name) / "logs" / "user_logs" / "std_log.txt"


def create_record(ws: "Workspace", *, name: str, experiment: str, kind: str, sdk: str, spec: BaseModel | None = None,
           display_name: str | None = None, description: str | None = None, tags: dict[str, str] | None = None,
           properties: dict[str, str] | None = None, compute: str | None = None, environment: str | None = None,
           parent: str | None = None, status: str = "NotStarted", identity: str | None = None) -> JobRecord:
    """Record a new job (and its MLflow run). `spec` None makes an interactive run."""
    _schema(ws)
    validate_experiment_name(experiment)
    spec = spec if spec is not None else _specs.InteractiveSpec()
    exp_id = tracking.ensure_experiment(ws, experiment)
    mlflow_tags = {"mlflow.parentRunId": parent} if parent else {}
    tracking.create_run(ws, name, exp_id, display_name or name, {**(tags or {}), **mlflow_tags},
                        source="JOB" if kind != "interactive" else "LOCAL", status=tracking.STATUS.get(status, "RUNNING"))
    with ws.store.transaction():
        if ws.store.one("SELECT name FROM jobs WHERE name = ?", name):
            raise InvalidInput(f"A job named {name!r} already exists; job names are unique in a workspace.")
        seq = ws.store.one("SELECT COALESCE(MAX(seq), 0) + 1 AS s FROM jobs")["s"]
        now = iso_now()
        ws.store.run(
            "INSERT INTO jobs(name, experiment, experiment_id, kind, sdk, status, display_name, description, tags,"
            " properties, spec, compute, environment, parent, created, start_time, seq, submitter, identity)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            name, experiment, exp_id, kind, sdk, status, display_name or name, description, json.dumps(tags or {}),
            json.dumps(properties or {}), json.dumps(_specs.dump(spec)), compute, environment, parent, now,
            now if status == "Running" else None, seq, getattr(getattr(ws, "caller", None), "object_id", None),
            identity,
        )
    (job_dir(ws, name) / "logs" / "user_logs").mkdir(parents=True, exist_ok=True)
    return get(ws, name)


create = requires("experiments/runs/write")(create_record)  # an interactive run (v1 start_logging, child runs)


def _record(row) -> JobRecord:
    keys = row.keys()
    return JobRecord(
        row["name"], row["experiment"], row["experiment_id"], row["kind"], row["sdk"], row["status"],
        row["display_name"], row["description"], json.loads(row["tags"]), json.loads(row["properties"]),
        _specs.parse(json.loads(row["spec"])), row["compute"], row["environment"], row["parent"], row["created"],
        row["start_time"], row["end_time"], json.loads(row["error"]) if row["error"] else None,
        bool(row["cancel_requested"]),
        processes.ProcessId.decode(row["supervisor"]) if "supervisor" in keys else None,
        processes.ProcessId.decode(row["process"]) if "process" in keys else None,
        row["submitter"] if "submitter" in keys else None,
        row["identity"] if "identity" in keys else None,
    )


@requires("jobs/read")
def get(ws: "Workspace", name: str) -> JobRecord:
    _schema(ws)
    row = ws.store.one("SELECT * FROM jobs WHERE name = ?", name)
    if row is None:
        raise NotFound(f"Job {name!r} was not found in the workspace. List jobs with ml_client.jobs.list() (v2), "
                       "experiment.get_runs() (v1) or `dp100 sandbox ls jobs`.")
    return reconcile(ws, _record(row))


def exists(ws: "Workspace", name: str) -> bool:
    _schema(ws)
    return ws.store.one("SELECT 1 FROM jobs WHERE name = ?", name) is not None


@requires("jobs/read")
def list_jobs(ws: "Workspace", experiment: str | None = None, parent: str | None = None,
              top_level_only: bool = False, status: str | None = None) -> list[JobRecord]:
    _schema(ws)
    sql, args = "SELECT * FROM jobs WHERE 1=1", []
    if experiment is not None:
        sql += " AND experiment = ?"
        args.append(experiment)
    if parent is not None:
        sql += " AND parent = ?"
        args.append(parent)
    elif top_level_only:
        sql += " AND parent IS NULL"
    if status is not None:
        sql += " AND status = ?"
        args.append(status)
    return [reconcile(ws, _record(r)) for r in ws.store.all(sql + " ORDER BY seq DESC", *args)]


def seq_of(ws: "Workspace", name: str) -> int:
    """The job's submission order in the workspace (1 = first)."""
    _schema(ws)
    row = ws.store.one("SELECT seq FROM jobs WHERE name = ?", name)
    if row is None:
        raise NotFound(f"Job {name!r} was not found in the workspace.")
    return int(row["seq"])


def experiments(ws: "Workspace") -> list[str]:
    _schema(ws)
    return [r["experiment"] for r in ws.store.all("SELECT experiment, MIN(seq) AS s FROM jobs GROUP BY experiment ORDER BY s")]


def set_status(ws: "Workspace", name: str, status: str, error: dict[str, Any] | None = None) -> bool:
    """Move a job to `status` (never out of a terminal state). Returns whether the status changed."""
    now = iso_now()
    with ws.store.transaction():
        row = ws.store.one("SELECT status FROM jobs WHERE name = ?", name)
        if row is None or row["status"] in TERMINAL:
            return False
        previous = row["status"]
        ws.store.run(
            "UPDATE jobs SET status = ?, start_time = CASE WHEN ? = 'Running' AND start_time IS NULL THEN ? ELSE start_time END,"
            " end_time = CASE WHEN ? IN ('Completed','Failed','Canceled') THEN ? ELSE end_time END,"
            " error = COALESCE(?, error) WHERE name = ?",
            status, status, now, status, now, json.dumps(error) if error else None, name,
        )
    if tracking.STATUS.get(previous) != tracking.STATUS.get(status):
        tracking.set_status(ws, name, status)
    return previous != status


_UPDATABLE = {"tags", "properties", "display_name", "description", "spec", "supervisor", "process", "compute"}


def update(ws: "Workspace", name: str, **fields: Any) -> None:
    for key, value in fields.items():
        if key not in _UPDATABLE:
            raise ValueError(f"jobs.update cannot change {key!r}")
        if isinstance(value, BaseModel):
            value = json.dumps(_specs.dump(value))
        elif isinstance(value, processes.ProcessId):
            value = value.encode()
        elif isinstance(value, (dict, list)):
            value = json.dumps(value)
        ws.store.run(f"UPDATE jobs SET {key} = ? WHERE name = ?", value, name)


@requires("jobs/cancel/action")
def request_cancel(ws: "Workspace", name: str) -> JobRecord:
    job = get(ws, name)
    if job.is_terminal:
        return job
    ws.store.run("UPDATE jobs SET cancel_requested = 1 WHERE name = ?", name)
    if job.status in ("NotStarted", "Starting", "Preparing", "Queued", "Running", "Finalizing"):
        set_status(ws, name, "CancelRequested")
    if not job.supervised or not processes.alive(job.supervisor):
        set_status(ws, name, "Canceled")
    return get(ws, name)


def reconcile(ws: "Workspace", job: JobRecord) -> JobRecord:
    """Fail a job whose supervisor is gone (and stop its user process); the record as it now stands."""
    if job.is_terminal or not job.supervised:
        return job
    if job.supervisor is None:
        age = (utcnow() - parse_iso(job.created)).total_seconds() if job.created else 0.0
        if age < NEVER_STARTED_AFTER:
            return job
        message = NEVER_STARTED
    elif processes.alive(job.supervisor):
        return job
    else:
        time.sleep(0.05)  # the supervisor may have just recorded the end and exited
        row = ws.store.one("SELECT status FROM jobs WHERE name = ?", job.name)
        if row is None or row["status"] in TERMINAL:
            return _record(row) if row is not None else job
        message = SUPERVISOR_DIED
    if job.process is not None and processes.alive(job.process):
        processes.stop_group(job.process.pid, grace=1.0)
    if set_status(ws, job.name, "Failed", {"code": "SandboxError", "message": message}):
        _append_log(ws, job.name, f"\n[dp100 sandbox] {message}\n")
    row = ws.store.one("SELECT * FROM jobs WHERE name = ?", job.name)
    return _record(row)


def _append_log(ws: "Workspace", name: str, text: str) -> None:
    path = log_path(ws, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def wait(ws: "Workspace", name: str, timeout: float | None = None, on_line: Callable[[str], None] | None = None,
         poll: float = 0.02) -> JobRecord:
    """Block until the job reaches a terminal state, feeding new log lines to `on_line` as they appear."""
    deadline = None if timeout is None else time.monotonic() + timeout
    path = log_path(ws, name)
    offset = 0
    pending = ""
    delay = poll
    while True:
        job = get(ws, name)
        if on_line is not None and path.exists():
            with open(path, "r", encoding="utf-8", errors="replace") as handle:
                handle.seek(offset)
                chunk = handle.read()
                offset = handle.tell()
            pending += chunk
            *lines, pending = pending.split("\n")
            for line in lines:
                on_line(line)
        if job.is_terminal:
            if on_line is not None and pending:
                on_line(pending)
            return job
        if deadline is not None and time.monotonic() > deadline:
            return job
        time.sleep(delay)
        delay = min(delay * 1.5, 0.05)


# -- v1 structured values (rows, tables, lists, images, strings) -------------------------------
def add_value(ws: "Workspace", run: str, name: str, kind: str, value: Any) -> None:
    _schema(ws)
    ws.store.run("INSERT INTO run_values(run, name, kind, value) VALUES(?,?,?,?)", run, name, kind, json.dumps(value))


def values(ws: "Workspace", run: str) -> list[tuple[str, str, Any]]:
    _schema(ws)
    return [(r["name"], r["kind"], json.loads(r["value"]))
            for r in ws.store.all("SELECT name, kind, value FROM run_values WHERE run = ? ORDER BY seq", run)]
