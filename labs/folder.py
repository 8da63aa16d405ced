"""The learner's lab folder: starting, finding, resetting, running and checking it.

`start` copies the starter, writes the generated data and `config.json`, and leaves a `.dp100-lab` file
(JSON: lab id and entry point) so later commands run in that folder know which lab it is. Runs and checks
never use the learner's main sandbox: `run` uses `<home>/labs/.workspaces/<id>` (fresh each time, the one a
lab notebook connects to, and the one the TUI's workbench runs against), `check` uses
`<home>/labs/.check-workspaces/<id>` (fresh each check). `<home>/labs/<id>/` is the TUI's own lab folder.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from labs import fixtures, notebooks
from labs.manifest import Catalog, Lab, discover

MARKER = ".dp100-lab"


class LabFolderError(Exception):
    """A lab folder problem the learner can fix (the message says how)."""


@dataclass(frozen=True)
class LabFolder:
    path: Path
    lab: Lab
    entry: str

    @property
    def entry_path(self) -> Path:
        return self.path / self.entry


def workspace_dir(home: Path, lab: Lab, purpose: str = "workspaces") -> Path:
    """`<home>/labs/.workspaces/<id>` for runs and notebooks, `.check-workspaces/<id>` for checks."""
    return Path(home) / "labs" / f".{purpose}" / lab.id


def _notebook_first_cell(home: Path, lab: Lab) -> str:
    folder = workspace_dir(home, lab).resolve()
    return ("# Connect this notebook to the lab's sandbox workspace (prepared by `dp100 lab start`).\n"
            f"import sandbox\nsandbox.activate(r\"{folder}\")")


def start(lab: Lab, target: Path, home: Path, *, notebook: bool = False, force: bool = False) -> LabFolder:
    """Create the lab folder: starter files, data, config.json and the .dp100-lab marker."""
    from sandbox import config

    target = Path(target)
    if target.exists() and any(target.iterdir()) and not force:
        marker = target / MARKER
        if marker.is_file():
            raise LabFolderError(f"{target} already holds a lab. Continue there, or use `dp100 lab reset` to start over.")
        raise LabFolderError(f"{target} is not empty. Choose a new folder, e.g. `dp100 lab start {lab.id} ./{lab.id}`.")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(lab.starter_dir, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(lab.readme, target / "README.md")
    entry = lab.manifest.entry
    if notebook:
        source = target / entry
        nb = source.with_suffix(".ipynb")
        notebooks.write_notebook(source, nb, first_cell=_notebook_first_cell(home, lab))
        source.unlink()
        entry = nb.relative_to(target).as_posix()
    fixtures.write_files(lab, target)
    ws = prepare_workspace(lab, home, target)
    config.write(ws, target)
    ws.store.close()
    (target / MARKER).write_text(json.dumps({"lab": lab.id, "entry": entry}) + "\n", encoding="utf-8")
    return LabFolder(target, lab, entry)


def prepare_workspace(lab: Lab, home: Path, folder: Path):
    """A fresh `<home>/labs/<id>/workspace` with the lab's fixtures (for runs and notebooks)."""
    return fixtures.fresh_workspace(lab, workspace_dir(home, lab), folder)


def find(start_dir: Path | None = None, catalog: Catalog | None = None) -> LabFolder:
    """The lab folder containing `start_dir` (default: the current folder)."""
    here = Path(start_dir or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        marker = folder / MARKER
        if marker.is_file():
            try:
                info = json.loads(marker.read_text(encoding="utf-8"))
                lab_id, entry = info["lab"], info.get("entry")
            except (ValueError, KeyError, TypeError):
                raise LabFolderError(f"{marker} is damaged. Start the lab again in a new folder with `dp100 lab start <id>`.") from None
            lab = (catalog or discover()).get(lab_id)
            return LabFolder(folder, lab, entry or lab.manifest.entry)
    raise LabFolderError("This folder is not a lab folder (no .dp100-lab here or above). Start one with "
                         "`dp100 lab start <id>` (see `dp100 lab list`), or cd into it.")


def reset(folder: LabFolder, home: Path) -> None:
    """Put the starter back (the learner's files are replaced) and prepare a fresh workspace."""
    notebook = folder.entry.endswith(".ipynb")
    keep_marker = folder.path / MARKER
    for item in folder.path.iterdir():
        if item == keep_marker:
            continue
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item)
        else:
            item.unlink()
    keep_marker.unlink()
    start(folder.lab, folder.path, home, notebook=notebook, force=True)


def run(folder: LabFolder, home: Path, on_output: Callable[[str], None] | None = None):
    """Run the learner's entry point in their folder against a fresh lab workspace (output streamed)."""
    from labs.runner import Limits, run_entry

    lab = folder.lab
    ws = prepare_workspace(lab, home, folder.path)
    ws.store.close()
    run_home = Path(home) / "labs" / ".home" / lab.id
    run_home.mkdir(parents=True, exist_ok=True)
    limits = Limits(timeout=lab.manifest.timeout, memory_mb=lab.manifest.memory_mb)
    return run_entry(folder.entry_path, cwd=folder.path, workspace=workspace_dir(home, lab), home=run_home,
                     limits=limits, on_output=on_output)


def check(folder: LabFolder, home: Path, on_output: Callable[[str], None] | None = None):
    """Grade the learner's folder (a copy of it) in `<home>/labs/<id>/check-workspace`."""
    from labs.grader import grade

    return grade(folder.lab, folder.path, workspace=workspace_dir(home, folder.lab, "check-workspaces"),
                 prefer_entry=folder.entry, on_output=on_output)


def solution_files(lab: Lab) -> dict[str, str]:
    """The files a learner edits, as the solution has them."""
    return {name: (lab.solution_dir / name).read_text(encoding="utf-8") for name in lab.manifest.files}
