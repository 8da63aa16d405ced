"""v1 `RunConfiguration` and `DockerConfiguration`."""
from __future__ import annotations

from typing import Any

from azureml.core.environment import DEFAULT_CPU_IMAGE, DEFAULT_GPU_IMAGE

MPI_CPU_IMAGE = DEFAULT_CPU_IMAGE
MPI_GPU_IMAGE = DEFAULT_GPU_IMAGE

class DockerConfiguration:
    def __init__(self, use_docker: bool = False, shared_volumes: bool = True, arguments: list | None = None,
                 shm_size: str | None = "2g") -> None:
        self.use_docker = use_docker
        self.shm_size = shm_size
        self.shared_volumes = shared_volumes
        self.arguments = arguments or []


class RunConfiguration:
    def __init__(self, script: str | None = None, arguments: list | None = None, framework: str | None = None,
                 communicator: str | None = None, conda_dependencies: Any = None, _history_enabled: Any = None,
                 _path: Any = None, _name: Any = None, command: Any = None) -> None:
        self.script = script
        self.arguments = arguments or []
        self.target = "local"
        self.environment: Any = None
        self.docker = DockerConfiguration()
        self.node_count = 1
        self.environment_variables: dict[str, str] = {}
        self.data: dict[str, Any] = {}
        if conda_dependencies is not None:
            from azureml.core.environment import Environment

            env = Environment("run-config-environment")
            env.python.conda_dependencies = conda_dependencies
            self.environment = env
