"""The sandbox CLI and the ways to activate the SDK facades."""
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, dp100, run_learner_script

pytestmark = pytest.mark.scenario


def test_status_before_and_after_init(tmp_path, home):
    before = json.loads(dp100("sandbox", "status", "--json", cwd=tmp_path).stdout)
    assert before["exists"] is False
    assert dp100("sandbox", "init", cwd=tmp_path).returncode == 0
    after = json.loads(dp100("sandbox", "status", "--json", cwd=tmp_path).stdout)
    assert after["workspace"] == "dp100-workspace" and after["counts"]["datastores"] == 2


def test_home_option_overrides_the_data_dir(tmp_path, home):
    other = tmp_path / "elsewhere"
    dp100("--home", str(other), "sandbox", "init", cwd=tmp_path)
    assert (other / "workspace" / "workspace.db").is_file()


def test_reset_removes_assets_but_keeps_learner_files(project):
    (project / "keep.py").write_text("print('mine')\n")
    dp100("sandbox", "config", cwd=project)
    dp100("python", "-c", "from azureml.core import Workspace; ws = Workspace.from_config();"
          "ws.get_default_datastore().upload('data', 'x', show_progress=False)", cwd=project)
    assert json.loads(dp100("sandbox", "ls", "datastores", "workspaceblobstore", "--json", cwd=project).stdout)
    assert dp100("sandbox", "reset", "--yes", cwd=project).returncode == 0
    assert json.loads(dp100("sandbox", "ls", "datastores", "workspaceblobstore", "--json", cwd=project).stdout) == []
    assert (project / "keep.py").exists() and (project / "data" / "diabetes.csv").exists()


def test_dp100_python_reads_a_script_from_stdin(project):
    result = dp100("python", cwd=project, input="import azureml.core, mltable\nprint(azureml.core.VERSION)\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1.61.0"


def test_run_passes_arguments_and_exit_code(project):
    (project / "args.py").write_text("import sys\nprint(sys.argv[1:])\nsys.exit(3)\n")
    result = dp100("run", "args.py", "--reg", "0.1", cwd=project)
    assert result.stdout.strip() == "['--reg', '0.1']" and result.returncode == 3


def test_run_of_a_missing_script_says_so(project):
    result = dp100("run", "nope.py", cwd=project)
    assert result.returncode == 2 and "No such file" in result.stderr


def test_notebook_style_activation_in_process(project):
    code = (
        "import sandbox, sandbox.jobs.supervisor, sandbox.activation\n"  # submodules must not shadow sandbox.activate()
        "sandbox.activate()\n"
        "from azureml.core import Workspace\n"
        "from azure.ai.ml import MLClient\n"
        "import azureml.core\n"
        "print(azureml.core.__file__)\n"
        "print(Workspace.from_config().name)\n"
    )
    dp100("sandbox", "config", cwd=project)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert out[0].startswith(str(ROOT / "sandbox" / "sdk")) and out[1] == "dp100-workspace"


def test_help_lists_the_commands(tmp_path, home):
    result = dp100("--help", cwd=tmp_path)
    assert result.returncode == 0
    for word in ("sandbox", "run", "python"):
        assert word in result.stdout


def test_clock_can_be_frozen_advanced_and_reset(tmp_path, home):
    assert "virtual" in dp100("sandbox", "clock", "virtual", cwd=tmp_path).stdout
    frozen = dp100("sandbox", "clock", cwd=tmp_path).stdout
    later = dp100("sandbox", "clock", "advance", "7200", cwd=tmp_path).stdout
    assert frozen != later and "virtual" in later
    assert "real" in dp100("sandbox", "clock", "reset", cwd=tmp_path).stdout


def test_ls_environments_lists_curated_ones(tmp_path, home):
    listing = json.loads(dp100("sandbox", "ls", "environments", "--json", cwd=tmp_path).stdout)
    assert any(e["name"] == "AzureML-sklearn-1.5" and e["curated"] for e in listing)


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_workspace_database_gives_one_clear_message(tmp_path, home, damage):
    assert dp100("sandbox", "init", cwd=tmp_path).returncode == 0
    db = home / "workspace" / "workspace.db"
    if damage == "garbage":
        db.write_bytes(b"this is not sqlite" * 100)
    else:
        data = db.read_bytes()
        for extra in db.parent.glob("workspace.db-*"):
            extra.unlink()
        db.write_bytes(data[:1500])
    result = dp100("sandbox", "ls", "jobs", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert "workspace.db is damaged" in message and "dp100 sandbox reset" in message
    assert dp100("sandbox", "reset", "--yes", cwd=tmp_path).returncode == 0
    assert dp100("sandbox", "ls", "jobs", cwd=tmp_path).returncode == 0


def test_ls_without_a_kind_lists_the_kinds_and_status_counts_every_kind(tmp_path, home):
    listed = dp100("sandbox", "ls", cwd=tmp_path)
    assert listed.returncode == 0
    for kind in ("datastores", "data", "datasets", "jobs", "models", "environments", "compute"):
        assert kind in listed.stdout
    assert dp100("sandbox", "init", cwd=tmp_path).returncode == 0
    status = json.loads(dp100("sandbox", "status", "--json", cwd=tmp_path).stdout)
    assert set(status["counts"]) >= {"datastores", "data", "datasets", "jobs", "models", "environments", "compute"}


def test_narrow_tables_keep_names_whole_and_say_what_they_left_out(project):
    run_learner_script(project, """
        from azure.identity import DefaultAzureCredential
        from azure.ai.ml import MLClient, command
        ml = MLClient.from_config(DefaultAzureCredential())
        ml.jobs.create_or_update(command(code='.', command='python -c pass', name='a_rather_long_job_name_12345'))
    """) if dp100("sandbox", "config", cwd=project).returncode == 0 else None
    result = subprocess.run([sys.executable, "-m", "course.cli", "sandbox", "ls", "jobs"], cwd=project,
                            capture_output=True, text=True, env={**os.environ, "COLUMNS": "60"})
    assert "a_rather_long_job_name_12345" in result.stdout
    assert "--json shows all" in " ".join(result.stdout.split())
