"""Shared fixtures: every test gets its own dp100 home, so nothing touches the learner's real data."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Each test workspace gets its own job launcher; let them go soon after a test instead of idling for minutes.
os.environ.setdefault("DP100_LAUNCHER_IDLE", "10")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "dp100-home"
    monkeypatch.setenv("DP100_HOME", str(folder))
    monkeypatch.delenv("DP100_WORKSPACE", raising=False)
    monkeypatch.delenv("DP100_ACTIVE", raising=False)
    return folder


@pytest.fixture
def ws(home: Path):
    from sandbox.home import workspace_dir
    from sandbox.workspace import Workspace

    workspace = Workspace.create(workspace_dir())
    yield workspace
    workspace.store.close()


@pytest.fixture
def project(tmp_path: Path, home: Path) -> Path:
    """A learner's project folder with a small diabetes-style CSV in data/."""
    folder = tmp_path / "project"
    (folder / "data").mkdir(parents=True)
    lines = ["PatientID,Pregnancies,PlasmaGlucose,BMI,Diabetic"]
    for i in range(200):
        lines.append(f"{i},{i % 9},{80 + (i * 7) % 120},{20 + (i * 3) % 25}.5,{i % 2}")
    (folder / "data" / "diabetes.csv").write_text("\n".join(lines) + "\n")
    (folder / "data" / "diabetes2.csv").write_text("\n".join(lines[:51]) + "\n")
    return folder


def dp100(*args: str, cwd: Path, input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the dp100 CLI in a real subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "course.cli", *args], cwd=cwd, input=input, capture_output=True, text=True,
        timeout=timeout, env={**os.environ},
    )


def run_learner_script(project: Path, code: str, name: str = "script.py", *args: str) -> subprocess.CompletedProcess:
    """Write a learner's script into the project and run it with `dp100 run`."""
    (project / name).write_text(textwrap.dedent(code))
    return dp100("run", name, *args, cwd=project)
