"""Grading a class: one submission per sub-folder, in parallel, with a JSON report each and one CSV.

Each submission is graded by `labs.grader.grade` in its own temporary folder and workspace, and its learner
code runs in its own child process under limits, so a broken or hostile submission costs only its own grade.
Workers are threads: the heavy work happens in the child processes.

CSV columns: `learner, status, score, max_score, percent, <one column per check: points earned>, message`.
"""
from __future__ import annotations

import csv
import re
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from labs.grader import grade
from labs.manifest import Lab
from labs.results import CheckResult, LabResult
from labs.runner import Limits

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class BatchResult:
    results: dict[str, LabResult] = field(default_factory=dict)
    csv_path: Path | None = None
    reports_dir: Path | None = None

    @property
    def counts(self) -> dict[str, int]:
        counts = {"pass": 0, "fail": 0, "error": 0}
        for result in self.results.values():
            counts[result.status] += 1
        return counts


def submissions(folder: Path) -> list[Path]:
    """The sub-folders of `folder` (one per learner), sorted by name; hidden folders are skipped."""
    return sorted(p for p in Path(folder).iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def _crashed(lab: Lab, learner: Path, exc: BaseException) -> LabResult:
    from labs import fixtures
    from labs.checks import collect

    checks = [CheckResult(c.name, c.title, "error", 0, c.points, "Not checked.", c.hint)
              for c in collect(vars(fixtures.load_checks(lab)))]
    return LabResult(lab.id, "error", 0, sum(c.max_points for c in checks), checks,
                     message=f"The grader could not grade this submission: {type(exc).__name__}: {exc}",
                     submission=str(learner))


def grade_all(lab: Lab, folder: Path, out_csv: Path, *, jobs: int = 1, reports_dir: Path | None = None,
              limits: Limits | None = None, on_result: Callable[[str, LabResult], None] | None = None) -> BatchResult:
    """Grade every submission under `folder`; write one JSON report per learner and the CSV."""
    out_csv = Path(out_csv)
    reports = Path(reports_dir) if reports_dir else out_csv.with_name(out_csv.stem + "-reports")
    reports.mkdir(parents=True, exist_ok=True)
    batch = BatchResult(csv_path=out_csv, reports_dir=reports)
    lock = threading.Lock()
    learners = submissions(folder)

    def one(learner: Path) -> tuple[str, LabResult]:
        try:
            result = grade(lab, learner, limits=limits)
        except Exception as exc:  # never lose the whole class to one submission
            result = _crashed(lab, learner, exc)
        return learner.name, result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(one, learner) for learner in learners]
        for future in as_completed(futures):
            name, result = future.result()
            (reports / f"{_SAFE.sub('_', name)}.json").write_text(result.to_json(), encoding="utf-8")
            with lock:
                batch.results[name] = result
            if on_result is not None:
                on_result(name, result)
    write_csv(lab, batch.results, out_csv)
    return batch


def write_csv(lab: Lab, results: dict[str, LabResult], out_csv: Path) -> None:
    from labs import fixtures
    from labs.checks import collect

    names = [c.name for c in collect(vars(fixtures.load_checks(lab)))]
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    with open(out_csv, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["learner", "status", "score", "max_score", "percent", *names, "message"])
        for learner in sorted(results):
            result = results[learner]
            points = {c.name: c.points for c in result.checks}
            message = (result.message or "").splitlines()
            writer.writerow([learner, result.status, result.score, result.max_score, f"{result.percent:.1f}",
                             *[points.get(n, 0) for n in names], message[0] if message else ""])
