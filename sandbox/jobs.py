"""Jobs (v2) and runs (v1): records, states, submission, cancellation and waiting.

A job is a row in the workspace store plus a folder `jobs/<name>/` holding its code snapshot, working
directory and logs. Submitting starts a detached supervisor process (`python -m sandbox.runner`) that moves the
job through Azure's states and really runs it, so the job goes on when the submitting script ends, as in Azure.
"""
from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from sandbox import tracking
from sandbox.clock import iso_now
from sandbox.errors import InvalidInput, NotFound

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
]

TERMINAL = ("Completed", "Failed", "Canceled")
ACTIVE = ("NotStarted", "Starting", "Preparing", "Queued", "Running", "Finalizing", "CancelRequested", "Provisioning")
_ADJECTIVES = ("sincere", "brave", "calm", "eager", "gentle", "jolly", "keen", "lively", "quiet", "witty", "bold",
               "bright", "clever", "kind", "loyal", "neat", "proud", "silly", "tender", "zen", "amber", "lucid")
_NOUNS = ("rose", "river", "leaf", "stone", "cloud", "garden", "lemon", "tiger", "owl", "comet", "pepper", "brush",
          "kettle", "island", "window", "basket", "ocean", "pumpkin", "camel", "feather", "anchor", "engine")


@dataclass
class JobRecord:
    name: str
    experiment: str
    experiment_id: str
    kind: str  # "command" (v2), "script" (v1 ScriptRunConfig), "interactive" (v1 start_logging / child)
    sdk: str
    status: str
    display_name: str | None = None
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    spec: dict[str, Any] = field(default_factory=dict)
    compute: str | None = None
    environment: str | None = None
    parent: str | None = None
    created: str = ""
    start_time: str | None = None
    end_time: str | None = None
    error: dict[str, Any] | None = None
    cancel_requested: bool = False

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL


def _schema(ws: "Workspace") -> None:
    ws.store.ensure_schema("jobs", SCHEMA)


def job_dir(ws: "Workspace", name: str) -> Path:
    return ws.root / "jobs" / name


def log_path(ws: "Workspace", name: str) -> Path:
    return job_dir(ws, name) / "logs" / "user_logs" / "std_log.txt"


def new_job_name() -> str:
    suffix = "".join(random.choices(string.ascii_lowercase + string.digits, k=10))
    return f"{random.choice(_ADJECTIVES)}_{random.choice(_NOUNS)}_{suffix}"


def new_run_id(experiment: str) -> str:
    return f"{experiment}_{int(time.time())}_{uuid.uuid4().hex[:8]}"


def validate_experiment_name(name: str) -> None:
    import re

    if not isinstance(name, str) or not re.match(r"^[a-zA-Z0-9][\w-]{0,255}$", name):
        raise InvalidInput(
            f"Invalid experiment name {name!r}: start with a letter or digit and use letters, digits, '_' and '-' "
            "(up to 256 characters), e.g. 'train-diabetes'."
        )


def create(ws: "Workspace", *, name: str, experiment: str, kind: str, sdk: str, spec: dict[str, Any] | None = None,
           display_name: str | None = None, description: str | None = None, tags: dict[str, str] | None = None,
           properties: dict[str, str] | None = None, compute: str | None = None, environment: str | None = None,
           parent: str | None = None, status: str = "NotStarted") -> JobRecord:
    _schema(ws)
    validate_experiment_name(experiment)
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
            " properties, spec, compute, environment, parent, created, start_time, seq) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            name, experiment, exp_id, kind, sdk, status, display_name or name, description, json.dumps(tags or {}),
            json.dumps(properties or {}), json.dumps(spec or {}), compute, environment, parent, now,
            now if status == "Running" else None, seq,
        )
    (job_dir(ws, name) / "logs" / "user_logs").mkdir(parents=True, exist_ok=True)
    return get(ws, name)


def _record(row) -> JobRecord:
    return JobRecord(
        row["name"], row["experiment"], row["experiment_id"], row["kind"], row["sdk"], row["status"],
        row["display_name"], row["description"], json.loads(row["tags"]), json.loads(row["properties"]),
        json.loads(row["spec"]), row["compute"], row["environment"], row["parent"], row["created"], row["start_time"],
        row["end_time"], json.loads(row["error"]) if row["error"] else None, bool(row["cancel_requested"]),
    )


def get(ws: "Workspace", name: str) -> JobRecord:
    _schema(ws)
    row = ws.store.one("SELECT * FROM jobs WHERE name = ?", name)
    if row is None:
        raise NotFound(f"Job {name!r} was not found in the workspace. List jobs with ml_client.jobs.list() (v2), "
                       "experiment.get_runs() (v1) or `dp100 sandbox ls jobs`.")
    return _record(row)


def list_jobs(ws: "Workspace", experiment: str | None = None, parent: str | None = None,
              top_level_only: bool = False) -> list[JobRecord]:
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
    return [_record(r) for r in ws.store.all(sql + " ORDER BY seq DESC", *args)]


def experiments(ws: "Workspace") -> list[str]:
    _schema(ws)
    return [r["experiment"] for r in ws.store.all("SELECT experiment, MIN(seq) AS s FROM jobs GROUP BY experiment ORDER BY s")]


def set_status(ws: "Workspace", name: str, status: str, error: dict[str, Any] | None = None) -> None:
    now = iso_now()
    with ws.store.transaction():
        row = ws.store.one("SELECT status FROM jobs WHERE name = ?", name)
        if row is None or row["status"] in TERMINAL:
            return
        previous = row["status"]
        ws.store.run(
            "UPDATE jobs SET status = ?, start_time = CASE WHEN ? = 'Running' AND start_time IS NULL THEN ? ELSE start_time END,"
            " end_time = CASE WHEN ? IN ('Completed','Failed','Canceled') THEN ? ELSE end_time END,"
            " error = COALESCE(?, error) WHERE name = ?",
            status, status, now, status, now, json.dumps(error) if error else None, name,
        )
    if tracking.STATUS.get(previous) != tracking.STATUS.get(status):
        tracking.set_status(ws, name, status)


def update(ws: "Workspace", name: str, **fields: Any) -> None:
    allowed = {"tags", "properties", "display_name", "description", "supervisor_pid", "spec"}
    for key, value in fields.items():
        if key not in allowed:
            raise ValueError(key)
        if isinstance(value, (dict, list)):
            value = json.dumps(value)
        ws.store.run(f"UPDATE jobs SET {key} = ? WHERE name = ?", value, name)


def request_cancel(ws: "Workspace", name: str) -> JobRecord:
    job = get(ws, name)
    if job.is_terminal:
        return job
    ws.store.run("UPDATE jobs SET cancel_requested = 1 WHERE name = ?", name)
    if job.status in ("NotStarted", "Starting", "Preparing", "Queued", "Running", "Finalizing"):
        set_status(ws, name, "CancelRequested")
    row = ws.store.one("SELECT supervisor_pid FROM jobs WHERE name = ?", name)
    if job.kind == "interactive" or not row["supervisor_pid"] or not _alive(row["supervisor_pid"]):
        set_status(ws, name, "Canceled")
    return get(ws, name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_supervisor(ws: "Workspace", name: str) -> None:
    """Start the detached process that runs the job (it outlives the submitting process).

    On POSIX the supervisor is forked from the submitting process (a double fork into its own session), which
    saves starting a new interpreter; `DP100_SUPERVISOR=spawn` starts `python -m sandbox.runner` instead.
    """
    logs = job_dir(ws, name) / "logs" / "azureml"
    logs.mkdir(parents=True, exist_ok=True)
    if hasattr(os, "fork") and os.environ.get("DP100_SUPERVISOR", "fork") == "fork":
        _fork_supervisor(ws, name, logs / "supervisor.log")
        return
    env = {k: v for k, v in os.environ.items() if k not in _JOB_CONTEXT_VARS}
    env["DP100_WORKSPACE"] = str(ws.root)
    # the sandbox package must be importable whatever the learner's PYTHONPATH says
    package_parent = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([package_parent, *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]])
    with open(logs / "supervisor.log", "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sandbox.runner", str(ws.root), name],
            stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env, start_new_session=True, close_fds=True,
        )
    update(ws, name, supervisor_pid=proc.pid)


_JOB_CONTEXT_VARS = ("MLFLOW_RUN_ID", "AZUREML_RUN_ID", "MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME",
                     "DP100_INPUTS", "DP100_BLOCKED_MODULES")


def _fork_supervisor(ws: "Workspace", name: str, log_file: Path) -> None:
    read_end, write_end = os.pipe()
    first = os.fork()
    if first == 0:  # child: start a new session, fork the supervisor, report its pid, leave at once
        try:
            os.close(read_end)
            os.setsid()
            second = os.fork()
            if second == 0:
                os.close(write_end)
                _run_forked_supervisor(ws.root, name, log_file)  # never returns
            os.write(write_end, str(second).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as handle:
        pid = int(handle.read() or b"0")
    os.waitpid(first, 0)
    if pid:
        update(ws, name, supervisor_pid=pid)


def _run_forked_supervisor(root: Path, name: str, log_file: Path) -> None:
    code = 1
    try:
        fd = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        for var in _JOB_CONTEXT_VARS:
            os.environ.pop(var, None)
        os.environ["DP100_WORKSPACE"] = str(root)
        from sandbox import runner

        code = runner.main([str(root), name])
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


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
        if job.kind != "interactive" and job.status not in TERMINAL:
            _recover_dead_supervisor(ws, job)
        if deadline is not None and time.monotonic() > deadline:
            return job
        time.sleep(delay)
        delay = min(delay * 1.5, 0.05)


def _recover_dead_supervisor(ws: "Workspace", job: JobRecord) -> None:
    row = ws.store.one("SELECT supervisor_pid FROM jobs WHERE name = ?", job.name)
    pid = row["supervisor_pid"] if row else None
    if pid and not _alive(pid):
        time.sleep(0.05)
        if not get(ws, job.name).is_terminal:
            set_status(ws, job.name, "Failed", {"code": "SandboxError", "message":
                       "The sandbox process running this job stopped unexpectedly. Submit the job again."})


# -- v1 structured values (rows, tables, lists, images, strings) -------------------------------
def add_value(ws: "Workspace", run: str, name: str, kind: str, value: Any) -> None:
    _schema(ws)
    ws.store.run("INSERT INTO run_values(run, name, kind, value) VALUES(?,?,?,?)", run, name, kind, json.dumps(value))


def values(ws: "Workspace", run: str) -> list[tuple[str, str, Any]]:
    _schema(ws)
    return [(r["name"], r["kind"], json.loads(r["value"]))
            for r in ws.store.all("SELECT name, kind, value FROM run_values WHERE run = ? ORDER BY seq", run)]


def environment_ref(environment: Any, ws: "Workspace") -> str | None:
    """The reference a job stores for its environment, from an SDK object or a string (v1 and v2 alike)."""
    if environment is None:
        return None
    if isinstance(environment, str):
        return environment
    ref = getattr(environment, "_dp100_ref", None)
    if callable(ref):
        return ref(ws)
    name, version = getattr(environment, "name", None), getattr(environment, "version", None)
    return f"{name}:{version}" if version else f"{name}@latest"
