"""The job package without subprocess scenarios: specs, records, reconciling dead supervisors, the launcher's env."""
import json
import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from sandbox import jobs, processes
from sandbox.clock import iso, utcnow
from sandbox.jobs import launcher, specs
from sandbox.jobs.inputs import Mounted, command_line, substitute


def test_old_untyped_specs_are_read_as_command_specs():
    v2 = specs.parse({"command": "python t.py --x ${{inputs.x}}", "inputs": {"x": {"kind": "literal", "value": 3}},
                      "outputs": {"model": {"type": "uri_folder", "path": None}}, "environment_variables": {"A": 1},
                      "timeout": None, "code": "./src"})
    assert isinstance(v2, specs.CommandSpec) and v2.inputs["x"].value == 3 and v2.environment_variables == {"A": "1"}
    v1 = specs.parse({"argv": ["train.py", {"input": "ds"}], "inputs": {"ds": {"kind": "dataset", "id": "abc",
                      "mode": "direct", "path_on_compute": None}}, "script": "train.py", "arguments": ["x"]})
    assert isinstance(v1.argv[1], specs.InputRef) and v1.inputs["ds"].id == "abc"
    assert isinstance(specs.parse({}), specs.InteractiveSpec)


def test_a_spec_round_trips_through_json():
    spec = specs.CommandSpec(command="python t.py", inputs={"d": specs.DataInput(path="azureml://x", type="uri_file")},
                             outputs={"o": specs.JobOutput()})
    again = specs.parse(json.loads(json.dumps(specs.dump(spec))))
    assert again == spec


def test_unknown_kinds_are_named():
    with pytest.raises(ValueError, match="Unknown job kind 'teleport'"):
        specs.parse({"kind": "teleport"})


def test_command_lines_substitute_and_quote_paths():
    mounted = Mounted(paths={"data": "/tmp/my data/x.csv", "reg": "0.1"}, outputs={"model": "/tmp/out"})
    assert substitute("python t.py --data ${{inputs.data}} --reg ${{ inputs.reg }} --out ${{outputs.model}}",
                      mounted) == "python t.py --data '/tmp/my data/x.csv' --reg 0.1 --out /tmp/out"


def test_v1_argv_puts_input_paths_in_place(ws):
    spec = specs.CommandSpec(argv=["train.py", "--data", specs.InputRef(input="ds")])
    record = jobs.JobRecord("n", "e", "1", "script", "v1", "Running", spec=spec)
    assert command_line(record, Mounted(paths={"ds": "/data"})) == [sys.executable, "train.py", "--data", "/data"]


def _job(ws, name="job1"):
    return jobs.create(ws, name=name, experiment="exp", kind="command", sdk="v2",
                       spec=specs.CommandSpec(command="python t.py"))


def test_a_job_whose_supervisor_is_gone_is_failed_by_the_next_reader(ws):
    _job(ws)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    jobs.update(ws, "job1", supervisor=processes.ProcessId(dead.pid, "1"))
    jobs.set_status(ws, "job1", "Running")
    listed = jobs.list_jobs(ws)
    assert listed[0].status == "Failed" and listed[0].error["code"] == "SandboxError"
    assert "stopped unexpectedly" in jobs.log_path(ws, "job1").read_text()


def test_a_recycled_pid_does_not_keep_a_dead_supervisor_alive(ws):
    _job(ws)
    me = processes.identity()
    jobs.update(ws, "job1", supervisor=processes.ProcessId(me.pid, "not-my-start-time"))
    jobs.set_status(ws, "job1", "Running")
    assert jobs.get(ws, "job1").status == "Failed"


def test_a_live_supervisor_keeps_its_job_running(ws):
    _job(ws)
    jobs.update(ws, "job1", supervisor=processes.identity())
    jobs.set_status(ws, "job1", "Running")
    assert jobs.get(ws, "job1").status == "Running"


def test_a_job_never_handed_to_a_supervisor_fails_after_a_grace_period(ws):
    _job(ws)
    assert jobs.get(ws, "job1").status == "NotStarted"
    old = iso(utcnow() - timedelta(seconds=jobs.records.NEVER_STARTED_AFTER + 5))
    ws.store.run("UPDATE jobs SET created = ? WHERE name = ?", old, "job1")
    record = jobs.get(ws, "job1")
    assert record.status == "Failed" and "never started" in record.error["message"]


def test_terminal_states_are_final(ws):
    _job(ws)
    assert jobs.set_status(ws, "job1", "Completed")
    assert not jobs.set_status(ws, "job1", "Running")
    assert jobs.get(ws, "job1").status == "Completed"


def test_the_launcher_env_drops_what_describes_one_job(monkeypatch, tmp_path):
    hook = str(launcher._PACKAGE / "jobhook")
    monkeypatch.setenv("MLFLOW_RUN_ID", "someone-elses-run")
    monkeypatch.setenv("AZURE_ML_INPUT_data", "/x")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([hook, "/learner/lib"]))
    env = launcher.clean_env(tmp_path)
    assert "MLFLOW_RUN_ID" not in env and "AZURE_ML_INPUT_data" not in env
    assert hook not in env["PYTHONPATH"].split(os.pathsep) and "/learner/lib" in env["PYTHONPATH"]
    assert env["DP100_WORKSPACE"] == str(tmp_path)


def test_process_identity_tells_a_live_process_from_a_finished_one():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    ident = processes.identity(child.pid)
    assert processes.alive(ident)
    child.kill()
    child.wait()
    assert not processes.alive(ident)
    assert not processes.alive(None)


def test_a_spawned_detached_process_runs_to_its_end(tmp_path):
    marker = tmp_path / "ran"
    ident = processes.spawn_detached([sys.executable, "-c", f"open({str(marker)!r}, 'w').write('x')"])
    deadline = time.monotonic() + 10
    while processes.alive(ident) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.exists() and not processes.alive(ident)
