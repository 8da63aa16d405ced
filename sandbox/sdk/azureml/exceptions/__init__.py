"""Exception types of the v1 SDK, as a learner sees them."""
from __future__ import annotations


class AzureMLException(Exception):
    """Base of the v1 SDK's exceptions."""

    def __init__(self, exception_message: str = "", inner_exception: BaseException | None = None, **kwargs) -> None:
        super().__init__(exception_message)
        self.message = exception_message
        self.inner_exception = inner_exception

    def __str__(self) -> str:
        return self.message


class UserErrorException(AzureMLException):
    """The call was wrong; the message says how to fix it."""


class ProjectSystemException(AzureMLException):
    """The workspace (project) could not be found or loaded."""


class WorkspaceException(ProjectSystemException):
    """A workspace operation failed."""


class AuthenticationException(UserErrorException):
    """Credentials were refused."""


class ComputeTargetException(AzureMLException):
    """A compute target is missing or cannot be used."""


class ActivityFailedException(AzureMLException):
    """A run finished in the Failed state."""


class ExperimentExecutionException(AzureMLException):
    """An experiment could not be submitted."""


class RunConfigurationException(AzureMLException):
    """A run configuration is invalid."""


class WebserviceException(AzureMLException):
    """A web service operation failed."""


class ModelNotFoundException(UserErrorException):
    """No model with that name and version."""


class TrainingException(AzureMLException):
    """A training run could not be set up."""
