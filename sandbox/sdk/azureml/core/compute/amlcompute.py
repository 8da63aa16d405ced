"""v1 `AmlCompute`: a managed cluster that scales between min and max nodes."""
from __future__ import annotations

from typing import Any

from azureml.core.compute.compute import ComputeTarget, ComputeTargetProvisioningConfiguration, _call
from azureml.exceptions import ComputeTargetException
from sandbox import compute as _engine
from sandbox import vm_sizes as _sizes

DEFAULT_VM_SIZE = "STANDARD_NC6"
DEFAULT_IDLE_SECONDS = 1800


def _priority_v1(tier: str) -> str:
    return "Dedicated" if tier == _engine.DEDICATED else "LowPriority"


class ScaleSettings:
    def __init__(self, min_nodes: int, max_nodes: int, idle_seconds_before_scaledown: int) -> None:
        self.minimum_node_count = min_nodes
        self.maximum_node_count = max_nodes
        self.idle_seconds_before_scaledown = idle_seconds_before_scaledown

    def serialize(self) -> dict[str, Any]:
        return {"minNodeCount": self.minimum_node_count, "maxNodeCount": self.maximum_node_count,
                "nodeIdleTimeBeforeScaleDown": f"PT{self.idle_seconds_before_scaledown}S"}

    def __repr__(self) -> str:
        return repr(self.serialize())


class AmlComputeNodeStateCounts:
    def __init__(self, record: Any) -> None:
        self.idle_node_count = record.idle_node_count
        self.running_node_count = record.busy_node_count
        self.preparing_node_count = 0
        self.unusable_node_count = 0
        self.leaving_node_count = 0
        self.preempted_node_count = 0

    def serialize(self) -> dict[str, int]:
        return {"idleNodeCount": self.idle_node_count, "runningNodeCount": self.running_node_count,
                "preparingNodeCount": 0, "unusableNodeCount": 0, "leavingNodeCount": 0, "preemptedNodeCount": 0}


class AmlComputeStatus:
    """What `cluster.get_status()` returns."""

    def __init__(self, record: Any) -> None:
        self.current_node_count = record.current_node_count
        self.target_node_count = record.target_node_count
        self.node_state_counts = AmlComputeNodeStateCounts(record)
        self.allocation_state = record.allocation_state
        self.allocation_state_transition_time = record.allocation_state_transition_time
        self.errors = record.errors or None
        self.creation_time = record.created
        self.modified_time = record.modified
        self.provisioning_state = record.provisioning_state
        self.provisioning_state_transition_time = record.modified
        self.scale_settings = ScaleSettings(record.min_nodes, record.max_nodes, record.idle_seconds)
        self.vm_priority = _priority_v1(record.tier)
        self.vm_size = record.size.upper()

    def serialize(self) -> dict[str, Any]:
        return {
            "currentNodeCount": self.current_node_count, "targetNodeCount": self.target_node_count,
            "nodeStateCounts": self.node_state_counts.serialize(), "allocationState": self.allocation_state,
            "allocationStateTransitionTime": self.allocation_state_transition_time, "errors": self.errors,
            "creationTime": self.creation_time, "modifiedTime": self.modified_time,
            "provisioningState": self.provisioning_state,
            "provisioningStateTransitionTime": self.provisioning_state_transition_time,
            "scaleSettings": self.scale_settings.serialize(), "vmPriority": self.vm_priority, "vmSize": self.vm_size,
        }

    def __repr__(self) -> str:
        return repr(self.serialize())


class AmlComputeProvisioningConfiguration(ComputeTargetProvisioningConfiguration):
    type = "AmlCompute"

    def __init__(self, vm_size: str = "", vm_priority: str = "dedicated", min_nodes: int = 0, max_nodes: int | None = None,
                 idle_seconds_before_scaledown: int | None = DEFAULT_IDLE_SECONDS, admin_username: str | None = None,
                 admin_user_password: str | None = None, admin_user_ssh_key: str | None = None,
                 vnet_resourcegroup_name: str | None = None, vnet_name: str | None = None, subnet_name: str | None = None,
                 tags: dict | None = None, description: str | None = None,
                 remote_login_port_public_access: str = "NotSpecified", identity_type: str | None = None,
                 identity_id: list | None = None, location: str | None = None, enable_node_public_ip: bool = True) -> None:
        self.vm_size = vm_size or DEFAULT_VM_SIZE
        self.vm_priority = vm_priority
        self.min_nodes = min_nodes
        self.max_nodes = max_nodes
        self.idle_seconds_before_scaledown = idle_seconds_before_scaledown
        self.admin_username = admin_username
        self.admin_user_password = admin_user_password
        self.admin_user_ssh_key = admin_user_ssh_key
        self.vnet_resourcegroup_name = vnet_resourcegroup_name
        self.vnet_name = vnet_name
        self.subnet_name = subnet_name
        self.tags = tags
        self.description = description
        self.remote_login_port_public_access = remote_login_port_public_access
        self.identity_type = identity_type
        self.identity_id = identity_id
        self.location = location
        self.enable_node_public_ip = enable_node_public_ip

    def validate_configuration(self) -> None:
        if self.max_nodes is None:
            raise ComputeTargetException(
                "Invalid provisioning configuration, max nodes count is mandatory. Pass max_nodes=<the most nodes "
                "the cluster may scale to>, e.g. AmlCompute.provisioning_configuration(vm_size='STANDARD_DS11_V2', "
                "max_nodes=2).")
        if self.admin_user_password and not self.admin_username:
            raise ComputeTargetException("Invalid configuration, admin_username is required when a password is set.")
        if (self.vnet_name or self.subnet_name) and not (self.vnet_name and self.subnet_name
                                                         and self.vnet_resourcegroup_name):
            raise ComputeTargetException("Invalid configuration, a virtual network needs vnet_resourcegroup_name, "
                                         "vnet_name and subnet_name together.")
        if _sizes.find(self.vm_size) is None:
            raise ComputeTargetException(_call_message(lambda: _sizes.lookup(self.vm_size)))

    def _create(self, ws: Any, name: str) -> Any:
        idle = DEFAULT_IDLE_SECONDS if self.idle_seconds_before_scaledown is None else self.idle_seconds_before_scaledown
        settings = {"admin_username": self.admin_username, "vnet_name": self.vnet_name, "subnet_name": self.subnet_name,
                    "remote_login_port_public_access": self.remote_login_port_public_access,
                    "identity_type": self.identity_type, "enable_node_public_ip": self.enable_node_public_ip}
        record = _call(_engine.create_cluster, ws, name, self.vm_size, self.min_nodes, self.max_nodes, idle,
                       self.vm_priority, self.description, self.tags,
                       {k: v for k, v in settings.items() if v is not None})
        if self.identity_type:  # "SystemAssigned", "UserAssigned" or "SystemAssigned,UserAssigned"
            kind = str(self.identity_type).lower()
            record = _call(_engine.set_identity, ws, record.name, "system" in kind,
                           list(self.identity_id or []) if "user" in kind else [])
        return record


def _call_message(func: Any) -> str:
    try:
        func()
    except Exception as exc:  # noqa: BLE001 - only to carry the message
        return str(exc)
    return ""


class AmlCompute(ComputeTarget):
    """A managed cluster of VMs that grows with queued jobs up to max_nodes and shrinks after an idle time."""

    _compute_type = "AmlCompute"

    @staticmethod
    def provisioning_configuration(vm_size: str = "", vm_priority: str = "dedicated", min_nodes: int = 0,
                                   max_nodes: int | None = None, idle_seconds_before_scaledown: int | None = DEFAULT_IDLE_SECONDS,
                                   admin_username: str | None = None, admin_user_password: str | None = None,
                                   admin_user_ssh_key: str | None = None, vnet_resourcegroup_name: str | None = None,
                                   vnet_name: str | None = None, subnet_name: str | None = None,
                                   tags: dict | None = None, description: str | None = None,
                                   remote_login_port_public_access: str = "NotSpecified",
                                   identity_type: str | None = None, identity_id: list | None = None,
                                   location: str | None = None,
                                   enable_node_public_ip: bool = True) -> AmlComputeProvisioningConfiguration:
        return AmlComputeProvisioningConfiguration(
            vm_size, vm_priority, min_nodes, max_nodes, idle_seconds_before_scaledown, admin_username,
            admin_user_password, admin_user_ssh_key, vnet_resourcegroup_name, vnet_name, subnet_name, tags,
            description, remote_login_port_public_access, identity_type, identity_id, location, enable_node_public_ip)

    @staticmethod
    def supported_vmsizes(workspace: Any, location: str | None = None) -> list[dict[str, Any]]:
        return [{"name": s.name, "vCPUs": s.v_cpus, "gpus": s.gpus, "memoryGB": s.memory_gb,
                 "maxResourceVolumeMB": s.max_resource_volume_mb} for s in _sizes.all_sizes()]

    # -- properties ----------------------------------------------------------------------------
    @property
    def vm_size(self) -> str:
        return self._record.size.upper()

    @property
    def vm_priority(self) -> str:
        return _priority_v1(self._record.tier).lower()

    @property
    def scale_settings(self) -> ScaleSettings:
        r = self._record
        return ScaleSettings(r.min_nodes, r.max_nodes, r.idle_seconds)

    @property
    def status(self) -> AmlComputeStatus:
        return AmlComputeStatus(self._record)

    def get_status(self) -> AmlComputeStatus:
        return AmlComputeStatus(self._refresh())

    def update(self, min_nodes: int | None = None, max_nodes: int | None = None,
               idle_seconds_before_scaledown: int | None = None) -> None:
        self._record = _call(_engine.update, self.workspace._engine, self.name, min_nodes, max_nodes,
                             idle_seconds_before_scaledown)

    def wait_for_completion(self, show_output: bool = False, min_node_count: int | None = None,
                            timeout_in_minutes: int = 25, is_delete_operation: bool = False) -> None:
        super().wait_for_completion(show_output=show_output, is_delete_operation=is_delete_operation)

    def list_nodes(self) -> list[dict[str, Any]]:
        nodes = _call(_engine.list_nodes, self.workspace._engine, self.name)
        return [{"nodeId": n.node_id, "port": n.port, "publicIpAddress": None, "privateIpAddress": n.private_ip,
                 "nodeState": n.state, "runId": n.job} for n in nodes]

    def get_active_runs(self, type: Any = None, tags: Any = None, properties: Any = None,
                        status: Any = None) -> list[str]:
        return list(self._refresh().running_jobs)

    def _print_completion(self) -> None:
        print("Succeeded")
        print("AmlCompute wait for completion finished\n")
        print("Minimum number of nodes requested have been provisioned")

    def serialize(self) -> dict[str, Any]:
        data = super().serialize()
        data["properties"]["status"] = AmlComputeStatus(self._record).serialize()
        data["properties"]["properties"] = {
            "vmSize": self.vm_size, "vmPriority": _priority_v1(self._record.tier),
            "scaleSettings": self.scale_settings.serialize()}
        return data
