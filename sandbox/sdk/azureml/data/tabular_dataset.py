"""v1 `TabularDataset`: rows and columns read from delimited, parquet or JSON-lines files."""
from __future__ import annotations

from typing import Any

from azureml._sandbox import translate
from azureml.data.abstract_dataset import AbstractDataset
from azureml.data.dataset_error_handling import DatasetExecutionError
from sandbox import datasets as _engine


class TabularDataset(AbstractDataset):
    @translate(DatasetExecutionError)
    def to_pandas_dataframe(self, on_error: str = "null", out_of_range_datetime: str = "null") -> Any:
        return _engine.to_dataframe(self._ws, self._definition)

    def to_csv_files(self, separator: str = ",") -> Any:
        raise NotImplementedError("to_csv_files is not available in the dp100 sandbox; use to_pandas_dataframe().")

    def take(self, count: int) -> "TabularDataset":
        return self._derive("take", int(count))  # type: ignore[return-value]

    def skip(self, count: int) -> "TabularDataset":
        return self._derive("skip", int(count))  # type: ignore[return-value]

    def take_sample(self, probability: float, seed: int | None = None) -> "TabularDataset":
        return self._derive("take_sample", {"probability": probability, "seed": seed})  # type: ignore[return-value]

    def random_split(self, percentage: float, seed: int | None = None) -> tuple["TabularDataset", "TabularDataset"]:
        first = self._derive("random_split", {"percentage": percentage, "seed": seed, "part": 0})
        second = self._derive("random_split", {"percentage": percentage, "seed": seed, "part": 1})
        return first, second  # type: ignore[return-value]

    def keep_columns(self, columns: str | list[str], validate: bool = False) -> "TabularDataset":
        return self._derive("keep_columns", [columns] if isinstance(columns, str) else list(columns))  # type: ignore[return-value]

    def drop_columns(self, columns: str | list[str]) -> "TabularDataset":
        return self._derive("drop_columns", [columns] if isinstance(columns, str) else list(columns))  # type: ignore[return-value]

    def as_mount(self, path_on_compute: str | None = None) -> Any:
        from azureml.exceptions import UserErrorException

        raise UserErrorException(
            "TabularDataset does not support mount or download; only FileDataset does. Pass the tabular dataset with "
            "as_named_input('name') and read it in the script with Run.get_context().input_datasets['name']."
        )

    as_download = as_mount
