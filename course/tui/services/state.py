"""Where the learner left off: a small key/value table (`tui_state`) in the progress file.

The table is ours alone (prefix `tui_`); the quiz tables and anything labs add live beside it and are never
touched. Writes are single `BEGIN IMMEDIATE` transactions with a busy timeout, so the CLI, the TUI and the lab
grader can share the file; every change is written at once, so quitting (or a crash) loses nothing.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

BUSY_TIMEOUT_MS = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tui_state (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,          -- JSON
    updated_at TEXT NOT NULL           -- ISO 8601, UTC
)
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class TuiState:
    """Key/value state of the TUI in the learner's progress file. Safe to share between threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(_SCHEMA)
            self._conn = conn
        return self._conn

    def get(self, key: str, default: Any = None) -> Any:
        with self._lock:
            try:
                row = self._connection().execute("SELECT value FROM tui_state WHERE key = ?", (key,)).fetchone()
            except sqlite3.DatabaseError:
                return default
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except ValueError:
            return default

    def set(self, key: str, value: Any) -> None:
        self.set_many({key: value})

    def set_many(self, values: dict[str, Any]) -> None:
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                for key, value in values.items():
                    conn.execute(
                        "INSERT INTO tui_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO "
                        "UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                        (key, json.dumps(value), _now()))
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def keys(self, prefix: str = "") -> list[str]:
        with self._lock:
            rows = self._connection().execute(
                "SELECT key FROM tui_state WHERE key LIKE ? ORDER BY key", (prefix.replace("%", "") + "%",)).fetchall()
        return [r[0] for r in rows]

    # -- the few things the TUI remembers --------------------------------------------------------------------------
    def remember(self, screen: str, **where: Any) -> None:
        """The screen the learner is on (and which lesson/lab), for "continue where you left off"."""
        last = dict(self.get("last", {}) or {})
        last["screen"] = screen
        last.update({k: v for k, v in where.items() if v is not None})
        self.set("last", last)

    @property
    def last(self) -> dict[str, Any]:
        return dict(self.get("last", {}) or {})

    def mark_lesson_read(self, lesson_id: str) -> None:
        read = list(self.get("lessons_read", []) or [])
        if lesson_id not in read:
            read.append(lesson_id)
            self.set("lessons_read", read)

    @property
    def lessons_read(self) -> list[str]:
        return list(self.get("lessons_read", []) or [])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
