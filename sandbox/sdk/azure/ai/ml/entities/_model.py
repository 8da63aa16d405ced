"""v2 `Model` entity."""
from __future__ import annotations

from typing import Any

from azure.ai.ml.entities._resource import Resource


class Model(Resource):
    def __init__(self, *, name: str | None = None, version: str | None = None, type: str | None = None,
                 path: Any = None, utc_time_created: str | None = None, flavors: dict | None = None,
                 description: str | None = None, tags: dict | None = None, properties: dict | None = None,
                 stage: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name, description=description, tags=tags, properties=properties, **kwargs)
        self.version = version
        self.type = type or "custom_model"
        self.path = path
        self.stage = stage
        self.flavors = flavors
        self.job_name: str | None = None

    @classmethod
    def _from_engine(cls, rec: Any, ws: Any) -> "Model":
        from azure.ai.ml.entities._resource import SystemData
        from sandbox import models

        model = cls(name=rec.name, version=str(rec.version), type=rec.type, description=rec.description,
                    tags=rec.tags, properties=rec.properties,
                    path=f"azureml://subscriptions/{ws.subscription_id}/resourceGroups/{ws.resource_group}/workspaces/"
                         f"{ws.name}/models/{rec.name}/versions/{rec.version}/{rec.file_name}")
        model.id = f"{ws.arm_id}/models/{rec.name}/versions/{rec.version}"
        model.job_name = rec.run_id
        model.creation_context = SystemData(rec.created)
        model._local_path = str(models.path_of(ws, rec))
        return model
