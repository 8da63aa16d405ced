"""Overhead of a sandbox run vs running the script directly, and MLflow logging cost inside a job.

Run: .venv/bin/python benchmarks/run_overhead.py [--runs 10]
1. A trivial script (imports nothing heavy): `python script.py` vs a v1 ScriptRunConfig run vs a v2 command job,
   each measured from submit to terminal state (wall clock, in an already-started Python that has the SDK imported).
   The very first job of a workspace also starts the workspace's job launcher; it is reported on its own line.
2. A job that logs 1,000 metrics with MLflow vs the same script logging to a plain local MLflow SQLite store.
Medians over --runs repetitions, measured in the same run side by side.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DRIVER = """
import sys, time, json, subprocess
from azureml.core import Workspace, Experiment, ScriptRunConfig
from azure.identity import DefaultAzureCredential
from azure.ai.ml import MLClient, command
ws = Workspace.from_config(); exp = Experiment(ws, 'bench')
ml = MLClient.from_config(DefaultAzureCredential())
which, script, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for _ in range(runs):
    t = time.perf_counter()
    if which == 'direct':
        subprocess.run([sys.executable, script], cwd='src', check=True, capture_output=True)
    elif which == 'v1':
        r = exp.submit(ScriptRunConfig(source_directory='src', script=script)); r.wait_for_completion()
    else:
        j = ml.jobs.create_or_update(command(code='./src', command=f'python {script}', experiment_name='bench2'))
        from sandbox import jobs; from sandbox.workspace import current_workspace
        rec = jobs.wait(current_workspace(), j.name); assert rec.status == 'Completed', rec.error
    times.append(time.perf_counter() - t)
print(json.dumps(times))
"""

TRIVIAL = "print('hello')\n"
MLFLOW_1000 = textwrap.dedent("""
    import mlflow
    for i in range(1000):
        mlflow.log_metric('m', i, step=i)
""")
MLFLOW_PLAIN = textwrap.dedent("""
    import mlflow, sys
    mlflow.set_tracking_uri('sqlite:///' + sys.argv[1])
    with mlflow.start_run():
        for i in range(1000):
            mlflow.log_metric('m', i, step=i)
""")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["DP100_HOME"] = str(folder / "home")
        sys.path.insert(0, str(ROOT))
        from sandbox import config, tracking
        from sandbox.activation import child_env
        from sandbox.home import workspace_dir
        from sandbox.workspace import Workspace

        ws = Workspace.create(workspace_dir())
        tracking.ensure_db(ws)
        config.write(ws, folder)
        (folder / "src").mkdir()
        (folder / "src" / "trivial.py").write_text(TRIVIAL)
        (folder / "src" / "mlflow1000.py").write_text(MLFLOW_1000)
        (folder / "plain.py").write_text(MLFLOW_PLAIN)
        (folder / "driver.py").write_text(DRIVER)
        env = child_env()

        def driver(which: str, script: str, runs: int) -> list[float]:
            import json

            out = subprocess.run([sys.executable, "driver.py", which, script, str(runs)], cwd=folder, env=env,
                                 capture_output=True, text=True)
            if out.returncode:
                raise SystemExit(out.stderr)
            return json.loads(out.stdout.strip().splitlines()[-1])

        results = {}
        for which in ("direct", "v1", "v2"):
            times = driver(which, "trivial.py", args.runs + (1 if which == "v1" else 0))
            if which == "v1":  # the workspace's first job also starts its job launcher: shown on its own
                results["first job of a workspace (starts launcher)"] = times[:1]
                times = times[1:]
            results[f"trivial script: {which}"] = times
        heavy = max(3, args.runs // 3)
        results["1,000 MLflow metrics: sandbox v2 job"] = driver("v2", "mlflow1000.py", heavy)
        plain = []
        for n in range(heavy):
            db = folder / f"plain{n}.db"
            subprocess.run([sys.executable, "plain.py", str(db)], cwd=folder, capture_output=True)  # create + migrate
            t = time.perf_counter()
            subprocess.run([sys.executable, "plain.py", str(db)], cwd=folder, check=True, capture_output=True)
            plain.append(time.perf_counter() - t)
        results["1,000 MLflow metrics: plain local store"] = plain
    med = {k: statistics.median(v) * 1000 for k, v in results.items()}
    print(f"{'measurement':45} {'median ms':>10}  n")
    for k, v in med.items():
        print(f"{k:45} {v:10.1f}  {len(results[k])}")
    base = med["trivial script: direct"]
    for which in ("v1", "v2"):
        print(f"overhead {which}: +{med[f'trivial script: {which}'] - base:.1f} ms over python script.py")
    print(f"MLflow job vs plain store: {med['1,000 MLflow metrics: sandbox v2 job'] / med['1,000 MLflow metrics: plain local store']:.2f}x")


if __name__ == "__main__":
    main()
