"""`azure.ai.ml.exceptions`."""
from __future__ import annotations

from enum import Enum
from typing import Any


class ErrorCategory(str, Enum):
    USER_ERROR = "UserError"
    SYSTEM_ERROR = "SystemError"
    UNKNOWN = "Unknown"


class ErrorTarget(str, Enum):
    DATA = "Data"
    DATASTORE = "Datastore"
    JOB = "Job"
    GENERAL = "General"


class MlException(Exception):
    def __init__(self, message: str = "", no_personal_data_message: str | None = None, *args: Any,
                 target: Any = ErrorTarget.GENERAL, error_category: Any = ErrorCategory.USER_ERROR, **kwargs: Any) -> None:
        super().__init__(message)
        self.message = message
        self.no_personal_data_message = no_personal_data_message or message
        self.target = target
        self.error_category = error_category


class ValidationException(MlException):
    """The entity or call failed client-side validation; the message says what to change."""


class UserErrorException(MlException):
    pass


class JobException(MlException):
    pass


class EmptyDirectoryError(MlException):
    pass
