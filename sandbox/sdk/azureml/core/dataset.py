"""v1 `Dataset`: the entry point for creating and retrieving datasets."""
from __future__ import annotations

from typing import Any

from azureml._sandbox import translate
from azureml.data.dataset_factory import FileDatasetFactory, TabularDatasetFactory
from azureml.data.file_dataset import FileDataset
from azureml.data.tabular_dataset import TabularDataset
from azureml.exceptions import UserErrorException
from sandbox import datasets as _engine


def _wrap(workspace: Any, reg: _engine.Registration) -> Any:
    klass = TabularDataset if reg.definition.kind == _engine.TABULAR else FileDataset
    return klass(workspace, reg.definition, reg)


class Dataset:
    Tabular = TabularDatasetFactory
    File = FileDatasetFactory

    @staticmethod
    @translate()
    def get_by_name(workspace: Any, name: str, version: int | str = "latest") -> Any:
        return _wrap(workspace, _engine.get(workspace._engine, name, version))

    @staticmethod
    @translate()
    def get_by_id(workspace: Any, id: str) -> Any:
        regs = _engine.registrations_of(workspace._engine, id)
        if regs:
            return _wrap(workspace, regs[-1])
        definition = _engine.get_definition(workspace._engine, id)
        klass = TabularDataset if definition.kind == _engine.TABULAR else FileDataset
        return klass(workspace, definition, None)

    @staticmethod
    def get_all(workspace: Any) -> dict[str, Any]:
        return {reg.name: _wrap(workspace, reg) for reg in _engine.list_latest(workspace._engine)}

    @staticmethod
    def list(workspace: Any) -> list[Any]:
        return list(Dataset.get_all(workspace).values())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise UserErrorException(
            "Create datasets with Dataset.Tabular.from_delimited_files(...) or Dataset.File.from_files(...), and "
            "retrieve them with Dataset.get_by_name(ws, name)."
        )
