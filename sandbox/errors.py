"""Engine errors. Each carries one of Azure's error codes; facades translate them into the SDKs' exception types.

Callers decide what to do from `error.code`, never from the words of the message. The codes are the ones Azure
ML's REST API returns in `error.code` (and that job error details show), so a learner sees the same words:

- `UserError`             the request is invalid (a bad name, a missing argument, a refused combination)
- `ResourceNotFound`      the named thing does not exist
- `ResourceExists`        a thing with that name (and version) exists and cannot be replaced
- `AuthorizationFailed`   the caller may not perform the action on the scope
- `AuthenticationFailed`  the caller's credentials are wrong or expired
- `EnvironmentNotFound`, `ImageBuildFailure`, `ComputeNotFound`, `ComputeUnavailable`, `JobTimeout`,
  `SandboxError`          the job-specific codes the supervisor records on failed jobs
"""
from __future__ import annotations

from typing import ClassVar


class SandboxError(Exception):
    """Base of every error the sandbox engine raises on purpose."""

    default_code: ClassVar[str] = "UserError"

    def __init__(self, message: str = "", *, code: str | None = None, target: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.target = target

    def as_dict(self) -> dict[str, str]:
        """Azure's error body: {"code": ..., "message": ...} (plus "target" when known)."""
        body = {"code": self.code, "message": self.message}
        if self.target:
            body["target"] = self.target
        return body


class NotFound(SandboxError):
    """The named thing does not exist."""

    default_code = "ResourceNotFound"


class AlreadyExists(SandboxError):
    """A thing with that name (and version) exists and cannot be replaced."""

    default_code = "ResourceExists"


class InvalidInput(SandboxError):
    """The learner passed something the service would refuse."""

    default_code = "UserError"


class AuthorizationFailed(SandboxError):
    """The caller's identity may not perform the action on that scope."""

    default_code = "AuthorizationFailed"


class AuthenticationFailed(SandboxError):
    """The credentials are wrong, unknown or expired."""

    default_code = "AuthenticationFailed"


class StoreCorrupt(SandboxError):
    """The workspace's metadata file cannot be read as a database."""

    default_code = "SandboxError"
