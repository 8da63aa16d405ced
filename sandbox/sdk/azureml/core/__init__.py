"""dp100 sandbox facade of `azureml.core` (v1 SDK)."""
from azureml.core.workspace import Workspace
from azureml.core.datastore import Datastore
from azureml.core.dataset import Dataset

VERSION = "1.61.0"

__all__ = ["Workspace", "Datastore", "Dataset", "VERSION"]
