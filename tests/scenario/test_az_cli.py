"""The Azure ML CLI v2 (`az ml` with YAML files) in the sandbox: set-up scripts, YAML jobs, errors, output."""
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import dp100, run_learner_script

pytestmark = pytest.mark.scenario
LAB = Path(__file__).with_name("cli_lab")


@pytest.fixture
def lab(tmp_path, home):
    folder = tmp_path / "lab"
    shutil.copytree(LAB, folder)
    return folder


def az(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return dp100("az", *args, cwd=cwd)


def test_a_lab_setup_script_runs_unchanged_then_a_yaml_job_streams_and_completes(lab):
    setup = dp100("shell", "setup.sh", cwd=lab, timeout=300)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert "ERROR: The extension azure-cli-ml is not installed." in setup.stderr  # as on Azure, harmless
    assert setup.stderr.count("ERROR") == 1
    computes = json.loads(az("ml", "compute", "list", cwd=lab).stdout)
    assert {(c["name"][:2], c["type"]) for c in computes} == {("am", "amlcompute"), ("ci", "computeinstance")}
    assert [c["max_instances"] for c in computes if c["name"] == "aml-cluster"] == [2]

    job = dp100("shell", "-c", "az ml job create --file job.yml --stream --query name -o tsv", cwd=lab, timeout=300)
    assert job.returncode == 0, job.stdout + job.stderr
    assert "Streaming user_logs/std_log.txt" in job.stdout and "accuracy:" in job.stdout
    name = job.stdout.strip().splitlines()[-1]
    status = az("ml", "job", "show", "--name", name, "--query", "status", "-o", "tsv", cwd=lab)
    assert status.returncode == 0 and status.stdout == "Completed\n"
    shown = json.loads(az("ml", "job", "show", "-n", name, cwd=lab).stdout)
    assert shown["compute"] == "azureml:aml-cluster" and shown["experiment_name"] == "diabetes-training"
    assert shown["inputs"]["reg_rate"] == 0.01

    # the workspace the script created is the one SDK code reaches with those coordinates
    defaults = az("configure", "--list-defaults", "--query", "[].[name,value]", "-o", "tsv", cwd=lab).stdout
    values = dict(line.split("\t") for line in defaults.splitlines())
    result = run_learner_script(lab, f"""
        from azure.ai.ml import MLClient
        from azure.identity import DefaultAzureCredential
        from sandbox.workspace import current_workspace
        ml = MLClient(DefaultAzureCredential(), current_workspace().subscription_id, "{values['group']}",
                      "{values['workspace']}")
        print(ml.jobs.get("{name}").status, ml.data.get("diabetes-file", label="latest").type)
        print(ml.workspaces.get("{values['workspace']}").resource_group)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Completed uri_file", values["group"]]


def test_yaml_mistakes_are_reported_with_file_line_and_field(lab):
    (lab / "bad-job.yml").write_text(textwrap.dedent("""\
        $schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
        code: src
        environment: azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest
        compute: azureml:aml-cluster
        inputs:
          reg_rate:
            type: integr
            value: 1
        experiment: typo-here
        """))
    result = az("ml", "job", "create", "-f", "bad-job.yml", "-g", "dp100-sandbox-rg", "-w", "dp100-workspace",
                cwd=lab)
    assert result.returncode == 1
    err = result.stderr
    assert err.startswith("ERROR: Validation for bad-job.yml failed:")
    report = json.loads(err[err.index("{"):err.rindex("}") + 1])
    problems = {e["path"]: (e["message"], e["location"].rsplit("#", 1)[1]) for e in report["errors"]}
    assert problems["command"] == ("Missing data for required field.", "line 1")
    assert problems["experiment"] == ("Unknown field.", "line 9")
    assert problems["inputs.reg_rate.type"][1] == "line 7" and "integer" in problems["inputs.reg_rate.type"][0]
    assert all(e["location"].split("#")[0].endswith("bad-job.yml") for e in report["errors"])

    (lab / "wrong-kind.yml").write_text("$schema: https://azuremlschemas.azureedge.net/latest/data.schema.json\n"
                                        "name: x\npath: ./data\n")
    wrong = az("ml", "job", "create", "-f", "wrong-kind.yml", "-g", "dp100-sandbox-rg", "-w", "dp100-workspace",
               cwd=lab)
    assert wrong.returncode == 1 and "'data', which is a data asset, not a job" in wrong.stderr
    assert "wrong-kind.yml#line 1" in wrong.stderr


def test_usage_errors_missing_defaults_and_unknown_things_exit_like_az(lab):
    missing = az("ml", "job", "list", cwd=lab)
    assert missing.returncode == 2
    assert missing.stderr == ("ERROR: the following arguments are required: --resource-group/-g, "
                              "--workspace-name/-w\n")
    typo = az("ml", "jobs", "list", cwd=lab)
    assert typo.returncode == 2 and "'jobs' is not in the 'az ml' command group" in typo.stderr
    assert "The most similar choice to 'jobs' is:\n    job" in typo.stderr
    not_yet = az("ml", "online-endpoint", "list", cwd=lab)
    assert not_yet.returncode == 2 and "does not emulate it yet" in not_yet.stderr
    assert az("configure", "--defaults", "group=dp100-sandbox-rg", "workspace=dp100-workspace",
              cwd=lab).returncode == 0
    absent = az("ml", "compute", "show", "-n", "no-such-cluster", cwd=lab)
    assert absent.returncode == 3 and absent.stderr.startswith("ERROR: (ResourceNotFound)")
    unknown_compute = az("ml", "job", "create", "-f", "job.yml", "--set", "compute=azureml:gpu-cluster", cwd=lab)
    assert unknown_compute.returncode == 3 and "'gpu-cluster' was not found" in unknown_compute.stderr
    no_flag = az("ml", "compute", "create", "--type", "AmlCompute", cwd=lab)
    assert no_flag.returncode == 2 and "--name/-n" in no_flag.stderr
    other_ws = az("ml", "data", "list", "-w", "mlw-elsewhere", cwd=lab)
    assert other_ws.returncode == 3 and "workspaces/mlw-elsewhere' under resource group" in other_ws.stderr
    logged_out = dp100("shell", "-c", "az logout && az account show; echo rc=$?; az login -o none && "
                       "az account show --query user.name -o tsv", cwd=lab)
    assert "Please run 'az login' to setup account." in logged_out.stderr
    assert "rc=1" in logged_out.stdout and logged_out.stdout.strip().endswith("learner@dp100.sandbox")


def test_output_formats_and_jmespath_queries(lab):
    assert az("configure", "--defaults", "group=dp100-sandbox-rg", "workspace=dp100-workspace",
              cwd=lab).returncode == 0
    for version in ("1", "2"):
        created = az("ml", "data", "create", "-n", "diabetes", "-v", version, "--type", "uri_file", "--path",
                     "data/diabetes.csv", cwd=lab)
        assert created.returncode == 0, created.stderr
    versions = az("ml", "data", "list", "-n", "diabetes", "--query", "[].version", "-o", "tsv", cwd=lab)
    assert versions.stdout.split() == ["1", "2"]
    table = az("ml", "data", "list", "-o", "table", cwd=lab).stdout.splitlines()
    assert table[0].split() == ["Name", "Version", "Type", "Created"] and table[1].startswith("----")
    assert table[2].split()[:3] == ["diabetes", "2", "uri_file"]
    picked = az("ml", "data", "show", "-n", "diabetes", "-v", "1", "--query", "{n:name, v:version}", "-o", "json",
                cwd=lab)
    assert json.loads(picked.stdout) == {"n": "diabetes", "v": "1"} and picked.stdout.index('"n"') < picked.stdout.index('"v"')
    yaml_out = az("ml", "data", "show", "-n", "diabetes", "-v", "2", "-o", "yaml", cwd=lab).stdout
    assert "name: diabetes\n" in yaml_out and "version: '2'\n" in yaml_out
    bad = az("ml", "data", "list", "--query", "[?name==", cwd=lab)
    assert bad.returncode == 2 and "--query" in bad.stderr


def test_az_is_on_path_only_inside_processes_the_sandbox_activates(lab, tmp_path):
    result = run_learner_script(lab, """
        import subprocess
        out = subprocess.run(["az", "version", "--query", "extensions.ml", "-o", "tsv"], capture_output=True, text=True)
        print("inside:", out.returncode, out.stdout.strip())
    """)
    assert result.stdout.strip() == "inside: 0 2.32.0", result.stderr
    outside = shutil.which("az", path=os.environ.get("PATH"))
    assert outside is None or "dp100" not in outside
    notebook_like = subprocess.run(
        [sys.executable, "-c", "import os, shutil, sandbox; print(shutil.which('az') is None or 'dp100' not in "
         "shutil.which('az')); sandbox.activate(); print(shutil.which('az') is not None); "
         "import subprocess; print(subprocess.run('az ml -h', shell=True, capture_output=True, text=True).stdout"
         ".splitlines()[1].strip())"], capture_output=True, text=True, cwd=lab, env={**os.environ})
    assert notebook_like.stdout.splitlines() == ["True", "True", "az ml"], notebook_like.stderr


def test_role_commands_and_service_principal_sign_in_go_through_rbac(lab):
    script = textwrap.dedent("""\
        az configure --defaults group=dp100-sandbox-rg workspace=dp100-workspace
        mapfile -t sp < <(az ad sp create-for-rbac --name ci-bot --query "[appId, password, tenant]" -o tsv)
        app=${sp[0]}; secret=${sp[1]}; tenant=${sp[2]}
        az role definition list --name "AzureML Data Scientist" --query "[0].roleType" -o tsv
        az login --service-principal -u "$app" -p "$secret" --tenant "$tenant" --query "[0].user.type" -o tsv
        az ml compute create -n denied-cluster --type AmlCompute --max-instances 1 -o none; echo "no role: $?"
        az login -o none
        az role assignment create --assignee "$app" --role "AzureML Compute Operator" --query roleDefinitionName -o tsv
        az login --service-principal -u "$app" -p "$secret" --tenant "$tenant" -o none
        az ml compute create -n allowed-cluster --type AmlCompute --max-instances 1 --query name -o tsv
        az login --service-principal -u "$app" -p wrong --tenant "$tenant" -o none; echo "bad secret: $?"
        """)
    (lab / "rbac.sh").write_text(script)
    result = dp100("shell", "rbac.sh", cwd=lab, timeout=180)
    lines = result.stdout.splitlines()
    assert lines == ["BuiltInRole", "servicePrincipal", "no role: 1", "AzureML Compute Operator", "allowed-cluster",
                     "bad secret: 1"], result.stdout + result.stderr
    assert "AuthorizationFailed" in result.stderr and "AADSTS" in result.stderr
