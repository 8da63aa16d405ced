"""v1 datasets: saved definitions (with ids) and named, integer-versioned registrations."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox import tables, uris
from sandbox.clock import iso_now
from sandbox.errors import AlreadyExists, InvalidInput, NotFound
from sandbox.security.access import requires

if TYPE_CHECKING:
    import pandas as pd

    from sandbox.workspace import Workspace

TABULAR, FILE = "tabular", "file"


@dataclass
class Definition:
    """What a dataset is: where its files are, how to read them, and what to do to them."""

    kind: str
    paths: list[str]  # azureml:// URIs (or storage URLs)
    read: dict[str, Any] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind, "paths": self.paths, "read": self.read, "steps": self.steps}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Definition":
        d = json.loads(text)
        return cls(d["kind"], d["paths"], d.get("read", {}), d.get("steps", []))

    def with_step(self, op: str, arg: Any) -> "Definition":
        return Definition(self.kind, list(self.paths), dict(self.read), [*self.steps, {op: arg}])


@dataclass
class Registration:
    name: str
    version: int
    dataset_id: str
    description: str | None
    tags: dict[str, str]
    created: str
    definition: Definition


@requires("datasets/unregistered/write")
def save(ws: "Workspace", definition: Definition) -> str:
    """Store a definition and return its id; the same definition always gets the same id."""
    text = definition.to_json()
    row = ws.store.one("SELECT id FROM dataset_definitions WHERE definition = ?", text)
    if row:
        return row["id"]
    dataset_id = str(uuid.uuid4())
    ws.store.run(
        "INSERT INTO dataset_definitions(id, kind, definition, created) VALUES(?,?,?,?)",
        dataset_id, definition.kind, text, iso_now(),
    )
    return dataset_id


def get_definition(ws: "Workspace", dataset_id: str) -> Definition:
    row = ws.store.one("SELECT definition FROM dataset_definitions WHERE id = ?", dataset_id)
    if row is None:
        raise NotFound(f"No dataset with id {dataset_id!r} exists in the workspace.")
    return Definition.from_json(row["definition"])


@requires("datasets/registered/write")
def register(
    ws: "Workspace",
    definition: Definition,
    name: str,
    description: str | None = None,
    tags: dict[str, str] | None = None,
    create_new_version: bool = False,
) -> Registration:
    if not name or not isinstance(name, str):
        raise InvalidInput("A dataset needs a name to be registered, e.g. register(ws, name='diabetes').")
    dataset_id = save(ws, definition)
    with ws.store.transaction():
        latest = ws.store.one(
            "SELECT * FROM dataset_versions WHERE name = ? ORDER BY version DESC LIMIT 1", name
        )
        if latest is not None:
            if latest["dataset_id"] == dataset_id:
                return _registration(ws, latest)  # identical definition: the existing version
            if not create_new_version:
                raise AlreadyExists(
                    f'There is already a dataset registered under name "{name}". '
                    "Specify `create_new_version=True` to register the dataset as a new version."
                )
        version = (latest["version"] + 1) if latest else 1
        ws.store.run(
            "INSERT INTO dataset_versions(name, version, dataset_id, description, tags, created) VALUES(?,?,?,?,?,?)",
            name, version, dataset_id, description, json.dumps(tags or {}), iso_now(),
        )
    return get(ws, name, version)


def _registration(ws: "Workspace", row) -> Registration:
    return Registration(
        row["name"], row["version"], row["dataset_id"], row["description"], json.loads(row["tags"]), row["created"],
        get_definition(ws, row["dataset_id"]),
    )


@requires("datasets/registered/read")
def get(ws: "Workspace", name: str, version: int | str | None = "latest") -> Registration:
    if version in (None, "latest"):
        row = ws.store.one("SELECT * FROM dataset_versions WHERE name = ? ORDER BY version DESC LIMIT 1", name)
    else:
        try:
            number = int(version)
        except (TypeError, ValueError):
            raise InvalidInput(f"Dataset versions are whole numbers or 'latest'; got {version!r}.") from None
        row = ws.store.one("SELECT * FROM dataset_versions WHERE name = ? AND version = ?", name, number)
    if row is None:
        raise NotFound(f'Cannot find dataset registered with name "{name}" (version: {version}) in the workspace.')
    return _registration(ws, row)


def registrations_of(ws: "Workspace", dataset_id: str) -> list[Registration]:
    rows = ws.store.all("SELECT * FROM dataset_versions WHERE dataset_id = ? ORDER BY version", dataset_id)
    return [_registration(ws, r) for r in rows]


@requires("datasets/registered/read")
def list_latest(ws: "Workspace") -> list[Registration]:
    rows = ws.store.all(
        "SELECT d.* FROM dataset_versions d JOIN (SELECT name, MAX(version) AS v FROM dataset_versions GROUP BY name) m"
        " ON d.name = m.name AND d.version = m.v ORDER BY d.name"
    )
    return [_registration(ws, r) for r in rows]


@requires("datasets/registered/write")
def set_tags(ws: "Workspace", name: str, version: int, tags: dict[str, str]) -> Registration:
    """Replace the tags of one registered version."""
    get(ws, name, version)
    ws.store.run("UPDATE dataset_versions SET tags = ? WHERE name = ? AND version = ?", json.dumps(tags), name,
                 int(version))
    return get(ws, name, version)


@requires("datasets/registered/delete")
def unregister_all_versions(ws: "Workspace", name: str) -> None:
    """Remove every registered version of `name` (the saved definitions stay: runs may refer to them by id)."""
    get(ws, name)
    ws.store.run("DELETE FROM dataset_versions WHERE name = ?", name)


@requires("datasets/registered/read")
def list_versions(ws: "Workspace", name: str) -> list[Registration]:
    rows = ws.store.all("SELECT * FROM dataset_versions WHERE name = ? ORDER BY version", name)
    return [_registration(ws, r) for r in rows]


# -- materialising ------------------------------------------------------------------------------
def files_of(ws: "Workspace", definition: Definition) -> list[tuple[Path, str]]:
    """(local file, path relative to the dataset's root) for every file the definition covers, in order."""
    found: list[tuple[Path, str]] = []
    for uri in definition.paths:
        local = uris.resolve(ws, uri)
        text = str(local)
        base = uris.glob_base(local) if uris.has_glob(text) else (local if local.is_dir() else local.parent)
        for f in uris.expand_files(local):
            found.append((f, f.relative_to(base).as_posix()))
    if not found:
        raise NotFound(
            "Cannot load any data from the specified path. Make sure the path is accessible and contains data: "
            + ", ".join(definition.paths)
        )
    if definition.kind == FILE:
        found = tables.apply_file_steps(found, definition.steps)
    return found


def to_dataframe(ws: "Workspace", definition: Definition) -> "pd.DataFrame":
    if definition.kind != TABULAR:
        raise InvalidInput("Only tabular datasets can be turned into a DataFrame; use download() or mount() for files.")
    files = [f for f, _ in files_of(ws, definition)]
    df = tables.read_files(files, definition.read, display=lambda p: _display_path(ws, p))
    return tables.apply_steps(df, definition.steps)


def check_columns(ws: "Workspace", definition: Definition, columns: list[str]) -> None:
    """Refuse columns the dataset's data does not have (with_timestamp_columns(validate=True))."""
    df = to_dataframe(ws, Definition(definition.kind, definition.paths, definition.read, [*definition.steps,
                                                                                         {"take": 1}]))
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InvalidInput(f"Column(s) {', '.join(missing)} not found in the dataset. Its columns: "
                           f"{', '.join(map(str, df.columns))}.")


def _display_path(ws: "Workspace", path: Path) -> str:
    try:
        return "/" + path.resolve().relative_to(ws.storage_dir.resolve()).as_posix().split("/", 2)[2]
    except (ValueError, IndexError):
        return str(path)


# -- the registry's view (sandbox.domains) ---------------------------------------------------------------------
def ls_rows(ws: "Workspace", name: str | None = None) -> list[dict]:
    regs = list_versions(ws, name) if name else list_latest(ws)
    return [{"name": r.name, "version": r.version, "kind": r.definition.kind, "id": r.dataset_id,
             "created": r.created} for r in regs]


def tree(ws: "Workspace") -> list:
    from sandbox.domains import Entry

    out = []
    for reg in list_latest(ws):
        versions = list_versions(ws, reg.name)
        label = f"{reg.name} ({len(versions)} version{'' if len(versions) == 1 else 's'})"
        out.append(Entry(("dataset", reg.name), label, children=tuple(
            Entry(("dataset", reg.name, str(v.version)), f"v{v.version} · {v.definition.kind}") for v in versions)))
    return out
