"""An fsspec filesystem for `azureml://` URIs, so `pandas.read_csv("azureml://…")` reads sandbox files.

Registered through the `fsspec.specs` entry point (as Azure's own azureml-fsspec package does) and exposed to
learners as `azureml.fsspec.AzureMachineLearningFileSystem`.
"""
from __future__ import annotations

from typing import Any

from fsspec.implementations.local import LocalFileSystem


class AzureMLFileSystem(LocalFileSystem):
    protocol = ("azureml",)
    root_marker = "/"

    def __init__(self, uri: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._base_uri = uri

    @classmethod
    def _strip_protocol(cls, path: Any) -> str:
        text = str(path)
        if text.startswith("azureml:"):
            from sandbox import uris
            from sandbox.workspace import current_workspace

            return str(uris.resolve(current_workspace(), text))
        return LocalFileSystem._strip_protocol(text)

    def _resolve(self, path: str) -> str:
        if self._base_uri and not str(path).startswith("azureml:"):
            path = self._base_uri.rstrip("/") + "/paths/" + str(path).lstrip("/") if "/paths/" not in self._base_uri \
                else self._base_uri.rstrip("/") + "/" + str(path).lstrip("/")
        return self._strip_protocol(path)

    def ls(self, path: str = "", detail: bool = False, **kwargs: Any) -> Any:
        return super().ls(self._resolve(path), detail=detail, **kwargs)

    def open(self, path: str, mode: str = "rb", **kwargs: Any) -> Any:
        return super().open(self._resolve(path), mode, **kwargs)

    def glob(self, path: str, **kwargs: Any) -> Any:
        return super().glob(self._resolve(path), **kwargs)
