"""Lab attempts, best scores and hints in the learner's progress file (SQLite, shared with quizzes and the TUI).

Tables are prefixed `lab_` and no other table is touched. WAL journal, busy timeout and `BEGIN IMMEDIATE`
writes let several dp100 processes use the file at once. The path is passed in (labs never import `course`).
"""
from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from contextlib import contextmanager

from labs.results import LabResult

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 10_000
_MIGRATIONS = {
    1: """
    CREATE TABLE IF NOT EXISTS lab_attempts (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        lab_id      TEXT    NOT NULL,
        status      TEXT    NOT NULL,
        score       INTEGER NOT NULL,
        max_score   INTEGER NOT NULL,
        seconds     REAL,
        folder      TEXT,
        checks_json TEXT    NOT NULL,
        graded_at   TEXT    NOT NULL
    );
    CREATE INDEX IF NOT EXISTS lab_attempts_lab ON lab_attempts (lab_id, graded_at);
    CREATE TABLE IF NOT EXISTS lab_state (
        lab_id        TEXT PRIMARY KEY,
        folder        TEXT,
        started_at    TEXT,
        hints_shown   INTEGER NOT NULL DEFAULT 0,
        solution_seen INTEGER NOT NULL DEFAULT 0,
        updated_at    TEXT NOT NULL
    );
    """,
}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Attempt:
    lab_id: str
    status: str
    score: int
    max_score: int
    seconds: float | None
    graded_at: str
    checks: dict[str, str]


@dataclass(frozen=True)
class LabStanding:
    """What the TUI shows per lab: attempts, best score, whether it was ever passed, hints used."""

    lab_id: str
    attempts: int
    best_score: int
    max_score: int
    passed: bool
    hints_shown: int
    solution_seen: bool
    last_graded_at: str | None

    @property
    def best_percent(self) -> float:
        return 100.0 * self.best_score / self.max_score if self.max_score else 0.0


class LabProgress:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                     check_same_thread=False)
        self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        with self.transaction() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS lab_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            row = conn.execute("SELECT value FROM lab_meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise RuntimeError(f"The progress file {self.path} was written by a newer dp100 (lab schema "
                                   f"{version}); upgrade dp100 to use it.")
            for number in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[number].split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute("INSERT OR REPLACE INTO lab_meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "LabProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- attempts -------------------------------------------------------------------------------------
    def record(self, result: LabResult, folder: str | Path | None = None) -> None:
        checks = {c.name: c.status for c in result.checks}
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO lab_attempts (lab_id, status, score, max_score, seconds, folder, checks_json, graded_at)"
                " VALUES (?,?,?,?,?,?,?,?)",
                (result.lab, result.status, result.score, result.max_score, result.seconds,
                 str(folder) if folder else None, json.dumps(checks), _now()))

    def attempts(self, lab_id: str | None = None) -> list[Attempt]:
        sql = "SELECT lab_id, status, score, max_score, seconds, graded_at, checks_json FROM lab_attempts"
        args: tuple[Any, ...] = ()
        if lab_id is not None:
            sql += " WHERE lab_id = ?"
            args = (lab_id,)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY id", args).fetchall()
        return [Attempt(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6])) for r in rows]

    def standings(self) -> dict[str, LabStanding]:
        """One standing per lab that was started or graded."""
        with self._lock:
            graded = self._conn.execute(
                "SELECT lab_id, COUNT(*), MAX(score), MAX(max_score), MAX(status = 'pass'), MAX(graded_at)"
                " FROM lab_attempts GROUP BY lab_id").fetchall()
            states = {r[0]: r[1:] for r in self._conn.execute(
                "SELECT lab_id, hints_shown, solution_seen FROM lab_state").fetchall()}
        result: dict[str, LabStanding] = {}
        for lab_id, count, best, max_score, passed, last in graded:
            hints, seen = states.pop(lab_id, (0, 0))
            result[lab_id] = LabStanding(lab_id, count, best or 0, max_score or 0, bool(passed), hints, bool(seen), last)
        for lab_id, (hints, seen) in states.items():
            result[lab_id] = LabStanding(lab_id, 0, 0, 0, False, hints, bool(seen), None)
        return result

    def standing(self, lab_id: str) -> LabStanding | None:
        return self.standings().get(lab_id)

    # -- per-lab state: folder, hints, solution ------------------------------------------------------------
    def _touch(self, conn: sqlite3.Connection, lab_id: str) -> None:
        conn.execute("INSERT OR IGNORE INTO lab_state (lab_id, updated_at) VALUES (?, ?)", (lab_id, _now()))

    def started(self, lab_id: str, folder: str | Path) -> None:
        with self.transaction() as conn:
            self._touch(conn, lab_id)
            conn.execute("UPDATE lab_state SET folder = ?, started_at = ?, updated_at = ? WHERE lab_id = ?",
                         (str(folder), _now(), _now(), lab_id))

    def next_hint(self, lab_id: str, available: int) -> int | None:
        """The index of the next hint to show (and count it as shown), or None when all were shown."""
        with self.transaction() as conn:
            self._touch(conn, lab_id)
            shown = conn.execute("SELECT hints_shown FROM lab_state WHERE lab_id = ?", (lab_id,)).fetchone()[0]
            if shown >= available:
                return None
            conn.execute("UPDATE lab_state SET hints_shown = ?, updated_at = ? WHERE lab_id = ?", (shown + 1, _now(), lab_id))
            return shown

    def hints_shown(self, lab_id: str) -> int:
        with self._lock:
            row = self._conn.execute("SELECT hints_shown FROM lab_state WHERE lab_id = ?", (lab_id,)).fetchone()
        return row[0] if row else 0

    def reset_hints(self, lab_id: str) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE lab_state SET hints_shown = 0, updated_at = ? WHERE lab_id = ?", (_now(), lab_id))

    def solution_seen(self, lab_id: str) -> None:
        with self.transaction() as conn:
            self._touch(conn, lab_id)
            conn.execute("UPDATE lab_state SET solution_seen = 1, updated_at = ? WHERE lab_id = ?", (_now(), lab_id))
