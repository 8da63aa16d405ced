"""Grading one submission: copy it, run it in a fresh workspace under limits, then check what it did.

1. The submission folder is copied (symlinks and caches left out, size capped) so the learner's own files are
   never touched and a submission that deletes its files only hurts its copy. Sources are read *before* the run.
2. The entry point is compiled first: a syntax error is reported with its line, without running anything.
3. The lab's generated files are written again into the copy, a fresh workspace is prepared by the fixtures,
   and the entry point runs in a child process (`labs.runner`) with wall-clock, memory and output limits.
4. The lab's checks run here, in the grader's process, against the workspace; registered models are scored in
   an isolated child process. Results say what to change; a crash or timeout is an `error` result whose message
   quotes the relevant lines, and the checks still run so partial work earns its points.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from labs import fixtures, notebooks
from labs.checks import CheckFailed, Context, collect
from labs.manifest import Lab
from labs.results import CheckResult, LabResult, overall_status
from labs.runner import Limits, RunOutcome, run_entry, run_harness

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

SKIP_DIRS = {".git", "__pycache__", ".ipynb_checkpoints", ".venv", "venv", "node_modules", ".mypy_cache",
             ".pytest_cache", "mlruns", ".dp100"}
MAX_FILES = 5000
MAX_BYTES = 200 * 1024 * 1024
MAX_SOURCE_BYTES = 1024 * 1024


class SubmissionError(Exception):
    """The submission cannot be graded as it is (missing entry point, too large): the message says why."""


@dataclass
class Prepared:
    entry: Path
    sources: dict[str, str]


# -- the submission ----------------------------------------------------------------------------------
def copy_submission(source: Path, target: Path) -> None:
    """Copy a submission folder, leaving out symlinks, caches and virtual environments; refuse huge ones."""
    count, size = 0, 0
    target.mkdir(parents=True, exist_ok=True)
    for dirpath, dirnames, filenames in os.walk(source, followlinks=False):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not os.path.islink(os.path.join(dirpath, d))]
        rel = Path(dirpath).relative_to(source)
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            count += 1
            size += path.stat().st_size
            if count > MAX_FILES or size > MAX_BYTES:
                raise SubmissionError(f"The submission is too large (over {MAX_FILES} files or "
                                      f"{MAX_BYTES // (1024 * 1024)} MB). Remove data and output files from it.")
            shutil.copyfile(path, target / rel / name)


def find_entry(lab: Lab, folder: Path, prefer: str | None = None) -> Path:
    """The learner's entry point: the one named in .dp100-lab, else the manifest's .py, else the .ipynb twin."""
    entry = Path(lab.manifest.entry)
    candidates = [prefer] if prefer else []
    candidates += [entry.as_posix(), entry.with_suffix(".ipynb").as_posix()]
    for name in candidates:
        if name and (folder / name).is_file():
            return folder / name
    raise SubmissionError(f"There is no {entry.as_posix()} (or {entry.with_suffix('.ipynb').as_posix()}) in the "
                          "submission. Keep your code in the file the starter gave you.")


def read_sources(lab: Lab, folder: Path, entry: Path) -> dict[str, str]:
    """Every .py file of the submission, and the notebook's code under the entry point's name."""
    sources: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        if path.is_file() and path.stat().st_size <= MAX_SOURCE_BYTES:
            sources[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8", errors="replace")
    if entry.suffix == ".ipynb":
        try:
            code = notebooks.as_script(entry)
        except notebooks.NotebookError:
            code = ""
        sources[entry.relative_to(folder).as_posix()] = code
        sources[lab.manifest.entry] = code
    return sources


def syntax_problem(entry: Path, folder: Path) -> str | None:
    """A learner-facing description of a syntax error in the entry point, or None."""
    name = entry.relative_to(folder).as_posix()
    if entry.suffix == ".ipynb":
        try:
            cells = notebooks.read_code(entry)
        except notebooks.NotebookError as exc:
            return str(exc)
        for number, code in enumerate(cells, start=1):
            try:
                compile(code, notebooks.cell_filename(name, number), "exec")
            except SyntaxError as exc:
                return _describe_syntax(exc, f"{name}, cell {number}")
        return None
    try:
        compile(entry.read_text(encoding="utf-8", errors="replace"), name, "exec")
    except SyntaxError as exc:
        return _describe_syntax(exc, name)
    return None


def _describe_syntax(exc: SyntaxError, where: str) -> str:
    lines = [f"{where}, line {exc.lineno}: {exc.msg}"]
    if exc.text:
        text = exc.text.rstrip("\n")
        stripped = text.lstrip()
        lines.append(f"    {stripped}")
        if exc.offset:
            lines.append("    " + " " * max(exc.offset - 1 - (len(text) - len(stripped)), 0) + "^")
    lines.append("Fix this line so Python can read your code, then check again.")
    return "Your code has a syntax error and did not run.\n" + "\n".join(lines)


# -- understanding a failed run -----------------------------------------------------------------------
_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)')


def describe_crash(outcome: RunOutcome, folder: Path, sources: dict[str, str], entry: Path, limits: Limits) -> str | None:
    """What went wrong in the run, with the relevant lines, or None when it ended cleanly."""
    entry_name = entry.relative_to(folder).as_posix()
    if outcome.timed_out:
        where = f" (while running cell {outcome.cell})" if outcome.cell and entry.suffix == ".ipynb" else ""
        text = f"Your code was stopped after {limits.timeout:.0f} seconds, the time limit{where}."
        if outcome.unfinished_jobs:
            text += (f" Job(s) still running then were canceled: {', '.join(outcome.unfinished_jobs)}. Wait for "
                     "each job to finish (e.g. ml_client.jobs.stream(job.name) or run.wait_for_completion()) and "
                     "look for loops that never end.")
        else:
            text += " Look for a loop that never ends or a wait that never returns."
        return text
    if outcome.exit_code == 0:
        return None
    stderr = outcome.stderr
    last = _last_exception_line(stderr)
    if "MemoryError" in (last or ""):
        return (f"Your code ran out of memory (the limit is {limits.memory_mb} MB). Load less data at once or "
                "avoid building huge lists.")
    if outcome.exit_code is not None and outcome.exit_code < 0:
        import signal

        try:
            name = signal.Signals(-outcome.exit_code).name
        except ValueError:
            name = f"signal {-outcome.exit_code}"
        reason = {"SIGXCPU": "it used too much CPU time", "SIGXFSZ": f"it wrote a file over {limits.file_mb} MB",
                  "SIGKILL": "it was killed (often: too much memory)", "SIGSEGV": "it crashed"}.get(name, name)
        return f"Your code was stopped: {reason}."
    frame = _learner_frame(stderr, folder, entry_name)
    lines = ["Your code stopped with an error:"]
    if frame:
        file, number = frame
        code = _source_line(file, number, folder, sources, entry)
        lines.append(f"  {file}, line {number}" + (f":  {code}" if code else ""))
    lines.append(f"  {last or f'exit code {outcome.exit_code}'}")
    if last and last.startswith(("ModuleNotFoundError", "ImportError")):
        lines.append("Check the import: the module or name may be misspelled, or not part of the SDK you use.")
    else:
        lines.append("Read the error, fix that line, and check again (the output below shows what ran before).")
    return "\n".join(lines)


def _last_exception_line(stderr: str) -> str | None:
    for line in reversed(stderr.strip().splitlines()):
        if line and not line.startswith((" ", "\t", "Traceback")) and not line.startswith("During handling"):
            return line.strip()[:500]
    return None


def _learner_frame(stderr: str, folder: Path, entry_name: str) -> tuple[str, int] | None:
    """The last traceback frame in the learner's own files: (file as shown to the learner, line)."""
    found = None
    base = str(folder.resolve())
    for line in stderr.splitlines():
        match = _FRAME.match(line)
        if not match:
            continue
        file = match.group("file")
        if file.startswith(base + os.sep):
            found = (Path(file).relative_to(base).as_posix(), int(match.group("line")))
        elif file.startswith(entry_name + " [cell "):
            found = (file, int(match.group("line")))
    return found


def _source_line(file: str, number: int, folder: Path, sources: dict[str, str], entry: Path) -> str | None:
    if " [cell " in file:
        try:
            cell = int(file.rsplit(" [cell ", 1)[1].rstrip("]"))
            text = notebooks.read_code(entry)[cell - 1]
        except (ValueError, IndexError, notebooks.NotebookError):
            return None
    else:
        text = sources.get(file)
        if text is None:
            return None
    lines = text.splitlines()
    return lines[number - 1].strip() if 0 < number <= len(lines) else None


# -- scoring models in isolation --------------------------------------------------------------------------
def _predictor(root: Path, workspace: Path, home: Path, limits: Limits) -> Callable[[Path, "pd.DataFrame"], "np.ndarray"]:
    cache: dict[tuple[str, int], "np.ndarray"] = {}

    def predict(model_path: Path, frame: "pd.DataFrame") -> "np.ndarray":
        import numpy as np
        import pandas as pd

        key = (str(model_path), int(pd.util.hash_pandas_object(frame, index=False).sum()))
        if key in cache:
            return cache[key]
        safe = _predict_skops(model_path, frame)
        if safe is not None:
            cache[key] = safe
            return safe
        scratch = Path(tempfile.mkdtemp(prefix="predict-", dir=root))
        rows, out = scratch / "rows.csv", scratch / "predictions.json"
        frame.to_csv(rows, index=False)
        outcome = run_harness(["predict", str(model_path), str(rows), str(out)], cwd=scratch, workspace=workspace,
                              home=home, limits=Limits(timeout=90, memory_mb=limits.memory_mb), wait_for_jobs=False)
        if not outcome.ok or not out.is_file():
            reason = _last_exception_line(outcome.stderr) or "it did not answer in time"
            raise CheckFailed(f"The registered model could not be loaded and used to predict: {reason}. "
                              "Register the trained model file/folder itself (e.g. the .pkl in outputs/ or the "
                              "MLflow model folder).")
        try:
            values = json.loads(out.read_text())
            predictions = np.asarray(values, dtype=float)
        except (ValueError, TypeError):
            raise CheckFailed("The registered model returned predictions that are not numbers.") from None
        if predictions.shape != (len(frame),):
            raise CheckFailed(f"The registered model returned {predictions.size} predictions for {len(frame)} rows.")
        cache[key] = predictions
        return predictions

    return predict


def _predict_skops(model_path: Path, frame: "pd.DataFrame") -> "np.ndarray | None":
    """Score an MLflow sklearn model saved in skops format here: skops loads only trusted types, no code runs.

    Returns None for any other model (pickles are loaded in an isolated child process instead).
    """
    import yaml

    folder = model_path if (model_path / "MLmodel").is_file() else None
    if folder is None and model_path.is_dir():
        found = sorted(model_path.rglob("MLmodel"))
        folder = found[0].parent if found else None
    if folder is None:
        return None
    try:
        flavor = (yaml.safe_load((folder / "MLmodel").read_text()) or {}).get("flavors", {}).get("sklearn") or {}
    except (yaml.YAMLError, OSError, AttributeError):
        return None
    if flavor.get("serialization_format") != "skops" or flavor.get("skops_trusted_types"):
        return None
    import numpy as np
    from skops import io as skops_io

    try:
        model = skops_io.load(folder / str(flavor.get("pickled_model", "model.skops")))
        features = frame if getattr(model, "feature_names_in_", None) is not None else frame.to_numpy()
        return np.asarray(model.predict(features), dtype=float).reshape(-1)
    except Exception as exc:  # untrusted types, wrong features: the learner's model, not the grader
        raise CheckFailed(f"The registered model could not be loaded and used to predict: {type(exc).__name__}: {exc}.") from None


# -- grading --------------------------------------------------------------------------------------------
def run_checks(lab: Lab, ctx: Context) -> list[CheckResult]:
    results = []
    for chk in collect(vars(fixtures.load_checks(lab))):
        try:
            note = chk(ctx)
            results.append(CheckResult(chk.name, chk.title, "pass", chk.points, chk.points,
                                       note if isinstance(note, str) else ""))
        except CheckFailed as failure:
            results.append(CheckResult(chk.name, chk.title, "fail", 0, chk.points, failure.message, chk.hint))
        except Exception as exc:  # a check that could not complete: never a grader traceback
            message = f"This could not be checked ({type(exc).__name__}: {exc})."
            if os.environ.get("DP100_DEBUG"):
                message += "\n" + traceback.format_exc()
            results.append(CheckResult(chk.name, chk.title, "error", 0, chk.points, message, chk.hint))
    return results


def _not_run(lab: Lab, reason: str) -> list[CheckResult]:
    return [CheckResult(chk.name, chk.title, "error", 0, chk.points, reason, chk.hint)
            for chk in collect(vars(fixtures.load_checks(lab)))]


def _result(lab: Lab, checks: list[CheckResult], submission: Path, started: float, *, error: str | None = None,
            outcome: RunOutcome | None = None) -> LabResult:
    return LabResult(
        lab=lab.id, status=overall_status(checks, error is not None), score=sum(c.points for c in checks),
        max_score=sum(c.max_points for c in checks), checks=checks, message=error,
        output=outcome.output if outcome else "", output_truncated=outcome.output_truncated if outcome else False,
        seconds=round(time.monotonic() - started, 3), submission=str(submission))


def grade(lab: Lab, submission: Path, *, workspace: Path | None = None, limits: Limits | None = None,
          prefer_entry: str | None = None, on_output: Callable[[str], None] | None = None,
          scratch: Path | None = None) -> LabResult:
    """Grade the submission folder for `lab`; never raises for anything the submission does.

    `workspace` is the folder for the fresh workspace (wiped first; default: a temporary one, removed after).
    """
    started = time.monotonic()
    submission = Path(submission)
    limits = limits or Limits(timeout=lab.manifest.timeout, memory_mb=lab.manifest.memory_mb)
    root = Path(tempfile.mkdtemp(prefix=f"dp100-grade-{lab.id}-", dir=scratch))
    ws_dir = Path(workspace).resolve() if workspace is not None else root / "workspace"
    work, home = root / "work", root / "home"
    ws = None
    try:
        try:
            if not submission.is_dir():
                raise SubmissionError(f"{submission} is not a folder.")
            copy_submission(submission, work)
            entry = find_entry(lab, work, prefer_entry)
        except SubmissionError as exc:
            return _result(lab, _not_run(lab, "Not checked: the submission could not be run."), submission, started,
                           error=str(exc))
        sources = read_sources(lab, work, entry)
        problem = syntax_problem(entry, work)
        if problem:
            return _result(lab, _not_run(lab, "Not checked: your code did not run (see the error above)."),
                           submission, started, error=problem)
        fixtures.write_files(lab, work)
        from sandbox import config

        try:
            ws = fixtures.fresh_workspace(lab, ws_dir, work)
        except fixtures.FixtureError as exc:
            return _result(lab, _not_run(lab, "Not checked: the lab could not be prepared."), submission, started,
                           error=f"The lab's workspace could not be prepared (a problem with the lab, not your code): {exc}")
        config.write(ws, work)
        home.mkdir(parents=True, exist_ok=True)
        outcome = run_entry(entry, cwd=work, workspace=ws_dir, home=home, limits=limits, on_output=on_output)
        error = describe_crash(outcome, work, sources, entry, limits)
        ctx = Context(ws=ws, lab=lab, folder=work, sources=sources, entry=lab.manifest.entry, outcome=outcome,
                      predictor=_predictor(root, ws_dir, home, limits))
        checks = run_checks(lab, ctx)
        return _result(lab, checks, submission, started, error=error, outcome=outcome)
    finally:
        if ws is not None:
            ws.store.close()
        shutil.rmtree(root, ignore_errors=True)
