"""Running lesson snippets against a sandbox workspace.

`prepare_folder` makes a folder ready for a lesson's snippets (the workspace exists, `config.json` is there, the
lesson's fixtures are in place); `run_snippet` runs one snippet in that folder in a child process with the SDK
facades active, and returns what it printed. Both are blocking: the TUI calls them from a worker thread.
No Textual here.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

OUTPUT_CAP = 64_000  # characters kept per stream (the head and the tail of longer output)
DIABETES_ROWS = 1000
DIABETES_CSV = Path("data") / "diabetes.csv"
UPLOAD_TARGET = "diabetes/diabetes.csv"

# Variables that bind a process to one workspace, run or MLflow store: never inherited from the caller, so a
# snippet talks to `workspace_dir` and nothing else.
_SCRUB_PREFIXES = ("DP100_", "AZUREML_", "MLFLOW_")
_KEEP = ("DP100_HOME", "DP100_CACHE")

# Runs the snippet file with the folder (cwd) first on sys.path, as `python -c` and notebooks do, while
# tracebacks still show the snippet's own lines.
_BOOT = (
    "import sys;p=sys.argv[1];sys.argv=[p];"
    "src=open(p,encoding='utf-8').read();"
    "g={'__name__':'__main__','__file__':p,'__builtins__':__builtins__};"
    "exec(compile(src,p,'exec'),g)"
)


@dataclass(frozen=True)
class SnippetResult:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


def _diabetes_csv(path: Path, n: int = DIABETES_ROWS) -> Path:
    try:
        from labs.sample_data import write_diabetes_csv
    except ImportError:  # pragma: no cover - labs ships with dp100; a tiny stand-in keeps lessons usable
        return _fallback_csv(path, n)
    return write_diabetes_csv(path, n)


def _fallback_csv(path: Path, n: int) -> Path:  # pragma: no cover
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "PatientID": np.arange(1_000_000, 1_000_000 + n),
        "Pregnancies": rng.integers(0, 10, n),
        "PlasmaGlucose": rng.integers(60, 190, n),
        "DiastolicBloodPressure": rng.integers(40, 110, n),
        "TricepsThickness": rng.integers(7, 60, n),
        "SerumInsulin": rng.integers(15, 500, n),
        "BMI": rng.normal(31, 8, n).round(2),
        "DiabetesPedigree": rng.lognormal(-1.2, 0.7, n).round(3),
        "Age": rng.integers(21, 77, n),
    })
    frame["Diabetic"] = (frame["PlasmaGlucose"] + frame["BMI"] * 2 > 180).astype(int)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    return path


def prepare_folder(folder: Path, fixtures: Iterable[str] = (), workspace_dir: Path | None = None) -> Path:
    """Make `folder` ready for a lesson's snippets and return it.

    Creates the workspace at `workspace_dir` (default: the active sandbox workspace) if it does not exist,
    writes `config.json` into the folder, and applies the lesson's fixtures:
    `diabetes-csv` writes `data/diabetes.csv` (1,000 generated rows) unless it is already there;
    `uploaded-diabetes` does that and uploads the file to the default datastore as `diabetes/diabetes.csv`.
    """
    from sandbox import config
    from sandbox.workspace import Workspace

    if workspace_dir is None:
        from sandbox.home import workspace_dir as active_workspace

        workspace_dir = active_workspace()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ws = Workspace.open_or_create(Path(workspace_dir))
    config.write(ws, folder)
    wanted = list(fixtures)
    unknown = [f for f in wanted if f not in ("diabetes-csv", "uploaded-diabetes")]
    if unknown:
        raise ValueError(f"unknown lesson fixture(s): {', '.join(unknown)}")
    if wanted:
        csv = folder / DIABETES_CSV
        if not csv.is_file():
            _diabetes_csv(csv)
        if "uploaded-diabetes" in wanted:
            from sandbox import datastores

            default = datastores.get_default(ws).name
            datastores.upload(ws, default, [(csv, UPLOAD_TARGET)], overwrite=True)
    return folder


def prepare_lesson(lesson_id: str, folder: Path, workspace_dir: Path | None = None) -> Path:
    """`prepare_folder` with the fixtures of the lesson `lesson_id` (for callers that hold only the id)."""
    from course.lessons import load_lessons

    lesson = load_lessons().get(lesson_id)
    if lesson is None:
        raise KeyError(f"no lesson with id {lesson_id!r}")
    return prepare_folder(folder, lesson.fixtures, workspace_dir)


def _scrubbed_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k in _KEEP or not k.startswith(_SCRUB_PREFIXES)}


def _cap(text: str, cap: int = OUTPUT_CAP) -> str:
    if len(text) <= cap:
        return text
    head, tail = cap // 4, cap - cap // 4
    skipped = len(text) - head - tail
    return f"{text[:head]}\n… [{skipped} characters of output left out] …\n{text[-tail:]}"


def _read(path: Path) -> str:
    with open(path, "rb") as fh:
        data = fh.read(OUTPUT_CAP * 8)
        more = fh.read(1)
    text = data.decode("utf-8", errors="replace")
    if more:
        text += "\n… [output truncated] …"
    return _cap(text)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover
        pass


def run_snippet(
    code: str, folder: Path, workspace_dir: Path | None = None, timeout: float = 120.0, *, name: str = "snippet",
) -> SnippetResult:
    """Run `code` with the sandbox active, in `folder`, against the workspace at `workspace_dir`.

    Python code runs in a Python interpreter; a shell snippet (code starting `#!/usr/bin/env bash`, what a
    `bash run` block becomes) runs with `bash -e`, with the sandbox's `az` on PATH.

    The child runs in its own process group (all of it is killed on timeout); its stdout and stderr are captured
    (long output keeps its head and tail). Jobs the snippet submits run detached and may outlive it, as on Azure.
    """
    from sandbox.activation import child_env
    from sandbox.home import workspace_dir as active_workspace

    folder = Path(folder).resolve()
    workspace = Path(workspace_dir).resolve() if workspace_dir is not None else active_workspace()
    env = child_env(_scrubbed_env(), workspace=workspace)
    safe_name = "".join(c if c.isalnum() or c in "-_" else "_" for c in name) or "snippet"
    shell = code.startswith("#!") and "bash" in code.splitlines()[0]  # a `bash run` snippet (course.lessons)
    with tempfile.TemporaryDirectory(prefix="dp100-snippet-") as tmp:
        script = Path(tmp) / f"{safe_name}.{'sh' if shell else 'py'}"
        script.write_text(code, encoding="utf-8")
        argv = ["/bin/bash", "-e", str(script)] if shell else [sys.executable, "-c", _BOOT, str(script)]
        out_path, err_path = Path(tmp) / "stdout", Path(tmp) / "stderr"
        started = time.monotonic()
        timed_out = False
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen(
                argv, cwd=folder, env=env, stdin=subprocess.DEVNULL,
                stdout=out, stderr=err, start_new_session=True,
            )
            try:
                returncode = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                _kill_group(proc)
                returncode = proc.returncode if proc.returncode is not None else -signal.SIGKILL
            except BaseException:
                _kill_group(proc)
                raise
        seconds = time.monotonic() - started
        stdout, stderr = _read(out_path), _read(err_path)
    if timed_out:
        stderr += f"\nThe snippet was stopped after {timeout:g} seconds."
    return SnippetResult(returncode, stdout, stderr, seconds, timed_out)
