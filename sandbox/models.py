"""Registered models: versioned copies of a file or folder, with framework, tags and the run they came from."""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sandbox import uris
from sandbox.clock import iso_now
from sandbox.assets import Versions
from sandbox.errors import InvalidInput, NotFound
from sandbox.security.access import requires

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

SCHEMA = ["""
CREATE TABLE models (
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    type TEXT NOT NULL,
    description TEXT,
    tags TEXT NOT NULL DEFAULT '{}',
    properties TEXT NOT NULL DEFAULT '{}',
    framework TEXT,
    framework_version TEXT,
    run_id TEXT,
    source TEXT,
    file_name TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (name, version)
);
""", """
ALTER TABLE models ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE models ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE models SET seq = rowid;
"""]
VERSIONS = Versions("models", "Model", integer_versions=True)
NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9\-._]{0,254}$")
CUSTOM, MLFLOW = "custom_model", "mlflow_model"
_JOB_ARTIFACT = re.compile(r"^azureml://jobs/(?P<job>[^/]+)/outputs/(?P<out>[^/]+)/paths/(?P<path>.*)$", re.I)
_RUNS = re.compile(r"^runs:/(?P<run>[^/]+)/?(?P<path>.*)$")


@dataclass
class ModelRecord:
    name: str
    version: int
    type: str
    description: str | None
    tags: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    framework: str | None = None
    framework_version: str | None = None
    run_id: str | None = None
    source: str | None = None
    file_name: str = ""
    created: str = ""
    archived: bool = False


def _schema(ws: "Workspace") -> None:
    ws.store.ensure_schema("models", SCHEMA)


def folder(ws: "Workspace", name: str, version: int) -> Path:
    return ws.root / "models" / name / str(version)


def path_of(ws: "Workspace", rec: ModelRecord) -> Path:
    return folder(ws, rec.name, rec.version) / rec.file_name


def resolve_source(ws: "Workspace", source: str) -> tuple[Path, str | None]:
    """Local file/folder for a model source, and the run it belongs to (if any)."""
    from sandbox import jobs, runs

    text = str(source)
    match = _JOB_ARTIFACT.match(text) or _RUNS.match(text)
    if match:
        run = match.groupdict().get("job") or match.group("run")
        out = match.groupdict().get("out", "artifacts")
        rel = match.group("path").strip("/")
        job = jobs.get(ws, run)
        if out == "artifacts":
            base = runs.artifacts_dir(ws, run)
        else:
            outputs = runs.named_outputs(ws, run)
            if out not in outputs:
                raise NotFound(f"Job {run} has no output named {out!r}. Its outputs: {', '.join(outputs) or 'none'}.")
            base = uris.resolve(ws, outputs[out])
        local = base / rel if rel else base
        if not local.exists() and out == "artifacts" and rel:
            from sandbox import tracking

            head, _, rest = rel.partition("/")
            window = (_ms(job.created), _ms(job.end_time) + 1000 if job.end_time else 2**62)
            # mlflow.<flavor>.log_model(model, "<head>")
            logged = tracking.logged_model_dir(ws, run, head, job.experiment_id, window)
            if logged is not None:
                local = logged / rest if rest else logged
        if not local.exists():
            raise NotFound(f"{text} does not exist: the job's files are {', '.join(runs.file_names(ws, run)) or 'none'}.")
        return local, run
    local = uris.resolve(ws, text)
    if not local.exists():
        raise NotFound(f"The model path {text!r} does not exist.")
    return local, None


def _ms(iso: str) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


@requires("models/versions/write")
def register(ws: "Workspace", name: str, source: Path, *, type: str = CUSTOM, version: int | None = None,
             description: str | None = None, tags: dict | None = None, properties: dict | None = None,
             framework: str | None = None, framework_version: str | None = None, run_id: str | None = None,
             source_text: str | None = None) -> ModelRecord:
    _schema(ws)
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise InvalidInput(f"Invalid model name {name!r}: start with a letter or digit; then letters, digits, '-', '.', '_' (max 255).")
    source = Path(source)
    if not source.exists():
        raise NotFound(f"The model path {str(source)!r} does not exist.")
    if type == MLFLOW and not (source / "MLmodel").is_file():
        raise InvalidInput(f"An mlflow_model must be a folder with an MLmodel file; {source} has none. "
                           "Save it with mlflow.<flavor>.save_model/log_model, or register it as custom_model.")
    with ws.store.transaction():
        following = VERSIONS.next_version(ws, name)
        number = int(version) if version is not None else following
        if VERSIONS.row(ws, name, number) is not None:
            raise InvalidInput(f"Model {name}:{number} already exists; versions are immutable. Leave version out to "
                               f"get {following}.")
        target = folder(ws, name, number)
        target.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target / source.name, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, target / source.name)
        ws.store.run(
            "INSERT INTO models(name, version, type, description, tags, properties, framework, framework_version, run_id,"
            " source, file_name, created, seq) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
            name, number, type, description, json.dumps(tags or {}), json.dumps(properties or {}), framework,
            framework_version, run_id, source_text or str(source), source.name, iso_now(), VERSIONS.next_seq(ws))
    return get(ws, name, number)


def _record(row) -> ModelRecord:
    return ModelRecord(row["name"], row["version"], row["type"], row["description"], json.loads(row["tags"]),
                       json.loads(row["properties"]), row["framework"], row["framework_version"], row["run_id"],
                       row["source"], row["file_name"], row["created"], bool(row["archived"]))


@requires("models/versions/read")
def get(ws: "Workspace", name: str, version: int | str | None = None, label: str | None = None) -> ModelRecord:
    """One version, or the latest (not archived) with version None / "latest" or label="latest"."""
    _schema(ws)
    return _record(VERSIONS.find(ws, name, version, label))


@requires("models/versions/read")
def list_models(ws: "Workspace", name: str | None = None, latest: bool = False,
                include_archived: bool = False) -> list[ModelRecord]:
    """Every version (newest first per name), or only the latest version of each name."""
    _schema(ws)
    if latest and name is None:
        return [_record(r) for r in VERSIONS.rows(ws, None, include_archived)]
    archived = "" if include_archived else " AND archived = 0"
    rows = ws.store.all(f"SELECT * FROM models WHERE (? IS NULL OR name = ?){archived} ORDER BY name, version DESC",
                        name, name)
    records = [_record(r) for r in rows]
    if latest:
        records = records[:1]
    return records


@requires("models/versions/write")
def set_archived(ws: "Workspace", name: str, version: int | str | None, archived: bool) -> None:
    _schema(ws)
    VERSIONS.set_archived(ws, name, version, archived)


@requires("models/versions/write")
def update_tags(ws: "Workspace", name: str, version: int, tags: dict[str, str]) -> None:
    ws.store.run("UPDATE models SET tags = ? WHERE name = ? AND version = ?", json.dumps(tags), name, version)


# -- the registry's view (sandbox.domains) ---------------------------------------------------------------------
def ls_rows(ws: "Workspace", name: str | None = None) -> list[dict]:
    return [{"name": m.name, "version": m.version, "type": m.type, "run": m.run_id, "created": m.created}
            for m in list_models(ws, name)]


def tree(ws: "Workspace") -> list:
    from sandbox.domains import Entry

    return [Entry(("model", m.name, str(m.version)), f"{m.name}:{m.version}") for m in list_models(ws)]
