"""`ml_client.workspaces`: the sandbox workspace, under its own name or any name `begin_create` gave it."""
from __future__ import annotations

from typing import Any, Iterator

from azure.ai.ml._poller import CompletedPoller
from azure.ai.ml._sandbox import translated
from azure.ai.ml.entities._workspace import Workspace
from azure.ai.ml.operations._base import Operations
from sandbox import account as _account
from sandbox.workspace import current_workspace


class WorkspaceOperations(Operations):
    @translated
    def get(self, name: str | None = None, **kwargs: Any) -> Workspace:
        engine = current_workspace()
        name = name or self._client.workspace_name or engine.name
        group = kwargs.get("resource_group") or self._client.resource_group_name
        known = _account.workspace_name(engine, name, None if _account.is_own_name(engine, name, None) else group)
        return Workspace._from_engine(engine, known)

    @translated
    def list(self, *, scope: str = "resource_group", **kwargs: Any) -> Iterator[Workspace]:
        engine = current_workspace()
        group = None if scope == "subscription" else self._client.resource_group_name
        return iter([Workspace._from_engine(engine, n) for n in _account.list_workspace_names(engine, group)])

    @translated
    def begin_create(self, workspace: Workspace, update_dependent_resources: bool = False,
                     **kwargs: Any) -> CompletedPoller:
        engine = current_workspace()
        group = workspace.resource_group or self._client.resource_group_name or engine.resource_group
        known = _account.create_workspace(engine, workspace.name, group, workspace.location,
                                          workspace.display_name if workspace.display_name != workspace.name else None,
                                          workspace.description)
        return CompletedPoller(Workspace._from_engine(engine, known))

    def begin_update(self, workspace: Workspace, **kwargs: Any) -> CompletedPoller:
        return self.begin_create(workspace, **kwargs)

    @translated
    def begin_delete(self, name: str, *, delete_dependent_resources: bool = False, **kwargs: Any) -> CompletedPoller:
        engine = current_workspace()
        _account.delete_workspace_name(engine, name, kwargs.get("resource_group") or self._client.resource_group_name)
        return CompletedPoller(None)
