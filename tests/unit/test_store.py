import multiprocessing
import sqlite3

import pytest

from sandbox.store import SCHEMA_VERSION, Store, StoreError


def test_new_store_is_migrated_to_the_current_schema_in_wal_mode(tmp_path):
    store = Store(tmp_path / "w.db")
    assert store.one("PRAGMA user_version")[0] == SCHEMA_VERSION
    assert store.one("PRAGMA journal_mode")[0] == "wal"


def test_store_written_by_a_newer_dp100_is_refused_with_advice(tmp_path):
    path = tmp_path / "w.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="dp100 sandbox reset"):
        Store(path).conn


def _register_many(folder: str, worker: int, count: int) -> None:
    import os

    os.environ["DP100_WORKSPACE"] = folder
    from pathlib import Path

    from sandbox import data
    from sandbox.workspace import Workspace

    ws = Workspace.open(Path(folder))
    target = Path(folder) / f"file{worker}.csv"
    target.write_text("a\n1\n")
    for _ in range(count):
        data.create_or_update(ws, "shared", str(target), data.URI_FILE)


def test_two_processes_registering_versions_at_once_never_collide(ws):
    folder = str(ws.root)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_register_many, args=(folder, n, 15)) for n in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    versions = [r["version"] for r in ws.store.all("SELECT version FROM data_assets WHERE name = 'shared'")]
    assert sorted(int(v) for v in versions) == list(range(1, 31))


def test_domain_schemas_apply_once_and_grow(tmp_path):
    store = Store(tmp_path / "w.db")
    store.ensure_schema("things", ["CREATE TABLE things (a TEXT)"])
    store.ensure_schema("things", ["CREATE TABLE things (a TEXT)"])
    store.ensure_schema("things", ["CREATE TABLE things (a TEXT)", "ALTER TABLE things ADD COLUMN b TEXT"])
    store.run("INSERT INTO things(a, b) VALUES('x', 'y')")
    assert Store(tmp_path / "w.db").one("SELECT version FROM schema_versions WHERE domain='things'")[0] == 2
