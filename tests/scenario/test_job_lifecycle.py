"""Jobs keep their status whatever happens to the processes around them (submitter exits, supervisor killed)."""
import json
import os
import signal
import time

import pytest

from tests.conftest import dp100, run_learner_script

pytestmark = pytest.mark.scenario

SUBMIT_AND_EXIT = """
import json, sys
from azure.identity import DefaultAzureCredential
from azure.ai.ml import MLClient, command
import mlflow
mlflow.set_experiment('notebook')            # the submitter holds MLflow's SQLite store open, as notebooks do
with mlflow.start_run():
    mlflow.log_metric('x', 1)
ml_client = MLClient.from_config(DefaultAzureCredential())
job = ml_client.jobs.create_or_update(command(code='./src', command='python {script}', experiment_name='exit'))
print(json.dumps({{'name': job.name}}))
"""


@pytest.fixture
def configured(project):
    assert dp100("sandbox", "config", cwd=project).returncode == 0
    (project / "src").mkdir()
    return project


def _jobs(project) -> dict:
    result = dp100("sandbox", "ls", "jobs", "--json", cwd=project)
    assert result.returncode == 0, result.stderr
    return {j["name"]: j for j in json.loads(result.stdout)}


def _until(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()


@pytest.mark.parametrize("supervisor", ["launcher", "spawn"])
def test_a_job_whose_submitter_exits_at_once_completes(configured, monkeypatch, supervisor):
    if supervisor == "spawn":
        monkeypatch.setenv("DP100_SUPERVISOR", "spawn")
    (configured / "src" / "train.py").write_text("import time\ntime.sleep(0.5)\nprint('trained')\n")
    result = run_learner_script(configured, SUBMIT_AND_EXIT.format(script="train.py"))
    assert result.returncode == 0, result.stderr
    name = json.loads(result.stdout.strip().splitlines()[-1])["name"]
    status = _until(lambda: _jobs(configured)[name]["status"] in ("Completed", "Failed") and _jobs(configured)[name]["status"])
    assert status == "Completed"


def test_two_processes_submitting_at_once_both_complete(configured):
    (configured / "src" / "train.py").write_text("print('trained')\n")
    import subprocess
    import sys

    (configured / "submit.py").write_text(SUBMIT_AND_EXIT.format(script="train.py"))
    env = dict(os.environ)
    procs = [subprocess.Popen([sys.executable, "-m", "course.cli", "run", "submit.py"], cwd=configured,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    names = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        names.append(json.loads(out.strip().splitlines()[-1])["name"])
    assert _until(lambda: all(_jobs(configured)[n]["status"] == "Completed" for n in names))


def test_a_killed_supervisor_is_seen_as_failed_and_its_process_stopped(configured):
    (configured / "src" / "hold.py").write_text(
        "import os, time\nopen('pid.txt', 'w').write(str(os.getpid()))\nprint('holding', flush=True)\ntime.sleep(120)\n")
    result = run_learner_script(configured, SUBMIT_AND_EXIT.format(script="hold.py"))
    assert result.returncode == 0, result.stderr
    name = json.loads(result.stdout.strip().splitlines()[-1])["name"]
    assert _until(lambda: _jobs(configured)[name]["status"] == "Running")
    from sandbox import jobs
    from sandbox.home import workspace_dir
    from sandbox.workspace import Workspace

    ws = Workspace.open(workspace_dir())
    record = jobs.get(ws, name)
    user_pid = int((jobs.job_dir(ws, name) / "wd" / "pid.txt").read_text())
    os.kill(record.supervisor.pid, signal.SIGKILL)
    time.sleep(0.3)
    listed = _jobs(configured)[name]  # a fresh process listing jobs sees it
    assert listed["status"] == "Failed"
    record = jobs.get(ws, name)
    assert record.error["code"] == "SandboxError" and "stopped unexpectedly" in record.error["message"]
    assert _until(lambda: not os.path.exists(f"/proc/{user_pid}") or
                  open(f"/proc/{user_pid}/stat").read().split()[2] == "Z", timeout=10)
