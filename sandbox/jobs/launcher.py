"""Starting job supervisors: each workspace has a small launcher process that forks them from a clean state.

Why a launcher: a supervisor must outlive the script that submitted the job, and starting a new interpreter for it
costs ~100 ms per job. Forking the submitting process is fast but unsafe: SQLite connections (the workspace
store, MLflow's store in a notebook) must never cross a fork, or the child's writes can be lost when the parent
closes its connection — a job then "stays Preparing for ever". So the first submission in a workspace spawns the
launcher (`serve(<workspace>)` in a new interpreter), which imports the supervisor code, never opens a
database, and forks one supervisor per request it receives on a local socket. It exits when it has been idle for
a while, when the workspace disappears, or when the sandbox code it was started with changes.

`DP100_SUPERVISOR=spawn` starts each supervisor as a new interpreter instead (no launcher).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import socket
import struct
import sys
import time
from pathlib import Path

from sandbox import processes

IDLE_SECONDS = float(os.environ.get("DP100_LAUNCHER_IDLE", "300"))
_PACKAGE = Path(__file__).resolve().parents[1]  # sandbox/
# Variables that describe one job; a launcher (and so every later job) must not inherit them from a submitter
# that is itself a job.
JOB_CONTEXT_VARS = ("MLFLOW_RUN_ID", "AZUREML_RUN_ID", "MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME",
                    "DP100_INPUTS", "DP100_BLOCKED_MODULES", "AZUREML_EXPERIMENT_NAME", "DP100_STEP_OF",
                    "DP100_JOB_PRINCIPAL", "DP100_JOB_MANAGED_IDENTITY")
JOB_CONTEXT_PREFIXES = ("AZURE_ML_INPUT_", "AZURE_ML_OUTPUT_", "AZUREML_DATAREFERENCE_")


_SERVE = "import sys; from sandbox.jobs.launcher import serve; sys.exit(serve(sys.argv[1]))"


# -- the client side (the submitting process) -------------------------------------------------------------------
def start_supervisor(root: Path, name: str) -> processes.ProcessId:
    """Start the detached process that runs job `name` of the workspace at `root`; its identity."""
    root = Path(root).resolve()
    if os.environ.get("DP100_SUPERVISOR") == "spawn" or not hasattr(os, "fork") or not hasattr(socket, "AF_UNIX"):
        return _spawn_supervisor(root, name)
    address = _address(root)
    for attempt in range(3):
        try:
            return _request(address, name)
        except (FileNotFoundError, ConnectionRefusedError, ConnectionResetError, BrokenPipeError, socket.timeout):
            if attempt < 2:
                _start_launcher(root, address)
    return _spawn_supervisor(root, name)  # the launcher could not be reached: the slow, always-working way


def _request(address: str | bytes, name: str) -> processes.ProcessId:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10.0)
        sock.connect(address)
        sock.sendall(json.dumps({"job": name}).encode() + b"\n")
        reply = _read_line(sock)
    answer = json.loads(reply or b"{}")
    if "pid" not in answer:
        raise ConnectionResetError(answer.get("error", "no answer from the launcher"))
    return processes.ProcessId(int(answer["pid"]), str(answer.get("token", "")))


def _read_line(sock: socket.socket, limit: int = 65536) -> bytes:
    data = b""
    while not data.endswith(b"\n") and len(data) < limit:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.strip()


def _start_launcher(root: Path, address: str | bytes) -> None:
    log = root / "jobs" / "launcher.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    processes.spawn_detached([sys.executable, "-c", _SERVE, str(root)], env=clean_env(root),
                             cwd=str(root), log_file=log)
    deadline = time.monotonic() + 15.0
    while time.monotonic() < deadline:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                probe.connect(address)
                probe.sendall(b'{"ping": true}\n')
                _read_line(probe)
            return
        except (FileNotFoundError, ConnectionRefusedError, ConnectionResetError, BrokenPipeError):
            time.sleep(0.01)


def _spawn_supervisor(root: Path, name: str) -> processes.ProcessId:
    logs = root / "jobs" / name / "logs" / "azureml"
    logs.mkdir(parents=True, exist_ok=True)
    return processes.spawn_detached([sys.executable, "-m", "sandbox.jobs.supervisor", str(root), name],
                                    env=clean_env(root), cwd=str(root), log_file=logs / "supervisor.log")


def clean_env(root: Path) -> dict[str, str]:
    """The environment for sandbox processes: the caller's, minus what describes one job, sandbox importable."""
    env = {k: v for k, v in os.environ.items()
           if k not in JOB_CONTEXT_VARS and not k.startswith(JOB_CONTEXT_PREFIXES)}
    env["DP100_WORKSPACE"] = str(root)
    hook = str(_PACKAGE / "jobhook")
    sdk = str(_PACKAGE / "sdk")
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p not in (hook, sdk)]
    env["PYTHONPATH"] = os.pathsep.join([str(_PACKAGE.parent), *parts])
    env.pop("DP100_ACTIVE", None)
    return env


@functools.lru_cache(maxsize=1)
def code_stamp() -> str:
    """Changes whenever the sandbox engine code (or the interpreter) changes, so no launcher runs stale code."""
    digest = hashlib.sha1(sys.executable.encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        if "sdk" in path.relative_to(_PACKAGE).parts[:1]:
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:16]


def _address(root: Path) -> str | bytes:
    key = hashlib.sha1(f"{root}|{code_stamp()}|{os.getuid() if hasattr(os, 'getuid') else 0}".encode()).hexdigest()[:24]
    if sys.platform.startswith("linux"):
        return b"\0dp100-launcher-" + key.encode()  # abstract socket: no file, no path-length limit
    import tempfile

    return str(Path(tempfile.gettempdir()) / f"dp100-{key}.sock")


# -- the launcher process ---------------------------------------------------------------------------------------
def serve(root: Path) -> int:
    from sandbox.jobs import supervisor  # imported once here, inherited by every forked supervisor

    supervisor.warm_up()
    root = Path(root).resolve()
    address = _address(root)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(address)
    except OSError:
        return 0  # another launcher for this workspace is already serving
    server.listen(64)
    server.settimeout(1.0)
    idle_since = time.monotonic()
    try:
        while True:
            _reap()
            if not (root / "workspace.db").exists() or time.monotonic() - idle_since > IDLE_SECONDS:
                return 0
            try:
                conn, _ = server.accept()
            except socket.timeout:
                continue
            with conn:
                _handle(root, server, conn)
            idle_since = time.monotonic()
    finally:
        server.close()
        if isinstance(address, str):
            Path(address).unlink(missing_ok=True)


def _same_user(conn: socket.socket) -> bool:
    if not hasattr(socket, "SO_PEERCRED"):
        return True
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid == os.getuid()


def _handle(root: Path, server: socket.socket, conn: socket.socket) -> None:
    conn.settimeout(5.0)
    try:
        request = json.loads(_read_line(conn) or b"{}")
    except (ValueError, socket.timeout, OSError):
        return
    if request.get("ping"):
        conn.sendall(b'{"pong": true}\n')
        return
    name = str(request.get("job", ""))
    if not _same_user(conn) or not name or "/" in name or name.startswith(".") or not (root / "jobs" / name).is_dir():
        conn.sendall(json.dumps({"error": f"no such job {name!r}"}).encode() + b"\n")
        return
    pid = _fork_supervisor(root, name, server, conn)
    conn.sendall(json.dumps({"pid": pid, "token": processes.start_token(pid) or ""}).encode() + b"\n")


def _fork_supervisor(root: Path, name: str, server: socket.socket, conn: socket.socket) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        server.close()
        conn.close()
        os.setsid()
        logs = root / "jobs" / name / "logs" / "azureml"
        logs.mkdir(parents=True, exist_ok=True)
        fd = os.open(logs / "supervisor.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        from sandbox.jobs import supervisor

        code = supervisor.main([str(root), name])
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return

