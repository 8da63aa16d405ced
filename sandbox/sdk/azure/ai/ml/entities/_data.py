"""v2 `Data` asset entity."""
from __future__ import annotations

from typing import Any

from azure.ai.ml.entities._resource import Resource


class Data(Resource):
    def __init__(self, *, name: str | None = None, version: Any = None, description: str | None = None,
                 tags: dict | None = None, properties: dict | None = None, path: str | None = None,
                 type: str = "uri_folder", is_anonymous: bool = False, datastore: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name, description=description, tags=tags, properties=properties, **kwargs)
        self.version = version
        self.path = path
        self.type = type
        self.is_anonymous = is_anonymous
        self.datastore = datastore
        self.latest_version: str | None = None

    @classmethod
    def _from_engine(cls, asset: Any, ws: Any) -> "Data":
        from azure.ai.ml.entities._resource import SystemData

        data = cls(name=asset.name, version=asset.version, description=asset.description, tags=asset.tags,
                   properties=asset.properties, path=asset.path, type=asset.type)
        data.id = f"{ws.arm_id}/data/{asset.name}/versions/{asset.version}"
        data.creation_context = SystemData(asset.created)
        return data
