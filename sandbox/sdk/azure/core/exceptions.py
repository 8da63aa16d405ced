"""`azure.core.exceptions`: the errors the v2 SDK raises for service answers."""
from __future__ import annotations

from typing import Any


class AzureError(Exception):
    def __init__(self, message: Any = None, *args: Any, **kwargs: Any) -> None:
        self.message = str(message) if message is not None else ""
        self.inner_exception = kwargs.get("error")
        super().__init__(self.message, *args)


class ServiceRequestError(AzureError):
    pass


class HttpResponseError(AzureError):
    def __init__(self, message: Any = None, response: Any = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.response = response
        self.status_code = kwargs.get("status_code")
        self.reason = None


class ClientAuthenticationError(HttpResponseError):
    pass


class ResourceNotFoundError(HttpResponseError):
    pass


class ResourceExistsError(HttpResponseError):
    pass


class ResourceModifiedError(HttpResponseError):
    pass
