"""v1 dataset errors."""
from azureml.exceptions import UserErrorException


class DatasetValidationError(UserErrorException):
    """The dataset's files could not be found or read when it was created."""


class DatasetExecutionError(UserErrorException):
    """Reading the dataset's data failed."""
