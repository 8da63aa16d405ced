"""Glue between the v2 facades and the sandbox engine (not part of the real SDK's surface)."""
from __future__ import annotations

import functools
from typing import Callable, TypeVar

from azure.ai.ml.exceptions import ValidationException
from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from sandbox.errors import AlreadyExists, InvalidInput, NotFound, SandboxError

F = TypeVar("F", bound=Callable)


def translated(func: F) -> F:
    """Re-raise engine errors as the exception types azure-ai-ml raises."""

    @functools.wraps(func)
    def inner(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except NotFound as exc:
            raise ResourceNotFoundError(str(exc)) from None
        except AlreadyExists as exc:
            raise ResourceExistsError(str(exc)) from None
        except (InvalidInput, SandboxError) as exc:
            raise ValidationException(str(exc)) from None

    return inner  # type: ignore[return-value]
