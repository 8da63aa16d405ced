"""v1 `DataReference`: a path on a datastore plus how a run should see it."""
from __future__ import annotations

from typing import Any


class DataReference:
    def __init__(self, datastore: Any, data_reference_name: str | None = None, path_on_datastore: str | None = None,
                 mode: str = "mount", path_on_compute: str | None = None, overwrite: bool = False) -> None:
        self.datastore = datastore
        self.data_reference_name = data_reference_name or datastore.name
        self.path_on_datastore = path_on_datastore
        self.mode = mode
        self.path_on_compute = path_on_compute
        self.overwrite = overwrite

    def _with_mode(self, mode: str, path_on_compute: str | None, overwrite: bool) -> "DataReference":
        return DataReference(self.datastore, self.data_reference_name, self.path_on_datastore, mode,
                             path_on_compute, overwrite)

    def as_mount(self) -> "DataReference":
        return self._with_mode("mount", self.path_on_compute, self.overwrite)

    def as_download(self, path_on_compute: str | None = None, overwrite: bool = False) -> "DataReference":
        return self._with_mode("download", path_on_compute, overwrite)

    def as_upload(self, path_on_compute: str | None = None, overwrite: bool = False) -> "DataReference":
        return self._with_mode("upload", path_on_compute, overwrite)

    def path(self, path: str | None = None, data_reference_name: str | None = None) -> "DataReference":
        joined = "/".join(p.strip("/") for p in (self.path_on_datastore, path) if p)
        return DataReference(self.datastore, data_reference_name, joined, self.mode, self.path_on_compute, self.overwrite)

    def to_uri(self) -> str:
        return f"azureml://datastores/{self.datastore.name}/paths/{(self.path_on_datastore or '').lstrip('/')}"

    def __str__(self) -> str:
        return f"$AZUREML_DATAREFERENCE_{self.data_reference_name}"

    def __repr__(self) -> str:
        return self.__str__()
