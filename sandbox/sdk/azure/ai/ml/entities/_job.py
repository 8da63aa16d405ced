"""v2 job entities: `Job` and `Command` (what `command(...)` builds and `jobs.get` returns)."""
from __future__ import annotations

from typing import Any

from azure.ai.ml.entities._resource import Resource


class CommandJobLimits:
    """A command job's limits: `timeout` in seconds (the job is stopped and fails after it)."""

    def __init__(self, *, timeout: int | None = None, **kwargs: Any) -> None:
        self.timeout = timeout

    def _to_dict(self) -> dict[str, Any]:
        return {"timeout": self.timeout} if self.timeout is not None else {}

    def __repr__(self) -> str:
        return f"CommandJobLimits(timeout={self.timeout})"


class JobResourceConfiguration:
    """Where a job runs: instance count and type (a serverless job's VM size), shm size, docker args."""

    def __init__(self, *, locations: Any = None, instance_count: int | None = None, instance_type: Any = None,
                 properties: dict | None = None, docker_args: Any = None, shm_size: str | None = None,
                 max_instance_count: int | None = None, **kwargs: Any) -> None:
        self.locations = locations
        self.instance_count = instance_count
        self.instance_type = instance_type
        self.properties = properties
        self.docker_args = docker_args
        self.shm_size = shm_size
        self.max_instance_count = max_instance_count

    def _to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}

    def __repr__(self) -> str:
        return f"JobResourceConfiguration({self._to_dict()})"


ResourceConfiguration = JobResourceConfiguration


class Job(Resource):
    type = "base"

    def __init__(self, *, name: str | None = None, display_name: str | None = None, description: str | None = None,
                 tags: dict | None = None, properties: dict | None = None, experiment_name: str | None = None,
                 compute: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name, description=description, tags=tags, properties=properties, **kwargs)
        self.display_name = display_name
        self.experiment_name = experiment_name
        self.compute = compute
        self.status: str | None = None
        self.studio_url: str | None = None
        self.services: dict[str, Any] = {}

    def _to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in super()._to_dict().items()}


class Command(Job):
    type = "command"

    def __init__(self, *, command: str | None = None, code: Any = None, inputs: dict | None = None,
                 outputs: dict | None = None, environment: Any = None, environment_variables: dict | None = None,
                 resources: Any = None, distribution: Any = None, limits: Any = None, identity: Any = None,
                 instance_count: int | None = None, instance_type: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.command = command
        self.code = code
        self.inputs = dict(inputs or {})
        self.outputs = dict(outputs or {})
        self.environment = environment
        self.environment_variables = dict(environment_variables or {})
        self.resources = resources
        self.distribution = distribution
        self.limits = limits
        self.identity = identity

    def __call__(self, *args: Any, **kwargs: Any) -> "Command":
        """Calling a command with values for its inputs gives a copy bound to them (used in pipelines)."""
        import copy

        clone = copy.copy(self)
        clone.inputs = {**self.inputs, **kwargs}
        clone.outputs = dict(self.outputs)
        return clone

    def set_limits(self, *, timeout: int | None = None, **kwargs: Any) -> None:
        self.limits = CommandJobLimits(timeout=timeout)

    def set_resources(self, *, instance_type: Any = None, instance_count: int | None = None, locations: Any = None,
                      properties: dict | None = None, docker_args: Any = None, shm_size: str | None = None,
                      **kwargs: Any) -> None:
        self.resources = JobResourceConfiguration(instance_type=instance_type, instance_count=instance_count,
                                                  locations=locations, properties=properties,
                                                  docker_args=docker_args, shm_size=shm_size)


CommandJob = Command
