"""`ml_client.workspaces`."""
from __future__ import annotations

from typing import Any, Iterator

from azure.ai.ml._sandbox import translated
from azure.ai.ml.entities._workspace import Workspace
from azure.ai.ml.operations._base import Operations
from sandbox import config as _config
from sandbox.workspace import current_workspace


class WorkspaceOperations(Operations):
    @translated
    def get(self, name: str | None = None, **kwargs: Any) -> Workspace:
        engine = current_workspace()
        _config.check_matches(engine, None, None, name or self._client.workspace_name or engine.name)
        return Workspace._from_engine(engine)

    def list(self, *, scope: str = "resource_group", **kwargs: Any) -> Iterator[Workspace]:
        return iter([Workspace._from_engine(current_workspace())])
