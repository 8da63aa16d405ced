"""v2 `Environment` and `BuildContext` entities."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from azure.ai.ml.entities._resource import Resource
from azure.ai.ml.exceptions import ValidationException


class BuildContext:
    """A Docker build context: a folder holding a Dockerfile (and what it copies)."""

    def __init__(self, *, dockerfile_path: str | None = None, path: str | os.PathLike | None = None) -> None:
        self.dockerfile_path = dockerfile_path
        self.path = path

    def _to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path) if self.path is not None else None,
                "dockerfile_path": self.dockerfile_path or "Dockerfile"}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BuildContext) and (other.path, other.dockerfile_path) == (self.path, self.dockerfile_path)

    def __repr__(self) -> str:
        return f"BuildContext(path={self.path!r}, dockerfile_path={self.dockerfile_path!r})"


class Environment(Resource):
    """The software a job runs with: a Docker image (or a build context) plus an optional conda file."""

    def __init__(self, *, name: str | None = None, version: str | None = None, description: str | None = None,
                 image: str | None = None, build: BuildContext | None = None,
                 conda_file: str | os.PathLike | dict | None = None, tags: dict | None = None,
                 properties: dict | None = None, datastore: str | None = None, **kwargs: Any) -> None:
        self.inference_config = kwargs.pop("inference_config", None)
        self.os_type = kwargs.pop("os_type", None) or "Linux"
        is_anonymous = kwargs.pop("is_anonymous", False)
        super().__init__(name=name, description=description, tags=tags, properties=properties, **kwargs)
        self.version = version
        self.image = image
        self.build = build
        self.datastore = datastore
        self._is_anonymous = is_anonymous
        self.latest_version: str | None = None
        self._conda_file_path = str(conda_file) if isinstance(conda_file, (str, os.PathLike)) else None
        self.conda_file = conda_file

    @property
    def conda_file(self) -> dict | None:
        return self._conda_file

    @conda_file.setter
    def conda_file(self, value: Any) -> None:
        if value is None or isinstance(value, dict):
            self._conda_file = value
            return
        from sandbox import environments as _engine
        from sandbox.errors import SandboxError

        try:
            self._conda_file = _engine.load_conda_file(value)
        except SandboxError as exc:
            raise ValidationException(str(exc)) from None

    def validate(self) -> None:
        if self.name is None:
            raise ValidationException("Environment name is required")
        if self.image is None and self.build is None:
            raise ValidationException("Docker image or Dockerfile is required for environments")
        if self.image and self.build:
            raise ValidationException("Docker image or Dockerfile should be provided not both")

    # -- engine glue ------------------------------------------------------------------------------
    def _definition(self, ws: Any) -> Any:
        from sandbox import environments as _engine

        if self.image is None and self.build is None:
            raise ValidationException("Docker image or Dockerfile is required for environments")
        if self.image and self.build:
            raise ValidationException("Docker image or Dockerfile should be provided not both")
        conda = _engine.check_conda(self.conda_file, "conda_file") if self.conda_file is not None else None
        if self.build is not None:
            path = self.build.path
            if path is None:
                raise ValidationException("BuildContext needs path=<folder holding the Dockerfile>.")
            text = str(path)
            if text.startswith(("http://", "https://", "git+")):
                raise ValidationException(
                    f"The build context {text!r} is remote; the dp100 sandbox has no network. Use a local folder.")
            if text.startswith("azureml://"):
                from sandbox import uris

                path = uris.resolve(ws, text)
            return _engine.definition_from_build(ws, Path(path), self.build.dockerfile_path or "Dockerfile", conda)
        return _engine.EnvironmentDefinition(image=self.image, conda=conda, environment_variables={},
                                             inferencing_stack_version=None, os_type=self.os_type or "Linux")

    def _dp100_ref(self, ws: Any) -> str:
        """The reference a job stores; an unregistered inline environment is registered the way Azure does."""
        from azure.ai.ml._sandbox import translated
        from sandbox import environments as _engine

        @translated
        def ref() -> str:
            if self.name and self.version and self.id:
                return f"azureml:{self.name}:{self.version}"
            definition = self._definition(ws)
            if not self.name:
                record = _engine.register_anonymous(ws, definition)
            else:
                record = _engine.register(ws, self.name, definition, version=_version(self.version),
                                          description=self.description, tags=self.tags)
            return f"azureml:{record.name}:{record.version}"

        return ref()

    @classmethod
    def _from_record(cls, record: Any, ws: Any) -> "Environment":
        from azure.ai.ml.entities._resource import SystemData

        d = record.definition
        env = cls(name=record.name, version=record.version, description=record.description, tags=record.tags,
                  image=d.image if not d.dockerfile else None,
                  build=BuildContext(path=d.build_context, dockerfile_path="Dockerfile") if d.dockerfile else None,
                  conda_file=d.conda, os_type=d.os_type)
        if record.curated:
            registry = record.name[len("AzureML-"):] if record.name.startswith("AzureML-") else record.name
            env.id = f"azureml://registries/azureml/environments/{registry}/versions/{record.version}"
        else:
            env.id = f"{ws.arm_id}/environments/{record.name}/versions/{record.version}"
        env.creation_context = SystemData(record.created)
        env._is_anonymous = record.name == "CliV2AnonymousEnvironment"
        return env

    def _to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "version": self.version}
        for key in ("description", "tags", "id", "image", "conda_file", "os_type"):
            value = getattr(self, key)
            if value not in (None, {}, []):
                data[key] = value
        if self.build is not None:
            data["build"] = self.build._to_dict()
        if self.creation_context is not None:
            data["creation_context"] = self.creation_context
        return data

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Environment):
            return NotImplemented
        return self._to_dict() == other._to_dict()


def _version(version: Any) -> Any:
    if version is None or isinstance(version, str):
        return version
    if isinstance(version, int) and not isinstance(version, bool):
        return str(version)
    return version
