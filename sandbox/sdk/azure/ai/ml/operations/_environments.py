"""`ml_client.environments`."""
from __future__ import annotations

from typing import Any, Iterator

from azure.ai.ml._sandbox import translated
from azure.ai.ml.entities._environment import Environment, _version
from azure.ai.ml.exceptions import ValidationException
from azure.ai.ml.operations._base import VersionedAssetOperations
from sandbox import environments as _engine


class EnvironmentOperations(VersionedAssetOperations):
    _asset_engine = _engine

    @translated
    def create_or_update(self, environment: Environment) -> Environment:
        if not isinstance(environment, Environment):
            raise ValidationException(
                f"create_or_update expects an Environment entity, got {type(environment).__name__}.")
        environment.validate()
        definition = environment._definition(self._ws)
        record = _engine.register(self._ws, environment.name, definition, version=_version(environment.version),
                                  description=environment.description, tags=environment.tags)
        return Environment._from_record(record, self._ws)

    @translated
    def get(self, name: str, version: str | None = None, label: str | None = None) -> Environment:
        if version is None and label is None:
            raise ValidationException("Must provide either version or label.")
        if version is not None and label is not None:
            raise ValidationException("Cannot specify both version and label.")
        record = _engine.get(self._ws, name, version=None if version is None else str(version), label=label)
        return Environment._from_record(record, self._ws)

    @translated
    def list(self, name: str | None = None, *, list_view_type: Any = None) -> Iterator[Environment]:
        return iter([Environment._from_record(r, self._ws) for r in _engine.list_environments(self._ws, name)])

