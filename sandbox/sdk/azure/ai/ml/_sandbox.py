"""Glue between the v2 facades and the sandbox engine (not part of the real SDK's surface)."""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

from azure.ai.ml.exceptions import ValidationException
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ResourceExistsError,
    ResourceNotFoundError,
)
from sandbox.errors import SandboxError

F = TypeVar("F", bound=Callable)

# engine error code -> (exception type azure-ai-ml raises, HTTP status the service would have answered)
_BY_CODE: dict[str, tuple[type[Exception], int | None]] = {
    "ResourceNotFound": (ResourceNotFoundError, 404),
    "ResourceExists": (ResourceExistsError, 409),
    "AuthorizationFailed": (HttpResponseError, 403),
    "AuthenticationFailed": (ClientAuthenticationError, 401),
}


def as_sdk_error(exc: SandboxError) -> Exception:
    kind, status = _BY_CODE.get(exc.code, (ValidationException, None))
    if kind is ValidationException:
        return ValidationException(str(exc))
    if exc.code == "AuthorizationFailed":
        return kind(f"(AuthorizationFailed) {exc}", status_code=status)
    return kind(str(exc), status_code=status)


def translated(func: F) -> F:
    """Re-raise engine errors as the exception types azure-ai-ml raises (chosen by the error's code)."""

    @functools.wraps(func)
    def inner(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except SandboxError as exc:
            raise as_sdk_error(exc) from None

    return inner  # type: ignore[return-value]


def environment_ref(environment: Any, ws: Any) -> str | None:
    """The reference a job stores for `environment=`: a string as given, an Environment entity registered the way
    Azure registers an inline environment on submit."""
    if environment is None:
        return None
    if isinstance(environment, str):
        return environment
    from azure.ai.ml.entities._environment import Environment

    if isinstance(environment, Environment):
        return environment._dp100_ref(ws)
    raise ValidationException(f"environment= takes an Environment or a reference such as 'azureml:my-env:1' or "
                              f"'AzureML-sklearn-1.5@latest'; got {type(environment).__name__}.")
