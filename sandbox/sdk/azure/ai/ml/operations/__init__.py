"""v2 operation groups (`ml_client.data`, `ml_client.datastores`, ...)."""
from azure.ai.ml.operations._data import DataOperations
from azure.ai.ml.operations._datastores import DatastoreOperations
from azure.ai.ml.operations._workspaces import WorkspaceOperations

__all__ = ["DataOperations", "DatastoreOperations", "WorkspaceOperations"]
