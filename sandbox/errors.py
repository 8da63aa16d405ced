"""Engine errors. Facades translate them into the exception types the real SDKs raise."""
from __future__ import annotations


class SandboxError(Exception):
    """Base of every error the sandbox engine raises on purpose."""


class NotFound(SandboxError):
    """The named thing does not exist."""


class AlreadyExists(SandboxError):
    """A thing with that name (and version) exists and cannot be replaced."""


class InvalidInput(SandboxError):
    """The learner passed something the service would refuse."""
