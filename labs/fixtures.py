"""Preparing a lab: the files in the learner's folder and a fresh workspace, as a lab's setup script would.

`write_files` puts generated data into a folder (at `lab start`, and again into every graded copy so a
learner who edited the data cannot change what is checked). `fresh_workspace` creates an empty workspace and
applies the workspace fixtures in order: uploads, v1 datasets, v2 data assets, a compute cluster, or a Python
function from the lab's checks.py.
"""
from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from labs import manifest as m

if TYPE_CHECKING:
    from sandbox.workspace import Workspace


class FixtureError(RuntimeError):
    """A lab's fixture could not be applied (a lab bug, not the learner's): names the lab and the fixture."""


@dataclass
class Setup:
    """What a `python` fixture function receives."""

    ws: "Workspace"
    folder: Path
    lab: m.Lab


def write_files(lab: m.Lab, folder: Path) -> list[Path]:
    """Write the lab's generated files into `folder`; return their paths."""
    from labs.sample_data import write_diabetes_csv

    written = []
    for fixture in lab.manifest.fixtures:
        if isinstance(fixture, m.DiabetesCsv):
            written.append(write_diabetes_csv(Path(folder) / fixture.path, fixture.rows, fixture.seed))
    return written


_modules: dict[tuple[str, float], ModuleType] = {}


def load_checks(lab: m.Lab) -> ModuleType:
    """Import the lab's checks.py (cached while the file is unchanged)."""
    path = lab.checks_file
    key = (str(path), path.stat().st_mtime)
    module = _modules.get(key)
    if module is None:
        name = "dp100_lab_" + lab.id.replace("-", "_")
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise FixtureError(f"{path}: cannot be imported")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        _modules[key] = module
    return module


def fresh_workspace(lab: m.Lab, root: Path, folder: Path) -> "Workspace":
    """Delete whatever is in `root`, create a workspace there and apply the lab's workspace fixtures."""
    from sandbox import tracking
    from sandbox.workspace import Workspace

    Workspace.reset(root)
    ws = Workspace.create(root)
    tracking.ensure_db(ws)
    for number, fixture in enumerate(lab.manifest.fixtures, start=1):
        try:
            _apply(fixture, ws, Path(folder), lab)
        except FixtureError:
            raise
        except Exception as exc:
            raise FixtureError(f"Lab {lab.id}: fixture {number} ({fixture.kind}) failed: {type(exc).__name__}: {exc}") from exc
    return ws


def _apply(fixture: Any, ws: "Workspace", folder: Path, lab: m.Lab) -> None:
    from sandbox import data, datasets, datastores, uris

    if isinstance(fixture, m.DiabetesCsv):
        return  # a file in the folder (write_files)
    if isinstance(fixture, m.Upload):
        source = folder / fixture.source
        if source.is_dir():
            pairs = [(f, f"{fixture.target.rstrip('/')}/{f.relative_to(source).as_posix()}")
                     for f in sorted(source.rglob("*")) if f.is_file()]
        else:
            pairs = [(source, fixture.target)]
        datastores.upload(ws, fixture.datastore, pairs, overwrite=True)
    elif isinstance(fixture, m.Dataset):
        uri = uris.datastore_uri(ws, fixture.datastore, fixture.path, long=False)
        read = ({"format": "delimited", "separator": ",", "header": True, "encoding": "utf8", "include_path": False,
                 "infer_column_types": True, "set_column_types": {}} if fixture.type == "tabular" else {})
        definition = datasets.Definition(fixture.type, [uri], read)
        datasets.register(ws, definition, fixture.name, description=fixture.description)
    elif isinstance(fixture, m.DataAsset):
        path = fixture.path
        if "://" not in path:
            path = str((folder / path).resolve())
        data.create_or_update(ws, fixture.name, path, fixture.type, fixture.version, fixture.description)
    elif isinstance(fixture, m.Compute):
        from sandbox import compute

        compute.create_cluster(ws, fixture.name, fixture.size, min_nodes=fixture.min_nodes, max_nodes=fixture.max_nodes)
        compute.wait_provisioned(ws, fixture.name)
    elif isinstance(fixture, m.PythonFixture):
        function = getattr(load_checks(lab), fixture.function, None)
        if not callable(function):
            raise FixtureError(f"Lab {lab.id}: checks.py has no function {fixture.function!r} (named by a python fixture)")
        function(Setup(ws, folder, lab))
