"""v1 `ComputeTarget`: `ComputeTarget(workspace=ws, name=n)` returns the right subclass or raises."""
from __future__ import annotations

import sys
from typing import Any

from azureml.exceptions import ComputeTargetException
from sandbox import compute as _engine
from sandbox.errors import NotFound, SandboxError


def _call(func: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return func(*args, **kwargs)
    except SandboxError as exc:
        raise ComputeTargetException(str(exc)) from None


def _not_found(name: str) -> ComputeTargetException:
    return ComputeTargetException(
        f"ComputeTargetNotFound: Compute Target with name {name} not found in provided workspace. Create it with "
        f"ComputeTarget.create(ws, {name!r}, AmlCompute.provisioning_configuration(vm_size='STANDARD_DS11_V2', "
        "max_nodes=2)).")


class ComputeTargetProvisioningConfiguration:
    """Base of the objects `provisioning_configuration(...)` returns."""

    type = "Unknown"

    def validate_configuration(self) -> None:
        pass


class ComputeTarget:
    """A named place to run jobs. Constructing one looks it up in the workspace."""

    _compute_type: str | None = None

    def __new__(cls, workspace: Any = None, name: str | None = None, *args: Any, **kwargs: Any) -> "ComputeTarget":
        if workspace is None and name is None:
            return super().__new__(cls)
        if workspace is None or not name:
            raise ComputeTargetException("ComputeTarget(workspace=ws, name='<compute name>') needs both arguments.")
        try:
            record = _engine.get(workspace._engine, name)
        except NotFound:
            raise _not_found(name) from None
        except SandboxError as exc:
            raise ComputeTargetException(str(exc)) from None
        klass = _class_for(record.kind)
        if cls not in (ComputeTarget, klass):
            raise ComputeTargetException(
                f"ComputeTargetNotFound: Compute Target with name {name} not found in provided workspace as a "
                f"{cls._compute_type}: it is a {record.kind}. Use {klass.__name__}(ws, {name!r}) or "
                f"ComputeTarget(ws, {name!r}).")
        obj = super().__new__(klass)
        obj._bind(workspace, record)
        return obj

    def __init__(self, workspace: Any = None, name: str | None = None, *args: Any, **kwargs: Any) -> None:
        pass  # everything happens in __new__, as in the real SDK

    def _bind(self, workspace: Any, record: Any) -> None:
        self.workspace = workspace
        self.name = record.name
        self._record = record
        self.location = workspace._engine.location
        self.tags = dict(record.tags)
        self.description = record.description
        self.created_on = record.created
        self.modified_on = record.modified
        self.cluster_resource_id = None
        self.id = f"{workspace._engine.arm_id}/computes/{record.name}"

    # -- state ----------------------------------------------------------------------------------
    @property
    def type(self) -> str:
        return self._compute_type or "Unknown"

    def _refresh(self) -> Any:
        try:
            self._record = _engine.get(self.workspace._engine, self.name)
        except NotFound:
            raise ComputeTargetException(
                f"ComputeTargetNotFound: Compute Target with name {self.name} not found in provided workspace "
                "(it was deleted).") from None
        return self._record

    def refresh_state(self) -> None:
        self._refresh()

    @property
    def provisioning_state(self) -> str:
        return self._refresh().provisioning_state

    @property
    def provisioning_errors(self) -> list[dict] | None:
        return self._refresh().errors or None

    def wait_for_completion(self, show_output: bool = False, is_delete_operation: bool = False,
                            **kwargs: Any) -> None:
        if is_delete_operation:
            if show_output:
                print("Deleting.\nSucceededDelete operation finished, operation \"Succeeded\"")
            return
        if show_output:
            print("InProgress..", flush=True)
        record = _call(_engine.wait_provisioned, self.workspace._engine, self.name)
        self._record = record
        if record.provisioning_state == "Failed":
            if show_output:
                print("FailedProvisioning operation finished, operation \"Failed\"")
            raise ComputeTargetException(
                "Compute object provisioning polling reached non-successful terminal state, current provisioning "
                f"state: Failed\nProvisioning operation error:\n{record.errors}")
        if show_output:
            print('SucceededProvisioning operation finished, operation "Succeeded"')
            self._print_completion()
        sys.stdout.flush()

    def _print_completion(self) -> None:
        pass

    def delete(self) -> None:
        _call(_engine.delete, self.workspace._engine, self.name)

    def detach(self) -> None:
        raise ComputeTargetException(f"{self.type} {self.name!r} was created in the workspace, not attached; "
                                     "remove it with delete().")

    def serialize(self) -> dict[str, Any]:
        record = self._record
        return {"id": self.id, "name": self.name, "location": self.location, "tags": self.tags,
                "properties": {"description": self.description, "computeType": self.type,
                               "computeLocation": self.location, "provisioningState": record.provisioning_state,
                               "provisioningErrors": record.errors or None, "createdOn": record.created,
                               "modifiedOn": record.modified}}

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(workspace={self.workspace!r}, name={self.name}, id={self.id}, type={self.type},"
                f" provisioning_state={self._record.provisioning_state}, location={self.location}, tags={self.tags})")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ComputeTarget) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    # -- class-level operations --------------------------------------------------------------------
    @staticmethod
    def create(workspace: Any, name: str, provisioning_configuration: Any) -> "ComputeTarget":
        if not isinstance(provisioning_configuration, ComputeTargetProvisioningConfiguration):
            raise ComputeTargetException(
                "provisioning_configuration must come from AmlCompute.provisioning_configuration(...) or "
                "ComputeInstance.provisioning_configuration(...).")
        provisioning_configuration.validate_configuration()
        record = provisioning_configuration._create(workspace._engine, name)
        obj = object.__new__(_class_for(record.kind))
        obj._bind(workspace, record)
        return obj

    @staticmethod
    def list(workspace: Any) -> list["ComputeTarget"]:
        result = []
        for record in _call(_engine.list_computes, workspace._engine):
            obj = object.__new__(_class_for(record.kind))
            obj._bind(workspace, record)
            result.append(obj)
        return result

    @staticmethod
    def attach(workspace: Any, name: str, attach_configuration: Any) -> "ComputeTarget":
        raise ComputeTargetException("Attaching external compute (VMs, Databricks, Kubernetes, Synapse) is not "
                                     "available in the dp100 sandbox; create an AmlCompute cluster instead.")


def _class_for(kind: str) -> type:
    if kind == _engine.INSTANCE:
        from azureml.core.compute.computeinstance import ComputeInstance

        return ComputeInstance
    from azureml.core.compute.amlcompute import AmlCompute

    return AmlCompute
