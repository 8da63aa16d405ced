"""v2 compute entities: `Compute`, `AmlCompute`, `ComputeInstance`, and the `VmSize`/`Usage` listings."""
from __future__ import annotations

from typing import Any

from azure.ai.ml.entities._resource import Resource


class AmlComputeSshSettings:
    def __init__(self, *, admin_username: str, admin_password: str | None = None,
                 ssh_key_value: str | None = None) -> None:
        self.admin_username = admin_username
        self.admin_password = admin_password
        self.ssh_key_value = ssh_key_value

    def _to_dict(self) -> dict[str, Any]:
        return {"admin_username": self.admin_username}


class Compute(Resource):
    """Base of compute targets."""

    type: str | None = None

    def __init__(self, name: str | None = None, location: str | None = None, description: str | None = None,
                 resource_id: str | None = None, tags: dict | None = None, **kwargs: Any) -> None:
        kind = kwargs.pop("type", None)
        super().__init__(name=name, description=description, tags=tags, **kwargs)
        if kind is not None:
            self.type = kind
        self.location = location
        self.resource_id = resource_id
        self.provisioning_state: str | None = None
        self.provisioning_errors: Any = None
        self.created_on: str | None = None

    def _bind(self, record: Any, ws: Any) -> "Compute":
        from azure.ai.ml.entities._resource import SystemData

        self.id = f"{ws.arm_id}/computes/{record.name}"
        self.location = ws.location
        self.provisioning_state = record.provisioning_state
        self.provisioning_errors = record.errors or None
        self.created_on = record.created
        self.creation_context = SystemData(record.created)
        return self

    def _to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "type": self.type}
        for key, value in vars(self).items():
            if key.startswith("_") or key in ("name", "print_as_yaml", "creation_context") or value in (None, {}, []):
                continue
            data[key] = value
        return data


class AmlCompute(Compute):
    """A managed cluster: scales from min_instances to max_instances nodes and back after an idle time."""

    type = "amlcompute"

    def __init__(self, *, name: str, description: str | None = None, size: str | None = None,
                 tags: dict | None = None, ssh_public_access_enabled: bool | None = None,
                 ssh_settings: AmlComputeSshSettings | None = None, min_instances: int | None = 0,
                 max_instances: int | None = 4, network_settings: Any = None,
                 idle_time_before_scale_down: int | None = 120, identity: Any = None, tier: str | None = None,
                 enable_node_public_ip: bool = True, **kwargs: Any) -> None:
        kwargs.pop("type", None)
        super().__init__(name=name, description=description, tags=tags, **kwargs)
        self.size = size
        self.min_instances = min_instances
        self.max_instances = max_instances
        self.idle_time_before_scale_down = idle_time_before_scale_down
        self.tier = tier
        self.ssh_public_access_enabled = ssh_public_access_enabled
        self.ssh_settings = ssh_settings
        self.network_settings = network_settings
        self.identity = identity
        self.enable_node_public_ip = enable_node_public_ip

    @classmethod
    def _from_record(cls, record: Any, ws: Any) -> "AmlCompute":
        entity = cls(name=record.name, description=record.description, size=record.size, tags=record.tags,
                     min_instances=record.min_nodes, max_instances=record.max_nodes,
                     idle_time_before_scale_down=record.idle_seconds, tier=record.tier,
                     ssh_public_access_enabled=record.settings.get("ssh_public_access_enabled"))
        entity._bind(record, ws)
        return entity


class ComputeInstance(Compute):
    """A managed development VM; it runs jobs while its state is Running."""

    type = "computeinstance"

    def __init__(self, *, name: str, description: str | None = None, size: str | None = None,
                 tags: dict | None = None, ssh_public_access_enabled: bool | None = None,
                 create_on_behalf_of: Any = None, network_settings: Any = None, ssh_settings: Any = None,
                 schedules: Any = None, identity: Any = None, idle_time_before_shutdown: str | None = None,
                 idle_time_before_shutdown_minutes: int | None = None, setup_scripts: Any = None,
                 enable_node_public_ip: bool = True, custom_applications: Any = None, **kwargs: Any) -> None:
        kwargs.pop("type", None)
        super().__init__(name=name, description=description, tags=tags, **kwargs)
        self.size = size
        self.ssh_public_access_enabled = ssh_public_access_enabled
        self.create_on_behalf_of = create_on_behalf_of
        self.network_settings = network_settings
        self.ssh_settings = ssh_settings
        self.schedules = schedules
        self.identity = identity
        self.idle_time_before_shutdown = idle_time_before_shutdown
        self.idle_time_before_shutdown_minutes = idle_time_before_shutdown_minutes
        self.setup_scripts = setup_scripts
        self.enable_node_public_ip = enable_node_public_ip
        self.custom_applications = custom_applications
        self.state: str | None = None
        self.last_operation: dict | None = None
        self.services: list[dict] | None = None

    @classmethod
    def _from_record(cls, record: Any, ws: Any) -> "ComputeInstance":
        entity = cls(name=record.name, description=record.description, size=record.size, tags=record.tags,
                     idle_time_before_shutdown_minutes=record.settings.get("idle_time_before_shutdown_minutes"),
                     ssh_public_access_enabled=record.settings.get("ssh_public_access_enabled"))
        entity._bind(record, ws)
        entity.state = record.state or record.provisioning_state
        return entity


class VmSize:
    """One entry of `ml_client.compute.list_sizes()`."""

    def __init__(self, name: str, family: str, v_cpus: int, gpus: int, memory_gb: float, max_resource_volume_mb: int,
                 low_priority_capable: bool, premium_io: bool) -> None:
        self.name = name
        self.family = family
        self.v_cpus = v_cpus
        self.gpus = gpus
        self.os_vhd_size_mb = 1047552
        self.max_resource_volume_mb = max_resource_volume_mb
        self.memory_gb = memory_gb
        self.low_priority_capable = low_priority_capable
        self.premium_io = premium_io
        self.supported_compute_types = ["AmlCompute", "ComputeInstance"]

    def _to_dict(self) -> dict[str, Any]:
        return dict(vars(self))

    def __repr__(self) -> str:
        return f"VmSize({self._to_dict()})"


class UsageName:
    def __init__(self, value: str, localized_value: str) -> None:
        self.value = value
        self.localized_value = localized_value

    def __repr__(self) -> str:
        return f"UsageName(value={self.value!r}, localized_value={self.localized_value!r})"


class Usage:
    """One entry of `ml_client.compute.list_usage()`: vCPUs in use against the quota of a VM family."""

    def __init__(self, id: str, aml_workspace_location: str, type: str, unit: str, current_value: int, limit: int,
                 name: UsageName) -> None:
        self.id = id
        self.aml_workspace_location = aml_workspace_location
        self.type = type
        self.unit = unit
        self.current_value = current_value
        self.limit = limit
        self.name = name

    def __repr__(self) -> str:
        return (f"Usage(name={self.name.value!r}, current_value={self.current_value}, limit={self.limit}, "
                f"unit={self.unit!r})")


class AmlComputeNodeInfo:
    def __init__(self, node_id: str, private_ip_address: str, public_ip_address: str | None, port: int,
                 node_state: str, current_job_name: str | None) -> None:
        self.node_id = node_id
        self.private_ip_address = private_ip_address
        self.public_ip_address = public_ip_address
        self.port = port
        self.node_state = node_state
        self.current_job_name = current_job_name

    def __repr__(self) -> str:
        return f"AmlComputeNodeInfo({vars(self)})"
