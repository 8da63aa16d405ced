"""v1 `DatasetConsumptionConfig`: how a run receives a dataset (direct, download or mount)."""
from __future__ import annotations

from typing import Any


class DatasetConsumptionConfig:
    def __init__(self, name: str, dataset: Any, mode: str = "direct", path_on_compute: str | None = None) -> None:
        if not name or not str(name).replace("_", "").isalnum():
            from azureml.exceptions import UserErrorException

            raise UserErrorException(f"Invalid input name {name!r}: use letters, digits and underscores.")
        self.name = name
        self.dataset = dataset
        self.mode = mode
        self.path_on_compute = path_on_compute

    def as_download(self, path_on_compute: str | None = None) -> "DatasetConsumptionConfig":
        self._only_files("download")
        return DatasetConsumptionConfig(self.name, self.dataset, "download", path_on_compute)

    def as_mount(self, path_on_compute: str | None = None) -> "DatasetConsumptionConfig":
        self._only_files("mount")
        return DatasetConsumptionConfig(self.name, self.dataset, "mount", path_on_compute)

    def _only_files(self, mode: str) -> None:
        from azureml.data.tabular_dataset import TabularDataset
        from azureml.exceptions import UserErrorException

        if isinstance(self.dataset, TabularDataset):
            raise UserErrorException(
                f"TabularDataset does not support {mode}; only FileDataset does. Use as_named_input('{self.name}') "
                "alone and read it in the script with Run.get_context().input_datasets."
            )

    def __str__(self) -> str:
        return f"DatasetConsumptionConfig:{self.name}"

    __repr__ = __str__
