"""Code snapshots: what a job takes from its source folder (honouring .amlignore / .gitignore) and Azure's limits."""
from __future__ import annotations

import shutil
from pathlib import Path

from sandbox.errors import InvalidInput

MAX_FILES = 2000
MAX_BYTES = 300 * 1024 * 1024
ALWAYS_IGNORED = [".git/", "__pycache__/", ".ipynb_checkpoints/", ".venv/", ".azureml/"]


def _spec(source: Path):
    import pathspec

    ignore_file = source / ".amlignore" if (source / ".amlignore").exists() else source / ".gitignore"
    lines = list(ALWAYS_IGNORED)
    if ignore_file.exists():
        lines += ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
    return pathspec.PathSpec.from_lines("gitwildmatch", lines)


def files(source: Path) -> list[Path]:
    source = Path(source)
    spec = _spec(source)
    chosen = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source).as_posix()
        if path.is_dir():
            continue
        if spec.match_file(rel):
            continue
        chosen.append(path)
    return chosen


def take(source: Path, target: Path) -> list[str]:
    """Copy the snapshot of `source` into `target`; refuse folders beyond Azure's limits, saying what to do."""
    source = Path(source).resolve()
    if not source.is_dir():
        raise InvalidInput(f"The source directory {source} does not exist. Check source_directory / code.")
    chosen = files(source)
    if len(chosen) > MAX_FILES:
        raise InvalidInput(
            f"The snapshot of {source} has {len(chosen)} files, more than the limit of {MAX_FILES}. Move data out of "
            "the source folder or list it in a .amlignore file."
        )
    size = sum(p.stat().st_size for p in chosen)
    if size > MAX_BYTES:
        raise InvalidInput(
            f"The snapshot of {source} is {size / 1e6:.0f} MB, over the 300 MB limit. Put data in a datastore or data "
            "asset and list large files in .amlignore."
        )
    names = []
    for path in chosen:
        rel = path.relative_to(source)
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        names.append(rel.as_posix())
    target.mkdir(parents=True, exist_ok=True)
    return names
