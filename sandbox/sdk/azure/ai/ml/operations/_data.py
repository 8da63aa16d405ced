"""`ml_client.data`."""
from __future__ import annotations

import sys
from typing import Any, Iterator

from azure.ai.ml._sandbox import translated
from azure.ai.ml.entities._data import Data
from azure.ai.ml.exceptions import ValidationException
from azure.ai.ml.operations._base import VersionedAssetOperations
from sandbox import data as _engine


class DataOperations(VersionedAssetOperations):
    _asset_engine = _engine

    @translated
    def create_or_update(self, data: Data) -> Data:
        if not isinstance(data, Data):
            raise ValidationException(f"create_or_update expects a Data entity, got {type(data).__name__}.")
        if not data.path:
            raise ValidationException("Data.path is required: a local file or folder, or an azureml:// URI.")
        asset = _engine.create_or_update(
            self._ws, data.name, str(data.path), data.type or _engine.URI_FOLDER, data.version, data.description,
            data.tags, data.properties, progress=lambda line: print(line, file=sys.stderr),
        )
        return Data._from_engine(asset, self._ws)

    @translated
    def get(self, name: str, version: str | None = None, label: str | None = None) -> Data:
        return Data._from_engine(_engine.get(self._ws, name, version=version, label=label), self._ws)

    @translated
    def list(self, name: str | None = None, *, list_view_type: Any = None) -> Iterator[Data]:
        return iter([Data._from_engine(a, self._ws) for a in _engine.list_assets(self._ws, name)])

