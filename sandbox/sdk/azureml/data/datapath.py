"""v1 `DataPath`: a datastore plus a path on it, used to build datasets."""
from __future__ import annotations

from typing import Any


class DataPath:
    def __init__(self, datastore: Any = None, path_on_datastore: str | None = None, name: str | None = None) -> None:
        if datastore is None:
            raise ValueError("DataPath needs a datastore, e.g. DataPath(ws.get_default_datastore(), 'data/file.csv').")
        self.datastore_name = getattr(datastore, "name", datastore)
        self.path_on_datastore = path_on_datastore or ""
        self._name = name

    def to_uri(self) -> str:
        return f"azureml://datastores/{self.datastore_name}/paths/{self.path_on_datastore.lstrip('/')}"

    def __repr__(self) -> str:
        return f"DataPath(datastore='{self.datastore_name}', path='{self.path_on_datastore}')"


class DataPathComputeBinding:
    def __init__(self, mode: str = "mount", path_on_compute: str | None = None, overwrite: bool = False) -> None:
        self.mode = mode
        self.path_on_compute = path_on_compute
        self.overwrite = overwrite
