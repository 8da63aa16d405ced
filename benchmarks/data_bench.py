"""Registering and materialising a 10,000-row CSV through the sandbox vs plain pandas.read_csv.

Run: .venv/bin/python benchmarks/data_bench.py [--runs 10]
Each measurement runs in a fresh subprocess (cold imports, like a learner's script), medians reported.
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
sys.path.insert(0, str(ROOT))

SCRIPTS = {
    "pandas.read_csv": """
        import pandas as pd
        t = time.perf_counter(); df = pd.read_csv('data/big.csv'); assert len(df) == 10000
    """,
    "v1 register + to_pandas_dataframe": """
        import pandas as pd
        from azureml.core import Workspace, Dataset
        t = time.perf_counter()
        ws = Workspace.from_config(); ds = ws.get_default_datastore()
        tab = Dataset.Tabular.from_delimited_files(path=(ds, 'bench/big.csv'))
        tab = tab.register(ws, 'bench', create_new_version=True)
        df = Dataset.get_by_name(ws, 'bench').to_pandas_dataframe(); assert len(df) == 10000
    """,
    "v2 create_or_update + mltable": """
        import pandas as pd
        import mltable
        from azure.identity import DefaultAzureCredential
        from azure.ai.ml import MLClient
        from azure.ai.ml.entities import Data
        t = time.perf_counter()
        ml_client = MLClient.from_config(DefaultAzureCredential())
        asset = ml_client.data.create_or_update(Data(name='bench', path='data/big.csv', type='uri_file'))
        df = mltable.from_delimited_files([{'file': asset.path}]).to_pandas_dataframe(); assert len(df) == 10000
    """,
    "import azureml.core (activated)": """
        t = time.perf_counter()
        import azureml.core
        from azureml.core import Workspace, Dataset
    """,
    "python startup (baseline for imports)": """
        t = time.perf_counter()
    """,
}


def measure(name: str, code: str, cwd: Path, env: dict[str, str]) -> float:
    body = "import time\n" + textwrap.dedent(code) + "\nprint(time.perf_counter() - t)\n"
    out = subprocess.run([sys.executable, "-c", body], cwd=cwd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{name} failed:\n{out.stderr}")
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["DP100_HOME"] = str(folder / "home")
        from sandbox import config, datastores
        from sandbox.activation import child_env
        from sandbox.home import workspace_dir
        from sandbox.workspace import Workspace

        import numpy as np
        import pandas as pd

        (folder / "data").mkdir()
        rng = np.random.default_rng(0)
        df = pd.DataFrame(rng.normal(size=(10000, 8)), columns=[f"f{i}" for i in range(8)])
        df["label"] = rng.integers(0, 2, 10000)
        df.to_csv(folder / "data" / "big.csv", index=False)
        ws = Workspace.create(workspace_dir())
        config.write(ws, folder)
        datastores.upload(ws, "workspaceblobstore", [(folder / "data" / "big.csv", "bench/big.csv")])
        env = child_env()
        results = {name: [] for name in SCRIPTS}
        for _ in range(args.runs):
            for name, code in SCRIPTS.items():  # interleaved so drift hits all equally
                results[name].append(measure(name, code, folder, env))
    med = {name: statistics.median(v) * 1000 for name, v in results.items()}
    print(f"{'measurement':42} {'median ms':>10}   (runs={args.runs}, in-process time after interpreter start)")
    for name, value in med.items():
        print(f"{name:42} {value:10.1f}")
    base = med["pandas.read_csv"]
    for name in ("v1 register + to_pandas_dataframe", "v2 create_or_update + mltable"):
        print(f"{name}: +{med[name] - base:.1f} ms over pandas ({med[name] / base:.2f}x)")


if __name__ == "__main__":
    main()
