"""The workspace's Key Vault: named secrets, encrypted at rest, read and written under RBAC data actions.

Values are encrypted with Fernet (the `cryptography` package) under a key kept in the workspace's owner-only
`secrets/` folder, so no file of the workspace (the metadata store included) holds a secret in clear text, and
nothing the sandbox prints or logs shows one: listings give names and properties only.

Access: through the data plane (`azure.keyvault.secrets.SecretClient`) the caller needs Key Vault data actions
(`Microsoft.KeyVault/vaults/secrets/getSecret/action`, `.../setSecret/action`, ...: Key Vault Secrets User / Officer /
Administrator). Through the workspace (v1 `ws.get_default_keyvault()`, which Azure ML proxies with the workspace's
own identity) the caller needs workspace read (get) or write (set, delete) permission; the workspace identity
does the vault call, as in Azure.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sandbox.clock import iso_now
from sandbox.errors import InvalidInput, NotFound
from sandbox.security import access

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

NAME = re.compile(r"^[0-9a-zA-Z-]{1,127}$")
KV = "Microsoft.KeyVault/vaults/secrets"
MIGRATIONS = ["""
CREATE TABLE vault_secrets (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    value BLOB NOT NULL,
    version TEXT NOT NULL,
    content_type TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
"""]


@dataclass(frozen=True)
class SecretProperties:
    name: str
    version: str
    content_type: str | None
    enabled: bool
    created: str
    updated: str

    def __repr__(self) -> str:  # never the value: properties have none
        return f"SecretProperties(name={self.name!r}, version={self.version!r})"


def vault_name(ws: "Workspace") -> str:
    base = "".join(ch for ch in ws.name.lower() if ch.isalnum())[:12] or "dp100"
    return f"kv{base}{ws.workspace_id.replace('-', '')[:8]}"


def vault_url(ws: "Workspace") -> str:
    return f"https://{vault_name(ws)}.vault.azure.net/"


def vault_id(ws: "Workspace") -> str:
    return (f"/subscriptions/{ws.subscription_id}/resourceGroups/{ws.resource_group}/providers/"
            f"Microsoft.KeyVault/vaults/{vault_name(ws)}")


def _ensure(ws: "Workspace") -> None:
    ws.store.ensure_schema("vault_secrets", MIGRATIONS)


def _fernet(ws: "Workspace"):
    from cryptography.fernet import Fernet

    path = Path(ws.root) / "secrets" / "vault.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(f".{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        tmp.unlink(missing_ok=True)
    return Fernet(path.read_bytes())


def check_name(name: object) -> str:
    if not isinstance(name, str) or not NAME.match(name):
        raise InvalidInput(f"Secret names may contain only letters, digits and '-' (1-127 characters); got {name!r}. "
                           "For example 'storage-connection-string'.")
    return name


def _authorize(ws: "Workspace", data_action: str, via_workspace: bool) -> None:
    if via_workspace:
        access.check(ws, "read" if data_action in ("getSecret/action", "readMetadata/action") else "write")
    else:
        access.check(ws, f"{KV}/{data_action}", data=True)


def set_secret(ws: "Workspace", name: str, value: str, content_type: str | None = None,
               via_workspace: bool = False) -> SecretProperties:
    check_name(name)
    if not isinstance(value, str):
        raise InvalidInput(f"A secret's value is a string; got {type(value).__name__}.")
    _authorize(ws, "setSecret/action", via_workspace)
    _ensure(ws)
    token = _fernet(ws).encrypt(value.encode())
    version = hashlib.sha1(token).hexdigest()[:32]
    now = iso_now()
    ws.store.run("INSERT INTO vault_secrets(name, value, version, content_type, created, updated) VALUES(?,?,?,?,?,?) "
                 "ON CONFLICT(name) DO UPDATE SET value = excluded.value, version = excluded.version, "
                 "content_type = excluded.content_type, updated = excluded.updated", name, token, version,
                 content_type, now, now)
    return properties(ws, name, _checked=True)


def get_secret(ws: "Workspace", name: str, via_workspace: bool = False) -> str:
    _authorize(ws, "getSecret/action", via_workspace)
    _ensure(ws)
    row = ws.store.one("SELECT value FROM vault_secrets WHERE name = ?", check_name(name))
    if row is None:
        raise NotFound(f"A secret with (name/id) {name} was not found in this key vault. Set it first "
                       f"(keyvault.set_secret({name!r}, value) or SecretClient.set_secret).")
    return _fernet(ws).decrypt(bytes(row["value"])).decode()


def properties(ws: "Workspace", name: str, via_workspace: bool = False, _checked: bool = False) -> SecretProperties:
    if not _checked:
        _authorize(ws, "readMetadata/action", via_workspace)
    _ensure(ws)
    row = ws.store.one("SELECT * FROM vault_secrets WHERE name = ?", check_name(name))
    if row is None:
        raise NotFound(f"A secret with (name/id) {name} was not found in this key vault.")
    return SecretProperties(row["name"], row["version"], row["content_type"], bool(row["enabled"]), row["created"],
                            row["updated"])


def list_secrets(ws: "Workspace", via_workspace: bool = False) -> list[SecretProperties]:
    _authorize(ws, "readMetadata/action", via_workspace)
    _ensure(ws)
    return [SecretProperties(r["name"], r["version"], r["content_type"], bool(r["enabled"]), r["created"],
                             r["updated"]) for r in ws.store.all("SELECT * FROM vault_secrets ORDER BY name")]


def delete_secret(ws: "Workspace", name: str, via_workspace: bool = False) -> None:
    _authorize(ws, "delete", via_workspace)
    _ensure(ws)
    if ws.store.one("SELECT 1 FROM vault_secrets WHERE name = ?", check_name(name)) is None:
        raise NotFound(f"A secret with (name/id) {name} was not found in this key vault.")
    ws.store.run("DELETE FROM vault_secrets WHERE name = ?", name)


def all_values(ws: "Workspace") -> list[str]:
    """Every secret value (for the sandbox's own redaction of logs; never shown)."""
    _ensure(ws)
    fernet = _fernet(ws)
    return [fernet.decrypt(bytes(r["value"])).decode() for r in ws.store.all("SELECT value FROM vault_secrets")]


# -- the workspace's own use (its identity; no caller check) ------------------------------------------------------
def store_internal(ws: "Workspace", name: str, value: str) -> None:
    """Keep a credential the workspace itself needs (a datastore's key) in the vault."""
    _ensure(ws)
    token = _fernet(ws).encrypt(value.encode())
    now = iso_now()
    ws.store.run("INSERT INTO vault_secrets(name, value, version, content_type, created, updated) VALUES(?,?,?,?,?,?) "
                 "ON CONFLICT(name) DO UPDATE SET value = excluded.value, version = excluded.version, "
                 "updated = excluded.updated", check_name(name), token, hashlib.sha1(token).hexdigest()[:32],
                 "application/json", now, now)


def read_internal(ws: "Workspace", name: str) -> str:
    _ensure(ws)
    row = ws.store.one("SELECT value FROM vault_secrets WHERE name = ?", name)
    if row is None:
        raise NotFound(f"The workspace's key vault has no secret {name!r}.")
    return _fernet(ws).decrypt(bytes(row["value"])).decode()
