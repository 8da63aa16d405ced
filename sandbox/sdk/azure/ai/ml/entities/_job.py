"""v2 job entities: `Job` and `Command` (what `command(...)` builds and `jobs.get` returns)."""
from __future__ import annotations

from typing import Any

from azure.ai.ml.entities._resource import Resource


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
        from types import SimpleNamespace

        self.limits = SimpleNamespace(timeout=timeout)


CommandJob = Command
