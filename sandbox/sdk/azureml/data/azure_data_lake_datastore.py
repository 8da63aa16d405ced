"""v1 Azure Data Lake datastores."""
from __future__ import annotations

from typing import Any

from azureml.data.azure_storage_datastore import AbstractDatastore


class AzureDataLakeGen2Datastore(AbstractDatastore):
    def __init__(self, workspace: Any, name: str, container_name: str, account_name: str, tenant_id: str | None = None,
                 client_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(workspace, name, "AzureDataLakeGen2", account_name, container_name, **kwargs)
        self.filesystem = container_name
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.client_secret = None


class AzureDataLakeDatastore(AzureDataLakeGen2Datastore):
    """Gen1 data lake (retired in Azure; kept so old code still runs)."""
