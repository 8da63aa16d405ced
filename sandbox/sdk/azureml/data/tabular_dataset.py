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

    # -- time series ---------------------------------------------------------------------------
    @property
    def timestamp_columns(self) -> tuple[str | None, str | None]:
        return (self._definition.read.get("timestamp"), self._definition.read.get("partition_timestamp"))

    def with_timestamp_columns(self, timestamp: str | None = None, partition_timestamp: str | None = None,
                               validate: bool = False, **kwargs: Any) -> "TabularDataset":
        from azureml.exceptions import UserErrorException

        timestamp = timestamp or kwargs.get("fine_grain_timestamp")
        partition_timestamp = partition_timestamp or kwargs.get("coarse_grain_timestamp")
        if not timestamp and partition_timestamp:
            raise UserErrorException("partition_timestamp can be assigned only if timestamp is assigned.")
        if timestamp and timestamp == partition_timestamp:
            raise UserErrorException("partition_timestamp cannot be the same as timestamp.")
        if validate:
            translate(DatasetExecutionError)(_engine.check_columns)(self._ws, self._definition,
                                                                     [c for c in (timestamp, partition_timestamp) if c])
        return self._with_read(timestamp=timestamp, partition_timestamp=partition_timestamp)  # type: ignore[return-value]

    def time_before(self, end_time: Any, include_boundary: bool = True, validate: bool = True) -> "TabularDataset":
        return self._time_filter(None, end_time, include_boundary)

    def time_after(self, start_time: Any, include_boundary: bool = True, validate: bool = True) -> "TabularDataset":
        return self._time_filter(start_time, None, include_boundary)

    def time_between(self, start_time: Any, end_time: Any, include_boundary: bool = True,
                     validate: bool = True) -> "TabularDataset":
        return self._time_filter(start_time, end_time, include_boundary)

    def time_recent(self, time_delta: Any, include_boundary: bool = True, validate: bool = True) -> "TabularDataset":
        from datetime import datetime

        return self._time_filter(datetime.now() - time_delta, None, include_boundary)

    def _time_filter(self, lower: Any, upper: Any, include_boundary: bool) -> "TabularDataset":
        from azureml.exceptions import UserErrorException

        column = self._definition.read.get("timestamp")
        if not column:
            raise UserErrorException("This dataset has no timestamp column, so it cannot be filtered by time. "
                                     "Define one first: ds.with_timestamp_columns(timestamp='date').")
        bounds = {"column": column, "include_boundary": bool(include_boundary),
                  "lower": lower.isoformat() if lower is not None else None,
                  "upper": upper.isoformat() if upper is not None else None}
        return self._derive("time_filter", bounds)  # type: ignore[return-value]

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
