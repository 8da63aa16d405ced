"""Labs as the workbench drives them, over the lab engine (no Textual here).

The engine owns the rules: `labs.folder` starts, resets, runs and checks a learner's lab folder (runs against
`<home>/labs/.workspaces/<id>`, checks in a fresh `.check-workspaces/<id>`), and `labs.progress.LabProgress`
keeps attempts, best scores and hints in the progress file (`lab_*` tables) — the same records `dp100 lab`
uses. The TUI's lab folder is `<home>/labs/<id>/`. Before a reset the current files are copied to
`<home>/labs/.backup/<id>-<n>/`, so nothing the learner wrote is ever deleted.
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
    status: str | None        # pass / fail from the checks so far, None when never checked
    score: int | None         # best score
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
    def __init__(self, progress_path: Path, workspace_dir: Path, state: Any = None, root: Path | None = None,
                 labs_root: Path | None = None) -> None:
        self.progress_path = Path(progress_path)
        self.home = self.progress_path.parent
        self.workspace_dir = Path(workspace_dir)
        self.root = Path(root) if root is not None else self.home / "labs"
        self.labs_root = labs_root  # where the lab definitions are (default: the labs shipped with dp100)
        self._catalog: Any = None
        self._progress: Any = None
        self._lock = threading.RLock()

    # -- catalogue and progress --------------------------------------------------------------------------------
    @property
    def available(self) -> bool:
        try:
            import labs.folder  # noqa: F401
            import labs.progress  # noqa: F401
        except ImportError:
            return False
        return True

    @property
    def catalog(self) -> Any:
        with self._lock:
            if self._catalog is None:
                from labs.manifest import discover

                self._catalog = discover(self.labs_root)
            return self._catalog

    @property
    def progress(self) -> Any:
        with self._lock:
            if self._progress is None:
                from labs.progress import LabProgress

                self._progress = LabProgress(self.progress_path)
            return self._progress

    def close(self) -> None:
        with self._lock:
            if self._progress is not None:
                self._progress.close()
                self._progress = None

    def lab(self, lab_id: str) -> Any:
        return self.catalog.get(lab_id)

    def summaries(self) -> list[LabSummary]:
        standings = self.progress.standings()
        out = []
        for lab in self.catalog.labs:
            m = lab.manifest
            st = standings.get(lab.id)
            status = None if st is None or not st.attempts else ("pass" if st.passed else "fail")
            out.append(LabSummary(lab.id, lab.title, lab.topic, lab.sdk, m.level, m.minutes, tuple(m.objectives),
                                  status, st.best_score if st and st.attempts else None,
                                  st.max_score if st and st.attempts else None))
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
    def folder_path(self, lab_id: str) -> Path:
        return self.root / lab_id

    def folder(self, lab_id: str) -> Any:
        """The `labs.folder.LabFolder`, started from the starter files the first time."""
        from labs import folder as lab_folder

        path = self.folder_path(lab_id)
        if (path / lab_folder.MARKER).is_file():
            return lab_folder.find(path, self.catalog)
        lab = self.lab(lab_id)
        started = lab_folder.start(lab, path, self.home)
        self.progress.started(lab_id, path.resolve())
        return started

    def files(self, lab_id: str) -> list[str]:
        """The files the learner edits (the entry point first)."""
        f = self.folder(lab_id)
        return [f.entry] + [name for name in f.lab.manifest.files if name != f.entry]

    def start(self, lab_id: str) -> Path:
        return self.folder(lab_id).path

    def read(self, lab_id: str, name: str) -> str:
        path = self.folder_path(lab_id) / name
        return path.read_text(encoding="utf-8") if path.is_file() else ""

    def save(self, lab_id: str, name: str, text: str) -> Path:
        path = self.folder_path(lab_id) / name
        atomic_write(path, text)
        return path

    def reset(self, lab_id: str) -> Path | None:
        """Back up the learner's files, then put the starter back (engine's reset); returns the backup folder."""
        from labs import folder as lab_folder

        f = self.folder(lab_id)
        base = self.root / ".backup"
        base.mkdir(parents=True, exist_ok=True)
        n = 1
        while (base / f"{lab_id}-{n}").exists():
            n += 1
        backup = base / f"{lab_id}-{n}"
        shutil.copytree(f.path, backup, ignore=shutil.ignore_patterns("data", "__pycache__"))
        lab_folder.reset(f, self.home)
        self.progress.reset_hints(lab_id)
        return backup

    # -- run, check, hints -------------------------------------------------------------------------------------
    def run(self, lab_id: str, on_output: Callable[[str], None] | None = None) -> RunReport:
        """Run the entry point against a fresh lab workspace, streaming output to `on_output`."""
        from labs import folder as lab_folder

        outcome = lab_folder.run(self.folder(lab_id), self.home, on_output=on_output)
        return RunReport(outcome.exit_code, outcome.timed_out, outcome.seconds, outcome.output)

    def check(self, lab_id: str, on_output: Callable[[str], None] | None = None) -> Any:
        """Grade the learner's folder (a copy, in a fresh workspace) and record the attempt."""
        from labs import folder as lab_folder

        f = self.folder(lab_id)
        result = lab_folder.check(f, self.home, on_output=on_output)
        self.progress.record(result, f.path.resolve())
        return result

    def next_hint(self, lab_id: str) -> tuple[int, int, str]:
        """(number, of, text) of the next hint; once all were shown, the last one again."""
        hints = list(self.lab(lab_id).manifest.hints)
        i = self.progress.next_hint(lab_id, len(hints))
        if i is None:
            i = len(hints) - 1
        return i + 1, len(hints), hints[i]
