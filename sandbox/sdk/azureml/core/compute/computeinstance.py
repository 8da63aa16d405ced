"""v1 `ComputeInstance`: a single development VM that you start and stop."""
from __future__ import annotations

from typing import Any

from azureml.core.compute.compute import ComputeTarget, ComputeTargetProvisioningConfiguration, _call
from azureml.exceptions import ComputeTargetException
from sandbox import compute as _engine
from sandbox import vm_sizes as _sizes

DEFAULT_VM_SIZE = "STANDARD_DS3_V2"


class ComputeInstanceStatus:
    def __init__(self, record: Any) -> None:
        self.state = record.state or record.provisioning_state
        self.errors = record.errors or None
        self.vm_size = record.size.upper()
        self.created_by_user_name = "learner@dp100.sandbox"
        self.created_by_user_id = None
        self.creation_time = record.created
        self.modified_time = record.modified
        self.provisioning_state = record.provisioning_state
        self.last_operation = None

    def serialize(self) -> dict[str, Any]:
        return {"state": self.state, "errors": self.errors, "vmSize": self.vm_size,
                "createdBy": {"userName": self.created_by_user_name}, "creationTime": self.creation_time,
                "modifiedTime": self.modified_time, "provisioningState": self.provisioning_state}

    def __repr__(self) -> str:
        return repr(self.serialize())


class ComputeInstanceProvisioningConfiguration(ComputeTargetProvisioningConfiguration):
    type = "ComputeInstance"

    def __init__(self, vm_size: str = "", ssh_public_access: bool = False,
                 admin_user_ssh_public_key: str | None = None, vnet_resourcegroup_name: str | None = None,
                 vnet_name: str | None = None, subnet_name: str | None = None, tags: dict | None = None,
                 description: str | None = None, assigned_user_object_id: str | None = None,
                 assigned_user_tenant_id: str | None = None, idle_time_before_shutdown: str | None = None,
                 idle_time_before_shutdown_minutes: int | None = None, **kwargs: Any) -> None:
        self.vm_size = vm_size or DEFAULT_VM_SIZE
        self.ssh_public_access = ssh_public_access
        self.admin_user_ssh_public_key = admin_user_ssh_public_key
        self.vnet_resourcegroup_name = vnet_resourcegroup_name
        self.vnet_name = vnet_name
        self.subnet_name = subnet_name
        self.tags = tags
        self.description = description
        self.assigned_user_object_id = assigned_user_object_id
        self.assigned_user_tenant_id = assigned_user_tenant_id
        self.idle_time_before_shutdown = idle_time_before_shutdown
        self.idle_time_before_shutdown_minutes = idle_time_before_shutdown_minutes

    def validate_configuration(self) -> None:
        if self.ssh_public_access and not self.admin_user_ssh_public_key:
            raise ComputeTargetException("Invalid configuration, admin_user_ssh_public_key is required when "
                                         "ssh_public_access=True.")
        if _sizes.find(self.vm_size) is None:
            try:
                _sizes.lookup(self.vm_size)
            except Exception as exc:  # noqa: BLE001
                raise ComputeTargetException(str(exc)) from None

    def _create(self, ws: Any, name: str) -> Any:
        settings = {"ssh_public_access": self.ssh_public_access,
                    "idle_time_before_shutdown_minutes": self.idle_time_before_shutdown_minutes}
        return _call(_engine.create_instance, ws, name, self.vm_size, self.description, self.tags,
                     {k: v for k, v in settings.items() if v is not None})


class ComputeInstance(ComputeTarget):
    """A managed development workstation (one VM) that also runs jobs while it is Running."""

    _compute_type = "ComputeInstance"

    @staticmethod
    def provisioning_configuration(vm_size: str = "", ssh_public_access: bool = False,
                                   admin_user_ssh_public_key: str | None = None,
                                   vnet_resourcegroup_name: str | None = None, vnet_name: str | None = None,
                                   subnet_name: str | None = None, tags: dict | None = None,
                                   description: str | None = None, assigned_user_object_id: str | None = None,
                                   assigned_user_tenant_id: str | None = None, **kwargs: Any
                                   ) -> ComputeInstanceProvisioningConfiguration:
        return ComputeInstanceProvisioningConfiguration(
            vm_size, ssh_public_access, admin_user_ssh_public_key, vnet_resourcegroup_name, vnet_name, subnet_name,
            tags, description, assigned_user_object_id, assigned_user_tenant_id, **kwargs)

    @staticmethod
    def supported_vmsizes(workspace: Any, location: str | None = None) -> list[dict[str, Any]]:
        from azureml.core.compute.amlcompute import AmlCompute

        return AmlCompute.supported_vmsizes(workspace, location)

    @property
    def vm_size(self) -> str:
        return self._record.size.upper()

    @property
    def state(self) -> str | None:
        return self._refresh().state

    @property
    def status(self) -> ComputeInstanceStatus:
        return ComputeInstanceStatus(self._record)

    def get_status(self) -> ComputeInstanceStatus:
        return ComputeInstanceStatus(self._refresh())

    def delete(self, wait_for_completion: bool = True, show_output: bool = True) -> None:
        super().delete()
        if show_output and wait_for_completion:
            print("Deleting.\nSucceededDelete operation finished, operation \"Succeeded\"")

    def start(self, wait_for_completion: bool = False, show_output: bool = False) -> None:
        self._operation("Start", _engine.start, show_output)

    def stop(self, wait_for_completion: bool = False, show_output: bool = False) -> None:
        self._operation("Stop", _engine.stop, show_output)

    def restart(self, wait_for_completion: bool = False, show_output: bool = False) -> None:
        self._operation("Restart", _engine.restart, show_output)

    def _operation(self, what: str, func: Any, show_output: bool) -> None:
        if show_output:
            print("InProgress..", flush=True)
        self._record = _call(func, self.workspace._engine, self.name)
        if show_output:
            print(f'Succeeded{what} operation finished, operation "Succeeded"')

    def _print_completion(self) -> None:
        print("Succeeded")

    def serialize(self) -> dict[str, Any]:
        data = super().serialize()
        data["properties"]["status"] = ComputeInstanceStatus(self._record).serialize()
        data["properties"]["properties"] = {"vmSize": self.vm_size}
        return data
