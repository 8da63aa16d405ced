"""v1 `Model`: register, find, download and locate models."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from azureml._sandbox import translate
from azureml.exceptions import ModelNotFoundException, UserErrorException, WebserviceException
from sandbox import models as _models
from sandbox.errors import NotFound


class Model:
    class Framework:
        CUSTOM = "Custom"
        SCIKITLEARN = "ScikitLearn"
        TENSORFLOW = "TensorFlow"
        PYTORCH = "PyTorch"
        ONNX = "Onnx"
        MULTI = "Multi"

    def __init__(self, workspace: Any, name: str | None = None, id: str | None = None, tags: Any = None,
                 properties: Any = None, version: int | None = None, run_id: str | None = None,
                 model_framework: str | None = None, expand: bool = True, **kwargs: Any) -> None:
        self.workspace = workspace
        if id and not name:
            name, _, version_text = id.partition(":")
            version = int(version_text) if version_text else None
        if not name:
            raise UserErrorException("Model(workspace, name=...) needs a name (or id='name:version').")
        try:
            self._rec = _models.get(workspace._engine, name, version)
        except NotFound as exc:
            raise WebserviceException(f"ModelNotFound: {exc}") from None

    @classmethod
    def _wrap(cls, workspace: Any, rec: _models.ModelRecord) -> "Model":
        model = cls.__new__(cls)
        model.workspace = workspace
        model._rec = rec
        return model

    name = property(lambda self: self._rec.name)
    version = property(lambda self: self._rec.version)
    id = property(lambda self: f"{self._rec.name}:{self._rec.version}")
    description = property(lambda self: self._rec.description)
    tags = property(lambda self: dict(self._rec.tags))
    properties = property(lambda self: dict(self._rec.properties))
    run_id = property(lambda self: self._rec.run_id)
    model_framework = property(lambda self: self._rec.framework or "Custom")
    model_framework_version = property(lambda self: self._rec.framework_version)
    created_time = property(lambda self: self._rec.created)
    url = property(lambda self: f"aml://asset/{self._rec.name}:{self._rec.version}")

    @staticmethod
    @translate()
    def register(workspace: Any, model_path: str, model_name: str, tags: dict | None = None,
                 properties: dict | None = None, description: str | None = None, datasets: Any = None,
                 model_framework: str | None = None, model_framework_version: str | None = None,
                 child_paths: Any = None, sample_input_dataset: Any = None, sample_output_dataset: Any = None,
                 resource_configuration: Any = None, **kwargs: Any) -> "Model":
        print(f"Registering model {model_name}")
        rec = _models.register(workspace._engine, model_name, Path(model_path), tags=tags, properties=properties,
                               description=description, framework=model_framework,
                               framework_version=model_framework_version)
        return Model._wrap(workspace, rec)

    @staticmethod
    @translate()
    def _register_from_run(run: Any, model_name: str, model_path: str | None, tags: Any, properties: Any,
                           framework: Any, framework_version: Any, description: Any) -> "Model":
        from sandbox import runs

        ws = run.experiment.workspace._engine
        rel = (model_path or "outputs").strip("/")
        names = runs.file_names(ws, run.id)
        if not any(n == rel or n.startswith(rel + "/") for n in names):
            raise UserErrorException(
                f"Could not locate the provided model_path {rel} in the set of files uploaded to the run: {names}. "
                "Files saved to ./outputs appear when the run has finished; wait_for_completion() first."
            )
        source = runs.artifacts_dir(ws, run.id) / rel
        rec = _models.register(ws, model_name, source, tags=tags, properties=properties, description=description,
                               framework=framework, framework_version=framework_version, run_id=run.id,
                               source_text=f"runs:/{run.id}/{rel}")
        return Model._wrap(run.experiment.workspace, rec)

    @staticmethod
    def list(workspace: Any, name: str | None = None, tags: Any = None, properties: Any = None,
             run_id: str | None = None, latest: bool = False, **kwargs: Any) -> list["Model"]:
        records = _models.list_models(workspace._engine, name, latest)
        result = []
        for rec in records:
            if tags:
                wanted = tags if isinstance(tags, list) else [tags]
                if not all((t[0] in rec.tags and str(rec.tags[t[0]]) == str(t[1])) if isinstance(t, (list, tuple))
                           else t in rec.tags for t in wanted):
                    continue
            if run_id and rec.run_id != run_id:
                continue
            result.append(Model._wrap(workspace, rec))
        return result

    @translate()
    def download(self, target_dir: str = ".", exist_ok: bool = False, exists_ok: bool | None = None) -> str:
        source = _models.path_of(self.workspace._engine, self._rec)
        target = Path(target_dir) / source.name
        if target.exists() and not (exist_ok or exists_ok):
            raise UserErrorException(f"{target} already exists; pass exist_ok=True to overwrite it.")
        Path(target_dir).mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, target)
        return str(target)

    def add_tags(self, tags: dict[str, str]) -> None:
        _models.update_tags(self.workspace._engine, self.name, self.version, {**self.tags, **tags})
        self._rec = _models.get(self.workspace._engine, self.name, self.version)

    def remove_tags(self, tags: list[str]) -> None:
        _models.update_tags(self.workspace._engine, self.name, self.version,
                            {k: v for k, v in self.tags.items() if k not in tags})
        self._rec = _models.get(self.workspace._engine, self.name, self.version)

    @staticmethod
    def get_model_path(model_name: str, version: int | None = None, _workspace: Any = None) -> str:
        base = os.environ.get("AZUREML_MODEL_DIR")
        if base and Path(base).exists():
            candidate = Path(base)
            if (candidate / model_name).exists():
                return str(candidate / model_name)
            return str(candidate)
        if _workspace is None:
            raise ModelNotFoundException(
                f"Model {model_name} not found: outside a deployment, pass _workspace=ws (AZUREML_MODEL_DIR is not set)."
            )
        return str(_models.path_of(_workspace._engine, _models.get(_workspace._engine, model_name, version)))

    def serialize(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "id": self.id, "tags": self.tags,
                "properties": self.properties, "description": self.description, "runId": self.run_id}

    def __repr__(self) -> str:
        return (f"Model(workspace={self.workspace!r}, name={self.name}, id={self.id}, version={self.version}, "
                f"tags={self.tags}, properties={self.properties})")
