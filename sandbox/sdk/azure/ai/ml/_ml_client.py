"""v2 `MLClient`: the handle every azure-ai-ml call goes through."""
from __future__ import annotations

from typing import Any

from azure.ai.ml.exceptions import ValidationException
from azure.core.exceptions import ResourceNotFoundError
from sandbox import config as _config
from sandbox.errors import InvalidInput, NotFound
from sandbox.workspace import current_workspace


# Operation groups, loaded on first use: attribute -> "module:Class".
OPERATION_GROUPS = {
    "data": "azure.ai.ml.operations._data:DataOperations",
    "datastores": "azure.ai.ml.operations._datastores:DatastoreOperations",
    "workspaces": "azure.ai.ml.operations._workspaces:WorkspaceOperations",
    "jobs": "azure.ai.ml.operations._jobs:JobOperations",
    "models": "azure.ai.ml.operations._models:ModelOperations",
    "environments": "azure.ai.ml.operations._environments:EnvironmentOperations",
    "compute": "azure.ai.ml.operations._compute:ComputeOperations",
}

# Which operation group `ml_client.create_or_update(entity)` uses: entity class path -> group.
ENTITY_GROUPS = {
    "azure.ai.ml.entities._data:Data": "data",
    "azure.ai.ml.entities._datastores:Datastore": "datastores",
    "azure.ai.ml.entities._job:Job": "jobs",
    "azure.ai.ml.entities._model:Model": "models",
    "azure.ai.ml.entities._environment:Environment": "environments",
    "azure.ai.ml.entities._compute:Compute": "compute",
}


def _caller(credential: Any, engine: Any) -> Any:
    """The principal the client's credential signs in as (any other TokenCredential: the learner)."""
    from sandbox.security import callers

    principal_in = getattr(credential, "_principal_in", None)
    if callable(principal_in):
        return principal_in(engine)
    return callers.resolve(engine, callers.SignIn("interactive"))


def _load(path: str) -> Any:
    import importlib

    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


class MLClient:
    def __init__(self, credential: Any, subscription_id: str | None = None, resource_group_name: str | None = None,
                 workspace_name: str | None = None, registry_name: str | None = None, **kwargs: Any) -> None:
        if credential is None:
            raise ValueError("credential can not be None")
        self._credential = credential
        engine = current_workspace()
        self.subscription_id = subscription_id or engine.subscription_id
        self.resource_group_name = resource_group_name or engine.resource_group
        self.workspace_name = workspace_name
        self._bound = None
        self._groups: dict[str, Any] = {}

    @classmethod
    def from_config(cls, credential: Any, *, path: str | None = None, file_name: str | None = None, **kwargs: Any) -> "MLClient":
        try:
            found = _config.find(path, file_name)
            coords = _config.read(found)
        except (NotFound, InvalidInput) as exc:
            raise ValidationException(str(exc)) from None
        return cls(credential, coords["subscription_id"], coords["resource_group"], coords["workspace_name"], **kwargs)

    @property
    def _engine(self) -> Any:
        if self._bound is None:
            engine = current_workspace()
            if not self.workspace_name:
                raise ValidationException(
                    "This MLClient has no workspace: pass workspace_name=... or use MLClient.from_config(credential)."
                )
            try:
                _config.check_matches(engine, self.subscription_id, self.resource_group_name, self.workspace_name)
            except NotFound as exc:
                raise ResourceNotFoundError(str(exc)) from None
            self._bound = engine.as_caller(_caller(self._credential, engine))
        return self._bound

    def create_or_update(self, entity: Any, **kwargs: Any) -> Any:
        return self._operations_for(entity).create_or_update(entity, **kwargs)

    def begin_create_or_update(self, entity: Any, **kwargs: Any) -> Any:
        operations = self._operations_for(entity)
        method = getattr(operations, "begin_create_or_update", None)
        if method is not None:
            return method(entity, **kwargs)
        from azure.ai.ml._poller import CompletedPoller

        return CompletedPoller(operations.create_or_update(entity, **kwargs))

    def __getattr__(self, name: str) -> Any:
        path = OPERATION_GROUPS.get(name)
        if path is None or name.startswith("_"):
            raise AttributeError(f"'MLClient' object has no attribute {name!r}")
        groups = self.__dict__.setdefault("_groups", {})
        if name not in groups:
            groups[name] = _load(path)(self)
        return groups[name]

    def _operations_for(self, entity: Any) -> Any:
        for class_path, group in ENTITY_GROUPS.items():
            try:
                klass = _load(class_path)
            except (ImportError, AttributeError):
                continue
            if isinstance(entity, klass):
                return getattr(self, group)
        raise ValidationException(f"MLClient cannot create or update a {type(entity).__name__}.")

    def __repr__(self) -> str:
        return (f"MLClient(credential={self._credential!r}, subscription_id={self.subscription_id}, "
                f"resource_group_name={self.resource_group_name}, workspace_name={self.workspace_name})")
