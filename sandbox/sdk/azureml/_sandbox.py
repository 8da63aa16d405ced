"""Glue between the v1 facades and the sandbox engine (not part of the real SDK's surface)."""
from __future__ import annotations

import functools
from typing import Callable, TypeVar

from azureml.exceptions import UserErrorException
from sandbox.errors import SandboxError

F = TypeVar("F", bound=Callable)


def translate(exc_type: type[Exception] = UserErrorException) -> Callable[[F], F]:
    """Re-raise engine errors as the SDK's exception type, keeping the engine's message."""

    def wrap(func: F) -> F:
        @functools.wraps(func)
        def inner(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except SandboxError as exc:
                raise exc_type(str(exc)) from None

        return inner  # type: ignore[return-value]

    return wrap
