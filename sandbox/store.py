"""The workspace metadata store: one SQLite file per workspace.

WAL mode plus a busy timeout lets several processes (the CLI, a learner's script, a running job, the
grader) read and write at once; writes that allocate versions run in `BEGIN IMMEDIATE` transactions so two
writers never get the same version. The schema is versioned with `PRAGMA user_version` and migrated forward.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from sandbox.errors import StoreCorrupt

MIGRATIONS: list[str] = [
    # 1: workspace, datastores, data
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE datastores (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        account_name TEXT NOT NULL,
        container TEXT NOT NULL,
        credential_type TEXT NOT NULL,
        secret TEXT,
        description TEXT,
        tags TEXT NOT NULL DEFAULT '{}',
        is_default INTEGER NOT NULL DEFAULT 0,
        created TEXT NOT NULL
    );
    CREATE TABLE dataset_definitions (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        definition TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE TABLE dataset_versions (
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        dataset_id TEXT NOT NULL REFERENCES dataset_definitions(id),
        description TEXT,
        tags TEXT NOT NULL DEFAULT '{}',
        created TEXT NOT NULL,
        PRIMARY KEY (name, version)
    );
    CREATE TABLE data_assets (
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        type TEXT NOT NULL,
        path TEXT NOT NULL,
        description TEXT,
        tags TEXT NOT NULL DEFAULT '{}',
        properties TEXT NOT NULL DEFAULT '{}',
        archived INTEGER NOT NULL DEFAULT 0,
        created TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (name, version)
    );
    """,
    # 2: per-domain schemas (see Store.ensure_schema)
    """
    CREATE TABLE schema_versions (domain TEXT PRIMARY KEY, version INTEGER NOT NULL);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
_ABANDONED: list[sqlite3.Connection] = []  # connections inherited across a fork, kept unclosed on purpose


class StoreError(RuntimeError):
    """The workspace store cannot be opened or is newer than this dp100."""


_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _CORRUPT_CODES
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


def corrupt_error(path: Path, exc: BaseException) -> StoreCorrupt:
    return StoreCorrupt(
        f"The workspace database {path} is damaged ({exc}). Your own files are safe; start the workspace again "
        f"with `dp100 sandbox reset` (it removes what the sandbox held: datastores, assets, runs), or restore "
        f"{path.name} from a backup."
    )


class Store:
    """A thin, process-safe wrapper over the workspace's SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()

    # -- connections -----------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._migrate(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if _is_corruption(exc):
                raise corrupt_error(self.path, exc) from None
            raise
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection. A connection never crosses a fork: a child opens its own."""
        conn = getattr(self._local, "conn", None)
        if conn is not None and getattr(self._local, "pid", None) != os.getpid():
            _ABANDONED.append(conn)  # inherited: never use or close it here (closing could remove the WAL)
            conn = None
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            self._local.pid = os.getpid()
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            if getattr(self._local, "pid", None) == os.getpid():
                conn.close()
            else:
                _ABANDONED.append(conn)
            self._local.conn = None

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The workspace store {self.path} was written by a newer dp100 (schema {version}, this one knows "
                f"{SCHEMA_VERSION}). Upgrade dp100, or reset the sandbox with `dp100 sandbox reset`."
            )
        if version == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated
            for number in range(version, SCHEMA_VERSION):
                for statement in _statements(MIGRATIONS[number]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def ensure_schema(self, domain: str, migrations: list[str]) -> None:
        """Apply a domain's own migrations (each a ';'-separated script) once, tracked per domain.

        Each engine module (jobs, environments, compute, …) owns its tables this way, so modules can evolve
        their schemas independently.
        """
        done = getattr(self._local, "schemas", None)
        if done is None:
            done = self._local.schemas = set()
        if (domain, len(migrations)) in done:
            return
        conn = self.conn
        row = conn.execute("SELECT version FROM schema_versions WHERE domain = ?", (domain,)).fetchone()
        if row is None or row[0] < len(migrations):
            nested = conn.in_transaction  # called inside a caller's transaction: migrate as part of it
            if not nested:
                conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute("SELECT version FROM schema_versions WHERE domain = ?", (domain,)).fetchone()
                current = row[0] if row else 0
                if current > len(migrations):
                    raise StoreError(f"The {domain} tables in {self.path} are newer than this dp100; upgrade dp100.")
                for script in migrations[current:]:
                    for statement in _statements(script):
                        conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_versions(domain, version) VALUES(?, ?) "
                    "ON CONFLICT(domain) DO UPDATE SET version = excluded.version", (domain, len(migrations)))
                if not nested:
                    conn.execute("COMMIT")
            except BaseException:
                if not nested:
                    conn.execute("ROLLBACK")
                raise
        if not conn.in_transaction:  # inside a caller's transaction it is done only once that commits
            done.add((domain, len(migrations)))

    # -- queries ---------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that holds the write lock from its start (no lost updates)."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def one(self, sql: str, *args: Any) -> sqlite3.Row | None:
        return self._execute(sql, args).fetchone()

    def all(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        return self._execute(sql, args).fetchall()

    def run(self, sql: str, *args: Any) -> None:
        self._execute(sql, args)

    def _execute(self, sql: str, args: tuple) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, args)
        except sqlite3.DatabaseError as exc:
            if _is_corruption(exc):
                raise corrupt_error(self.path, exc) from None
            raise

    # -- meta ------------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.one("SELECT value FROM meta WHERE key = ?", key)
        return row["value"] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.run("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def dumps(value: Any) -> str:
    return json.dumps(value or {}, sort_keys=True)


def loads(text: str | None) -> Any:
    return json.loads(text) if text else {}
