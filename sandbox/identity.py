"""Sign-in without a network: the sandbox issues and checks its own bearer tokens.

Tokens look like Azure AD access tokens (three base64url parts) and are signed with a key kept in the
workspace, so servers the sandbox runs (scoring services, pipeline endpoints) can verify them.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from pathlib import Path

LIFETIME_SECONDS = 3600


def _key() -> bytes:
    from sandbox.home import workspace_dir

    path = Path(workspace_dir()) / "secrets" / "token.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}")
        tmp.write_bytes(secrets.token_bytes(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        tmp.unlink(missing_ok=True)
    return path.read_bytes()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def issue(principal: str, scope: str, now: float | None = None) -> tuple[str, int]:
    """A signed token for `principal` and `scope`, and its expiry (unix seconds)."""
    issued = int(now if now is not None else time.time())
    expires = issued + LIFETIME_SECONDS
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps({"sub": principal, "aud": scope, "iat": issued, "exp": expires, "iss": "dp100-sandbox"}).encode())
    signature = _b64(hmac.new(_key(), f"{header}.{body}".encode(), hashlib.sha256).digest())
    return f"{header}.{body}.{signature}", expires


def issue_token(principal: str, scope: str) -> str:
    return issue(principal, scope)[0]


def verify(token: str, now: float | None = None) -> dict | None:
    """The token's claims if it is genuine and unexpired, else None."""
    try:
        header, body, signature = token.split(".")
    except ValueError:
        return None
    expected = _b64(hmac.new(_key(), f"{header}.{body}".encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, signature):
        return None
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    if claims.get("exp", 0) < (now if now is not None else time.time()):
        return None
    return claims
