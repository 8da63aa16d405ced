"""Learner scripts for environments and compute (v1 and v2), run through `dp100 run`."""
import pytest

from tests.conftest import dp100, run_learner_script

pytestmark = pytest.mark.scenario

V2 = """
from azure.identity import DefaultAzureCredential
from azure.ai.ml import MLClient
ml_client = MLClient.from_config(credential=DefaultAzureCredential())
"""


@pytest.fixture
def configured(project):
    assert dp100("sandbox", "config", cwd=project).returncode == 0
    return project


def test_v1_environment_versions_follow_the_definition(configured):
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Environment
        from azureml.core.conda_dependencies import CondaDependencies
        ws = Workspace.from_config()
        env = Environment("experiment_env")
        packages = CondaDependencies.create(conda_packages=["scikit-learn", "pip"],
                                            pip_packages=["azureml-defaults", "azureml-mlflow"])
        env.python.conda_dependencies = packages
        print("FIRST", env.register(workspace=ws).version)
        print("AGAIN", env.register(workspace=ws).version)
        env.python.conda_dependencies.add_pip_package("pandas")
        print("CHANGED", env.register(workspace=ws).version)
        got = Environment.get(ws, "experiment_env")
        print("GOT", got.version, sorted(got.python.conda_dependencies.pip_packages))
        print("OLD", Environment.get(ws, "experiment_env", version="1").version)
        print("HAS_CURATED", "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu" in Environment.list(ws))
        print("WS_ENVS", "experiment_env" in ws.environments)
        packages.save("conda.yml")
        copy = Environment.from_conda_specification("copy-env", "conda.yml")
        print("COPY", copy.register(ws).version, copy.python.conda_dependencies.get_python_version())
        build = env.build(ws)
        build.wait_for_completion(show_output=True)
        print("BUILD", build.status)
    """)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "FIRST 1" in out and "AGAIN 1" in out and "CHANGED 2" in out
    assert "GOT 2 ['azureml-defaults', 'azureml-mlflow', 'pandas']" in out
    assert "OLD 1" in out and "HAS_CURATED True" in out and "WS_ENVS True" in out
    assert "COPY 1 3.10.18" in out
    assert "Successfully tagged dp100.azurecr.io/azureml/azureml_" in out and "BUILD Succeeded" in out


def test_v1_environment_misuse_is_refused_clearly(configured):
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Environment
        from azureml.exceptions import UserErrorException
        ws = Workspace.from_config()
        for attempt in (lambda: Environment("AzureML-my-env").register(ws),
                        lambda: Environment.from_existing_conda_environment("e", "base"),
                        lambda: Environment.get(ws, "no-such-env")):
            try:
                attempt()
            except UserErrorException as exc:
                print("REFUSED", exc)
        curated = Environment.get(ws, "AzureML-sklearn-0.24-ubuntu18.04-py37-cpu")
        mine = curated.clone("my-sklearn")
        print("CLONE", mine.register(ws).name, curated.version)
    """)
    assert result.returncode == 0, result.stderr
    assert "reserved for curated environments" in result.stdout
    assert "from_conda_specification" in result.stdout
    assert "Environment 'no-such-env' was not found" in result.stdout
    assert "CLONE my-sklearn 49" in result.stdout


CREATE_OR_GET = """
from azureml.core import Workspace
from azureml.core.compute import ComputeTarget, AmlCompute
from azureml.core.compute_target import ComputeTargetException
ws = Workspace.from_config()
cluster_name = "cpu-cluster"
try:
    training_cluster = ComputeTarget(workspace=ws, name=cluster_name)
    print('Found existing cluster, use it.')
except ComputeTargetException as ex:
    print("MISSING", ex)
    compute_config = AmlCompute.provisioning_configuration(vm_size='STANDARD_DS11_V2', max_nodes=2)
    training_cluster = ComputeTarget.create(ws, cluster_name, compute_config)
    training_cluster.wait_for_completion(show_output=True)
status = training_cluster.get_status()
print("STATUS", status.provisioning_state, status.allocation_state, status.current_node_count,
      status.serialize()["scaleSettings"])
print("TYPE", type(training_cluster).__name__, training_cluster.vm_size, sorted(ws.compute_targets))
"""


def test_v1_cluster_create_or_get_pattern_runs_twice(configured):
    first = run_learner_script(configured, CREATE_OR_GET)
    assert first.returncode == 0, first.stderr
    assert ("MISSING ComputeTargetNotFound: Compute Target with name cpu-cluster not found in provided workspace"
            in first.stdout)
    assert 'SucceededProvisioning operation finished, operation "Succeeded"' in first.stdout
    assert "STATUS Succeeded Steady 0 {'minNodeCount': 0, 'maxNodeCount': 2, 'nodeIdleTimeBeforeScaleDown': " \
           "'PT1800S'}" in first.stdout
    assert "TYPE AmlCompute STANDARD_DS11_V2 ['cpu-cluster']" in first.stdout
    second = run_learner_script(configured, CREATE_OR_GET)
    assert second.returncode == 0, second.stderr
    assert "Found existing cluster, use it." in second.stdout and "MISSING" not in second.stdout


def test_v1_compute_refusals_and_instances(configured):
    result = run_learner_script(configured, """
        from azureml.core import Workspace
        from azureml.core.compute import ComputeTarget, AmlCompute, ComputeInstance
        from azureml.exceptions import ComputeTargetException
        ws = Workspace.from_config()
        for config in (AmlCompute.provisioning_configuration(vm_size="STANDARD_DS11_V2"),
                       AmlCompute.provisioning_configuration(vm_size="Standard_DS11", max_nodes=2)):
            try:
                ComputeTarget.create(ws, "cpu-cluster", config)
            except ComputeTargetException as exc:
                print("REFUSED", exc)
        ci = ComputeTarget.create(ws, "my-instance", ComputeInstance.provisioning_configuration(vm_size="STANDARD_DS3_V2"))
        ci.wait_for_completion(show_output=True)
        print("STATE", ci.get_status().state)
        ci.stop()
        print("STATE", ComputeTarget(ws, "my-instance").get_status().state)
        ci.start()
        print("STATE", ci.get_status().state)
        sizes = AmlCompute.supported_vmsizes(ws)
        print("SIZE", [s for s in sizes if s["name"] == "Standard_DS11_v2"][0])
        ci.delete()
        print("LEFT", ComputeTarget.list(ws))
    """)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "REFUSED Invalid provisioning configuration, max nodes count is mandatory" in out
    assert "REFUSED VM size 'Standard_DS11' is not supported" in out and "Standard_DS11_v2" in out
    assert out.count("STATE") == 3 and "STATE Running" in out and "STATE Stopped" in out
    assert "SIZE {'name': 'Standard_DS11_v2', 'vCPUs': 2, 'gpus': 0, 'memoryGB': 14" in out
    assert "LEFT []" in out


def test_v2_environment_from_image_and_conda_dict(configured):
    (configured / "env").mkdir()
    (configured / "env" / "conda.yml").write_text(
        "name: basic-env\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.10\n  - scikit-learn\n  - pip\n"
        "  - pip:\n    - mlflow\n    - azureml-mlflow\n")
    result = run_learner_script(configured, V2 + """
from azure.ai.ml.entities import Environment, BuildContext
from azure.ai.ml.exceptions import ValidationException
from azure.core.exceptions import ResourceNotFoundError
conda = {"name": "basic-env", "channels": ["conda-forge"],
         "dependencies": ["python=3.10", "scikit-learn", "pandas", "pip", {"pip": ["mlflow", "azureml-mlflow"]}]}
env = Environment(name="sklearn-env", image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04", conda_file=conda,
                  description="sklearn training")
print("V", ml_client.environments.create_or_update(env).version)
print("V", ml_client.create_or_update(env).version)
env.conda_file["dependencies"].append("numpy")
print("V", ml_client.environments.create_or_update(env).version)
from_file = Environment(name="file-env", image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04",
                        conda_file="env/conda.yml")
print("FILE", from_file.conda_file["dependencies"][1], ml_client.environments.create_or_update(from_file).version)
print("FIXED", ml_client.environments.create_or_update(
    Environment(name="pinned", version="7", image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04")).version)
curated = ml_client.environments.get("AzureML-sklearn-1.5", label="latest")
print("CURATED", curated.name, curated.version, curated.id)
print("LATEST", ml_client.environments.get("sklearn-env", label="latest").version)
print("NAMES", sorted({e.name for e in ml_client.environments.list()}))
for attempt in (lambda: ml_client.environments.get("sklearn-env", version="9"),
                lambda: ml_client.environments.create_or_update(Environment(name="both", image="x", build=BuildContext(path="env"))),
                lambda: ml_client.environments.create_or_update(Environment(name="neither")),
                lambda: ml_client.environments.create_or_update(Environment(name="AzureML-x", image="y"))):
    try:
        attempt()
    except (ValidationException, ResourceNotFoundError) as exc:
        print("REFUSED", type(exc).__name__, exc)
""")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("V 1") == 2 and "V 2" in out
    assert "FILE scikit-learn 1" in out and "FIXED 7" in out
    assert "CURATED AzureML-sklearn-1.5 24 azureml://registries/azureml/environments/sklearn-1.5/versions/24" in out
    assert "LATEST 2" in out
    assert "'AzureML-sklearn-1.5'" in out and "'sklearn-env'" in out
    assert "REFUSED ResourceNotFoundError Environment sklearn-env:9 was not found" in out
    assert "REFUSED ValidationException Docker image or Dockerfile should be provided not both" in out
    assert "REFUSED ValidationException Docker image or Dockerfile is required for environments" in out
    assert "REFUSED ValidationException Environment name 'AzureML-x' is not allowed" in out


def test_v2_amlcompute_create_get_list_delete(configured):
    result = run_learner_script(configured, V2 + """
from azure.ai.ml.entities import AmlCompute, ComputeInstance
from azure.core.exceptions import ResourceNotFoundError
try:
    ml_client.compute.get("cpu-cluster")
except ResourceNotFoundError as exc:
    print("MISSING", exc)
cluster = AmlCompute(name="cpu-cluster", type="amlcompute", size="STANDARD_DS11_V2", min_instances=0,
                     max_instances=2, idle_time_before_scale_down=120, tier="Dedicated")
made = ml_client.begin_create_or_update(cluster).result()
print("MADE", made.name, made.provisioning_state, made.size, made.max_instances, made.idle_time_before_scale_down,
      made.tier, made.type)
got = ml_client.compute.get("cpu-cluster")
print("GOT", got.min_instances, got.max_instances, got.id.endswith("/computes/cpu-cluster"))
ci = ml_client.compute.begin_create_or_update(ComputeInstance(name="ci-learner-01", size="Standard_DS11_v2")).result()
print("CI", ci.state)
ml_client.compute.begin_stop("ci-learner-01").result()
print("CI", ml_client.compute.get("ci-learner-01").state)
print("LIST", sorted((c.name, c.type) for c in ml_client.compute.list()))
print("SIZES", [s.name for s in ml_client.compute.list_sizes() if s.gpus][:2])
ml_client.compute.begin_delete("cpu-cluster").result()
try:
    ml_client.compute.get("cpu-cluster")
except ResourceNotFoundError:
    print("GONE")
""")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "MISSING Compute target 'cpu-cluster' was not found in the workspace" in out
    assert "MADE cpu-cluster Succeeded Standard_DS11_v2 2 120 dedicated amlcompute" in out
    assert "GOT 0 2 True" in out
    assert "CI Running" in out and "CI Stopped" in out
    assert "LIST [('ci-learner-01', 'computeinstance'), ('cpu-cluster', 'amlcompute')]" in out
    assert "SIZES ['Standard_NC6', 'Standard_NC12']" in out
    assert "GONE" in out


def test_a_job_whose_environment_needs_a_missing_package_fails_naming_it(configured):
    (configured / "src").mkdir()
    (configured / "src" / "train.py").write_text("print('training')\n")
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Environment, Experiment, ScriptRunConfig
        from azureml.core.conda_dependencies import CondaDependencies
        ws = Workspace.from_config()
        env = Environment("xgb-env")
        env.python.conda_dependencies = CondaDependencies.create(pip_packages=["not-installed-xgboost-fork"])
        run = Experiment(ws, "env-check").submit(ScriptRunConfig(source_directory="src", script="train.py",
                                                                 environment=env))
        run.wait_for_completion(raise_on_error=False)
        details = run.get_details()
        print("STATUS", run.get_status())
        print("ERROR", details.get("error"))
    """)
    assert result.returncode == 0, result.stderr
    assert "STATUS Failed" in result.stdout
    assert "not-installed-xgboost-fork" in result.stdout
