"""How long loading + validating the whole question bank takes, next to plain `yaml.safe_load` of the same files.

    .venv/bin/python benchmarks/quiz_bench.py [--runs 15] [--bank quizzes/bank]

Each run is a fresh Python process (no warm caches). Both contenders run alternately in the same invocation.
Reported per contender, as medians over the runs:
- load:          reading the files (baseline) / load_bank = read with CSafeLoader + validate every question,
                 duplicate ids, skills against the blueprint, code that parses (ours); "disk cache" reuses
                 the parsed YAML from a previous process (marshal) and still validates everything
- import+load:   the same plus importing the modules it needs (yaml; pydantic models, fsrs not included)
- process:       wall time of the whole process, interpreter start included
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BASELINE = r"""
import json, sys, time
t0 = time.perf_counter()
import yaml
from pathlib import Path
t1 = time.perf_counter()
files = sorted(p for p in Path(sys.argv[1]).rglob("*") if p.suffix in (".yaml", ".yml"))
n = 0
for f in files:
    with open(f, encoding="utf-8") as fh:
        n += len(yaml.safe_load(fh)["questions"])
t2 = time.perf_counter()
print(json.dumps({"load": t2 - t1, "import_load": t2 - t0, "questions": n, "files": len(files)}))
"""

OURS = r"""
import json, sys, time
t0 = time.perf_counter()
from quizzes.bank import load_bank
t1 = time.perf_counter()
bank = load_bank(sys.argv[1], cache_dir=sys.argv[2] if len(sys.argv) > 2 else None)
t2 = time.perf_counter()
print(json.dumps({"load": t2 - t1, "import_load": t2 - t0, "questions": len(bank.questions),
                  "errors": len(bank.errors), "files": len(bank.files)}))
"""


def run_once(code: str, *args: Path) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    wall = time.perf_counter() - start
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    data["process"] = wall
    return data


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15, help="fresh processes per contender (at least 10)")
    ap.add_argument("--bank", type=Path, default=ROOT / "quizzes" / "bank")
    args = ap.parse_args()
    runs = max(10, args.runs)
    bank = args.bank.resolve()

    results: dict[str, list[dict[str, float]]] = {
        "yaml.safe_load (baseline)": [], "load_bank (ours)": [], "load_bank, disk cache": []}
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        run_once(OURS, bank, cache)  # warm the disk cache once
        for _ in range(runs):  # alternate so all see the same machine conditions
            results["yaml.safe_load (baseline)"].append(run_once(BASELINE, bank))
            results["load_bank (ours)"].append(run_once(OURS, bank))
            results["load_bank, disk cache"].append(run_once(OURS, bank, cache))

    first = results["load_bank (ours)"][0]
    print(f"bank: {bank}  ({int(first['files'])} files, {int(first['questions'])} valid questions, "
          f"{int(first.get('errors', 0))} errors)  runs: {runs} fresh processes each")
    print()
    header = f"{'contender':<28}{'load ms':>10}{'import+load ms':>17}{'process ms':>13}"
    print(header)
    print("-" * len(header))
    medians = {}
    for name, rows in results.items():
        med = {k: statistics.median(r[k] for r in rows) * 1000 for k in ("load", "import_load", "process")}
        medians[name] = med
        print(f"{name:<28}{med['load']:>10.1f}{med['import_load']:>17.1f}{med['process']:>13.1f}")
    base, ours = medians["yaml.safe_load (baseline)"], medians["load_bank (ours)"]
    warm = medians["load_bank, disk cache"]
    print()
    print(f"load: ours / baseline = {ours['load'] / base['load']:.2f}x, with the disk cache "
          f"{warm['load'] / base['load']:.2f}x (ours reads with CSafeLoader and also validates everything)")
    print(f"aim: load_bank() of the whole bank < 200 ms -> {'met' if ours['load'] < 200 else 'NOT met'} "
          f"({ours['load']:.0f} ms cold, {warm['load']:.0f} ms with the disk cache; importing pydantic and the "
          f"models adds {ours['import_load'] - ours['load']:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
