"""Running a learner's entry point in a child process with limits, then cleaning up after it.

The child (`python -m labs.harness`) gets the SDK facades, the lab's workspace (`DP100_WORKSPACE`) and its
own session. It has a wall-clock budget that also covers the jobs it submits: when the entry point ends, the
runner waits (within the budget) for the workspace's unfinished jobs, cancels what is left, and kills every
process still bound to the workspace, so a slow or hostile submission leaves nothing behind. Output is
captured (and optionally streamed) but only the first and last part of it is kept.
"""
from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from labs import processes

PACKAGE_PARENT = str(Path(__file__).resolve().parents[1])
JOB_POLL = 0.05
CANCEL_GRACE = 4.0


@dataclass(frozen=True)
class Limits:
    timeout: float = 120.0       # seconds of wall clock for the entry point and the jobs it submits
    memory_mb: int = 3072        # address space per process
    max_processes: int = 256     # extra processes/threads (RLIMIT_NPROC; root ignores it, the reaper does not)
    output_bytes: int = 64_000   # output kept: the first and the last half of this
    file_mb: int = 512           # largest file a process may write

    def for_child(self) -> dict[str, int]:
        limits = {"memory_mb": self.memory_mb, "cpu_seconds": int(self.timeout) + 10, "file_mb": self.file_mb}
        if os.getuid() != 0:
            limits["nproc"] = processes.user_task_count() + self.max_processes
        return limits


class Output:
    """Captured output: the head and tail, with the total size (thread-safe)."""

    def __init__(self, limit: int) -> None:
        self.half = max(limit // 2, 1024)
        self.head = bytearray()
        self.tail: deque[bytes] = deque()
        self.tail_size = 0
        self.total = 0
        self.stderr_tail = bytearray()
        self._lock = threading.Lock()

    def add(self, chunk: bytes, is_stderr: bool) -> None:
        with self._lock:
            if is_stderr:
                self.stderr_tail += chunk
                if len(self.stderr_tail) > 32_000:
                    del self.stderr_tail[:-32_000]
            self.total += len(chunk)
            room = self.half - len(self.head)
            if room > 0:
                self.head += chunk[:room]
                chunk = chunk[room:]
            if chunk:
                self.tail.append(chunk)
                self.tail_size += len(chunk)
                while self.tail and self.tail_size - len(self.tail[0]) >= self.half:
                    self.tail_size -= len(self.tail.popleft())

    @property
    def truncated(self) -> bool:
        return self.total > len(self.head) + self.tail_size

    def text(self) -> str:
        with self._lock:
            tail = b"".join(self.tail)
            if self.total > len(self.head) + len(tail):
                tail = tail[-self.half:]
                skipped = self.total - len(self.head) - len(tail)
                middle = f"\n[... {skipped:,} bytes of output left out ...]\n".encode()
                return (bytes(self.head) + middle + tail).decode("utf-8", "replace")
            return (bytes(self.head) + tail).decode("utf-8", "replace")


@dataclass
class RunOutcome:
    exit_code: int | None
    timed_out: bool = False
    seconds: float = 0.0
    output: str = ""
    output_truncated: bool = False
    stderr: str = ""
    unfinished_jobs: list[str] = field(default_factory=list)
    killed_processes: int = 0
    cell: int | None = None

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


def _reader(stream, output: Output, is_stderr: bool, on_output: Callable[[str], None] | None) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    fd = stream.fileno()
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        output.add(chunk, is_stderr)
        if on_output is not None:
            try:
                on_output(decoder.decode(chunk))
            except Exception:
                on_output = None
    stream.close()


def child_env(workspace: Path, home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    from sandbox.activation import child_env as sandbox_env

    env = sandbox_env(workspace=workspace)
    env["PYTHONPATH"] = os.pathsep.join([*env["PYTHONPATH"].split(os.pathsep), PACKAGE_PARENT])
    env["DP100_HOME"] = str(home)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    for var in ("MLFLOW_RUN_ID", "AZUREML_RUN_ID", "MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME"):
        env.pop(var, None)
    env.update(extra or {})
    return env


def run_harness(mode_args: Sequence[str], *, cwd: Path, workspace: Path, home: Path, limits: Limits,
                on_output: Callable[[str], None] | None = None, extra_env: dict[str, str] | None = None,
                wait_for_jobs: bool = True) -> RunOutcome:
    """Run `python -m labs.harness <limits> <mode_args...>` bound to `workspace`, then clean up after it."""
    workspace = Path(workspace).resolve()
    started = time.monotonic()
    deadline = started + limits.timeout
    output = Output(limits.output_bytes)
    env = child_env(workspace, home, extra_env)
    argv = [sys.executable, "-m", "labs.harness", json.dumps(limits.for_child()), *[str(a) for a in mode_args]]
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, close_fds=True)
    readers = [threading.Thread(target=_reader, args=(proc.stdout, output, False, on_output), daemon=True),
               threading.Thread(target=_reader, args=(proc.stderr, output, True, on_output), daemon=True)]
    for reader in readers:
        reader.start()
    outcome = RunOutcome(exit_code=None)
    try:
        outcome.exit_code = proc.wait(timeout=max(deadline - time.monotonic(), 0.01))
    except subprocess.TimeoutExpired:
        outcome.timed_out = True
        processes.kill_all(session=proc.pid)
        proc.wait()
        outcome.exit_code = proc.returncode
    if wait_for_jobs:
        outcome.unfinished_jobs = _settle_jobs(workspace, deadline)
        if outcome.unfinished_jobs:
            outcome.timed_out = True
    outcome.killed_processes = processes.kill_all(workspace=workspace, session=proc.pid)
    if wait_for_jobs:
        _cancel_leftovers(workspace)
    for reader in readers:
        reader.join(timeout=2.0)
    outcome.seconds = time.monotonic() - started
    outcome.output = output.text()
    outcome.output_truncated = output.truncated
    outcome.stderr = bytes(output.stderr_tail).decode("utf-8", "replace")
    return outcome


def _open_workspace(workspace: Path):
    from sandbox.workspace import Workspace

    return Workspace.open(workspace) if Workspace.exists(workspace) else None


def _active_jobs(ws) -> list:
    from sandbox import jobs

    return [j for j in jobs.list_jobs(ws) if not j.is_terminal]


def _settle_jobs(workspace: Path, deadline: float) -> list[str]:
    """Wait (until `deadline`) for the workspace's jobs to end; cancel those that do not. Return their names."""
    from sandbox import jobs

    ws = _open_workspace(workspace)
    if ws is None:
        return []
    try:
        delay = 0.02
        while True:
            active = _active_jobs(ws)  # listing fails jobs whose supervisor died: they never keep us waiting
            if not active:
                return []
            if time.monotonic() >= deadline:
                break
            time.sleep(min(delay, max(deadline - time.monotonic(), 0)))
            delay = min(delay * 1.5, JOB_POLL)
        names = [j.name for j in active]
        for name in names:
            jobs.request_cancel(ws, name)
        grace = time.monotonic() + CANCEL_GRACE
        while _active_jobs(ws) and time.monotonic() < grace:
            time.sleep(JOB_POLL)
        return names
    finally:
        ws.store.close()


def _cancel_leftovers(workspace: Path) -> None:
    """After the reaper, no supervisor is alive: jobs still marked active end Canceled."""
    from sandbox import jobs

    ws = _open_workspace(workspace)
    if ws is None:
        return
    try:
        for job in _active_jobs(ws):
            jobs.request_cancel(ws, job.name)
            if not jobs.get(ws, job.name).is_terminal:
                jobs.set_status(ws, job.name, "Canceled")
    finally:
        ws.store.close()


def run_entry(entry: Path, *, cwd: Path, workspace: Path, home: Path, limits: Limits, args: Sequence[str] = (),
              on_output: Callable[[str], None] | None = None) -> RunOutcome:
    """Run a learner's script or notebook as `__main__` in `cwd`, bound to `workspace`."""
    cell_file = Path(home) / ".dp100-cell"
    cell_file.parent.mkdir(parents=True, exist_ok=True)
    cell_file.unlink(missing_ok=True)
    outcome = run_harness(["run", str(entry), *args], cwd=cwd, workspace=workspace, home=home, limits=limits,
                          on_output=on_output, extra_env={"DP100_CELL_FILE": str(cell_file)})
    try:
        outcome.cell = int(cell_file.read_text().strip())
    except (OSError, ValueError):
        outcome.cell = None
    return outcome
