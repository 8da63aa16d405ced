"""v2 datastore entities."""
from __future__ import annotations

from typing import Any

from azure.ai.ml.entities._credentials import (
    AccountKeyConfiguration,
    NoneCredentialConfiguration,
    SasTokenConfiguration,
    ServicePrincipalConfiguration,
    _Credentials,
)
from azure.ai.ml.entities._resource import Resource

_KIND_TO_CRED = {"AccountKey": AccountKeyConfiguration, "Sas": SasTokenConfiguration,
                 "ServicePrincipal": ServicePrincipalConfiguration, "None": NoneCredentialConfiguration}
_CRED_TO_KIND = {AccountKeyConfiguration: "AccountKey", SasTokenConfiguration: "Sas",
                 ServicePrincipalConfiguration: "ServicePrincipal"}


class Datastore(Resource):
    _kind = ""
    type = ""

    def __init__(self, *, name: str, account_name: str, credentials: _Credentials | None = None,
                 description: str | None = None, tags: dict | None = None, endpoint: str = "core.windows.net",
                 protocol: str = "https", **kwargs: Any) -> None:
        super().__init__(name=name, description=description, tags=tags, **kwargs)
        self.account_name = account_name
        self.credentials = credentials or NoneCredentialConfiguration()
        self.endpoint = endpoint
        self.protocol = protocol
        self.is_default = False

    @property
    def _container(self) -> str:
        raise NotImplementedError

    def _credential_kind(self) -> str:
        return _CRED_TO_KIND.get(type(self.credentials), "None")


class AzureBlobDatastore(Datastore):
    _kind = "AzureBlob"
    type = "azure_blob"

    def __init__(self, *, name: str, account_name: str, container_name: str, **kwargs: Any) -> None:
        super().__init__(name=name, account_name=account_name, **kwargs)
        self.container_name = container_name

    @property
    def _container(self) -> str:
        return self.container_name


class AzureFileDatastore(Datastore):
    _kind = "AzureFile"
    type = "azure_file"

    def __init__(self, *, name: str, account_name: str, file_share_name: str, **kwargs: Any) -> None:
        super().__init__(name=name, account_name=account_name, **kwargs)
        self.file_share_name = file_share_name

    @property
    def _container(self) -> str:
        return self.file_share_name


class AzureDataLakeGen2Datastore(Datastore):
    _kind = "AzureDataLakeGen2"
    type = "azure_data_lake_gen2"

    def __init__(self, *, name: str, account_name: str, filesystem: str, **kwargs: Any) -> None:
        super().__init__(name=name, account_name=account_name, **kwargs)
        self.filesystem = filesystem

    @property
    def _container(self) -> str:
        return self.filesystem


_BY_KIND = {"AzureBlob": (AzureBlobDatastore, "container_name"), "AzureFile": (AzureFileDatastore, "file_share_name"),
            "AzureDataLakeGen2": (AzureDataLakeGen2Datastore, "filesystem"),
            "AzureDataLake": (AzureDataLakeGen2Datastore, "filesystem")}


def from_record(rec: Any, ws: Any, include_secrets: bool = False) -> Datastore:
    klass, container_field = _BY_KIND[rec.kind]
    cred_class = _KIND_TO_CRED.get(rec.credential_type, NoneCredentialConfiguration)
    credentials = cred_class()  # secrets stay hidden unless asked for
    if include_secrets and rec.secret:
        for key, value in rec.secret.items():
            if hasattr(credentials, key):
                setattr(credentials, key, value)
    store = klass(name=rec.name, account_name=rec.account_name, credentials=credentials, description=rec.description,
                  tags=rec.tags, **{container_field: rec.container})
    store.id = f"{ws.arm_id}/datastores/{rec.name}"
    store.is_default = rec.is_default
    return store
