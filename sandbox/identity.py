"""Sign-in without a network: the sandbox issues and checks its own bearer tokens.

Tokens look like Azure AD access tokens (three base64url parts) and are signed with a key kept in the workspace
(`secrets/token.key`, readable by its owner only), so the servers the sandbox runs (scoring services, pipeline
endpoints) can verify them. Issue and expiry times are read from the workspace's sandbox clock, so advancing a
virtual clock past a token's lifetime expires it.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from sandbox import clock

if TYPE_CHECKING:
    from sandbox.workspace import Workspace

LIFETIME_SECONDS = 3600
ISSUER = "dp100-sandbox"


def _key(ws: "Workspace") -> bytes:
    path = Path(ws.root) / "secrets" / "token.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(f".{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        tmp.unlink(missing_ok=True)
    return path.read_bytes()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def issue(ws: "Workspace", principal: str, scope: str, lifetime: int = LIFETIME_SECONDS,
          claims: dict | None = None) -> tuple[str, int]:
    """A signed token for `principal` and `scope` and its expiry (unix seconds on the workspace's clock)."""
    issued = int(clock.timestamp(ws))
    expires = issued + int(lifetime)
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps({**(claims or {}), "sub": principal, "aud": scope, "iat": issued, "exp": expires,
                            "iss": ISSUER}).encode())
    signature = _b64(hmac.new(_key(ws), f"{header}.{body}".encode(), hashlib.sha256).digest())
    return f"{header}.{body}.{signature}", expires


def issue_token(ws: "Workspace", principal: str, scope: str) -> str:
    return issue(ws, principal, scope)[0]


def verify(ws: "Workspace", token: str) -> dict | None:
    """The token's claims if the workspace signed it and it has not expired on the sandbox clock, else None."""
    try:
        header, body, signature = token.split(".")
    except (ValueError, AttributeError):
        return None
    expected = _b64(hmac.new(_key(ws), f"{header}.{body}".encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, signature):
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, binascii.Error):
        return None
    if not isinstance(claims, dict) or claims.get("exp", 0) < clock.timestamp(ws):
        return None
    return claims
