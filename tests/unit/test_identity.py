"""Tokens are signed per workspace and expire on the workspace's sandbox clock."""
from sandbox import clock, identity
from sandbox.workspace import Workspace


def test_a_token_verifies_until_the_sandbox_clock_passes_its_expiry(ws):
    clock.set_virtual(ws, True)
    token, expires = identity.issue(ws, "sp:abc", "https://management.azure.com/")
    assert identity.verify(ws, token)["sub"] == "sp:abc"
    clock.advance(ws, identity.LIFETIME_SECONDS - 10)
    assert identity.verify(ws, token) is not None
    clock.advance(ws, 20)
    assert identity.verify(ws, token) is None


def test_another_workspace_does_not_accept_the_token(ws, tmp_path):
    other = Workspace.create(tmp_path / "other")
    token = identity.issue_token(ws, "learner", "scope")
    assert identity.verify(other, token) is None


def test_tampered_or_malformed_tokens_are_refused(ws):
    token = identity.issue_token(ws, "learner", "scope")
    header, body, signature = token.split(".")
    assert identity.verify(ws, f"{header}.{body}x.{signature}") is None
    assert identity.verify(ws, "not-a-token") is None
    assert identity.verify(ws, None) is None


def test_the_signing_key_is_readable_by_its_owner_only(ws):
    identity.issue_token(ws, "learner", "scope")
    assert (ws.root / "secrets" / "token.key").stat().st_mode & 0o077 == 0
