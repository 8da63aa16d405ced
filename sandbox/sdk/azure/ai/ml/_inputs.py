"""`Input` and `Output`: data and literal inputs/outputs of jobs."""
from __future__ import annotations

from typing import Any

_DATA_TYPES = ("uri_file", "uri_folder", "mltable", "mlflow_model", "custom_model", "triton_model")
_LITERAL_TYPES = ("string", "integer", "number", "boolean")


class Input:
    def __init__(self, *, type: str = "uri_folder", path: str | None = None, mode: str | None = None,
                 default: Any = None, optional: bool | None = None, description: str | None = None,
                 min: Any = None, max: Any = None, enum: Any = None, datastore: str | None = None, **kwargs: Any) -> None:
        if type not in _DATA_TYPES + _LITERAL_TYPES:
            from azure.ai.ml.exceptions import ValidationException

            raise ValidationException(
                f"Input type {type!r} is not supported; use one of {', '.join(_DATA_TYPES + _LITERAL_TYPES)}."
            )
        self.type = type
        self.path = path
        self.mode = mode
        self.default = default
        self.optional = optional
        self.description = description
        self.min, self.max, self.enum = min, max, enum
        self.datastore = datastore

    def _to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}

    def __repr__(self) -> str:
        return f"Input({self._to_dict()})"


class Output:
    def __init__(self, *, type: str = "uri_folder", path: str | None = None, mode: str | None = None,
                 description: str | None = None, name: str | None = None, version: str | None = None, **kwargs: Any) -> None:
        self.type = type
        self.path = path
        self.mode = mode
        self.description = description
        self.name = name
        self.version = version

    def _to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}

    def __repr__(self) -> str:
        return f"Output({self._to_dict()})"
