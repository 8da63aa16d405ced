"""v2 data assets: named, string-versioned pointers at a file, a folder or an MLTable folder."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from sandbox import datastores, uris
from sandbox.clock import iso_now
from sandbox.assets import Versions
from sandbox.errors import InvalidInput, NotFound
from sandbox.security.access import requires

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

URI_FILE, URI_FOLDER, MLTABLE = "uri_file", "uri_folder", "mltable"
TYPES = (URI_FILE, URI_FOLDER, MLTABLE)
VERSIONS = Versions("data_assets", "Data asset")


@dataclass
class DataAsset:
    name: str
    version: str
    type: str
    path: str
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    archived: bool = False
    created: str = ""


def validate_version(version: object) -> str | None:
    if version is None:
        return None
    if not isinstance(version, str):
        raise InvalidInput(
            f"Data version must be a string, e.g. version=\"{version}\" (got the {type(version).__name__} {version!r})."
        )
    if not version.strip():
        raise InvalidInput("Data version cannot be empty; omit it to get the next version automatically.")
    return version


def content_hash(path: Path) -> str:
    """A hash of a file's or folder's content (names and bytes), used to name uploads."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for f in files:
        rel = f.name if path.is_file() else f.relative_to(path).as_posix()
        digest.update(rel.encode() + b"\0")
        with open(f, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:32]


def upload_local(ws: "Workspace", local: Path, progress: Callable[[str], None] | None = None) -> str:
    """Copy a local file or folder to the default datastore under LocalUpload/<hash>/ (once) and return its URI.

    Identical content is uploaded only once; `progress` hears about uploads that really copy bytes.
    """
    local = local.resolve()
    store = datastores.get_default(ws)
    base = datastores.root(ws, store.name)
    digest = content_hash(local)
    target = base / "LocalUpload" / digest / local.name
    if not target.exists():
        if progress is not None:
            size = sum(f.stat().st_size for f in ([local] if local.is_file() else local.rglob("*")) if f.is_file())
            progress(f"Uploading {local.name} ({'< 1 MB' if size < 1 << 20 else f'{size / (1 << 20):.1f} MB'}): "
                     f"100%|##########| {size / 1000:.1f}k/{size / 1000:.1f}k")
        staging = base / "LocalUpload" / f".{digest}.{os.getpid()}.tmp" / local.name
        staging.parent.mkdir(parents=True, exist_ok=True)
        if local.is_dir():
            shutil.copytree(local, staging)
        else:
            shutil.copyfile(local, staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(staging, target)
        except OSError:
            pass  # another process uploaded the same content first
        shutil.rmtree(staging.parent, ignore_errors=True)
    rel = f"LocalUpload/{digest}/{local.name}" + ("/" if local.is_dir() else "")
    return uris.datastore_uri(ws, store.name, rel)


def check_path_matches_type(ws: "Workspace", path: str, kind: str, remote: bool = False) -> None:
    local = uris.resolve(ws, path)
    if uris.has_glob(str(local)):
        return
    if not local.exists():
        if not remote:
            raise NotFound(f"The path {path!r} does not exist. Check the datastore name and path.")
        return  # Azure registers a datastore reference as given; reading it later fails if it is still missing
    if kind == URI_FILE and not local.is_file():
        raise InvalidInput(f"A uri_file data asset must point at a file, but {path!r} is a folder. Use type uri_folder.")
    if kind in (URI_FOLDER, MLTABLE) and not local.is_dir():
        raise InvalidInput(f"A {kind} data asset must point at a folder, but {path!r} is a file. Use type uri_file.")
    if kind == MLTABLE and not (local / "MLTable").is_file():
        raise InvalidInput(
            f"An mltable data asset must point at a folder that contains an MLTable file; none found in {path!r}. "
            "Create one with mltable (e.g. tbl.save(folder)) or write the MLTable YAML by hand."
        )


@requires("data/versions/write")
def create_or_update(
    ws: "Workspace",
    name: str,
    path: str,
    kind: str = URI_FOLDER,
    version: str | None = None,
    description: str | None = None,
    tags: dict[str, str] | None = None,
    properties: dict[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> DataAsset:
    if not name:
        raise InvalidInput("A data asset needs a name, e.g. Data(name=\"diabetes\", path=\"./data/diabetes.csv\", type=AssetTypes.URI_FILE).")
    if kind not in TYPES:
        raise InvalidInput(f"Unknown data type {kind!r}; use one of {', '.join(TYPES)} (AssetTypes.URI_FILE, ...).")
    version = validate_version(version)
    parsed = uris.parse(path, ws)
    if isinstance(parsed, uris.LocalPath):
        local = parsed.path
        if not local.exists():
            raise NotFound(f"The local path {str(local)!r} does not exist (relative paths start at {Path.cwd()}).")
        check_path_matches_type(ws, str(local), kind)
        path = upload_local(ws, local, progress)
    elif isinstance(parsed, uris.AssetRef):
        raise InvalidInput("A data asset's path must be a file, folder or datastore URI, not another asset reference.")
    else:
        check_path_matches_type(ws, path, kind, remote=True)
    with ws.store.transaction():
        if version is None:
            version = VERSIONS.next_version(ws, name)
        existing = VERSIONS.row(ws, name, version)
        if existing is not None:
            if existing["path"] != path or existing["type"] != kind:
                raise VERSIONS.refuse_change(name, version)
            return _asset(existing)
        seq = VERSIONS.next_seq(ws)
        ws.store.run(
            "INSERT INTO data_assets(name, version, type, path, description, tags, properties, created, seq)"
            " VALUES(?,?,?,?,?,?,?,?,?)",
            name, version, kind, path, description, json.dumps(tags or {}), json.dumps(properties or {}), iso_now(), seq,
        )
    return get(ws, name, version=version)


def _asset(row) -> DataAsset:
    return DataAsset(row["name"], row["version"], row["type"], row["path"], row["description"],
                     json.loads(row["tags"]), json.loads(row["properties"]), bool(row["archived"]), row["created"])


@requires("data/versions/read")
def get(ws: "Workspace", name: str, version: str | None = None, label: str | None = None) -> DataAsset:
    """One version, or the latest with label="latest" (one of the two is required, as in azure-ai-ml)."""
    return _asset(VERSIONS.find(ws, name, None if version is None else str(version), label, require_one=True))


@requires("data/versions/read")
def list_assets(ws: "Workspace", name: str | None = None, include_archived: bool = False) -> list[DataAsset]:
    return [_asset(r) for r in VERSIONS.rows(ws, name, include_archived)]


@requires("data/versions/write")
def set_archived(ws: "Workspace", name: str, version: str | None, archived: bool) -> None:
    VERSIONS.set_archived(ws, name, version, archived)


# -- the registry's view (sandbox.domains) ---------------------------------------------------------------------
def ls_rows(ws: "Workspace", name: str | None = None) -> list[dict]:
    return [{"name": a.name, "version": a.version, "type": a.type, "path": a.path, "created": a.created}
            for a in list_assets(ws, name)]


def count(ws: "Workspace") -> int:
    return len(list_assets(ws))


def tree(ws: "Workspace") -> list:
    from sandbox.domains import Entry

    out = []
    for latest in list_assets(ws):
        versions = list_assets(ws, latest.name)
        out.append(Entry(("asset", latest.name), f"{latest.name} ({_plural(len(versions), 'version')})",
                         children=tuple(Entry(("asset", latest.name, v.version), f"v{v.version} · {v.type}")
                                        for v in versions)))
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
