"""Parse the addresses learners write for data and resolve them to files in the sandbox.

Understood forms:
- ``azureml://datastores/<ds>/paths/<p>`` and the long form with subscription, resource group and workspace;
- ``azureml://subscriptions/…/data/<name>/versions/<v>`` and ``azureml:<name>:<version>`` / ``azureml:<name>@latest``
  (data asset references);
- storage URLs: ``wasbs://<container>@<account>.blob.core.windows.net/<p>``,
  ``https://<account>.blob|dfs|file.core.windows.net/<container>/<p>``, ``abfss://<fs>@<account>.dfs.core.windows.net/<p>``;
- local paths and ``file://`` URLs.
"""
from __future__ import annotations

import glob
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from sandbox.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

_SHORT_DS = re.compile(r"^azureml://datastores/(?P<ds>[^/]+)/paths/?(?P<path>.*)$", re.I)
_LONG_DS = re.compile(
    r"^azureml://subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)/"
    r"(?:providers/microsoft\.machinelearningservices/)?workspaces/(?P<ws>[^/]+)/datastores/(?P<ds>[^/]+)/paths/?(?P<path>.*)$",
    re.I,
)
_LONG_ASSET = re.compile(
    r"^azureml://subscriptions/[^/]+/resourcegroups/[^/]+/(?:providers/microsoft\.machinelearningservices/)?"
    r"workspaces/[^/]+/data/(?P<name>[^/]+)/versions/(?P<version>[^/]+)/?$",
    re.I,
)
_SHORT_ASSET = re.compile(r"^azureml:(?!//)(?P<name>[^:@/]+)(?::(?P<version>[^:@/]+)|@(?P<label>[^:@/]+))?$")
_STORAGE_AT = re.compile(
    r"^(?P<scheme>wasbs?|abfss?)://(?P<container>[^@/]+)@(?P<account>[a-z0-9]+)\.(?:blob|dfs)\.core\.windows\.net/?(?P<path>.*)$",
    re.I,
)
_STORAGE_HTTPS = re.compile(
    r"^https?://(?P<account>[a-z0-9]+)\.(?:blob|dfs|file)\.core\.windows\.net/(?P<container>[^/]+)/?(?P<path>.*)$", re.I
)


@dataclass(frozen=True)
class DatastorePath:
    datastore: str
    path: str


@dataclass(frozen=True)
class StoragePath:
    account: str
    container: str
    path: str


@dataclass(frozen=True)
class AssetRef:
    name: str
    version: str | None
    label: str | None


@dataclass(frozen=True)
class LocalPath:
    path: Path


Parsed = DatastorePath | StoragePath | AssetRef | LocalPath


def parse(uri: str, ws: "Workspace | None" = None) -> Parsed:
    if not isinstance(uri, str) or not uri.strip():
        raise InvalidInput(f"Expected a path or URI, got {uri!r}.")
    text = uri.strip()
    if m := _SHORT_DS.match(text):
        return DatastorePath(m["ds"], unquote(m["path"]))
    if m := _LONG_DS.match(text):
        if ws is not None and m["ws"].lower() != ws.name.lower():
            raise NotFound(
                f"The URI {uri!r} points at workspace {m['ws']!r}, but this sandbox workspace is {ws.name!r}. "
                "Use the short form azureml://datastores/<datastore>/paths/<path>."
            )
        return DatastorePath(m["ds"], unquote(m["path"]))
    if m := _LONG_ASSET.match(text):
        return AssetRef(m["name"], m["version"], None)
    if m := _SHORT_ASSET.match(text):
        if m["version"] is None and m["label"] is None:
            raise InvalidInput(
                f"The data reference {uri!r} has no version. Write azureml:<name>:<version> or azureml:<name>@latest."
            )
        return AssetRef(m["name"], m["version"], m["label"])
    if m := _STORAGE_AT.match(text):
        return StoragePath(m["account"].lower(), m["container"], unquote(m["path"]))
    if m := _STORAGE_HTTPS.match(text):
        return StoragePath(m["account"].lower(), m["container"], unquote(m["path"]))
    if text.startswith("azureml://"):
        raise InvalidInput(
            f"Unrecognised azureml URI {uri!r}. Expected azureml://datastores/<datastore>/paths/<path>."
        )
    if text.startswith("file://"):
        return LocalPath(Path(unquote(urlparse(text).path)))
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
        raise InvalidInput(
            f"The sandbox has no internet access, so {uri!r} cannot be read. Download the file, upload it to a "
            "datastore (datastore.upload / ml_client.data.create_or_update with a local path) and use that instead."
        )
    return LocalPath(Path(text).expanduser())


def datastore_uri(ws: "Workspace", datastore: str, path: str, long: bool = True) -> str:
    path = path.lstrip("/")
    if not long:
        return f"azureml://datastores/{datastore}/paths/{path}"
    return (
        f"azureml://subscriptions/{ws.subscription_id}/resourcegroups/{ws.resource_group}"
        f"/workspaces/{ws.name}/datastores/{datastore}/paths/{path}"
    )


def local_path(ws: "Workspace", parsed: Parsed) -> Path:
    """The sandbox file or folder (or glob pattern) an address stands for."""
    from sandbox import datastores

    if isinstance(parsed, DatastorePath):
        base = datastores.root(ws, parsed.datastore)
        return _join_pattern(base, parsed.path)
    if isinstance(parsed, StoragePath):
        base = datastores.storage_path(ws, parsed.account, parsed.container)
        if not base.exists():
            raise NotFound(
                f"Storage account {parsed.account!r} container {parsed.container!r} is unknown to the sandbox. "
                "Register a datastore for it first (it starts empty) and upload files to it."
            )
        return _join_pattern(base, parsed.path)
    if isinstance(parsed, LocalPath):
        return parsed.path
    if isinstance(parsed, AssetRef):
        from sandbox import data

        asset = data.get(ws, parsed.name, version=parsed.version, label=parsed.label or ("latest" if parsed.version is None else None))
        return local_path(ws, parse(asset.path, ws))
    raise InvalidInput(f"Cannot resolve {parsed!r}.")


def resolve(ws: "Workspace", uri: str) -> Path:
    return local_path(ws, parse(uri, ws))


def _join_pattern(base: Path, rel: str) -> Path:
    from sandbox.datastores import safe_join

    rel = rel.replace("\\", "/").lstrip("/")
    if has_glob(rel):
        safe_join(base, glob_base(Path(rel)).as_posix())
        return base / rel
    return safe_join(base, rel)


def glob_base(pattern: Path) -> Path:
    """The folder a glob pattern starts from: everything before the first segment with a wildcard."""
    parts = pattern.parts
    for index, part in enumerate(parts):
        if has_glob(part):
            return Path(*parts[:index])
    return pattern.parent


def has_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def expand_files(path: Path) -> list[Path]:
    """All files a path stands for: the file itself, every file under a folder, or the matches of a glob."""
    text = str(path)
    if has_glob(text):
        return sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file())
    return []


def datastore_of(ws: "Workspace", uri: str) -> str | None:
    """The datastore an address reads from (following data asset references), or None for local paths/URLs."""
    parsed = parse(uri, ws)
    if isinstance(parsed, DatastorePath):
        return parsed.datastore
    if isinstance(parsed, AssetRef):
        from sandbox import data

        asset = data.get(ws, parsed.name, version=parsed.version,
                         label=parsed.label or ("latest" if parsed.version is None else None))
        return datastore_of(ws, asset.path)
    return None
