"""v1 `Dataset.Tabular` and `Dataset.File` factories."""
from __future__ import annotations

import os
import uuid
from typing import Any

from azureml._sandbox import translate
from azureml.data.dataset_error_handling import DatasetValidationError
from azureml.data.dataset_type_definitions import DataType, PromoteHeadersBehavior
from azureml.data.file_dataset import FileDataset
from azureml.data.tabular_dataset import TabularDataset
from azureml.exceptions import UserErrorException
from sandbox import datasets as _engine
from sandbox.errors import NotFound
from sandbox.workspace import current_workspace


def _normalise(path: Any) -> tuple[Any, list[str], list[str]]:
    """(facade workspace or None, azureml URIs, display strings) for every accepted `path` form."""
    items = path if isinstance(path, list) else [path]
    if not items:
        raise UserErrorException("path is empty: pass (datastore, 'folder/file.csv') or a list of such tuples.")
    workspace = None
    uris_: list[str] = []
    shown: list[str] = []
    for item in items:
        if isinstance(item, tuple):
            if len(item) != 2:
                raise UserErrorException(f"A path tuple is (datastore, 'relative/path'); got {item!r}.")
            datastore, rel = item
            workspace = workspace or getattr(datastore, "workspace", None)
            name = getattr(datastore, "name", datastore)
            uris_.append(f"azureml://datastores/{name}/paths/{str(rel).lstrip('/')}")
            shown.append(f"('{name}', '{rel}')")
        elif hasattr(item, "to_uri"):
            workspace = workspace or getattr(getattr(item, "datastore", None), "workspace", None)
            uris_.append(item.to_uri())
            shown.append(repr(item))
        elif isinstance(item, (str, os.PathLike)):
            text = str(item)
            if "://" not in text:
                raise UserErrorException(
                    f"{text!r} looks like a local path. v1 datasets read from datastores: upload the file first "
                    "(ws.get_default_datastore().upload_files([...], target_path='data')) and pass "
                    "(datastore, 'data/<file>')."
                )
            uris_.append(text)
            shown.append(text)
        else:
            raise UserErrorException(f"Unsupported path {item!r}; use (datastore, 'path'), a DataPath or a URL.")
    return workspace, uris_, shown


def _workspace_of(workspace: Any) -> Any:
    if workspace is not None:
        return workspace
    from azureml.core.workspace import Workspace

    engine = current_workspace()
    return Workspace(engine.subscription_id, engine.resource_group, engine.name)


def _check(workspace: Any, definition: _engine.Definition, validate: bool) -> None:
    if not validate:
        return
    try:
        _engine.files_of(workspace._engine, definition)
    except NotFound as exc:
        raise DatasetValidationError(
            f"{exc}. Check the datastore path (upload the files first), or pass validate=False to skip this check."
        ) from None


def _types(set_column_types: dict | None) -> dict[str, str]:
    result = {}
    for column, kind in (set_column_types or {}).items():
        result[column] = kind.name if isinstance(kind, DataType) else str(kind)
    return result


def _header(header: Any) -> Any:
    if isinstance(header, PromoteHeadersBehavior):
        return {0: False, 1: "only_first_file_has_headers"}.get(header.value, True)
    return bool(header)


class TabularDatasetFactory:
    @staticmethod
    @translate()
    def from_delimited_files(path: Any, validate: bool = True, include_path: bool = False, infer_column_types: bool = True,
                             set_column_types: dict | None = None, separator: str = ",", header: Any = True,
                             partition_format: str | None = None, support_multi_line: bool = False,
                             empty_as_string: bool = False, encoding: str = "utf8") -> TabularDataset:
        workspace, uris_, shown = _normalise(path)
        read = {"format": "delimited", "separator": separator, "header": _header(header), "encoding": encoding,
                "include_path": include_path, "infer_column_types": infer_column_types,
                "set_column_types": _types(set_column_types)}
        return _make(TabularDataset, workspace, _engine.Definition(_engine.TABULAR, uris_, read), shown, validate)

    @staticmethod
    @translate()
    def from_parquet_files(path: Any, validate: bool = True, include_path: bool = False,
                           set_column_types: dict | None = None, partition_format: str | None = None) -> TabularDataset:
        workspace, uris_, shown = _normalise(path)
        read = {"format": "parquet", "include_path": include_path, "set_column_types": _types(set_column_types)}
        return _make(TabularDataset, workspace, _engine.Definition(_engine.TABULAR, uris_, read), shown, validate)

    @staticmethod
    @translate()
    def from_json_lines_files(path: Any, validate: bool = True, include_path: bool = False,
                              set_column_types: dict | None = None, partition_format: str | None = None,
                              invalid_lines: str = "error", encoding: str = "utf8") -> TabularDataset:
        workspace, uris_, shown = _normalise(path)
        read = {"format": "json_lines", "include_path": include_path, "encoding": encoding,
                "set_column_types": _types(set_column_types)}
        return _make(TabularDataset, workspace, _engine.Definition(_engine.TABULAR, uris_, read), shown, validate)

    @staticmethod
    @translate()
    def register_pandas_dataframe(dataframe: Any, target: Any, name: str, description: str | None = None,
                                  tags: dict | None = None, show_progress: bool = True,
                                  row_group_size: int | None = None,
                                  make_target_path_unique: bool = True) -> TabularDataset:
        from pathlib import Path

        workspace, uris_, shown = _normalise(target)
        if len(uris_) != 1:
            raise UserErrorException("target must be one (datastore, 'folder') tuple or DataPath.")
        folder = uris_[0].rstrip("/") + f"/{uuid.uuid4()}"
        from sandbox import uris as _uris

        local = _uris.resolve(_workspace_of(workspace)._engine, folder)
        Path(local).mkdir(parents=True, exist_ok=True)
        dataframe.to_parquet(Path(local) / "part-00000.parquet", index=False)
        if show_progress:
            print(f"Validating arguments.\nArguments validated.\nSuccessfully obtained datastore reference and path.\n"
                  f"Uploading file to {folder.split('/paths/', 1)[1]}\nSuccessfully uploaded file to datastore.\n"
                  "Creating and registering a new dataset.\nSuccessfully created and registered a new dataset.")
        ws = _workspace_of(workspace)
        definition = _engine.Definition(_engine.TABULAR, [folder + "/*.parquet"], {"format": "parquet"})
        ds = _make(TabularDataset, ws, definition, [f"('{folder}')"], True)
        return ds.register(ws, name, description, tags, create_new_version=True)  # type: ignore[return-value]


class FileDatasetFactory:
    @staticmethod
    @translate()
    def from_files(path: Any, validate: bool = True, partition_format: str | None = None, is_file: bool = False) -> FileDataset:
        workspace, uris_, shown = _normalise(path)
        return _make(FileDataset, workspace, _engine.Definition(_engine.FILE, uris_), shown, validate)

    @staticmethod
    def upload_directory(src_dir: str, target: Any, pattern: str | None = None, overwrite: bool = False,
                         show_progress: bool = True) -> FileDataset:
        workspace, uris_, shown = _normalise(target)
        datastore, rel = target if isinstance(target, tuple) else (target.datastore, target.path_on_datastore)
        datastore.upload(src_dir, rel, overwrite, show_progress)
        return FileDatasetFactory.from_files(target)


def _make(klass: type, workspace: Any, definition: _engine.Definition, shown: list[str], validate: bool) -> Any:
    workspace = _workspace_of(workspace)
    _check(workspace, definition, validate)
    return klass(workspace, definition, None, shown)
