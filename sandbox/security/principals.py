"""Identities in the sandbox's tenant: users, service principals (with secrets) and managed identities.

- The learner (`learner@dp100.sandbox`) is the workspace's owner, signed in by default.
- More users: `add_user(ws, "ana")`.
- Service principals: `create_service_principal(ws, "ci-bot")` returns the principal and its secret, shown once
  (only a hash is kept). Secrets expire on the sandbox clock and can be rotated.
- Managed identities: user-assigned ones are created by name; a compute with a system-assigned identity gets one
  named after it.
- `dp100 sandbox login --as NAME` makes NAME the identity that CLI-style credentials (`AzureCliCredential`,
  `AzureCliAuthentication`, `DefaultAzureCredential` without other sources) sign in as.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sandbox import clock
from sandbox.clock import iso_now
from sandbox.errors import AlreadyExists, AuthenticationFailed, InvalidInput, NotFound

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

USER, SERVICE_PRINCIPAL, MANAGED_IDENTITY = "User", "ServicePrincipal", "ManagedIdentity"
LEARNER = "learner@dp100.sandbox"
TENANT_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://dp100.sandbox/tenant"))
SECRET_LIFETIME_DAYS = 365
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9@._-]{0,119}$")
CLI_LOGIN = "security.cli_login"

MIGRATIONS = ["""
CREATE TABLE principals (
    object_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    app_id TEXT,
    created TEXT NOT NULL,
    UNIQUE (kind, name)
);
CREATE TABLE principal_secrets (
    app_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    salt TEXT NOT NULL,
    digest TEXT NOT NULL,
    hint TEXT NOT NULL,
    expires REAL NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (app_id, key_id)
);
"""]


@dataclass(frozen=True)
class Principal:
    object_id: str
    kind: str
    name: str
    app_id: str | None = None

    @property
    def display(self) -> str:
        """How Azure's error messages name a caller: the client (app) id for applications, else the object id."""
        return self.app_id or self.name

    @property
    def tenant_id(self) -> str:
        return TENANT_ID


@dataclass(frozen=True)
class SecretInfo:
    key_id: str
    hint: str          # the first three characters, as the portal shows
    expires: float     # POSIX seconds on the sandbox clock

    def expired(self, now: float) -> bool:
        return now >= self.expires


def _ensure(ws: "Workspace") -> None:
    ws.store.ensure_schema("principals", MIGRATIONS)
    ws.store.ensure_schema("role_assignments", _access_migrations())
    if ws.store.one("SELECT 1 FROM principals WHERE kind = ? AND name = ?", USER, LEARNER) is None:
        with ws.store.transaction():
            if ws.store.one("SELECT 1 FROM principals WHERE kind = ? AND name = ?", USER, LEARNER) is None:
                ws.store.run("INSERT INTO principals(object_id, kind, name, app_id, created) VALUES(?,?,?,?,?)",
                             _object_id(USER, LEARNER), USER, LEARNER, None, iso_now())
                from sandbox.security import access

                access.seed_owner(ws, _object_id(USER, LEARNER))


def _access_migrations() -> list[str]:
    from sandbox.security import access

    return access.MIGRATIONS


def _object_id(kind: str, name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"dp100-principal/{kind}/{name.lower()}"))


def _row_principal(row) -> Principal:
    return Principal(row["object_id"], row["kind"], row["name"], row["app_id"])


def learner(ws: "Workspace") -> Principal:
    _ensure(ws)
    return Principal(_object_id(USER, LEARNER), USER, LEARNER)


def _check_name(name: object, what: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidInput(f"Invalid {what} name {name!r}: use letters, digits, '.', '_', '-' or '@' "
                           "(up to 120 characters), starting with a letter or digit.")
    return name


def _insert(ws: "Workspace", kind: str, name: str, app_id: str | None) -> Principal:
    _ensure(ws)
    object_id = _object_id(kind, name)
    with ws.store.transaction():
        if ws.store.one("SELECT 1 FROM principals WHERE kind = ? AND name = ? COLLATE NOCASE", kind, name):
            raise AlreadyExists(f"A {kind} named {name!r} already exists.")
        ws.store.run("INSERT INTO principals(object_id, kind, name, app_id, created) VALUES(?,?,?,?,?)",
                     object_id, kind, name, app_id, iso_now())
    return Principal(object_id, kind, name, app_id)


def add_user(ws: "Workspace", name: str) -> Principal:
    return _insert(ws, USER, _check_name(name, "user"), None)


def create_service_principal(ws: "Workspace", name: str, days: float = SECRET_LIFETIME_DAYS) -> tuple[Principal, str]:
    """A service principal and its first client secret (returned once; only a hash is kept)."""
    app_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"dp100-app/{_check_name(name, 'service principal').lower()}"))
    principal = _insert(ws, SERVICE_PRINCIPAL, name, app_id)
    return principal, add_secret(ws, principal, days)


def add_secret(ws: "Workspace", principal: Principal, days: float = SECRET_LIFETIME_DAYS) -> str:
    """A new client secret for a service principal (older ones stay valid until they expire or are removed)."""
    if principal.kind != SERVICE_PRINCIPAL or not principal.app_id:
        raise InvalidInput(f"{principal.name!r} is a {principal.kind}; only service principals have client secrets.")
    if days <= 0:
        raise InvalidInput("A secret's lifetime must be a positive number of days.")
    value = secrets.token_urlsafe(30)
    salt = secrets.token_hex(16)
    ws.store.run("INSERT INTO principal_secrets(app_id, key_id, salt, digest, hint, expires, created) "
                 "VALUES(?,?,?,?,?,?,?)", principal.app_id, str(uuid.uuid4()), salt, _digest(salt, value), value[:3],
                 clock.timestamp(ws) + days * 86400, iso_now())
    return value


def rotate_secret(ws: "Workspace", principal: Principal, days: float = SECRET_LIFETIME_DAYS) -> str:
    """Replace every secret of the service principal with a new one."""
    if not principal.app_id:
        raise InvalidInput(f"{principal.name!r} is not a service principal.")
    ws.store.run("DELETE FROM principal_secrets WHERE app_id = ?", principal.app_id)
    return add_secret(ws, principal, days)


def secret_infos(ws: "Workspace", principal: Principal) -> list[SecretInfo]:
    _ensure(ws)
    return [SecretInfo(r["key_id"], r["hint"], r["expires"]) for r in
            ws.store.all("SELECT * FROM principal_secrets WHERE app_id = ? ORDER BY expires", principal.app_id)]


def _digest(salt: str, value: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", value.encode(), bytes.fromhex(salt), 20_000).hex()


def authenticate(ws: "Workspace", tenant_id: str, client_id: str, secret: str) -> Principal:
    """The service principal whose client id and secret these are; AuthenticationFailed in Azure's words otherwise."""
    _ensure(ws)
    if str(tenant_id) != TENANT_ID:
        raise AuthenticationFailed(
            f"AADSTS90002: Tenant '{tenant_id}' not found. Check to make sure you have the correct tenant ID and are "
            f"signing into the correct cloud. The sandbox's tenant id is {TENANT_ID} (`dp100 sandbox sp create` "
            "prints it).")
    row = ws.store.one("SELECT * FROM principals WHERE kind = ? AND app_id = ?", SERVICE_PRINCIPAL, str(client_id))
    if row is None:
        raise AuthenticationFailed(
            f"AADSTS700016: Application with identifier '{client_id}' was not found in the directory '{TENANT_ID}'. "
            "Create it with `dp100 sandbox sp create NAME` and use the client id it prints.")
    now = clock.timestamp(ws)
    expired = False
    for stored in ws.store.all("SELECT * FROM principal_secrets WHERE app_id = ?", str(client_id)):
        if hmac.compare_digest(stored["digest"], _digest(stored["salt"], str(secret or ""))):
            if now >= stored["expires"]:
                expired = True
                continue
            return _row_principal(row)
    if expired:
        raise AuthenticationFailed(
            f"AADSTS7000222: The provided client secret keys for app '{client_id}' are expired. Create a new secret "
            f"with `dp100 sandbox sp reset-secret {row['name']}` and use it.")
    raise AuthenticationFailed(
        f"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client "
        f"secret value, not the client secret ID, for a secret added to app '{client_id}' (tenant '{tenant_id}').")


def get(ws: "Workspace", name_or_id: str) -> Principal:
    """A principal by name, object id or client (app) id."""
    _ensure(ws)
    key = str(name_or_id)
    row = ws.store.one("SELECT * FROM principals WHERE object_id = ? OR app_id = ? OR name = ? COLLATE NOCASE "
                       "ORDER BY kind = 'User' DESC LIMIT 1", key, key, key)
    if row is None:
        known = ", ".join(p.name for p in list_principals(ws))
        raise NotFound(f"No user, service principal or managed identity named {name_or_id!r}. Known: {known}.")
    return _row_principal(row)


def list_principals(ws: "Workspace", kind: str | None = None) -> list[Principal]:
    _ensure(ws)
    rows = ws.store.all("SELECT * FROM principals WHERE (? IS NULL OR kind = ?) ORDER BY kind, name", kind, kind)
    return [_row_principal(r) for r in rows]


def delete(ws: "Workspace", name_or_id: str) -> None:
    principal = get(ws, name_or_id)
    if principal.name == LEARNER:
        raise InvalidInput("The learner's own account cannot be deleted.")
    with ws.store.transaction():
        ws.store.run("DELETE FROM principals WHERE object_id = ?", principal.object_id)
        if principal.app_id:
            ws.store.run("DELETE FROM principal_secrets WHERE app_id = ?", principal.app_id)
    from sandbox.security import access

    access.remove_all_for(ws, principal)


# -- managed identities -------------------------------------------------------------------------------------------
def create_managed_identity(ws: "Workspace", name: str) -> Principal:
    """A user-assigned managed identity (attach it to computes by its resource id or client id)."""
    app_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"dp100-mi/{_check_name(name, 'identity').lower()}"))
    return _insert(ws, MANAGED_IDENTITY, name, app_id)


def system_identity(ws: "Workspace", compute_name: str) -> Principal:
    """The system-assigned identity of a compute (created the first time it is asked for)."""
    name = f"{compute_name}/system"
    _ensure(ws)
    row = ws.store.one("SELECT * FROM principals WHERE kind = ? AND name = ? COLLATE NOCASE", MANAGED_IDENTITY, name)
    if row is not None:
        return _row_principal(row)
    app_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"dp100-mi/{name.lower()}"))
    try:
        return _insert(ws, MANAGED_IDENTITY, name, app_id)
    except AlreadyExists:
        return get(ws, name)


def resource_id(ws: "Workspace", identity: Principal) -> str:
    return (f"/subscriptions/{ws.subscription_id}/resourceGroups/{ws.resource_group}/providers/"
            f"Microsoft.ManagedIdentity/userAssignedIdentities/{identity.name}")


def from_resource_id(ws: "Workspace", text: str) -> Principal:
    """A user-assigned identity from its ARM resource id, client id or name."""
    return get(ws, str(text).rstrip("/").rsplit("/", 1)[-1])


# -- the CLI's signed-in identity ---------------------------------------------------------------------------------
def cli_login(ws: "Workspace", name_or_id: str | None) -> Principal:
    """Sign the CLI in as a principal (None: back to the learner)."""
    principal = get(ws, name_or_id) if name_or_id else learner(ws)
    ws.store.set_meta(CLI_LOGIN, principal.object_id)
    return principal


def cli_principal(ws: "Workspace") -> Principal:
    object_id = ws.store.get_meta(CLI_LOGIN)
    if object_id:
        try:
            return get(ws, object_id)
        except NotFound:
            pass
    return learner(ws)
