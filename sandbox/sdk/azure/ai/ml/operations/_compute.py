"""`ml_client.compute`."""
from __future__ import annotations

from typing import Any, Iterator

from azure.ai.ml._poller import CompletedPoller
from azure.ai.ml._sandbox import translated
from azure.ai.ml.entities._compute import (
    AmlCompute,
    AmlComputeNodeInfo,
    Compute,
    ComputeInstance,
    Usage,
    UsageName,
    VmSize,
)
from azure.ai.ml.exceptions import ValidationException
from azure.ai.ml.operations._base import Operations
from sandbox import compute as _engine
from sandbox import vm_sizes as _sizes

# Default dedicated vCPU quota per VM family (a new subscription's usual figures).
_GPU_QUOTA, _CPU_QUOTA = 24, 100


def _entity(record: Any, ws: Any) -> Compute:
    if record.kind == _engine.INSTANCE:
        return ComputeInstance._from_record(record, ws)
    return AmlCompute._from_record(record, ws)


class ComputeOperations(Operations):
    @translated
    def get(self, name: str) -> Compute:
        return _entity(_engine.get(self._ws, name), self._ws)

    @translated
    def list(self, *, compute_type: str | None = None) -> Iterator[Compute]:
        items = [_entity(r, self._ws) for r in _engine.list_computes(self._ws)]
        if compute_type:
            items = [c for c in items if (c.type or "").lower() == compute_type.lower()]
        return iter(items)

    def begin_create_or_update(self, compute: Compute) -> CompletedPoller:
        name = self._create(compute)
        return CompletedPoller(wait=lambda timeout=None: self._wait(name))

    def create_or_update(self, compute: Compute) -> Compute:
        return self.begin_create_or_update(compute).result()

    def begin_update(self, compute: Compute) -> CompletedPoller:
        return self.begin_create_or_update(compute)

    @translated
    def _create(self, compute: Compute) -> str:
        if isinstance(compute, AmlCompute):
            settings = {"ssh_public_access_enabled": compute.ssh_public_access_enabled,
                        "enable_node_public_ip": compute.enable_node_public_ip}
            if compute.size is None and compute.name and _engine.exists(self._ws, compute.name):
                # no size: an update of an existing cluster's scale settings (Azure keeps its size and tier)
                record = _engine.update(self._ws, compute.name, compute.min_instances, compute.max_instances,
                                        compute.idle_time_before_scale_down, compute.description, compute.tags)
                return record.name
            record = _engine.create_cluster(
                self._ws, compute.name, compute.size or _engine.DEFAULT_CLUSTER_SIZE,
                0 if compute.min_instances is None else compute.min_instances,
                4 if compute.max_instances is None else compute.max_instances,
                120 if compute.idle_time_before_scale_down is None else compute.idle_time_before_scale_down,
                compute.tier or _engine.DEDICATED, compute.description, compute.tags,
                {k: v for k, v in settings.items() if v is not None})
        elif isinstance(compute, ComputeInstance):
            settings = {"ssh_public_access_enabled": compute.ssh_public_access_enabled,
                        "idle_time_before_shutdown_minutes": compute.idle_time_before_shutdown_minutes}
            record = _engine.create_instance(self._ws, compute.name, compute.size or _engine.DEFAULT_INSTANCE_SIZE,
                                             compute.description, compute.tags,
                                             {k: v for k, v in settings.items() if v is not None})
        else:
            raise ValidationException(
                f"The dp100 sandbox creates AmlCompute clusters and ComputeInstance VMs; got {type(compute).__name__}.")
        identity = getattr(compute, "identity", None)
        if identity is not None:
            kind = str(getattr(identity, "type", "") or "").lower().replace(" ", "")
            users = [getattr(u, "resource_id", None) or getattr(u, "client_id", None) or str(u)
                     for u in getattr(identity, "user_assigned_identities", None) or []]
            _engine.set_identity(self._ws, record.name, system_assigned="system" in kind,
                                 user_assigned=users if "user" in kind else [])
        return record.name

    @translated
    def _wait(self, name: str) -> Compute:
        return _entity(_engine.wait_provisioned(self._ws, name), self._ws)

    @translated
    def begin_delete(self, name: str, *, action: str = "Delete") -> CompletedPoller:
        if action not in ("Delete", "Detach"):
            raise ValidationException(f"action must be 'Delete' or 'Detach'; got {action!r}.")
        _engine.delete(self._ws, name)
        return CompletedPoller(None)

    @translated
    def begin_start(self, name: str) -> CompletedPoller:
        _engine.start(self._ws, name)
        return CompletedPoller(None)

    @translated
    def begin_stop(self, name: str) -> CompletedPoller:
        _engine.stop(self._ws, name)
        return CompletedPoller(None)

    @translated
    def begin_restart(self, name: str) -> CompletedPoller:
        _engine.restart(self._ws, name)
        return CompletedPoller(None)

    def list_sizes(self, *, location: str | None = None, compute_type: str | None = None) -> Iterator[VmSize]:
        return iter([VmSize(s.name, s.family, s.v_cpus, s.gpus, s.memory_gb, s.max_resource_volume_mb,
                            s.low_priority_capable, s.premium_io) for s in _sizes.all_sizes()])

    @translated
    def list_usage(self, *, location: str | None = None) -> Iterator[Usage]:
        ws = self._ws
        used: dict[str, int] = {}
        for record in _engine.list_computes(ws):
            size = _sizes.find(record.size)
            if size is not None:
                used[size.family] = used.get(size.family, 0) + record.current_node_count * size.v_cpus
        families: dict[str, bool] = {}
        for s in _sizes.all_sizes():
            families[s.family] = families.get(s.family, False) or s.is_gpu
        usages = [Usage(f"{ws.arm_id}/usages/{family}", ws.location, "Microsoft.MachineLearningServices/vmFamily",
                        "Count", used.get(family, 0), _GPU_QUOTA if gpu else _CPU_QUOTA,
                        UsageName(family, f"Standard {family} Family vCPUs")) for family, gpu in families.items()]
        total = sum(used.values())
        usages.insert(0, Usage(f"{ws.arm_id}/usages/totalCores", ws.location,
                               "Microsoft.MachineLearningServices/totalCores", "Count", total, 300,
                               UsageName("Total Cluster Dedicated Regional vCPUs",
                                         "Total Cluster Dedicated Regional vCPUs")))
        return iter(usages)

    @translated
    def list_nodes(self, name: str) -> Iterator[AmlComputeNodeInfo]:
        return iter([AmlComputeNodeInfo(n.node_id, n.private_ip, None, n.port, n.state, n.job)
                     for n in _engine.list_nodes(self._ws, name)])
