"""Compute targets: clusters (AmlCompute) and compute instances, with Azure's states and autoscale rules.

A cluster runs at most `max_nodes` jobs at once; the rest queue. Jobs run in separate supervisor processes, so
nodes are handed out through the workspace store: `try_acquire` takes a node in a `BEGIN IMMEDIATE`
transaction (or joins the queue), `release` gives it back. Each node row remembers the holder's pid; a node
held by a process that has died counts as released, so a crashed supervisor never keeps a node.

Autoscale is computed lazily from the node rows and the sandbox clock (no daemon): a job takes an idle node or
adds one (up to max); a released node stays, idle, until `idle_seconds` have passed on the sandbox clock, then
the cluster shrinks back towards `min_nodes`. `current_node_count = max(min_nodes, busy + still-warm nodes)`.
"""
from __future__ import annotations

import json
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from sandbox import clock, vm_sizes
from sandbox.clock import iso_now
from sandbox.errors import AlreadyExists, InvalidInput, NotFound
from sandbox.security.access import requires

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

CLUSTER, INSTANCE = "AmlCompute", "ComputeInstance"
DEDICATED, LOW_PRIORITY = "dedicated", "low_priority"
UNLIMITED = ("local", "serverless")
NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$")
PROVISION_SECONDS = 1.0   # a new compute reads as Creating this long (sandbox clock) unless waited for
RESIZE_SECONDS = 5.0      # allocation state reads Resizing this long after the node count changed
DEFAULT_CLUSTER_SIZE = "Standard_DS3_v2"
DEFAULT_INSTANCE_SIZE = "Standard_DS3_v2"

MIGRATIONS = [
    """
    CREATE TABLE computes (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        size TEXT NOT NULL,
        tier TEXT NOT NULL,
        min_nodes INTEGER NOT NULL,
        max_nodes INTEGER NOT NULL,
        idle_seconds INTEGER NOT NULL,
        provisioning_state TEXT NOT NULL,
        state TEXT,
        errors TEXT,
        description TEXT,
        tags TEXT NOT NULL DEFAULT '{}',
        settings TEXT NOT NULL DEFAULT '{}',
        created TEXT NOT NULL,
        created_ts REAL NOT NULL,
        modified TEXT NOT NULL,
        last_resize REAL
    );
    CREATE TABLE compute_nodes (
        compute TEXT NOT NULL,
        node_id TEXT NOT NULL,
        job TEXT,
        pid INTEGER,
        pid_token TEXT,
        busy_since REAL,
        idle_since REAL,
        started REAL NOT NULL,
        PRIMARY KEY (compute, node_id)
    );
    CREATE TABLE compute_queue (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        compute TEXT NOT NULL,
        job TEXT NOT NULL,
        pid INTEGER,
        pid_token TEXT,
        enqueued REAL NOT NULL,
        UNIQUE (compute, job)
    );
    """,
]


@dataclass
class ComputeRecord:
    name: str
    kind: str
    size: str
    tier: str = DEDICATED
    min_nodes: int = 0
    max_nodes: int = 1
    idle_seconds: int = 120
    provisioning_state: str = "Creating"
    state: str | None = None            # instances: Creating, Running, Stopping, Stopped
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    created: str = ""
    modified: str = ""
    errors: list[dict] = field(default_factory=list)
    # live status (filled when read)
    current_node_count: int = 0
    target_node_count: int = 0
    busy_node_count: int = 0
    idle_node_count: int = 0
    allocation_state: str = "Steady"
    allocation_state_transition_time: str | None = None
    running_jobs: list[str] = field(default_factory=list)
    queued_jobs: list[str] = field(default_factory=list)

    @property
    def is_cluster(self) -> bool:
        return self.kind == CLUSTER

    @property
    def vm_size(self) -> vm_sizes.VmSize:
        return vm_sizes.lookup(self.size)


@dataclass(frozen=True)
class Allocation:
    """A node held by a job (for `local`/`serverless`, a token with no node)."""
    compute: str
    job: str
    node_id: str | None
    pid: int
    acquired: float
    kind: str  # "cluster", "instance", "local", "serverless"


# -- helpers ------------------------------------------------------------------------------------
def _ensure(ws: "Workspace") -> None:
    ws.store.ensure_schema("compute", MIGRATIONS)


def normalise_name(name: object) -> str:
    """Accept `cpu-cluster`, `azureml:cpu-cluster` or a compute object's name."""
    text = str(getattr(name, "name", name) or "").strip()
    if text.lower().startswith("azureml:"):
        text = text[len("azureml:"):]
    if "/computes/" in text:  # an ARM id
        text = text.rsplit("/computes/", 1)[1].split("/")[0]
    return text


def validate_name(name: object) -> str:
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise InvalidInput(
            f"Invalid compute name {name!r}: use 3-24 characters (letters, digits and '-'), starting with a letter "
            "and ending with a letter or digit, for example 'cpu-cluster'."
        )
    if name.lower() in UNLIMITED:
        raise InvalidInput(f"{name!r} is reserved by Azure ML; choose another compute name, e.g. 'cpu-cluster'.")
    return name


def normalise_tier(tier: object) -> str:
    key = str(tier or DEDICATED).replace("_", "").replace("-", "").lower()
    if key == "dedicated":
        return DEDICATED
    if key == "lowpriority":
        return LOW_PRIORITY
    raise InvalidInput(f"Unknown VM priority {tier!r}: use 'dedicated' or 'low_priority' ('lowpriority' in SDK v1).")


def _process_token(pid: int) -> str | None:
    """A token that identifies the process (its start time), or None if it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().decode(errors="replace")
    except FileNotFoundError:
        return None
    except OSError:
        return _kill_check(pid)
    fields = stat.rsplit(")", 1)[-1].split()
    if not fields or fields[0] in ("Z", "X"):
        return None
    return fields[19] if len(fields) > 19 else "alive"


def _kill_check(pid: int) -> str | None:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return "alive"
    except OSError:
        return None
    return "alive"


def _alive(pid: int | None, token: str | None) -> bool:
    if pid is None:
        return True
    if not os.path.isdir("/proc"):
        return _kill_check(pid) is not None
    current = _process_token(pid)
    return current is not None and (token is None or current == token or current == "alive")


def _row(ws: "Workspace", name: str):
    _ensure(ws)
    return ws.store.one("SELECT * FROM computes WHERE name = ? COLLATE NOCASE", name)


def _not_found(ws: "Workspace", name: str) -> NotFound:
    names = [r["name"] for r in ws.store.all("SELECT name FROM computes ORDER BY name")]
    existing = f" Existing compute targets: {', '.join(names)}." if names else " The workspace has no compute targets yet."
    return NotFound(
        f"Compute target {name!r} was not found in the workspace.{existing} Create it with "
        f"ComputeTarget.create(ws, {name!r}, AmlCompute.provisioning_configuration(vm_size='STANDARD_DS11_V2', "
        f"max_nodes=2)) (v1) or ml_client.compute.begin_create_or_update(AmlCompute(name={name!r}, "
        "size='STANDARD_DS11_V2', max_instances=2)).result() (v2), or run the job on 'local'."
    )


# -- create, read, update, delete -------------------------------------------------------------
@requires("computes/write")
def create_cluster(ws: "Workspace", name: str, size: str | None = DEFAULT_CLUSTER_SIZE, min_nodes: int = 0,
                   max_nodes: int = 4, idle_seconds: int = 120, tier: str = DEDICATED, description: str | None = None,
                   tags: dict[str, str] | None = None, settings: dict | None = None,
                   update_existing: bool = True) -> ComputeRecord:
    """Create a cluster (state Creating) or, if one with that name exists, update its scale settings."""
    validate_name(name)
    vm = vm_sizes.lookup(size or DEFAULT_CLUSTER_SIZE)
    tier = normalise_tier(tier)
    min_nodes, max_nodes, idle_seconds = _check_scale(min_nodes, max_nodes, idle_seconds)
    _ensure(ws)
    with ws.store.transaction():
        existing = ws.store.one("SELECT * FROM computes WHERE name = ? COLLATE NOCASE", name)
        if existing is not None:
            if not update_existing:
                raise AlreadyExists(f"A compute target named {existing['name']!r} already exists in the workspace.")
            if existing["kind"] != CLUSTER:
                raise AlreadyExists(
                    f"{existing['name']!r} is already a {existing['kind']} in this workspace; choose another name.")
            if existing["size"] != vm.name:
                raise InvalidInput(
                    f"Cluster {existing['name']!r} exists with VM size {existing['size']}; the VM size of a cluster "
                    f"cannot be changed (asked for {vm.name}). Delete it first or create a cluster with another name.")
            if existing["tier"] != tier:
                raise InvalidInput(f"Cluster {existing['name']!r} exists with priority {existing['tier']}; "
                                   "the priority of a cluster cannot be changed.")
            ws.store.run(
                "UPDATE computes SET min_nodes = ?, max_nodes = ?, idle_seconds = ?, description = COALESCE(?, description),"
                " tags = ?, modified = ? WHERE name = ?", min_nodes, max_nodes, idle_seconds, description,
                json.dumps({**json.loads(existing["tags"]), **(tags or {})}), iso_now(), existing["name"])
            name = existing["name"]
        else:
            _insert(ws, name, CLUSTER, vm.name, tier, min_nodes, max_nodes, idle_seconds, None, description, tags,
                    settings)
    return get(ws, name)


@requires("computes/write")
def create_instance(ws: "Workspace", name: str, size: str | None = DEFAULT_INSTANCE_SIZE,
                    description: str | None = None, tags: dict[str, str] | None = None,
                    settings: dict | None = None, update_existing: bool = True) -> ComputeRecord:
    validate_name(name)
    vm = vm_sizes.lookup(size or DEFAULT_INSTANCE_SIZE)
    _ensure(ws)
    with ws.store.transaction():
        existing = ws.store.one("SELECT * FROM computes WHERE name = ? COLLATE NOCASE", name)
        if existing is not None:
            if not update_existing or existing["kind"] != INSTANCE:
                raise AlreadyExists(
                    f"A compute target named {existing['name']!r} ({existing['kind']}) already exists in the "
                    "workspace; compute names are unique in a workspace.")
            if existing["size"] != vm.name:
                raise InvalidInput(f"Compute instance {existing['name']!r} exists with VM size {existing['size']}; "
                                   "its size cannot be changed here. Delete it first or use another name.")
            ws.store.run("UPDATE computes SET description = COALESCE(?, description), tags = ?, modified = ? "
                         "WHERE name = ?", description, json.dumps({**json.loads(existing["tags"]), **(tags or {})}),
                         iso_now(), existing["name"])
            name = existing["name"]
        else:
            _insert(ws, name, INSTANCE, vm.name, DEDICATED, 1, 1, 0, "Creating", description, tags, settings)
    return get(ws, name)


def _check_scale(min_nodes: object, max_nodes: object, idle_seconds: object) -> tuple[int, int, int]:
    for label, value in (("min nodes", min_nodes), ("max nodes", max_nodes), ("idle time", idle_seconds)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(f"The cluster's {label} must be a whole number; got {value!r}.")
    assert isinstance(min_nodes, int) and isinstance(max_nodes, int) and isinstance(idle_seconds, int)
    if min_nodes < 0:
        raise InvalidInput(f"min nodes must be 0 or more; got {min_nodes}.")
    if max_nodes < 1:
        raise InvalidInput(f"max nodes must be at least 1; got {max_nodes}.")
    if min_nodes > max_nodes:
        raise InvalidInput(f"min nodes ({min_nodes}) cannot be greater than max nodes ({max_nodes}).")
    if idle_seconds < 0:
        raise InvalidInput(f"The idle time before scale-down must be 0 or more seconds; got {idle_seconds}.")
    return min_nodes, max_nodes, idle_seconds


def _insert(ws: "Workspace", name: str, kind: str, size: str, tier: str, min_nodes: int, max_nodes: int,
            idle_seconds: int, state: str | None, description: str | None, tags: dict | None,
            settings: dict | None) -> None:
    now = iso_now()
    ws.store.run(
        "INSERT INTO computes(name, kind, size, tier, min_nodes, max_nodes, idle_seconds, provisioning_state, state,"
        " errors, description, tags, settings, created, created_ts, modified, last_resize)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        name, kind, size, tier, min_nodes, max_nodes, idle_seconds, "Creating", state, "[]", description,
        json.dumps(tags or {}), json.dumps(settings or {}), now, clock.timestamp(ws), now, None,
    )
    ws.store.run("DELETE FROM compute_nodes WHERE compute = ?", name)
    ws.store.run("DELETE FROM compute_queue WHERE compute = ?", name)


@requires("computes/write")
def update(ws: "Workspace", name: str, min_nodes: int | None = None, max_nodes: int | None = None,
           idle_seconds: int | None = None, description: str | None = None,
           tags: dict[str, str] | None = None) -> ComputeRecord:
    rec = get(ws, name)
    if rec.kind != CLUSTER and any(v is not None for v in (min_nodes, max_nodes, idle_seconds)):
        raise InvalidInput(f"{rec.name!r} is a compute instance; only clusters have node counts to update.")
    new_min, new_max, new_idle = _check_scale(
        rec.min_nodes if min_nodes is None else min_nodes, rec.max_nodes if max_nodes is None else max_nodes,
        rec.idle_seconds if idle_seconds is None else idle_seconds)
    with ws.store.transaction():
        ws.store.run("UPDATE computes SET min_nodes = ?, max_nodes = ?, idle_seconds = ?, "
                     "description = COALESCE(?, description), tags = ?, modified = ? WHERE name = ?",
                     new_min, new_max, new_idle, description, json.dumps({**rec.tags, **(tags or {})}), iso_now(),
                     rec.name)
    return get(ws, rec.name)


@requires("computes/delete")
def delete(ws: "Workspace", name: str) -> None:
    rec = _row(ws, normalise_name(name))
    if rec is None:
        raise _not_found(ws, normalise_name(name))
    with ws.store.transaction():
        for table in ("compute_nodes", "compute_queue"):
            ws.store.run(f"DELETE FROM {table} WHERE compute = ?", rec["name"])
        ws.store.run("DELETE FROM computes WHERE name = ?", rec["name"])


def exists(ws: "Workspace", name: str) -> bool:
    return _row(ws, normalise_name(name)) is not None


@requires("computes/read")
def get(ws: "Workspace", name: str) -> ComputeRecord:
    """The compute target with its live status (node counts, allocation state, running and queued jobs)."""
    name = normalise_name(name)
    row = _row(ws, name)
    if row is None:
        raise _not_found(ws, name)
    with ws.store.transaction():
        _settle(ws, row["name"])
        return _status(ws, row["name"])


@requires("computes/read")
def list_computes(ws: "Workspace") -> list[ComputeRecord]:
    _ensure(ws)
    names = [r["name"] for r in ws.store.all("SELECT name FROM computes ORDER BY created_ts, name")]
    result = []
    for name in names:
        try:
            result.append(get(ws, name))
        except NotFound:
            continue  # deleted meanwhile
    return result


@dataclass(frozen=True)
class Node:
    """One node of a compute target, as `list_nodes` shows it."""

    node_id: str
    index: int
    job: str | None

    @property
    def state(self) -> str:
        return "running" if self.job else "idle"

    @property
    def private_ip(self) -> str:
        return f"10.0.0.{4 + self.index}"

    @property
    def port(self) -> int:
        return 50000 + self.index


@requires("computes/read")
def list_nodes(ws: "Workspace", name: str) -> list[Node]:
    """The nodes the compute has now (busy or idle), oldest first."""
    record = get(ws, name)
    rows = ws.store.all("SELECT node_id, job FROM compute_nodes WHERE compute = ? ORDER BY started", record.name)
    return [Node(r["node_id"], i, r["job"]) for i, r in enumerate(rows)]


def set_provisioning_failed(ws: "Workspace", name: str, code: str, message: str) -> ComputeRecord:
    """Mark a compute as Failed (Azure does this when, say, quota runs out); jobs are then refused."""
    rec = get(ws, name)
    ws.store.run("UPDATE computes SET provisioning_state = 'Failed', errors = ?, modified = ? WHERE name = ?",
                 json.dumps([{"code": code, "message": message}]), iso_now(), rec.name)
    return get(ws, rec.name)


def wait_provisioned(ws: "Workspace", name: str) -> ComputeRecord:
    """Finish provisioning now (what waiting on the create operation does); returns the settled record."""
    rec = get(ws, name)
    if rec.provisioning_state == "Creating":
        with ws.store.transaction():
            _finish_provisioning(ws, rec.name)
    return get(ws, rec.name)


def _finish_provisioning(ws: "Workspace", name: str) -> None:
    row = ws.store.one("SELECT * FROM computes WHERE name = ?", name)
    if row is None or row["provisioning_state"] != "Creating":
        return
    state = "Running" if row["kind"] == INSTANCE else None
    ws.store.run("UPDATE computes SET provisioning_state = 'Succeeded', state = ?, modified = ? WHERE name = ?",
                 state, iso_now(), name)


# -- instances ---------------------------------------------------------------------------------
@requires("computes/start/action")
def start(ws: "Workspace", name: str) -> ComputeRecord:
    return _instance_to(ws, name, "Running")


@requires("computes/stop/action")
def stop(ws: "Workspace", name: str) -> ComputeRecord:
    return _instance_to(ws, name, "Stopped")


@requires("computes/restart/action")
def restart(ws: "Workspace", name: str) -> ComputeRecord:
    rec = get(ws, name)
    if rec.kind == INSTANCE and rec.state == "Stopped":
        raise InvalidInput(f"Compute instance {rec.name!r} is Stopped; start it instead of restarting it.")
    return _instance_to(ws, name, "Running")


def _instance_to(ws: "Workspace", name: str, state: str) -> ComputeRecord:
    rec = get(ws, name)
    if rec.kind != INSTANCE:
        raise InvalidInput(f"{rec.name!r} is a compute cluster: clusters start and stop nodes on their own "
                           "(set min nodes to 0 to let it scale to zero). Only compute instances start and stop.")
    if rec.provisioning_state == "Failed":
        raise InvalidInput(f"Compute instance {rec.name!r} failed to provision; delete it and create it again.")
    with ws.store.transaction():
        _finish_provisioning(ws, rec.name)
        ws.store.run("UPDATE computes SET state = ?, modified = ? WHERE name = ?", state, iso_now(), rec.name)
    return get(ws, rec.name)


# -- scheduling --------------------------------------------------------------------------------
def try_acquire(ws: "Workspace", compute_name: str, job_name: str, pid: int | None = None) -> Allocation | None:
    """Take a node for the job, or queue it (returns None) when every node a cluster may have is busy.

    Raises NotFound for a missing compute and InvalidInput for one that cannot run jobs (a stopped instance, a
    cluster that failed to provision). Calling it again for a job that already holds a node returns that node.
    """
    name = normalise_name(compute_name) or "local"
    pid = os.getpid() if pid is None else pid
    if name.lower() in UNLIMITED:
        return Allocation(name.lower(), job_name, None, pid, clock.timestamp(ws), name.lower())
    row = _row(ws, name)
    if row is None:
        raise _not_found(ws, name)
    token = _process_token(pid) if os.path.isdir("/proc") else None
    with ws.store.transaction():
        row = ws.store.one("SELECT * FROM computes WHERE name = ?", row["name"])
        if row is None:
            raise _not_found(ws, name)
        name = row["name"]
        _check_usable(row)
        _finish_provisioning(ws, name)
        now = clock.timestamp(ws)
        held = ws.store.one("SELECT * FROM compute_nodes WHERE compute = ? AND job = ?", name, job_name)
        if held is not None:
            return _allocation(held, row["kind"])
        if row["kind"] == INSTANCE:
            node_id = f"{name}-{uuid.uuid4().hex[:6]}"
            ws.store.run("INSERT INTO compute_nodes(compute, node_id, job, pid, pid_token, busy_since, idle_since,"
                         " started) VALUES(?,?,?,?,?,?,?,?)", name, node_id, job_name, pid, token, now, None, now)
            return Allocation(name, job_name, node_id, pid, now, "instance")
        _settle(ws, name)
        busy = ws.store.one("SELECT COUNT(*) AS n FROM compute_nodes WHERE compute = ? AND job IS NOT NULL",
                            name)["n"]
        queue = [r["job"] for r in ws.store.all("SELECT job FROM compute_queue WHERE compute = ? ORDER BY seq", name)]
        ahead = queue.index(job_name) if job_name in queue else len(queue)
        free = row["max_nodes"] - busy
        if free <= ahead:
            if job_name not in queue:
                ws.store.run("INSERT INTO compute_queue(compute, job, pid, pid_token, enqueued) VALUES(?,?,?,?,?)",
                             name, job_name, pid, token, now)
            return None
        ws.store.run("DELETE FROM compute_queue WHERE compute = ? AND job = ?", name, job_name)
        idle = ws.store.one("SELECT node_id FROM compute_nodes WHERE compute = ? AND job IS NULL "
                            "ORDER BY idle_since DESC LIMIT 1", name)
        if idle is not None:
            node_id = idle["node_id"]
            ws.store.run("UPDATE compute_nodes SET job = ?, pid = ?, pid_token = ?, busy_since = ?, idle_since = NULL"
                         " WHERE compute = ? AND node_id = ?", job_name, pid, token, now, name, node_id)
        else:
            node_id = f"tvmps_{uuid.uuid4().hex[:24]}_d"
            nodes = ws.store.one("SELECT COUNT(*) AS n FROM compute_nodes WHERE compute = ?", name)["n"]
            ws.store.run("INSERT INTO compute_nodes(compute, node_id, job, pid, pid_token, busy_since, idle_since,"
                         " started) VALUES(?,?,?,?,?,?,?,?)", name, node_id, job_name, pid, token, now, None, now)
            if nodes + 1 > row["min_nodes"]:
                ws.store.run("UPDATE computes SET last_resize = ? WHERE name = ?", now, name)
        return Allocation(name, job_name, node_id, pid, now, "cluster")


def acquire(ws: "Workspace", compute_name: str, job_name: str, pid: int | None = None, timeout: float | None = None,
            poll: float = 0.1, on_queued: Callable[[int], None] | None = None) -> Allocation:
    """Like `try_acquire`, but wait in the queue until a node is free (or `timeout` real seconds pass)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    told = False
    while True:
        allocation = try_acquire(ws, compute_name, job_name, pid)
        if allocation is not None:
            return allocation
        if on_queued is not None and not told:
            on_queued(queue_position(ws, compute_name, job_name) or 1)
            told = True
        if deadline is not None and time.monotonic() >= deadline:
            leave_queue(ws, compute_name, job_name)
            raise TimeoutError(f"Job {job_name!r} waited {timeout} s for a node on {compute_name!r}.")
        time.sleep(poll)


def queue_position(ws: "Workspace", compute_name: str, job_name: str) -> int | None:
    """1 for the next job to get a node, 2 for the one after, ...; None if the job is not queued."""
    name = normalise_name(compute_name)
    if name.lower() in UNLIMITED or _row(ws, name) is None:
        return None
    rows = ws.store.all("SELECT job, pid, pid_token FROM compute_queue WHERE compute = ? COLLATE NOCASE "
                        "ORDER BY seq", name)
    alive = [r["job"] for r in rows if _alive(r["pid"], r["pid_token"])]
    return alive.index(job_name) + 1 if job_name in alive else None


def leave_queue(ws: "Workspace", compute_name: str, job_name: str) -> None:
    """Take a queued job out of the queue (it was cancelled before it got a node)."""
    name = normalise_name(compute_name)
    if name.lower() in UNLIMITED:
        return
    _ensure(ws)
    ws.store.run("DELETE FROM compute_queue WHERE compute = ? COLLATE NOCASE AND job = ?", name, job_name)


def release(ws: "Workspace", allocation: Allocation) -> None:
    """Give the job's node back (when the job ends, whatever the outcome). The node stays warm until idle."""
    if allocation is None or allocation.kind in UNLIMITED or allocation.node_id is None:
        return
    _ensure(ws)
    with ws.store.transaction():
        now = clock.timestamp(ws)
        if allocation.kind == "instance":
            ws.store.run("DELETE FROM compute_nodes WHERE compute = ? AND node_id = ? AND job = ?",
                         allocation.compute, allocation.node_id, allocation.job)
        else:
            ws.store.run("UPDATE compute_nodes SET job = NULL, pid = NULL, pid_token = NULL, busy_since = NULL,"
                         " idle_since = ? WHERE compute = ? AND node_id = ? AND job = ?",
                         now, allocation.compute, allocation.node_id, allocation.job)
        ws.store.run("DELETE FROM compute_queue WHERE compute = ? AND job = ?", allocation.compute, allocation.job)


def _check_usable(row) -> None:
    name = row["name"]
    if row["provisioning_state"] == "Failed":
        errors = json.loads(row["errors"] or "[]")
        why = f" ({errors[0]['message']})" if errors else ""
        raise InvalidInput(f"Compute target {name!r} is in state Failed{why} and cannot run jobs. Delete it and "
                           "create it again, or submit the job to another compute target.")
    if row["kind"] == INSTANCE and row["state"] in ("Stopped", "Stopping"):
        raise InvalidInput(
            f"Compute instance {name!r} is {row['state']} and cannot run jobs. Start it first: "
            f"ComputeInstance(ws, {name!r}).start() (v1) or ml_client.compute.begin_start({name!r}).result() (v2).")


def _allocation(node, kind: str) -> Allocation:
    return Allocation(node["compute"], node["job"], node["node_id"], node["pid"], node["busy_since"],
                      "instance" if kind == INSTANCE else "cluster")


def _settle(ws: "Workspace", name: str) -> None:
    """Inside a write transaction: free nodes of dead holders, drop dead queue entries, scale idle nodes down."""
    row = ws.store.one("SELECT * FROM computes WHERE name = ?", name)
    if row is None:
        return
    now = clock.timestamp(ws)
    if row["provisioning_state"] == "Creating" and now - row["created_ts"] >= PROVISION_SECONDS:
        _finish_provisioning(ws, name)
    for node in ws.store.all("SELECT * FROM compute_nodes WHERE compute = ? AND job IS NOT NULL", name):
        if not _alive(node["pid"], node["pid_token"]):
            if row["kind"] == INSTANCE:
                ws.store.run("DELETE FROM compute_nodes WHERE compute = ? AND node_id = ?", name, node["node_id"])
            else:
                ws.store.run("UPDATE compute_nodes SET job = NULL, pid = NULL, pid_token = NULL, busy_since = NULL,"
                             " idle_since = ? WHERE compute = ? AND node_id = ?", now, name, node["node_id"])
    for entry in ws.store.all("SELECT * FROM compute_queue WHERE compute = ?", name):
        if not _alive(entry["pid"], entry["pid_token"]):
            ws.store.run("DELETE FROM compute_queue WHERE seq = ?", entry["seq"])
    if row["kind"] != CLUSTER:
        return
    nodes = ws.store.one("SELECT COUNT(*) AS n FROM compute_nodes WHERE compute = ?", name)["n"]
    idle = ws.store.all("SELECT node_id, idle_since FROM compute_nodes WHERE compute = ? AND job IS NULL "
                        "ORDER BY idle_since", name)
    for node in idle:
        expires = (node["idle_since"] or 0) + row["idle_seconds"]
        if expires > now or nodes <= row["min_nodes"]:
            break
        ws.store.run("DELETE FROM compute_nodes WHERE compute = ? AND node_id = ?", name, node["node_id"])
        nodes -= 1
        ws.store.run("UPDATE computes SET last_resize = MAX(COALESCE(last_resize, 0), ?) WHERE name = ?",
                     expires, name)


def _status(ws: "Workspace", name: str) -> ComputeRecord:
    row = ws.store.one("SELECT * FROM computes WHERE name = ?", name)
    if row is None:
        raise _not_found(ws, name)
    nodes = ws.store.all("SELECT * FROM compute_nodes WHERE compute = ? ORDER BY started", name)
    queued = [r["job"] for r in ws.store.all("SELECT job FROM compute_queue WHERE compute = ? ORDER BY seq", name)]
    busy = [n for n in nodes if n["job"] is not None]
    rec = ComputeRecord(
        row["name"], row["kind"], row["size"], row["tier"], row["min_nodes"], row["max_nodes"], row["idle_seconds"],
        row["provisioning_state"], row["state"], row["description"], json.loads(row["tags"]),
        json.loads(row["settings"]), row["created"], row["modified"], json.loads(row["errors"] or "[]"),
    )
    rec.running_jobs = [n["job"] for n in busy]
    rec.queued_jobs = queued
    rec.busy_node_count = len(busy)
    if row["kind"] == INSTANCE:
        running = row["state"] == "Running"
        rec.current_node_count = rec.target_node_count = 1 if running else 0
        rec.idle_node_count = 1 if running and not busy else 0
        rec.busy_node_count = 1 if busy else 0
        return rec
    if row["provisioning_state"] != "Succeeded":
        return rec
    rec.current_node_count = max(row["min_nodes"], len(nodes))
    rec.idle_node_count = rec.current_node_count - len(busy)
    rec.target_node_count = max(row["min_nodes"], min(row["max_nodes"], len(busy) + len(queued)), len(nodes))
    last = max([row["last_resize"] or 0] + [n["started"] for n in nodes if len(nodes) > row["min_nodes"]])
    now = clock.timestamp(ws)
    rec.allocation_state = "Resizing" if last and now - last < RESIZE_SECONDS else "Steady"
    if last:
        rec.allocation_state_transition_time = clock.iso(_dt(last))
    return rec


def _dt(ts: float):
    from datetime import datetime, timezone

    return datetime.fromtimestamp(ts, timezone.utc)


# -- the registry's view (sandbox.domains) ---------------------------------------------------------------------
def ls_rows(ws: "Workspace", name: str | None = None) -> list[dict]:
    records = [get(ws, name)] if name else list_computes(ws)
    return [{"name": c.name, "type": c.kind, "size": c.size, "state": c.state or c.provisioning_state,
             "nodes": f"{c.current_node_count}/{c.max_nodes}"} for c in records]


def tree(ws: "Workspace") -> list:
    from sandbox.domains import Entry

    return [Entry(("compute", c.name), f"{c.name} · {c.kind}", c.state or c.provisioning_state)
            for c in list_computes(ws)]


# -- managed identities (sandbox.security) -------------------------------------------------------------------------
@requires("computes/write")
def set_identity(ws: "Workspace", name: str, system_assigned: bool = False,
                 user_assigned: list[str] | None = None) -> ComputeRecord:
    """Give a compute a system-assigned identity and/or user-assigned ones (names, client ids or resource ids)."""
    from sandbox.security import principals

    rec = get(ws, name)
    ids = []
    if system_assigned:
        ids.append(principals.system_identity(ws, rec.name).object_id)
    for item in user_assigned or []:
        ids.append(principals.from_resource_id(ws, item).object_id)
    settings = {**rec.settings, "identity": {"system_assigned": system_assigned, "principals": ids}}
    ws.store.run("UPDATE computes SET settings = ?, modified = ? WHERE name = ?", json.dumps(settings), iso_now(),
                 rec.name)
    return get(ws, rec.name)


def identities(ws: "Workspace", name: str) -> list[str]:
    """Object ids of the managed identities a compute carries (empty for local and serverless)."""
    if not name or normalise_name(name).lower() in UNLIMITED:
        return []
    row = _row(ws, normalise_name(name))
    if row is None:
        return []
    return list((json.loads(row["settings"] or "{}").get("identity") or {}).get("principals") or [])
