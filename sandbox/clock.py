"""The sandbox clock: real time by default, or a per-workspace virtual clock that a learner or a test moves.

`utcnow()` and `iso_now()` are wall-clock time (timestamps on records). What the simulation reads — idle
scale-down, schedules, token expiry — goes through `now(ws)`, which honours the workspace's clock:

- real (the default): wall-clock time plus an offset that `advance` adds to;
- virtual (`set_virtual(ws, True)`): frozen at the moment it was switched on; only `advance` moves it.

The state lives in the workspace store's `meta` table, so every process bound to the workspace (the CLI, a
learner's script, job supervisors) sees the same time.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

_VIRTUAL = "clock.virtual"  # ISO time the virtual clock stands at; absent when the clock is real
_OFFSET = "clock.offset"    # seconds added to real time


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def iso_now() -> str:
    return utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def now(ws: "Workspace | None" = None) -> datetime:
    """The sandbox time of the workspace (real time when `ws` is None)."""
    if ws is None:
        return utcnow()
    virtual = ws.store.get_meta(_VIRTUAL)
    if virtual:
        return parse_iso(virtual)
    offset = float(ws.store.get_meta(_OFFSET, "0") or 0)
    return utcnow() + timedelta(seconds=offset)


def timestamp(ws: "Workspace | None" = None) -> float:
    """`now(ws)` as POSIX seconds (what the engines store and compare)."""
    return now(ws).timestamp()


def is_virtual(ws: "Workspace") -> bool:
    return bool(ws.store.get_meta(_VIRTUAL))


def set_virtual(ws: "Workspace", on: bool = True, at: datetime | None = None) -> datetime:
    """Freeze the workspace clock (at `at`, default: its current time) or let it run in real time again.

    Turning the virtual clock off keeps the time it reached: the real clock continues from there (as an offset).
    """
    with ws.store.transaction():
        current = now(ws)
        if on:
            ws.store.set_meta(_VIRTUAL, iso(at or current))
        else:
            if at is not None:
                current = at
            ws.store.run("DELETE FROM meta WHERE key = ?", _VIRTUAL)
            ws.store.set_meta(_OFFSET, repr((current - utcnow()).total_seconds()))
    return now(ws)


def advance(ws: "Workspace", seconds: float) -> datetime:
    """Move the workspace clock forward (virtual or real) by `seconds`; returns the new time."""
    if seconds < 0:
        raise ValueError("The sandbox clock only moves forward; pass a positive number of seconds.")
    with ws.store.transaction():
        virtual = ws.store.get_meta(_VIRTUAL)
        if virtual:
            ws.store.set_meta(_VIRTUAL, iso(parse_iso(virtual) + timedelta(seconds=seconds)))
        else:
            offset = float(ws.store.get_meta(_OFFSET, "0") or 0)
            ws.store.set_meta(_OFFSET, repr(offset + seconds))
    return now(ws)


def reset(ws: "Workspace") -> datetime:
    """Back to plain real time (no offset, not virtual)."""
    with ws.store.transaction():
        ws.store.run("DELETE FROM meta WHERE key IN (?, ?)", _VIRTUAL, _OFFSET)
    return now(ws)
