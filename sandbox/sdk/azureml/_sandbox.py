"""Glue between the v1 facades and the sandbox engine (not part of the real SDK's surface)."""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

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


def environment_ref(environment: Any, ws: Any) -> str | None:
    """The reference a run stores for its environment: a string as given, an `Environment` registered the way
    Azure registers a run's environment on submit."""
    if environment is None:
        return None
    if isinstance(environment, str):
        return environment
    from azureml.core.environment import Environment

    if isinstance(environment, Environment):
        return environment._dp100_ref(ws)
    raise UserErrorException(f"The run configuration's environment must be an azureml.core.Environment; got "
                             f"{type(environment).__name__}.")
