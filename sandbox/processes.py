"""Processes the sandbox starts and watches: detached servers, liveness that survives pid reuse, stopping trees.

- `identity(pid)` is a pid plus a token (the process start time from `/proc/<pid>/stat`), so a record that names a
  process keeps naming *that* process: a recycled pid has another start time and reads as gone.
- `spawn_detached(argv, ...)` starts a program in its own session that outlives the caller (no zombie is left
  for the caller to reap: it is the grandchild of a short-lived intermediate process).
- `stop_group(pgid)` ends a process group politely, then for good.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence


@dataclass(frozen=True)
class ProcessId:
    """A process as records store it: pid and start-time token ('' when the platform gives none)."""

    pid: int
    token: str = ""

    def encode(self) -> str:
        return f"{self.pid}:{self.token}"

    @classmethod
    def decode(cls, text: str | None) -> "ProcessId | None":
        if not text:
            return None
        pid, _, token = str(text).partition(":")
        try:
            return cls(int(pid), token)
        except ValueError:
            return None


def start_token(pid: int) -> str | None:
    """The process's start time (clock ticks since boot) or None when it is gone or a zombie.

    Returns "" on systems without /proc when the process exists (liveness then falls back to signal 0).
    """
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().decode(errors="replace")
    except FileNotFoundError:
        return None
    except OSError:
        return "" if _signal_alive(pid) else None
    fields = stat.rsplit(")", 1)[-1].split()
    if not fields or fields[0] in ("Z", "X"):
        return None
    return fields[19] if len(fields) > 19 else ""


def _signal_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def identity(pid: int | None = None) -> ProcessId:
    """The identity of `pid` (default: this process)."""
    pid = os.getpid() if pid is None else pid
    return ProcessId(pid, start_token(pid) or "")


def alive(proc: ProcessId | int | None) -> bool:
    """Is this very process still running (not a zombie, not a new process that reuses its pid)?"""
    if proc is None:
        return False
    if isinstance(proc, int):
        proc = ProcessId(proc)
    if not os.path.isdir("/proc"):
        return _signal_alive(proc.pid)
    current = start_token(proc.pid)
    if current is None:
        return False
    return not proc.token or not current or current == proc.token


def spawn_detached(argv: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: str | Path | None = None,
                   log_file: str | Path | None = None) -> ProcessId:
    """Start `argv` in a new session, detached from the caller (it outlives it and is never the caller's zombie)."""
    out = open(log_file, "ab") if log_file else subprocess.DEVNULL
    try:
        proc = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                env=dict(env) if env is not None else None, cwd=cwd, start_new_session=True,
                                close_fds=True)
    finally:
        if log_file:
            out.close()  # type: ignore[union-attr]
    _reap_later(proc)
    return identity(proc.pid)


_children: list[subprocess.Popen] = []


def _reap_later(proc: subprocess.Popen) -> None:
    """Keep the Popen so Python reaps it (no zombie) whenever the caller next starts a process or exits."""
    _children.append(proc)
    for child in list(_children):
        if child.poll() is not None:
            _children.remove(child)
    try:  # the child must not be waited for at interpreter exit: drop it from subprocess's cleanup list
        subprocess._active.remove(proc)  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        pass


def stop_group(pgid: int, grace: float = 3.0) -> None:
    """SIGTERM a process group, then SIGKILL whatever is left after `grace` seconds."""
    try:
        os.killpg(pgid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.02)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def stop(proc: ProcessId | None, grace: float = 3.0) -> None:
    """Stop one process (only if it is still the process the record names)."""
    if proc is None or not alive(proc):
        return
    try:
        os.kill(proc.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and alive(proc):
        time.sleep(0.02)
    if alive(proc):
        try:
            os.kill(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
