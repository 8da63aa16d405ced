"""`ml_client.models`."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Iterator

from azure.ai.ml._sandbox import translated
from azure.ai.ml.entities._model import Model
from azure.ai.ml.exceptions import ValidationException
from azure.ai.ml.operations._base import VersionedAssetOperations
from sandbox import models as _models


class ModelOperations(VersionedAssetOperations):
    _asset_engine = _models

    @translated
    def create_or_update(self, model: Model) -> Model:
        if not isinstance(model, Model):
            raise ValidationException(f"models.create_or_update expects a Model; got {type(model).__name__}.")
        if not model.path:
            raise ValidationException("Model.path is required: a local file or folder, azureml://jobs/... or runs:/...")
        if model.version is not None and not isinstance(model.version, str):
            raise ValidationException(f'Model version must be a string, e.g. version="{model.version}".')
        if model.version is not None and not str(model.version).isdigit():
            raise ValidationException("The sandbox numbers model versions: use a whole number as a string, e.g. \"2\".")
        source, run = _models.resolve_source(self._ws, str(model.path))
        rec = _models.register(self._ws, model.name, source, type=model.type or _models.CUSTOM,
                               version=int(model.version) if model.version else None, description=model.description,
                               tags=model.tags, properties=model.properties, run_id=run, source_text=str(model.path))
        return Model._from_engine(rec, self._ws)

    @translated
    def get(self, name: str, version: str | None = None, label: str | None = None) -> Model:
        if version is not None and label is not None:
            raise ValidationException("Cannot specify both version and label.")
        if version is None and label is None:
            raise ValidationException("Must provide either version or label.")
        return Model._from_engine(_models.get(self._ws, name, None if label else version), self._ws)

    @translated
    def list(self, name: str | None = None, *, stage: str | None = None, **kwargs: Any) -> Iterator[Model]:
        return iter([Model._from_engine(r, self._ws) for r in _models.list_models(self._ws, name, latest=name is None)])

    @translated
    def download(self, name: str, version: str, download_path: str = ".") -> None:
        rec = _models.get(self._ws, name, version)
        source = _models.path_of(self._ws, rec)
        target = Path(download_path) / name
        target.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target / source.name, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, target / source.name)

