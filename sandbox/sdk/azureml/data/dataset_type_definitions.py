"""v1 enums used when reading tabular files."""
from __future__ import annotations

from enum import Enum


class PromoteHeadersBehavior(Enum):
    NO_HEADERS = 0
    ONLY_FIRST_FILE_HAS_HEADERS = 1
    COMBINE_ALL_FILES_HEADERS = 2
    ALL_FILES_HAVE_SAME_HEADERS = 3


class DataType:
    """Column types for `set_column_types`."""

    def __init__(self, name: str) -> None:
        self.name = name

    @staticmethod
    def to_string() -> "DataType":
        return DataType("string")

    @staticmethod
    def to_long() -> "DataType":
        return DataType("long")

    @staticmethod
    def to_float(decimal_mark: str = ".") -> "DataType":
        return DataType("float")

    @staticmethod
    def to_bool() -> "DataType":
        return DataType("bool")

    @staticmethod
    def to_datetime(formats: object = None) -> "DataType":
        return DataType("datetime")

    def __repr__(self) -> str:
        return f"DataType.to_{self.name}()"
