"""`azure.ai.ml.command(...)`: build a command job."""
from __future__ import annotations

from typing import Any

from azure.ai.ml.entities._job import Command


def command(*, name: str | None = None, description: str | None = None, tags: dict | None = None,
            properties: dict | None = None, display_name: str | None = None, command: str | None = None,
            experiment_name: str | None = None, environment: Any = None, environment_variables: dict | None = None,
            distribution: Any = None, compute: str | None = None, inputs: dict | None = None,
            outputs: dict | None = None, instance_count: int | None = None, instance_type: str | None = None,
            locations: Any = None, docker_args: Any = None, shm_size: Any = None, timeout: int | None = None,
            code: Any = None, identity: Any = None, is_deterministic: bool = True, services: Any = None,
            job_tier: Any = None, priority: Any = None, **kwargs: Any) -> Command:
    job = Command(name=name, description=description, tags=tags, properties=properties, display_name=display_name,
                  command=command, experiment_name=experiment_name, environment=environment,
                  environment_variables=environment_variables, distribution=distribution, compute=compute,
                  inputs=inputs, outputs=outputs, code=code, identity=identity, resources=kwargs.get("resources"))
    if instance_count is not None or instance_type is not None or shm_size is not None or docker_args is not None:
        job.set_resources(instance_count=instance_count, instance_type=instance_type, shm_size=shm_size,
                          docker_args=docker_args, locations=locations)
    if timeout is not None:
        job.set_limits(timeout=timeout)
    return job
