"""v1 `Workspace`."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from azureml.exceptions import ProjectSystemException, UserErrorException
from sandbox import config as _config
from sandbox.errors import InvalidInput, NotFound
from sandbox.workspace import current_workspace


class Workspace:
    """The top-level resource: everything you create lives in a workspace."""

    def __init__(
        self,
        subscription_id: str,
        resource_group: str,
        workspace_name: str,
        auth: Any = None,
        _location: str | None = None,
        _disable_service_check: bool = False,
        _workspace_id: str | None = None,
        sku: str = "basic",
        tags: dict | None = None,
        _cloud: str = "AzureCloud",
    ) -> None:
        engine = current_workspace()
        try:
            _config.check_matches(engine, subscription_id, resource_group, workspace_name)
        except NotFound as exc:
            raise ProjectSystemException(str(exc)) from None
        from azureml.core.authentication import caller_of

        self._engine = engine.as_caller(caller_of(auth, engine))
        self._auth = auth
        self.sku = sku
        self.tags = tags or {}

    # -- finding a workspace ----------------------------------------------------------------------
    @staticmethod
    def from_config(path: str | None = None, auth: Any = None, _logger: Any = None, _file_name: str | None = None) -> "Workspace":
        try:
            found = _config.find(path, _file_name)
            coords = _config.read(found)
        except (NotFound, InvalidInput) as exc:
            raise UserErrorException(str(exc)) from None
        return Workspace(coords["subscription_id"], coords["resource_group"], coords["workspace_name"], auth=auth)

    @staticmethod
    def get(
        name: str,
        auth: Any = None,
        subscription_id: str | None = None,
        resource_group: str | None = None,
        location: str | None = None,
        cloud: str = "AzureCloud",
        id: str | None = None,
    ) -> "Workspace":
        engine = current_workspace()
        return Workspace(subscription_id or engine.subscription_id, resource_group or engine.resource_group, name, auth=auth)

    @staticmethod
    def list(subscription_id: str, auth: Any = None, resource_group: str | None = None) -> dict[str, list["Workspace"]]:
        engine = current_workspace()
        return {engine.name: [Workspace(engine.subscription_id, engine.resource_group, engine.name, auth=auth)]}

    @staticmethod
    def create(name: str, auth: Any = None, subscription_id: str | None = None, resource_group: str | None = None,
               location: str | None = None, create_resource_group: bool = True, sku: str = "basic",
               tags: dict | None = None, friendly_name: str | None = None, storage_account: Any = None,
               key_vault: Any = None, app_insights: Any = None, container_registry: Any = None,
               adb_workspace: Any = None, primary_user_assigned_identity: Any = None, cmk_keyvault: Any = None,
               resource_cmk_uri: Any = None, hbi_workspace: bool = False, default_cpu_compute_target: Any = None,
               default_gpu_compute_target: Any = None, private_endpoint_config: Any = None,
               private_endpoint_auto_approval: bool = True, exist_ok: bool = False, show_output: bool = True,
               user_assigned_identity_for_cmk_encryption: Any = None, system_datastores_auth_mode: str = "accessKey",
               v1_legacy_mode: Any = None) -> "Workspace":
        """The sandbox workspace under `name` in `resource_group` (a new name is added to it, as a lab's set-up
        does; see sandbox.account)."""
        from sandbox import account
        from sandbox.errors import SandboxError

        engine = current_workspace()
        group = resource_group or engine.resource_group
        try:
            if account.knows(engine, name, group):
                if not exist_ok:
                    raise UserErrorException(f"Workspace {name!r} already exists. Pass exist_ok=True to get it.")
            else:
                if create_resource_group:
                    try:
                        account.get_group(engine, group)
                    except SandboxError:
                        account.create_group(engine, group, location or engine.location)
                account.create_workspace(engine, name, group, location, friendly_name)
                if show_output:
                    print(f"Deploying Workspace with name {name}.\nDeployed Workspace with name {name}.")
        except SandboxError as exc:
            raise UserErrorException(str(exc)) from None
        return Workspace(engine.subscription_id, group, name, auth=auth, sku=sku, tags=tags)

    # -- properties ------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._engine.name

    @property
    def subscription_id(self) -> str:
        return self._engine.subscription_id

    @property
    def resource_group(self) -> str:
        return self._engine.resource_group

    @property
    def location(self) -> str:
        return self._engine.location

    @property
    def discovery_url(self) -> str:
        return f"https://{self.location}.api.azureml.ms/discovery"

    @property
    def service_context(self) -> Any:
        return None

    def get_default_keyvault(self) -> Any:
        """The workspace's Key Vault (set_secret / get_secret / list_secrets ...)."""
        from azureml.core.keyvault import Keyvault

        return Keyvault(self)

    def get_details(self) -> dict[str, Any]:
        ws = self._engine
        account = ws.storage_account_name()
        return {
            "id": ws.arm_id,
            "name": ws.name,
            "location": ws.location,
            "type": "Microsoft.MachineLearningServices/workspaces",
            "sku": "Basic",
            "workspaceid": ws.workspace_id,
            "description": "dp100 sandbox workspace",
            "friendlyName": ws.name,
            "storageAccount": f"/subscriptions/{ws.subscription_id}/resourcegroups/{ws.resource_group}"
                              f"/providers/microsoft.storage/storageaccounts/{account}",
            "keyVault": _vault_id(ws),
            "applicationInsights": f"/subscriptions/{ws.subscription_id}/resourcegroups/{ws.resource_group}"
                                   f"/providers/microsoft.insights/components/ai{account}",
            "hbiWorkspace": False,
            "provisioningState": "Succeeded",
            "discoveryUrl": self.discovery_url,
        }

    def write_config(self, path: str | None = None, file_name: str | None = None) -> None:
        folder = Path(path) if path else Path.cwd() / ".azureml"
        _config.write(self._engine, folder, file_name or "config.json")

    # -- asset collections ----------------------------------------------------------------------
    @property
    def datastores(self) -> dict[str, Any]:
        from azureml.core.datastore import Datastore

        return {rec.name: Datastore._from_record(self, rec) for rec in _datastores().list_all(self._engine)}

    def get_default_datastore(self) -> Any:
        from azureml.core.datastore import Datastore

        return Datastore._from_record(self, _datastores().get_default(self._engine))

    def set_default_datastore(self, name: str) -> None:
        from azureml._sandbox import translate

        translate()(_datastores().set_default)(self._engine, name)

    @property
    def datasets(self) -> dict[str, Any]:
        from azureml.core.dataset import Dataset

        return Dataset.get_all(self)

    @property
    def experiments(self) -> dict[str, Any]:
        from azureml.core.experiment import Experiment

        return {e.name: e for e in Experiment.list(self)}

    @property
    def compute_targets(self) -> dict[str, Any]:
        from azureml.core.compute import ComputeTarget

        return {c.name: c for c in ComputeTarget.list(self)}

    @property
    def environments(self) -> dict[str, Any]:
        from azureml.core.environment import Environment

        return Environment.list(self)

    def get_mlflow_tracking_uri(self, _with_auth: bool = False) -> str:
        from sandbox import tracking

        return tracking.tracking_uri(self._engine)

    def __repr__(self) -> str:
        return (
            f"Workspace.create(name='{self.name}', subscription_id='{self.subscription_id}', "
            f"resource_group='{self.resource_group}')"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Workspace) and other._engine.root == self._engine.root

    def __hash__(self) -> int:
        return hash(str(self._engine.root))


def _datastores():
    from sandbox import datastores

    return datastores


def _vault_id(ws: Any) -> str:
    from sandbox.security import keyvault

    return keyvault.vault_id(ws)
