"""Datastores: named, credentialed pointers at storage containers, backed here by folders.

Two datastores that point at the same account and container see the same files, as in Azure.
Credentials (account keys, SAS tokens, service principal secrets) are kept in the workspace's Key Vault, as Azure
keeps them; the store holds only the secret's name, and listings never return them.
A datastore without credentials is identity-based: reading it needs a blob data-read role (Storage Blob Data
Reader) for the identity that reads, and writing needs Storage Blob Data Contributor.
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from sandbox.clock import iso_now
from sandbox.errors import AlreadyExists, InvalidInput, NotFound
from sandbox.security.access import requires

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

BLOB, FILE, ADLS_GEN2, ADLS_GEN1 = "AzureBlob", "AzureFile", "AzureDataLakeGen2", "AzureDataLake"
KINDS = (BLOB, FILE, ADLS_GEN2, ADLS_GEN1)
DEFAULT_BLOB = "workspaceblobstore"
DEFAULT_FILE = "workspacefilestore"
NAME_RE = re.compile(r"^[A-Za-z0-9_]{1,255}$")


@dataclass
class DatastoreRecord:
    name: str
    kind: str
    account_name: str
    container: str
    credential_type: str  # "AccountKey", "Sas", "ServicePrincipal", "None"
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    is_default: bool = False
    created: str = ""
    secret: dict[str, str] | None = field(default=None, repr=False)


def storage_path(ws: "Workspace", account_name: str, container: str) -> Path:
    return ws.storage_dir / account_name / container


BLOB_READ = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
BLOB_WRITE = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write"
IDENTITY_BASED = "None"


def check_data_access(ws: "Workspace", rec: DatastoreRecord, write: bool = False) -> None:
    """Identity-based datastores: the caller's own identity needs blob data access (credential-based ones use the
    stored credential, as Azure does)."""
    if rec.credential_type == IDENTITY_BASED:
        from sandbox.security import access

        access.check(ws, BLOB_WRITE if write else BLOB_READ, data=True)


def root(ws: "Workspace", name: str, write: bool = False) -> Path:
    """The folder holding the datastore's files (created on demand); checks the caller may read (or write) it."""
    rec = get(ws, name)
    check_data_access(ws, rec, write)
    path = storage_path(ws, rec.account_name, rec.container)
    path.mkdir(parents=True, exist_ok=True)
    return path


def seed_defaults(ws: "Workspace") -> None:
    account = ws.storage_account_name()
    suffix = ws.workspace_id
    _insert(ws, DatastoreRecord(DEFAULT_BLOB, BLOB, account, f"azureml-blobstore-{suffix}", "AccountKey",
                                is_default=True, secret={"account_key": "sandbox-generated-key"}))
    _insert(ws, DatastoreRecord(DEFAULT_FILE, FILE, account, f"azureml-filestore-{suffix}", "AccountKey",
                                secret={"account_key": "sandbox-generated-key"}))


def validate_name(name: str) -> None:
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise InvalidInput(
            f"Invalid datastore name {name!r}: use 1-255 letters, digits or underscores (no dashes or spaces), "
            "for example 'training_data'."
        )


@requires("datastores/write")
def register(
    ws: "Workspace",
    name: str,
    kind: str,
    account_name: str,
    container: str,
    credential_type: str = "None",
    secret: dict[str, str] | None = None,
    description: str | None = None,
    tags: dict[str, str] | None = None,
    overwrite: bool = True,
) -> DatastoreRecord:
    validate_name(name)
    if kind not in KINDS:
        raise InvalidInput(f"Unknown datastore type {kind!r}; expected one of {', '.join(KINDS)}.")
    for label, value in (("account name", account_name), ("container name", container)):
        if not value or not isinstance(value, str):
            raise InvalidInput(f"A datastore needs a {label}; got {value!r}.")
    if name in (DEFAULT_BLOB, DEFAULT_FILE):
        raise InvalidInput(f"{name!r} is a workspace default datastore and cannot be re-registered.")
    rec = DatastoreRecord(name, kind, account_name, container, credential_type, description, dict(tags or {}),
                          False, iso_now(), secret)
    with ws.store.transaction():
        existing = ws.store.one("SELECT name FROM datastores WHERE name = ?", name)
        if existing and not overwrite:
            raise AlreadyExists(f"A datastore named {name!r} already exists; pass overwrite=True to replace it.")
        if existing:
            ws.store.run("DELETE FROM datastores WHERE name = ?", name)
        _insert(ws, rec)
    storage_path(ws, account_name, container).mkdir(parents=True, exist_ok=True)
    return rec


def _vault_name(datastore: str) -> str:
    return "datastore-" + datastore.replace("_", "-").lower() + "-credential"


def _insert(ws: "Workspace", rec: DatastoreRecord) -> None:
    reference = None
    if rec.secret:
        from sandbox.security import keyvault

        reference = json.dumps({"vault_secret": _vault_name(rec.name)})
        keyvault.store_internal(ws, _vault_name(rec.name), json.dumps(rec.secret))
    ws.store.run(
        "INSERT INTO datastores(name, kind, account_name, container, credential_type, secret, description, tags,"
        " is_default, created) VALUES(?,?,?,?,?,?,?,?,?,?)",
        rec.name, rec.kind, rec.account_name, rec.container, rec.credential_type, reference, rec.description,
        json.dumps(rec.tags), int(rec.is_default), rec.created or iso_now(),
    )


def _record(row, with_secret: bool, ws: "Workspace | None" = None) -> DatastoreRecord:
    secret = None
    if with_secret and row["secret"]:
        stored = json.loads(row["secret"])
        if "vault_secret" in stored and ws is not None:
            from sandbox.security import keyvault

            secret = json.loads(keyvault.read_internal(ws, stored["vault_secret"]))
        elif "vault_secret" not in stored:  # a workspace from before credentials moved to the vault
            secret = stored
    return DatastoreRecord(
        row["name"], row["kind"], row["account_name"], row["container"], row["credential_type"],
        row["description"], json.loads(row["tags"]), bool(row["is_default"]), row["created"], secret,
    )


@requires("datastores/read")
def get(ws: "Workspace", name: str, with_secret: bool = False) -> DatastoreRecord:
    row = ws.store.one("SELECT * FROM datastores WHERE name = ?", name)
    if row is None:
        names = ", ".join(r.name for r in list_all(ws))
        raise NotFound(f"Datastore {name!r} was not found in the workspace. Existing datastores: {names}.")
    return _record(row, with_secret, ws)


@requires("datastores/read")
def list_all(ws: "Workspace") -> list[DatastoreRecord]:
    return [_record(r, False) for r in ws.store.all("SELECT * FROM datastores ORDER BY name")]


@requires("datastores/read")
def get_default(ws: "Workspace") -> DatastoreRecord:
    row = ws.store.one("SELECT * FROM datastores WHERE is_default = 1")
    return _record(row, False) if row else get(ws, DEFAULT_BLOB)


@requires("datastores/write")
def set_default(ws: "Workspace", name: str) -> None:
    get(ws, name)
    with ws.store.transaction():
        ws.store.run("UPDATE datastores SET is_default = (name = ?)", name)


@requires("datastores/delete")
def unregister(ws: "Workspace", name: str) -> None:
    rec = get(ws, name)
    if rec.is_default or name in (DEFAULT_BLOB, DEFAULT_FILE):
        raise InvalidInput(f"{name!r} is a default datastore and cannot be removed.")
    ws.store.run("DELETE FROM datastores WHERE name = ?", name)  # files stay in the storage account


# -- files -------------------------------------------------------------------------------------
def safe_join(base: Path, relative: str) -> Path:
    """Join a datastore-relative path, refusing anything that escapes the datastore."""
    rel = (relative or "").replace("\\", "/").lstrip("/")
    target = (base / rel).resolve() if rel else base.resolve()
    base_resolved = base.resolve()
    if target != base_resolved and base_resolved not in target.parents:
        raise InvalidInput(f"The path {relative!r} points outside the datastore; use a path relative to its root.")
    return target


Progress = Callable[[str], None]


def upload(
    ws: "Workspace",
    name: str,
    pairs: Iterable[tuple[Path, str]],
    overwrite: bool = False,
    progress: Progress | None = None,
) -> list[str]:
    """Copy local files to `(source, target relative path)` on the datastore. Returns the target paths."""
    base = root(ws, name, write=True)
    pairs = list(pairs)
    say = progress or (lambda _msg: None)
    say(f"Uploading an estimated of {len(pairs)} files")
    done: list[str] = []
    for source, rel in pairs:
        target = safe_join(base, rel)
        if target.exists() and not overwrite:
            say(f"Target already exists. Skipping upload for {rel}")
            continue
        say(f"Uploading {source}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        done.append(rel)
        say(f"Uploaded {source}, {len(done)} files out of an estimated total of {len(pairs)}")
    say(f"Uploaded {len(done)} files")
    return done


def list_files(ws: "Workspace", name: str, prefix: str = "") -> list[str]:
    base = root(ws, name)
    start = safe_join(base, prefix) if prefix else base
    if start.is_file():
        return [start.relative_to(base.resolve()).as_posix()]
    if not start.exists():
        # a prefix may be a partial name, as in blob storage
        parent = start.parent
        if not parent.exists():
            return []
        return sorted(
            p.relative_to(base.resolve()).as_posix()
            for p in parent.rglob("*") if p.is_file() and p.relative_to(base.resolve()).as_posix().startswith(prefix.lstrip("/"))
        )
    return sorted(p.relative_to(base.resolve()).as_posix() for p in start.rglob("*") if p.is_file())


def download(
    ws: "Workspace",
    name: str,
    target_dir: Path,
    prefix: str = "",
    overwrite: bool = False,
    progress: Progress | None = None,
) -> int:
    base = root(ws, name).resolve()
    files = list_files(ws, name, prefix)
    say = progress or (lambda _msg: None)
    say(f"Downloading an estimated of {len(files)} files")
    count = 0
    for rel in files:
        dest = Path(target_dir) / rel
        if dest.exists() and not overwrite:
            say(f"Target already exists. Skipping download for {rel}")
            continue
        say(f"Downloading {rel}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(base / rel, dest)
        count += 1
        say(f"Downloaded {rel}, {count} files out of an estimated total of {len(files)}")
    say(f"Downloaded {count} files")
    return count


# -- the registry's view (sandbox.domains) ---------------------------------------------------------------------
def ls_rows(ws: "Workspace", name: str | None = None) -> list[dict]:
    if name:
        return [{"name": p} for p in list_files(ws, name)]
    return [{"name": d.name, "type": d.kind, "account": d.account_name, "container": d.container,
             "credentials": d.credential_type, "default": d.is_default} for d in list_all(ws)]


def tree(ws: "Workspace") -> list:
    from sandbox.domains import Entry

    return [Entry(("datastore", d.name), d.name + (" (default)" if d.is_default else "")) for d in list_all(ws)]
