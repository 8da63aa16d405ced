"""v2 `Workspace` entity."""
from __future__ import annotations

from typing import Any

from azure.ai.ml.entities._resource import Resource


class Workspace(Resource):
    def __init__(self, *, name: str, location: str | None = None, display_name: str | None = None,
                 description: str | None = None, resource_group: str | None = None, tags: dict | None = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name, description=description, tags=tags, **kwargs)
        self.location = location
        self.display_name = display_name or name
        self.resource_group = resource_group
        self.mlflow_tracking_uri: str | None = None
        self.discovery_url: str | None = None
        self.storage_account: str | None = None
        self.key_vault: str | None = kwargs.get("key_vault")
        self.public_network_access: str | None = kwargs.get("public_network_access")
        self.managed_network: Any = kwargs.get("managed_network")

    @classmethod
    def _from_engine(cls, ws: Any, known: Any = None) -> "Workspace":
        """The sandbox workspace as an entity; `known` is one of its names (sandbox.account.WorkspaceName)."""
        name = known.name if known is not None else ws.name
        group = known.resource_group if known is not None else ws.resource_group
        entity = cls(name=name, location=known.location if known is not None else ws.location, resource_group=group,
                     display_name=getattr(known, "display_name", None),
                     description=getattr(known, "description", None) or "dp100 sandbox workspace")
        entity.id = (f"/subscriptions/{ws.subscription_id}/resourceGroups/{group}"
                     f"/providers/Microsoft.MachineLearningServices/workspaces/{name}")
        from sandbox import tracking

        entity.mlflow_tracking_uri = tracking.tracking_uri(ws)
        entity.discovery_url = f"https://{ws.location}.api.azureml.ms/discovery"
        entity.storage_account = (f"/subscriptions/{ws.subscription_id}/resourceGroups/{ws.resource_group}"
                                  f"/providers/Microsoft.Storage/storageAccounts/{ws.storage_account_name()}")
        from sandbox.security import keyvault

        entity.key_vault = keyvault.vault_id(ws)
        return entity
