"""v1 `Environment`: the Python packages, base image and settings a run uses."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from azureml._sandbox import translate
from azureml.core.conda_dependencies import CondaDependencies
from azureml.exceptions import UserErrorException
from sandbox import environments as _engine
from sandbox.errors import SandboxError

DEFAULT_CPU_IMAGE = _engine.DEFAULT_CPU_IMAGE
DEFAULT_GPU_IMAGE = _engine.DEFAULT_GPU_IMAGE


class ContainerRegistry:
    def __init__(self) -> None:
        self.address: str | None = None
        self.username: str | None = None
        self.password: str | None = None
        self.registry_identity: Any = None

    def _to_dict(self) -> dict[str, Any]:
        return {"address": self.address, "username": self.username, "password": None,
                "registryIdentity": self.registry_identity}


class PythonSection:
    def __init__(self, _skip_defaults: bool = False) -> None:
        self.interpreter_path = "python"
        self.user_managed_dependencies = False
        self.conda_dependencies: CondaDependencies | None = None if _skip_defaults else CondaDependencies()
        self.conda_dependencies_file: str | None = None
        self.base_conda_environment: str | None = None

    def _to_dict(self) -> dict[str, Any]:
        return {"baseCondaEnvironment": self.base_conda_environment, "condaDependencies":
                self.conda_dependencies._as_dict() if self.conda_dependencies else None,
                "condaDependenciesFile": self.conda_dependencies_file, "interpreterPath": self.interpreter_path,
                "userManagedDependencies": self.user_managed_dependencies}


class DockerBuildContext:
    def __init__(self, location: str | None = None, dockerfile_path: str = "Dockerfile") -> None:
        self.location = location
        self.dockerfile_path = dockerfile_path

    @staticmethod
    def from_local_directory(workspace: Any, path: str, dockerfile_path: str = "Dockerfile") -> "DockerBuildContext":
        return DockerBuildContext(str(Path(path).resolve()), dockerfile_path)


class DockerSection:
    def __init__(self) -> None:
        self.enabled = False
        self.base_image: str | None = DEFAULT_CPU_IMAGE
        self.base_dockerfile: str | None = None
        self.base_image_registry = ContainerRegistry()
        self.build_context: DockerBuildContext | None = None
        self.platform = {"os": "Linux", "architecture": "amd64"}
        self.shm_size: str | None = None
        self.shared_volumes = True
        self.arguments: list[str] = []
        self.gpu_support = False

    def _to_dict(self) -> dict[str, Any]:
        return {"arguments": self.arguments, "baseDockerfile": self.base_dockerfile, "baseImage": self.base_image,
                "baseImageRegistry": self.base_image_registry._to_dict(), "buildContext": None if not self.build_context
                else {"locationType": "local", "location": self.build_context.location,
                      "dockerfilePath": self.build_context.dockerfile_path},
                "enabled": self.enabled, "platform": self.platform, "sharedVolumes": self.shared_volumes,
                "shmSize": self.shm_size}


class ImageBuildDetails:
    """What `env.build(ws)` returns: the (sandbox) image build and its log."""

    def __init__(self, environment: "Environment", result: Any) -> None:
        self.environment = environment
        self._result = result
        self.status = "Succeeded" if result.ok else "Failed"
        self.image = result.image
        self.log_url = f"https://{_engine.REGISTRY}/azureml/logs/{result.image.rsplit('_', 1)[-1]}.txt"
        self.error = result.error

    def wait_for_completion(self, show_output: bool = True) -> "ImageBuildDetails":
        if show_output:
            for line in self._result.log:
                print(line)
            print(f"\nImage build {'succeeded' if self._result.ok else 'failed'}: {self.image}"
                  + ("" if self._result.ok else f"\n{self.error}"))
        return self

    def get_log(self) -> str:
        return "\n".join(self._result.log)

    def __repr__(self) -> str:
        return f"ImageBuildDetails(status={self.status!r}, image={self.image!r})"


class Environment:
    """A configuration of Python packages, environment variables and Docker settings for runs and deployments."""

    def __init__(self, name: str, _skip_validation: bool = False) -> None:
        if not _skip_validation:
            if not isinstance(name, str) or not name.strip():
                raise UserErrorException("Environment needs a name, e.g. Environment('training-env').")
        self.name = name
        self.version: str | None = None
        self.python = PythonSection()
        self.docker = DockerSection()
        self.environment_variables: dict[str, str] = {"EXAMPLE_ENV_VAR": "EXAMPLE_VALUE"}
        self.inferencing_stack_version: str | None = None
        self.r: Any = None
        self.spark: Any = None
        self.databricks: Any = None
        self.asset_id: str | None = None
        self._curated = False

    # -- factories --------------------------------------------------------------------------
    @staticmethod
    def from_conda_specification(name: str, file_path: str) -> "Environment":
        env = Environment(name)
        env.python.conda_dependencies = CondaDependencies(conda_dependencies_file_path=file_path)
        return env

    @staticmethod
    def from_pip_requirements(name: str, file_path: str, pip_version: str | None = None) -> "Environment":
        try:
            lines = _engine.pip_requirements_file(file_path)
        except SandboxError as exc:
            raise UserErrorException(str(exc)) from None
        conda = CondaDependencies(_underlying_structure={
            "name": "project_environment",
            "dependencies": [f"python={_python_default()}", f"pip={pip_version}" if pip_version else "pip",
                             {"pip": lines}],
            "channels": ["anaconda", "conda-forge"],
        })
        env = Environment(name)
        env.python.conda_dependencies = conda
        return env

    @staticmethod
    def from_existing_conda_environment(name: str, conda_environment_name: str) -> "Environment":
        raise UserErrorException(
            f"from_existing_conda_environment is not available in the dp100 sandbox: it has no local conda "
            f"environments to read {conda_environment_name!r} from. Export the packages to a YAML file "
            "(conda env export --from-history > environment.yml) and use "
            f"Environment.from_conda_specification({name!r}, 'environment.yml')."
        )

    @staticmethod
    def from_docker_image(name: str, image: str, container_registry: Any = None, conda_specification: str | None = None,
                          pip_requirements: str | None = None) -> "Environment":
        if conda_specification and pip_requirements:
            raise UserErrorException("Pass either conda_specification or pip_requirements, not both.")
        if conda_specification:
            env = Environment.from_conda_specification(name, conda_specification)
        elif pip_requirements:
            env = Environment.from_pip_requirements(name, pip_requirements)
        else:
            env = Environment(name)
            env.python.user_managed_dependencies = True
        env.docker.base_image = image
        if container_registry is not None:
            env.docker.base_image_registry = container_registry
        return env

    @staticmethod
    def from_dockerfile(name: str, dockerfile: str, conda_specification: str | None = None,
                        pip_requirements: str | None = None) -> "Environment":
        if conda_specification and pip_requirements:
            raise UserErrorException("Pass either conda_specification or pip_requirements, not both.")
        if conda_specification:
            env = Environment.from_conda_specification(name, conda_specification)
        elif pip_requirements:
            env = Environment.from_pip_requirements(name, pip_requirements)
        else:
            env = Environment(name)
            env.python.user_managed_dependencies = True
        path = Path(dockerfile)
        try:
            is_file = path.is_file()
        except OSError:
            is_file = False
        env.docker.base_dockerfile = path.read_text(encoding="utf-8") if is_file else dockerfile
        env.docker.base_image = None
        return env

    @staticmethod
    def add_private_pip_wheel(workspace: Any, file_path: str, exist_ok: bool = False) -> str:
        raise UserErrorException(
            "add_private_pip_wheel is not available in the dp100 sandbox: environments are built from the packages "
            "installed beside dp100. Install the wheel into dp100's Python with pip, then list the package by name "
            "in the environment (conda_dependencies.add_pip_package('<name>')).")

    # -- workspace ----------------------------------------------------------------------------
    def register(self, workspace: Any) -> "Environment":
        record = self._register(workspace._engine)
        return Environment._from_record(record)

    def _register(self, ws: Any) -> Any:
        try:
            return _engine.register(ws, self.name, self._definition())
        except SandboxError as exc:
            raise UserErrorException(str(exc)) from None

    def _dp100_ref(self, ws: Any) -> str:
        """The reference a submitted run stores. Azure registers an unregistered environment on submit."""
        definition = self._definition()
        if self.name and self.name.lower().startswith(_engine.RESERVED_PREFIXES):
            try:
                record = _engine.get(ws, self.name, self.version) if self.version else _engine.get(ws, self.name)
            except SandboxError:
                record = None
            if record is not None and record.definition.to_dict() == definition.to_dict():
                return f"{record.name}:{record.version}"
        record = self._register(ws)
        return f"{record.name}:{record.version}"

    @staticmethod
    def get(workspace: Any, name: str, version: str | None = None, label: str | None = None) -> "Environment":
        record = translate()(_engine.get)(workspace._engine, name, None if version is None else str(version),
                                          label)
        return Environment._from_record(record)

    @staticmethod
    def list(workspace: Any) -> dict[str, "Environment"]:
        records = translate()(_engine.list_environments)(workspace._engine)
        return {r.name: Environment._from_record(r) for r in records}

    def clone(self, new_name: str) -> "Environment":
        env = copy.deepcopy(self)
        env.name = new_name
        env.version = None
        env.asset_id = None
        env._curated = False
        return env

    def build(self, workspace: Any, image_build_compute: str | None = None) -> ImageBuildDetails:
        ws = workspace._engine
        record = self._register_or_current(ws)
        result = translate()(_engine.build)(ws, record)
        return ImageBuildDetails(self, result)

    def build_local(self, workspace: Any, platform: str | None = None, **kwargs: Any) -> ImageBuildDetails:
        details = self.build(workspace)
        details.wait_for_completion(show_output=True)
        return details

    def get_image_details(self, workspace: Any) -> dict[str, Any]:
        ws = workspace._engine
        try:
            record = _engine.get(ws, self.name, self.version) if self.version else _engine.get(ws, self.name)
        except SandboxError:
            raise UserErrorException(f"Environment {self.name!r} is not registered; call env.register(ws) (or "
                                     "env.build(ws)) first.") from None
        built = _engine.is_built(ws, record)
        registry, _, repo = record.image_name.partition("/")
        return {
            "dockerImage": {"name": repo, "registry": {"address": registry, "username": None, "password": None},
                            "imageExistsInRegistry": built},
            "pythonEnvironment": {"interpreterPath": f"/azureml-envs/azureml_{record.image_hash}/bin/python",
                                  "condaEnvironmentName": None, "condaEnvironmentPath":
                                  f"/azureml-envs/azureml_{record.image_hash}"},
            "imageExistsInRegistry": built,
            "ingredients": None,
        }

    def _register_or_current(self, ws: Any) -> Any:
        if self.name and self.name.lower().startswith(_engine.RESERVED_PREFIXES):
            try:
                return _engine.get(ws, self.name, self.version) if self.version else _engine.get(ws, self.name)
            except SandboxError as exc:
                raise UserErrorException(str(exc)) from None
        return self._register(ws)

    # -- conversion ----------------------------------------------------------------------------
    def _definition(self) -> Any:
        docker = self.docker
        dockerfile = docker.base_dockerfile
        build_context = None
        if docker.build_context is not None and docker.build_context.location:
            folder = Path(docker.build_context.location)
            file = folder / (docker.build_context.dockerfile_path or "Dockerfile")
            if file.is_file():
                dockerfile = file.read_text(encoding="utf-8")
                build_context = str(folder)
        if dockerfile is not None and _safe_is_file(dockerfile):
            dockerfile = Path(dockerfile).read_text(encoding="utf-8")
        conda = self.python.conda_dependencies._as_dict() if self.python.conda_dependencies is not None else None
        if not docker.base_image and not dockerfile:
            raise UserErrorException(
                f"Environment {self.name!r} has neither docker.base_image nor docker.base_dockerfile; set one of them "
                f"(the default base image is {DEFAULT_CPU_IMAGE}).")
        return _engine.EnvironmentDefinition(
            image=None if dockerfile else docker.base_image,
            dockerfile=dockerfile,
            build_context=build_context,
            conda=conda,
            user_managed_dependencies=bool(self.python.user_managed_dependencies),
            interpreter_path=self.python.interpreter_path or "python",
            environment_variables={str(k): str(v) for k, v in (self.environment_variables or {}).items()},
            inferencing_stack_version=self.inferencing_stack_version,
        )

    @staticmethod
    def _from_record(record: Any) -> "Environment":
        d = record.definition
        env = Environment(record.name, _skip_validation=True)
        env.version = record.version
        env._curated = record.curated
        env.python.conda_dependencies = CondaDependencies(_underlying_structure=d.conda) if d.conda else None
        env.python.user_managed_dependencies = d.user_managed_dependencies
        env.python.interpreter_path = d.interpreter_path
        env.docker.base_image = d.image
        env.docker.base_dockerfile = d.dockerfile
        env.environment_variables = dict(d.environment_variables)
        env.inferencing_stack_version = d.inferencing_stack_version
        env.asset_id = record.image_hash
        return env

    def _serialize_to_dict(self) -> dict[str, Any]:
        return {
            "assetId": self.asset_id,
            "databricks": {"eggLibraries": [], "jarLibraries": [], "mavenLibraries": [], "pypiLibraries": [],
                           "rcranLibraries": []},
            "docker": self.docker._to_dict(),
            "environmentVariables": self.environment_variables,
            "inferencingStackVersion": self.inferencing_stack_version,
            "name": self.name,
            "python": self.python._to_dict(),
            "r": None,
            "spark": {"packages": [], "precachePackages": True, "repositories": []},
            "version": self.version,
        }

    def __repr__(self) -> str:
        return json.dumps(self._serialize_to_dict(), indent=4)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Environment) and other._serialize_to_dict() == self._serialize_to_dict()


def _safe_is_file(text: str) -> bool:
    try:
        return "\n" not in text and Path(text).is_file()
    except OSError:
        return False


def _python_default() -> str:
    from azureml.core.conda_dependencies import PYTHON_DEFAULT_VERSION

    return PYTHON_DEFAULT_VERSION
