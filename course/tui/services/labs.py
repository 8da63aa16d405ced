"""Labs as the workbench drives them: the learner's folder, running, grading, hints, results (no Textual here).

Uses the lab engine (`labs.manifest.discover`, `labs.grader.grade`, `labs.runner.run_entry`,
`labs.fixtures`). The learner's files live in `<data home>/labs/<lab id>/` (started from the lab's `starter/`
plus its generated data files). **Run** executes the entry point against a lab workspace of its own
(`<data home>/labs/.workspaces/<lab id>`, prepared with the lab's fixtures, so it holds what the grader starts
from); **Check** grades a copy of the folder in a fresh workspace, exactly as `labs.grader` does.

Results and the next hint are kept in the progress file (`tui_state` keys `lab:<id>` and `lab_hint:<id>`).
Reset moves the current files to `<data home>/labs/.backup/<id>-<n>/` first, so nothing is ever deleted.
"""
from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable


@dataclass(frozen=True)
class LabSummary:
    id: str
    title: str
    topic: str
    sdk: str
    level: str
    minutes: int
    objectives: tuple[str, ...]
    status: str | None        # pass / fail / error from the last check, None when never checked
    score: int | None
    max_score: int | None


@dataclass(frozen=True)
class RunReport:
    exit_code: int | None
    timed_out: bool
    seconds: float
    output: str


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` without ever leaving a half-written file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.dp100-tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class LabService:
    def __init__(self, progress_path: Path, workspace_dir: Path, state: Any = None, root: Path | None = None) -> None:
        self.progress_path = Path(progress_path)
        self.workspace_dir = Path(workspace_dir)
        self.root = Path(root) if root is not None else self.progress_path.parent / "labs"
        self._state = state
        self._catalog: Any = None
        self._lock = threading.RLock()

    # -- catalogue ---------------------------------------------------------------------------------------------
    @property
    def available(self) -> bool:
        try:
            import labs.grader  # noqa: F401
            import labs.manifest  # noqa: F401
        except ImportError:
            return False
        return True

    @property
    def catalog(self) -> Any:
        with self._lock:
            if self._catalog is None:
                from labs.manifest import discover

                self._catalog = discover()
            return self._catalog

    def lab(self, lab_id: str) -> Any:
        return self.catalog.get(lab_id)

    @property
    def state(self) -> Any:
        if self._state is None:
            from course.tui.services.state import TuiState

            self._state = TuiState(self.progress_path)
        return self._state

    def summaries(self) -> list[LabSummary]:
        out = []
        for lab in self.catalog.labs:
            m = lab.manifest
            r = self.state.get(f"lab:{lab.id}") or {}
            out.append(LabSummary(lab.id, lab.title, lab.topic, lab.sdk, m.level, m.minutes, tuple(m.objectives),
                                  r.get("status"), r.get("score"), r.get("max_score")))
        return out

    def problems(self) -> list[str]:
        return [str(p) for p in self.catalog.problems]

    def progress_by_topic(self) -> dict[str, tuple[int, int]]:
        """topic -> (labs passed, labs) for the Home screen."""
        if not self.available:
            return {}
        out: dict[str, tuple[int, int]] = {}
        for s in self.summaries():
            passed, total = out.get(s.topic, (0, 0))
            out[s.topic] = (passed + (1 if s.status == "pass" else 0), total + 1)
        return out

    # -- the learner's folder ----------------------------------------------------------------------------------
    def folder(self, lab_id: str) -> Path:
        return self.root / lab_id

    def lab_workspace(self, lab_id: str) -> Path:
        return self.root / ".workspaces" / lab_id

    def files(self, lab_id: str) -> list[str]:
        """The files the learner edits (the manifest's `files`, the entry point first)."""
        m = self.lab(lab_id).manifest
        names = [m.entry] + [f for f in m.files if f != m.entry]
        return names

    def started(self, lab_id: str) -> bool:
        return (self.folder(lab_id) / self.lab(lab_id).manifest.entry).is_file()

    def start(self, lab_id: str) -> Path:
        """Create the learner's folder from the starter files (never overwrites what is there)."""
        lab = self.lab(lab_id)
        folder = self.folder(lab_id)
        folder.mkdir(parents=True, exist_ok=True)
        for src in sorted(lab.starter_dir.rglob("*")):
            rel = src.relative_to(lab.starter_dir)
            dest = folder / rel
            if src.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
            elif not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
        from labs import fixtures
        from sandbox.workspace import Workspace

        missing = [f for f in lab.manifest.fixtures if getattr(f, "path", None) and not (folder / f.path).exists()]
        if missing:
            fixtures.write_files(lab, folder)
        self._prepare_workspace(lab, folder, fresh=not Workspace.exists(self.lab_workspace(lab_id)))
        return folder

    def _prepare_workspace(self, lab: Any, folder: Path, fresh: bool) -> None:
        from sandbox import config
        from sandbox.workspace import Workspace

        root = self.lab_workspace(lab.id)
        if fresh or not Workspace.exists(root):
            from labs import fixtures

            ws = fixtures.fresh_workspace(lab, root, folder)
        else:
            ws = Workspace.open(root)
        try:
            config.write(ws, folder)
        finally:
            ws.store.close()

    def read(self, lab_id: str, name: str) -> str:
        path = self.folder(lab_id) / name
        return path.read_text(encoding="utf-8") if path.is_file() else ""

    def save(self, lab_id: str, name: str, text: str) -> Path:
        path = self.folder(lab_id) / name
        atomic_write(path, text)
        return path

    def reset(self, lab_id: str) -> Path | None:
        """Put the starter files back (the current folder is moved to a backup first); returns the backup."""
        folder = self.folder(lab_id)
        backup = None
        if folder.exists():
            base = self.root / ".backup"
            base.mkdir(parents=True, exist_ok=True)
            n = 1
            while (base / f"{lab_id}-{n}").exists():
                n += 1
            backup = base / f"{lab_id}-{n}"
            shutil.move(str(folder), str(backup))
        lab = self.lab(lab_id)
        self.start(lab_id)
        self._prepare_workspace(lab, self.folder(lab_id), fresh=True)
        self.state.set(f"lab_hint:{lab_id}", 0)
        return backup

    # -- run, check, hints -------------------------------------------------------------------------------------
    def run(self, lab_id: str, on_output: Callable[[str], None] | None = None) -> RunReport:
        """Run the entry point against the lab's own workspace, streaming output lines to `on_output`."""
        from labs.runner import Limits, run_entry

        lab = self.lab(lab_id)
        folder = self.folder(lab_id)
        ws_root = self.lab_workspace(lab_id)
        from sandbox.workspace import Workspace

        if not Workspace.exists(ws_root):
            self._prepare_workspace(lab, folder, fresh=True)
        home = self.root / ".home" / lab_id
        home.mkdir(parents=True, exist_ok=True)
        limits = Limits(timeout=lab.manifest.timeout, memory_mb=lab.manifest.memory_mb)
        outcome = run_entry(folder / lab.manifest.entry, cwd=folder, workspace=ws_root, home=home, limits=limits,
                            on_output=on_output)
        return RunReport(outcome.exit_code, outcome.timed_out, outcome.seconds, outcome.output)

    def check(self, lab_id: str, on_output: Callable[[str], None] | None = None) -> Any:
        """Grade the learner's folder (a copy, in a fresh workspace) and remember the result."""
        from labs.grader import grade

        lab = self.lab(lab_id)
        result = grade(lab, self.folder(lab_id), on_output=on_output)
        best = self.state.get(f"lab:{lab_id}") or {}
        record = {"status": result.status, "score": result.score, "max_score": result.max_score,
                  "best": max(int(best.get("best", 0) or 0), int(result.score))}
        self.state.set(f"lab:{lab_id}", record)
        return result

    def next_hint(self, lab_id: str) -> tuple[int, int, str]:
        """(number, of, text) of the next hint; cycles back to the first after the last."""
        hints = list(self.lab(lab_id).manifest.hints)
        i = int(self.state.get(f"lab_hint:{lab_id}", 0) or 0)
        i = i % len(hints)
        self.state.set(f"lab_hint:{lab_id}", i + 1)
        return i + 1, len(hints), hints[i]
