"""How long grading takes: each lab's solution, and a class of copies with 1 and 2 workers.

Run: .venv/bin/python benchmarks/grade_bench.py [--runs 3] [--copies 40] [--batch-lab workspace-datastores]
1. Median wall time to grade each lab's solution (`labs.grader.grade`), beside the time the learner's code
   alone takes in the same harness (`labs.runner.run_entry` in a prepared workspace) — the baseline: what
   grading adds is workspace preparation, cleanup and the checks.
2. `labs.batch.grade_all` on --copies copies of one lab's solution with --jobs 1 and 2 (speed-up reported).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from labs import fixtures  # noqa: E402
from labs.batch import grade_all  # noqa: E402
from labs.grader import grade  # noqa: E402
from labs.manifest import discover  # noqa: E402
from labs.runner import Limits, run_entry  # noqa: E402


def baseline(lab, scratch: Path) -> float:
    """The learner's code alone: run the solution in a prepared workspace (no copy, no checks)."""
    from sandbox import config

    work = scratch / f"base-{lab.id}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(lab.solution_dir, work)
    fixtures.write_files(lab, work)
    ws = fixtures.fresh_workspace(lab, scratch / f"ws-{lab.id}", work)
    config.write(ws, work)
    ws.store.close()
    started = time.perf_counter()
    run_entry(work / lab.manifest.entry, cwd=work, workspace=scratch / f"ws-{lab.id}", home=scratch / "home",
              limits=Limits(timeout=lab.manifest.timeout))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--batch-lab", default="workspace-datastores")
    parser.add_argument("--only", default=None, help="comma-separated lab ids for part 1")
    args = parser.parse_args()
    catalog = discover()
    os.environ.setdefault("DP100_HOME", tempfile.mkdtemp(prefix="dp100-bench-home-"))
    scratch = Path(tempfile.mkdtemp(prefix="dp100-bench-"))
    print(f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; medians of {args.runs} runs\n")
    print(f"{'lab':22} {'grade (s)':>10} {'code alone (s)':>15} {'grading adds (s)':>17}  status")
    wanted = set(args.only.split(",")) if args.only else None
    for lab in catalog.labs:
        if wanted and lab.id not in wanted:
            continue
        times, bases, status = [], [], "?"
        for _ in range(args.runs):
            started = time.perf_counter()
            result = grade(lab, lab.solution_dir)
            times.append(time.perf_counter() - started)
            status = f"{result.status} {result.score}/{result.max_score}"
            bases.append(baseline(lab, scratch))
        g, b = statistics.median(times), statistics.median(bases)
        print(f"{lab.id:22} {g:10.2f} {b:15.2f} {g - b:17.2f}  {status}", flush=True)

    lab = catalog.get(args.batch_lab)
    subs = scratch / "class"
    for i in range(args.copies):
        shutil.copytree(lab.solution_dir, subs / f"learner{i:03d}")
    print(f"\nBatch: {args.copies} copies of {lab.id}")
    timings = {}
    for jobs in (1, 2):
        started = time.perf_counter()
        batch = grade_all(lab, subs, scratch / f"grades-{jobs}.csv", jobs=jobs)
        timings[jobs] = time.perf_counter() - started
        print(f"  --jobs {jobs}: {timings[jobs]:7.2f} s  ({timings[jobs] / args.copies:.2f} s per submission; {batch.counts})",
              flush=True)
    print(f"  speed-up with 2 workers: {timings[1] / timings[2]:.2f}x")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
