"""v1 dataset base class: a definition, the workspace it reads from, and its registration if any."""
from __future__ import annotations

import json
from typing import Any

from azureml._sandbox import translate
from azureml.exceptions import UserErrorException
from sandbox import datasets as _engine


class AbstractDataset:
    def __init__(self, workspace: Any, definition: _engine.Definition, registration: _engine.Registration | None = None,
                 sources: list[str] | None = None) -> None:
        self._workspace = workspace
        self._definition = definition
        self._registration = registration
        self._sources = sources or [repr(p) for p in definition.paths]

    # -- identity --------------------------------------------------------------------------------
    @property
    def id(self) -> str | None:
        return self._registration.dataset_id if self._registration else None

    @property
    def name(self) -> str | None:
        return self._registration.name if self._registration else None

    @property
    def version(self) -> int | None:
        return self._registration.version if self._registration else None

    @property
    def description(self) -> str | None:
        return self._registration.description if self._registration else None

    @property
    def tags(self) -> dict[str, str]:
        return dict(self._registration.tags) if self._registration else {}

    @property
    def data_changed_time(self) -> str | None:
        return self._registration.created if self._registration else None

    @property
    def _ws(self) -> Any:
        return self._workspace._engine

    def _derive(self, op: str, arg: Any) -> "AbstractDataset":
        return type(self)(self._workspace, self._definition.with_step(op, arg), None, self._sources)

    def _with_read(self, **options: Any) -> "AbstractDataset":
        read = {k: v for k, v in {**self._definition.read, **options}.items() if v is not None}
        definition = _engine.Definition(self._definition.kind, list(self._definition.paths), read,
                                        list(self._definition.steps))
        return type(self)(self._workspace, definition, None, self._sources)

    # -- registration ----------------------------------------------------------------------------
    @translate()
    def register(self, workspace: Any, name: str, description: str | None = None, tags: dict | None = None,
                 create_new_version: bool = False) -> "AbstractDataset":
        reg = _engine.register(workspace._engine, self._definition, name, description, tags, create_new_version)
        return type(self)(workspace, reg.definition, reg, self._sources)

    @translate()
    def unregister_all_versions(self) -> None:
        if not self._registration:
            raise UserErrorException("This dataset is not registered.")
        _engine.unregister_all_versions(self._ws, self.name)

    @translate()
    def add_tags(self, tags: dict[str, str] | None = None) -> "AbstractDataset":
        return self._set_tags({**self.tags, **(tags or {})})

    @translate()
    def remove_tags(self, tags: list[str] | None = None) -> "AbstractDataset":
        return self._set_tags({k: v for k, v in self.tags.items() if k not in (tags or [])})

    def _set_tags(self, tags: dict[str, str]) -> "AbstractDataset":
        if not self._registration:
            raise UserErrorException("Register the dataset before tagging it.")
        self._registration = _engine.set_tags(self._ws, self.name, self.version, tags)
        return self

    # -- runs ------------------------------------------------------------------------------------
    def as_named_input(self, name: str) -> Any:
        from azureml.data.dataset_consumption_config import DatasetConsumptionConfig

        return DatasetConsumptionConfig(name, self)

    # -- display ---------------------------------------------------------------------------------
    def _steps_for_display(self) -> list[str]:
        names = ["GetDatastoreFiles"] if any(p.startswith("azureml://") for p in self._definition.paths) else ["GetFiles"]
        fmt = self._definition.read.get("format")
        names += {"delimited": ["ParseDelimited"], "parquet": ["ReadParquetFile"], "json_lines": ["ParseJson"]}.get(fmt, [])
        if self._definition.read.get("set_column_types"):
            names.append("SetColumnTypes")
        step_names = {"take": "TakeBlock", "skip": "Skip", "keep_columns": "KeepColumns", "drop_columns": "DropColumns",
                      "take_sample": "TakeSample", "random_split": "RandomSplit", "filter": "Filter",
                      "time_filter": "Filter"}
        names += [step_names.get(next(iter(s)), next(iter(s))) for s in self._definition.steps]
        return names

    def __repr__(self) -> str:
        info: dict[str, Any] = {"source": self._sources, "definition": self._steps_for_display()}
        if self._registration:
            info["registration"] = {
                "id": self.id, "name": self.name, "version": self.version,
                **({"description": self.description} if self.description else {}),
                **({"tags": self.tags} if self.tags else {}),
                "workspace": repr(self._workspace),
            }
        return f"{type(self).__name__}\n" + json.dumps(info, indent=2)
