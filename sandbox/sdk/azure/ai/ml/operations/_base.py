"""Shared base of operation groups: access to the bound sandbox workspace."""
from __future__ import annotations

from typing import Any


class Operations:
    def __init__(self, client: Any) -> None:
        self._client = client

    @property
    def _ws(self) -> Any:
        return self._client._engine


class VersionedAssetOperations(Operations):
    """`archive` / `restore` for the versioned asset groups (data, environments, models, components).

    Subclasses name the engine module (`_asset_engine`) whose `set_archived(ws, name, version, archived)` they use.
    """

    _asset_engine: Any = None

    def archive(self, name: str, version: str | None = None, label: str | None = None, **kwargs: Any) -> None:
        self._set_archived(name, version, True)

    def restore(self, name: str, version: str | None = None, label: str | None = None, **kwargs: Any) -> None:
        self._set_archived(name, version, False)

    def _set_archived(self, name: str, version: str | None, archived: bool) -> None:
        from azure.ai.ml._sandbox import translated

        translated(type(self)._asset_engine.set_archived)(self._ws, name, version, archived)
