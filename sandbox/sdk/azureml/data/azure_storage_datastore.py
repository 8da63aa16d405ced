"""v1 blob and file-share datastores."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from azureml._sandbox import translate
from azureml.data.data_reference import DataReference
from sandbox import datastores as _ds


class AbstractDatastore:
    datastore_type = ""

    def __init__(self, workspace: Any, name: str, datastore_type: str, account_name: str, container_name: str,
                 credential_type: str = "None", description: str | None = None, is_default: bool = False) -> None:
        self.workspace = workspace
        self.name = name
        self.datastore_type = datastore_type
        self.account_name = account_name
        self.container_name = container_name
        self.credential_type = credential_type
        self.description = description
        self.is_default = is_default
        self.protocol = "https"
        self.endpoint = "core.windows.net"
        # Secrets are never returned by the service.
        self.account_key = None
        self.sas_token = None

    # -- files ------------------------------------------------------------------------------------
    @translate()
    def upload(self, src_dir: str, target_path: str | None = None, overwrite: bool = False, show_progress: bool = True) -> DataReference:
        source = Path(src_dir)
        if not source.is_dir():
            raise _not_a_folder(src_dir)
        files = sorted(p for p in source.rglob("*") if p.is_file())
        pairs = [(f, _join(target_path, f.relative_to(source).as_posix())) for f in files]
        _ds.upload(self.workspace._engine, self.name, pairs, overwrite, print if show_progress else None)
        return DataReference(self, path_on_datastore=target_path)

    @translate()
    def upload_files(self, files: list[str], relative_root: str | None = None, target_path: str | None = None,
                     overwrite: bool = False, show_progress: bool = True) -> DataReference:
        if isinstance(files, (str, os.PathLike)):
            files = [files]
        root = Path(relative_root).resolve() if relative_root else None
        pairs = []
        for f in files:
            path = Path(f)
            if not path.is_file():
                raise _missing_file(f)
            if root is not None:
                try:
                    rel = path.resolve().relative_to(root).as_posix()
                except ValueError:
                    raise _not_under_root(f, relative_root) from None
            else:
                rel = path.name
            pairs.append((path, _join(target_path, rel)))
        _ds.upload(self.workspace._engine, self.name, pairs, overwrite, print if show_progress else None)
        return DataReference(self, path_on_datastore=target_path)

    @translate()
    def download(self, target_path: str, prefix: str | None = None, overwrite: bool = False, show_progress: bool = True) -> int:
        return _ds.download(self.workspace._engine, self.name, Path(target_path), prefix or "", overwrite,
                            print if show_progress else None)

    def path(self, path: str | None = None, data_reference_name: str | None = None) -> DataReference:
        return DataReference(self, data_reference_name, path)

    def as_mount(self) -> DataReference:
        return DataReference(self, mode="mount")

    def as_download(self, path_on_compute: str | None = None) -> DataReference:
        return DataReference(self, mode="download", path_on_compute=path_on_compute)

    # -- management ------------------------------------------------------------------------------
    @translate()
    def set_as_default(self) -> None:
        _ds.set_default(self.workspace._engine, self.name)
        self.is_default = True

    @translate()
    def unregister(self) -> None:
        _ds.unregister(self.workspace._engine, self.name)

    def _as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "container_name": self.container_name,
            "account_name": self.account_name,
            "protocol": self.protocol,
            "endpoint": self.endpoint,
        }

    def __repr__(self) -> str:
        import json

        return json.dumps(self._as_dict(), indent=2)


class AzureBlobDatastore(AbstractDatastore):
    def __init__(self, workspace: Any, name: str, container_name: str, account_name: str, **kwargs: Any) -> None:
        super().__init__(workspace, name, "AzureBlob", account_name, container_name, **kwargs)


class AzureFileDatastore(AbstractDatastore):
    def __init__(self, workspace: Any, name: str, container_name: str, account_name: str, **kwargs: Any) -> None:
        super().__init__(workspace, name, "AzureFile", account_name, container_name, **kwargs)


def _join(target: str | None, rel: str) -> str:
    return "/".join(p.strip("/") for p in (target, rel) if p)


def _not_a_folder(src: str) -> Exception:
    from azureml.exceptions import UserErrorException

    return UserErrorException(
        f"src_dir {src!r} is not a folder. upload() copies a whole folder; use upload_files([...]) for single files."
    )


def _missing_file(f: str) -> Exception:
    from azureml.exceptions import UserErrorException

    return UserErrorException(f"File {f!r} does not exist (relative paths start at {os.getcwd()}).")


def _not_under_root(f: str, root: str) -> Exception:
    from azureml.exceptions import UserErrorException

    return UserErrorException(f"File {f!r} is not under relative_root {root!r}; relative_root must be a parent folder.")
