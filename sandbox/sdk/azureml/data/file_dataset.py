"""v1 `FileDataset`: a set of files, downloaded or mounted where they are needed."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from azureml._sandbox import translate
from azureml.data.abstract_dataset import AbstractDataset
from azureml.exceptions import UserErrorException
from sandbox import datasets as _engine


class FileDataset(AbstractDataset):
    def _files(self) -> list[tuple[Path, str]]:
        return _engine.files_of(self._ws, self._definition)

    @translate()
    def to_path(self) -> list[str]:
        return ["/" + rel for _, rel in self._files()]

    @translate()
    def download(self, target_path: str | None = None, overwrite: bool = False, ignore_not_found: bool = False) -> list[str]:
        target = Path(target_path) if target_path else Path(tempfile.mkdtemp(prefix="dataset-"))
        result = []
        for source, rel in self._files():
            dest = target / rel
            if dest.exists() and not overwrite:
                raise UserErrorException(
                    f"File {dest} already exists. Pass overwrite=True to replace it, or download to an empty folder."
                )
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
            result.append(str(dest.resolve()))
        return result

    def mount(self, mount_point: str | None = None, **kwargs: Any) -> "MountContext":
        return MountContext(self, mount_point)

    def take(self, count: int) -> "FileDataset":
        return self._derive("take", int(count))  # type: ignore[return-value]

    def skip(self, count: int) -> "FileDataset":
        return self._derive("skip", int(count))  # type: ignore[return-value]

    def take_sample(self, probability: float, seed: int | None = None) -> "FileDataset":
        return self._derive("take_sample", {"probability": probability, "seed": seed})  # type: ignore[return-value]

    def random_split(self, percentage: float, seed: int | None = None) -> tuple["FileDataset", "FileDataset"]:
        return (self._derive("random_split", {"percentage": percentage, "seed": seed, "part": 0}),  # type: ignore[return-value]
                self._derive("random_split", {"percentage": percentage, "seed": seed, "part": 1}))

    def as_mount(self, path_on_compute: str | None = None) -> Any:
        return self.as_named_input(self.name or "input__" + (self.id or "dataset")[:8]).as_mount(path_on_compute)

    def as_download(self, path_on_compute: str | None = None) -> Any:
        return self.as_named_input(self.name or "input__" + (self.id or "dataset")[:8]).as_download(path_on_compute)


class MountContext:
    """Makes the dataset's files visible under a folder while it is started (a read-only view)."""

    def __init__(self, dataset: FileDataset, mount_point: str | None) -> None:
        self._dataset = dataset
        self._given = mount_point
        self.mount_point = str(Path(mount_point).resolve()) if mount_point else tempfile.mkdtemp(prefix="mount-")
        self._started = False

    def start(self) -> None:
        root = Path(self.mount_point)
        root.mkdir(parents=True, exist_ok=True)
        for source, rel in self._dataset._files():
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not dest.exists():
                try:
                    os.symlink(source.resolve(), dest)
                except OSError:
                    shutil.copyfile(source, dest)
        self._started = True

    def stop(self) -> None:
        if self._started:
            shutil.rmtree(self.mount_point, ignore_errors=True)
            self._started = False

    def __enter__(self) -> "MountContext":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
