"""The environments registry: the table, register / get / list / archive, resolving a job's reference, and the
registry's view for `sandbox.domains` (`ls_rows`, `tree`)."""
from __future__ import annotations

import difflib
import hashlib
import json
import re
from typing import TYPE_CHECKING

from sandbox.clock import iso_now
from sandbox.environments.curated import _CURATED_BY_REGISTRY
from sandbox.environments.curated import seed as _seed_curated
from sandbox.environments.definitions import (
    ANONYMOUS_NAME,
    VERSIONS,
    EnvironmentDefinition,
    EnvironmentRecord,
    check_conda,
    conda_parts,
    image_hash,
    validate_name,
)
from sandbox.errors import InvalidInput, NotFound
from sandbox.security.access import requires

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

MIGRATIONS = [
    """
    CREATE TABLE environments (
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        definition TEXT NOT NULL,
        image_hash TEXT NOT NULL,
        description TEXT,
        tags TEXT NOT NULL DEFAULT '{}',
        curated INTEGER NOT NULL DEFAULT 0,
        archived INTEGER NOT NULL DEFAULT 0,
        created TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (name, version)
    );
    CREATE TABLE environment_builds (
        hash TEXT PRIMARY KEY,
        image TEXT NOT NULL,
        log TEXT NOT NULL,
        created TEXT NOT NULL
    );
    """,
]


def _ensure(ws: "Workspace") -> None:
    ws.store.ensure_schema("environments", MIGRATIONS)
    _seed_curated(ws)


# -- register, get, list -----------------------------------------------------------------------
@requires("environments/write")
def register(ws: "Workspace", name: str, definition: EnvironmentDefinition, version: str | None = None,
             description: str | None = None, tags: dict[str, str] | None = None) -> EnvironmentRecord:
    """Register a definition under a name.

    With no version: an identical definition keeps the latest version; a changed one gets the next number.
    With a version: that version is created, or returned if it exists with the same definition (versions are
    immutable otherwise).
    """
    validate_name(name, curated=False)
    if version is not None:
        if not isinstance(version, str):
            raise InvalidInput(f"Environment version must be a string, e.g. version=\"{version}\" "
                               f"(got the {type(version).__name__} {version!r}).")
        if not version.strip():
            raise InvalidInput("Environment version cannot be empty; omit it to get the next version automatically.")
    _check_definition(definition)
    _ensure(ws)
    defn_json = json.dumps(definition.to_dict(), sort_keys=True)
    with ws.store.transaction():
        if version is None:
            latest = VERSIONS.latest_row(ws, name, include_archived=True)
            if latest is not None and _same(latest["definition"], defn_json):
                return _record(latest)
            version = VERSIONS.next_version(ws, name)
        else:
            existing = VERSIONS.row(ws, name, version)
            if existing is not None:
                if _same(existing["definition"], defn_json):
                    return _record(existing)
                raise VERSIONS.refuse_change(name, version)
        ws.store.run(
            "INSERT INTO environments(name, version, definition, image_hash, description, tags, curated, created, seq)"
            " VALUES(?,?,?,?,?,?,0,?,?)", name, version, defn_json, image_hash(definition), description,
            json.dumps(tags or {}), iso_now(), VERSIONS.next_seq(ws))
    return get(ws, name, version)


@requires("environments/write")
def register_anonymous(ws: "Workspace", definition: EnvironmentDefinition) -> EnvironmentRecord:
    """An unnamed environment (an inline v2 Environment in a job): named CliV2AnonymousEnvironment, version = hash."""
    _check_definition(definition)
    _ensure(ws)
    version = hashlib.md5(json.dumps(definition.to_dict(), sort_keys=True).encode()).hexdigest()
    existing = VERSIONS.row(ws, ANONYMOUS_NAME, version)
    if existing is not None:
        return _record(existing)
    return register(ws, ANONYMOUS_NAME, definition, version=version)


def _same(stored: str, new: str) -> bool:
    return json.loads(stored) == json.loads(new)


def _check_definition(defn: EnvironmentDefinition) -> None:
    if not isinstance(defn, EnvironmentDefinition):
        raise InvalidInput("Expected an EnvironmentDefinition.")
    if not defn.image and not defn.dockerfile:
        raise InvalidInput("Docker image or Dockerfile is required for environments.")
    if defn.conda is not None:
        check_conda(defn.conda)
    for key, value in (defn.environment_variables or {}).items():
        if not isinstance(key, str):
            raise InvalidInput(f"Environment variable names must be strings; got {key!r}.")
    for line in conda_parts(defn.conda)[2]:
        if line.strip() in ("sklearn",):
            raise InvalidInput(
                "The pip package 'sklearn' is deprecated and cannot be installed; use 'scikit-learn' instead.")


def _record(row) -> EnvironmentRecord:
    return EnvironmentRecord(row["name"], row["version"], EnvironmentDefinition.from_dict(json.loads(row["definition"])),
                             row["image_hash"], row["description"], json.loads(row["tags"]), bool(row["curated"]),
                             bool(row["archived"]), row["created"])


@requires("environments/read")
def get(ws: "Workspace", name: str, version: str | None = None, label: str | None = None,
        include_archived: bool = True) -> EnvironmentRecord:
    """One version (`version`), or the latest (`label='latest'` or neither)."""
    _ensure(ws)
    if version is not None and label is not None:
        raise InvalidInput("Cannot specify both version and label; pass one of them.")
    if label is not None and label != "latest":
        raise InvalidInput(f"Unknown label {label!r}; the only label is 'latest'.")
    if version is not None:
        row = VERSIONS.row(ws, name, version)
    else:
        row = VERSIONS.latest_row(ws, name) or (VERSIONS.latest_row(ws, name, True) if include_archived else None)
    if row is None:
        raise _not_found(ws, name, version)
    return _record(row)


def _not_found(ws: "Workspace", name: str, version: str | None) -> NotFound:
    versions = VERSIONS.versions(ws, name)
    if versions and version is not None:
        return NotFound(f"Environment {name}:{version} was not found. Versions of {name!r}: {', '.join(versions)}; "
                        f"or use the latest with '{name}@latest'.")
    names = [r["name"] for r in ws.store.all("SELECT DISTINCT name FROM environments")]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    lower = [n for n in names if n.lower() == name.lower() and n not in close]
    hint = f" Did you mean {', '.join(repr(n) for n in lower + close)}?" if lower or close else ""
    what = f"{name}:{version}" if version is not None else name
    return NotFound(f"Environment {what!r} was not found in the workspace.{hint} Register it first "
                    "(env.register(ws) in v1, ml_client.environments.create_or_update(env) in v2).")


@requires("environments/read")
def list_environments(ws: "Workspace", name: str | None = None, include_archived: bool = False) -> list[EnvironmentRecord]:
    """All versions of `name` (oldest first), or the latest version of every environment (by name)."""
    _ensure(ws)
    records = [_record(r) for r in VERSIONS.rows(ws, name, include_archived)]
    if name is None:
        records.sort(key=lambda r: (not r.curated, r.name))
    return records


@requires("environments/write")
def set_archived(ws: "Workspace", name: str, version: str | None, archived: bool) -> None:
    _ensure(ws)
    VERSIONS.set_archived(ws, name, version, archived)


@requires("environments/read")
def resolve(ws: "Workspace", ref: str) -> EnvironmentRecord:
    """Find the environment a job names.

    Accepts `azureml:name:version`, `azureml:name@latest`, `name:version`, `name@latest`, a bare name (latest),
    ARM ids ending `/environments/<name>/versions/<v>` and registry ids
    `azureml://registries/azureml/environments/<name>/versions/<v>` or `.../labels/latest`.
    """
    if not isinstance(ref, str) or not ref.strip():
        raise InvalidInput(f"Expected an environment reference like 'azureml:my-env:1' or 'my-env@latest'; got {ref!r}.")
    text = ref.strip()
    registry = re.match(r"^azureml://registries/(?P<reg>[^/]+)/environments/(?P<name>[^/]+)"
                        r"(?:/versions/(?P<version>[^/]+)|/labels/(?P<label>[^/]+))?/?$", text, re.I)
    arm = re.search(r"/environments/(?P<name>[^/]+)/versions/(?P<version>[^/]+)/?$", text, re.I)
    if registry:
        name = registry["name"]
        if registry["reg"].lower() == "azureml":
            name = _CURATED_BY_REGISTRY.get(name.lower(), name if name.lower().startswith("azureml") else f"AzureML-{name}")
        version = registry["version"]
        if version is not None:
            try:
                return get(ws, name, version)
            except NotFound:
                return get(ws, name)  # the sandbox keeps one version of each curated environment
        return get(ws, name)
    if arm:
        return get(ws, arm["name"], arm["version"])
    if text.lower().startswith("azureml:"):
        text = text[len("azureml:"):]
    if "@" in text:
        name, _, label = text.partition("@")
        return get(ws, name, label=label or "latest")
    if ":" in text:
        name, _, version = text.partition(":")
        return get(ws, name, version)
    return get(ws, text)


# -- the registry's view (sandbox.domains) ---------------------------------------------------------------------
def ls_rows(ws: "Workspace", name: str | None = None) -> list[dict]:
    return [{"name": e.name, "version": e.version, "curated": e.curated, "created": e.created}
            for e in list_environments(ws, name)]


def tree(ws: "Workspace") -> list:
    from sandbox.domains import Entry

    return [Entry(("environment", e.name, str(e.version)), f"{e.name}:{e.version}" + (" (curated)" if e.curated else ""))
            for e in list_environments(ws)]
