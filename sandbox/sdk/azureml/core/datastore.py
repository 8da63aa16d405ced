"""v1 `Datastore`: get and register datastores."""
from __future__ import annotations

from typing import Any

from azureml._sandbox import translate
from azureml.data.azure_data_lake_datastore import AzureDataLakeGen2Datastore
from azureml.data.azure_storage_datastore import AbstractDatastore, AzureBlobDatastore, AzureFileDatastore
from azureml.exceptions import UserErrorException
from sandbox import datastores as _ds

_CLASSES = {_ds.BLOB: AzureBlobDatastore, _ds.FILE: AzureFileDatastore, _ds.ADLS_GEN2: AzureDataLakeGen2Datastore,
            _ds.ADLS_GEN1: AzureDataLakeGen2Datastore}


class Datastore:
    """Get a datastore with `Datastore(ws, name)` / `Datastore.get(ws, name)`; register with `register_*`."""

    def __new__(cls, workspace: Any, name: str | None = None) -> AbstractDatastore:  # type: ignore[misc]
        if name is None:
            return Datastore.get_default(workspace)
        return Datastore.get(workspace, name)

    @staticmethod
    def _from_record(workspace: Any, rec: _ds.DatastoreRecord) -> AbstractDatastore:
        klass = _CLASSES[rec.kind]
        return klass(workspace, rec.name, container_name=rec.container, account_name=rec.account_name,
                     credential_type=rec.credential_type, description=rec.description, is_default=rec.is_default)

    @staticmethod
    @translate()
    def get(workspace: Any, datastore_name: str) -> AbstractDatastore:
        return Datastore._from_record(workspace, _ds.get(workspace._engine, datastore_name))

    @staticmethod
    def get_default(workspace: Any) -> AbstractDatastore:
        return workspace.get_default_datastore()

    @staticmethod
    def list(workspace: Any) -> list[AbstractDatastore]:
        return list(workspace.datastores.values())

    @staticmethod
    @translate()
    def register_azure_blob_container(workspace: Any, datastore_name: str, container_name: str, account_name: str,
                                      sas_token: str | None = None, account_key: str | None = None,
                                      protocol: str | None = None, endpoint: str | None = None, overwrite: bool = False,
                                      create_if_not_exists: bool = False, skip_validation: bool = False,
                                      blob_cache_timeout: int | None = None, grant_workspace_access: bool = False,
                                      subscription_id: str | None = None, resource_group: str | None = None) -> AzureBlobDatastore:
        return _register(workspace, datastore_name, _ds.BLOB, account_name, container_name, overwrite,
                         account_key=account_key, sas_token=sas_token)

    @staticmethod
    @translate()
    def register_azure_file_share(workspace: Any, datastore_name: str, file_share_name: str, account_name: str,
                                  sas_token: str | None = None, account_key: str | None = None,
                                  protocol: str | None = None, endpoint: str | None = None, overwrite: bool = False,
                                  create_if_not_exists: bool = False, skip_validation: bool = False) -> AzureFileDatastore:
        return _register(workspace, datastore_name, _ds.FILE, account_name, file_share_name, overwrite,
                         account_key=account_key, sas_token=sas_token)

    @staticmethod
    @translate()
    def register_azure_data_lake_gen2(workspace: Any, datastore_name: str, filesystem: str, account_name: str,
                                      tenant_id: str | None = None, client_id: str | None = None,
                                      client_secret: str | None = None, resource_url: str | None = None,
                                      authority_url: str | None = None, protocol: str | None = None,
                                      endpoint: str | None = None, overwrite: bool = False,
                                      subscription_id: str | None = None, resource_group: str | None = None,
                                      grant_workspace_access: bool = False) -> AzureDataLakeGen2Datastore:
        given = [v for v in (tenant_id, client_id, client_secret) if v]
        if given and len(given) != 3:
            raise UserErrorException(
                "A service principal needs tenant_id, client_id and client_secret together; pass all three, or none "
                "of them for identity-based access."
            )
        return _register(workspace, datastore_name, _ds.ADLS_GEN2, account_name, filesystem, overwrite,
                         tenant_id=tenant_id, client_id=client_id, client_secret=client_secret)


def _register(workspace: Any, name: str, kind: str, account: str, container: str, overwrite: bool, **secrets: str | None) -> AbstractDatastore:
    secret = {k: v for k, v in secrets.items() if v}
    if "account_key" in secret and "sas_token" in secret:
        raise UserErrorException("Pass either account_key or sas_token, not both.")
    credential = ("AccountKey" if "account_key" in secret else "Sas" if "sas_token" in secret
                  else "ServicePrincipal" if "client_secret" in secret else "None")
    engine = workspace._engine
    try:
        existing = _ds.get(engine, name, with_secret=True)
    except Exception:
        existing = None
    if existing is not None and not overwrite:
        same = (existing.kind, existing.account_name, existing.container, existing.secret or {}) == (kind, account, container, secret)
        if not same:
            raise UserErrorException(
                f"A datastore named {name!r} already exists with a different definition. Pass overwrite=True to "
                "replace it, or choose another name."
            )
        return Datastore._from_record(workspace, existing)
    rec = _ds.register(engine, name, kind, account, container, credential, secret or None)
    return Datastore._from_record(workspace, rec)
