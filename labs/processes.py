"""Finding and stopping every process that belongs to one graded run.

Jobs run in detached supervisors (their own sessions), so killing the learner's process group is not enough.
A process belongs to a run when it is in the run's session, or when its environment binds it to the run's
workspace (`DP100_WORKSPACE=<folder>`, inherited by everything the learner's code and its jobs start).
Processes are frozen (SIGSTOP) before being killed, so a process that keeps forking cannot outrun us.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

PROC = Path("/proc")


def _session(pid: int) -> int | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may contain spaces and parentheses: split after the last ')'
    fields = stat[stat.rfind(")") + 2:].split()
    try:
        return int(fields[3])  # state ppid pgrp session ...
    except (IndexError, ValueError):
        return None


def _environ_has(pid: int, needle: bytes) -> bool:
    try:
        data = (PROC / str(pid) / "environ").read_bytes()
    except OSError:
        return False
    return needle in b"\0" + data


def members(workspace: Path | None = None, session: int | None = None) -> list[int]:
    """Pids bound to `workspace` or in `session` (never this process)."""
    if not PROC.is_dir():
        return []
    needle = b"\0DP100_WORKSPACE=" + os.fsencode(str(workspace)) + b"\0" if workspace is not None else None
    me = os.getpid()
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        if pid == me:
            continue
        if (session is not None and _session(pid) == session) or (needle is not None and _environ_has(pid, needle)):
            found.append(pid)
    return found


def kill_all(workspace: Path | None = None, session: int | None = None, rounds: int = 50) -> int:
    """Freeze then kill every member until none is left; return how many were killed."""
    killed: set[int] = set()
    for _ in range(rounds):
        pids = [p for p in members(workspace, session) if not _is_zombie(p)]
        if not pids:
            break
        for pid in pids:
            _signal(pid, signal.SIGSTOP)
        for pid in pids:
            _signal(pid, signal.SIGKILL)
            killed.add(pid)
        time.sleep(0.01)
    return len(killed)


def _is_zombie(pid: int) -> bool:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return True
    return stat[stat.rfind(")") + 2:stat.rfind(")") + 3] in ("Z", "X")


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def user_task_count() -> int:
    """How many processes and threads this user runs now (RLIMIT_NPROC counts them all, per user)."""
    uid = os.getuid()
    count = 0
    for entry in PROC.iterdir() if PROC.is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            stat = (entry / "stat").read_text()
            count += int(stat[stat.rfind(")") + 2:].split()[17])  # num_threads
        except (OSError, ValueError, IndexError):
            count += 1
    return count
