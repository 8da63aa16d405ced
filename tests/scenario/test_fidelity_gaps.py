"""Code from Microsoft's docs and DP-100 notebooks that Azure accepts runs unchanged in the sandbox (issue 14).

Each test pins a gap measured by trying common documented code as a new user would.
"""
import json
import textwrap

import pytest

from tests.conftest import dp100, run_learner_script

pytestmark = pytest.mark.scenario


@pytest.fixture
def configured(project):
    assert dp100("sandbox", "config", cwd=project).returncode == 0
    (project / "src").mkdir()
    return project


TREE_TRAINING = """
import mlflow, mlflow.sklearn
import numpy as np
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier
rng = np.random.default_rng(0)
X = rng.random((60, 3)); y = (X[:, 0] > 0.5).astype(int)
mlflow.sklearn.log_model(DecisionTreeClassifier().fit(X, y), "model")
mlflow.sklearn.log_model(RandomForestClassifier(n_estimators=5).fit(X, y), "forest")
mlflow.sklearn.log_model(GradientBoostingClassifier(n_estimators=5).fit(X, y), "boosted")
print("logged")
"""


def test_tree_and_ensemble_models_logged_with_mlflow_in_a_job_register_and_load(configured):
    (configured / "src" / "train.py").write_text(TREE_TRAINING)
    (configured / "tree.py").write_text(textwrap.dedent("""
        import mlflow
        from azure.ai.ml import MLClient, command
        from azure.ai.ml.entities import Model
        from azure.identity import DefaultAzureCredential
        ml = MLClient.from_config(DefaultAzureCredential())
        job = ml.create_or_update(command(code="./src", command="python train.py",
                                          environment="AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest"))
        ml.jobs.stream(job.name)
        model = ml.models.create_or_update(Model(name="tree-model", type="mlflow_model",
                                                 path=f"azureml://jobs/{job.name}/outputs/artifacts/paths/model/"))
        print("registered", model.name, model.version)
        for path in ("model", "forest", "boosted"):
            loaded = mlflow.pyfunc.load_model(f"runs:/{job.name}/{path}")
            print(path, loaded.predict([[0.9, 0.1, 0.2], [0.1, 0.5, 0.5]]).tolist())
    """))
    result = dp100("run", "tree.py", cwd=configured, timeout=400)  # a job and three model loads: slow machines
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Untrusted types" not in out and "logged" in out
    assert "registered tree-model 1" in out
    for path in ("model", "forest", "boosted"):
        assert f"{path} [1, 0]" in out


def test_v1_logging_takes_numpy_and_pandas_values_and_get_metrics_returns_numbers(configured):
    result = run_learner_script(configured, """
        import numpy as np, pandas as pd
        from azureml.core import Workspace, Experiment
        ws = Workspace.from_config()
        df = pd.DataFrame({"label": ["a", "b", "a"], "score": [0.5, 0.7, 0.9]})
        run = Experiment(ws, "numpy-logging").start_logging()
        run.log("rows", np.int64(len(df)))
        run.log("mean score", df.score.mean())
        run.log("float32", np.float32(0.25))
        run.log_list("categories", df.label.unique())
        run.log_list("scores", df.score.values)
        run.log_row("stats", count=np.int64(3), mean=np.float64(0.7))
        run.log_table("by label", {"label": df.label.values, "n": df.groupby("label").size().values})
        run.complete()
        metrics = run.get_metrics()
        print(repr(metrics["rows"]), type(metrics["rows"]).__name__)
        print(repr(metrics["mean score"]), repr(metrics["float32"]))
        print(metrics["categories"], metrics["scores"])
        print(metrics["stats"], metrics["by label"])
    """)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "3.0 float"
    assert lines[1].startswith("0.7") and lines[1].endswith("0.25")
    assert lines[2] == "['a', 'b'] [0.5, 0.7, 0.9]"
    assert lines[3] == "{'count': [3], 'mean': [0.7]} {'label': ['a', 'b', 'a'], 'n': [2, 1]}"


def test_run_details_widget_follows_a_submitted_run_in_a_terminal(configured):
    (configured / "src" / "train.py").write_text(
        "from azureml.core import Run\nimport time\nrun = Run.get_context()\ntime.sleep(2)\n"
        "run.log('accuracy', 0.91)\nprint('trained')\n")
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Experiment, ScriptRunConfig
        from azureml.widgets import RunDetails
        ws = Workspace.from_config()
        run = Experiment(ws, "widget-demo").submit(ScriptRunConfig(source_directory="src", script="train.py"))
        RunDetails(run).show()
        print("after show:", run.get_status())
        logs = run.get_all_logs(destination="logs-here")
        print("logs:", [p.replace("\\\\", "/").split("logs-here/")[1] for p in logs])
        with Experiment(ws, "widget-demo").start_logging() as live:
            live.log("loss", 0.3)
            RunDetails(live).show()
    """)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "status: Completed" in out and "accuracy  0.91" in out
    assert "after show: Completed" in out  # the terminal view waited for the submitted run to end
    assert "logs: ['user_logs/std_log.txt']" in out
    assert (configured / "logs-here" / "user_logs" / "std_log.txt").read_text().strip().endswith("trained")
    assert "status: Running" in out and "loss  0.3" in out  # an interactive run is shown once, not waited for


def test_v1_names_from_the_docs_exist(configured, tmp_path):
    (configured / "data" / "sales.csv").write_text(
        "date,amount\n2024-01-01,10\n2024-01-15,20\n2024-02-01,30\n2024-03-01,40\n")
    result = run_learner_script(configured, """
        from datetime import datetime, timedelta
        from azureml.core import Workspace, Dataset
        from azureml.core.runconfig import DEFAULT_CPU_IMAGE, DEFAULT_GPU_IMAGE
        from azureml.core.compute import AmlCompute, ComputeTarget
        from azureml.core.compute_target import ComputeTargetException
        print(DEFAULT_CPU_IMAGE)
        print(DEFAULT_GPU_IMAGE)
        ws = Workspace.from_config()
        store = ws.get_default_datastore()
        store.upload_files(["data/sales.csv"], target_path="sales", overwrite=True, show_progress=False)
        ds = Dataset.Tabular.from_delimited_files((store, "sales/sales.csv"))
        ts = ds.with_timestamp_columns(timestamp="date")
        print(ts.timestamp_columns)
        print(len(ts.time_before(datetime(2024, 1, 15)).to_pandas_dataframe()),
              len(ts.time_before(datetime(2024, 1, 15), include_boundary=False).to_pandas_dataframe()),
              len(ts.time_after(datetime(2024, 2, 1)).to_pandas_dataframe()),
              len(ts.time_between(datetime(2024, 1, 10), datetime(2024, 2, 10)).to_pandas_dataframe()),
              len(ts.time_recent(timedelta(days=365 * 100)).to_pandas_dataframe()))
        ts.register(ws, "sales-ts", create_new_version=True)
        print(Dataset.get_by_name(ws, "sales-ts").timestamp_columns)
        try:
            ds.time_before(datetime(2024, 1, 1))
        except Exception as e:
            print(type(e).__name__, e)
        try:
            ComputeTarget.create(ws, "no-max", AmlCompute.provisioning_configuration(vm_size="STANDARD_DS11_V2"))
        except ComputeTargetException as e:
            print("REFUSED", e)
    """)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251002.v1"
    assert lines[1] == "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"
    assert lines[2] == "('date', None)"
    assert lines[3] == "2 1 2 2 4"
    assert lines[4] == "('date', None)"
    assert lines[5].startswith("UserErrorException") and "with_timestamp_columns" in lines[5]
    assert lines[6].startswith("REFUSED Invalid provisioning configuration, max nodes count is mandatory")


def test_v2_gaps_datastore_folder_reference_cluster_update_and_pinned_curated_versions(configured):
    result = run_learner_script(configured, """
        from azure.ai.ml import MLClient
        from azure.ai.ml.constants import AssetTypes
        from azure.ai.ml.entities import AmlCompute, Data
        from azure.identity import DefaultAzureCredential
        ml = MLClient.from_config(DefaultAzureCredential())
        later = ml.data.create_or_update(Data(name="landing", type=AssetTypes.URI_FOLDER,
                                              path="azureml://datastores/workspaceblobstore/paths/landing/2024/"))
        print("registered", later.name, later.version, later.path.endswith("/paths/landing/2024/"))
        ml.begin_create_or_update(AmlCompute(name="cpu-cluster", size="STANDARD_DS11_V2", max_instances=4)).result()
        updated = ml.begin_create_or_update(AmlCompute(name="cpu-cluster", max_instances=2)).result()
        print("cluster", updated.size, updated.max_instances)
        for ref in ("AzureML-sklearn-1.0-ubuntu20.04-py38-cpu", ):
            print([ml.environments.get(ref, version=v).version for v in ("1", "33", "44")],
                  ml.environments.get(ref, label="latest").version)
    """)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "registered landing 1 True"
    assert lines[1].lower() == "cluster standard_ds11_v2 2"
    assert lines[2] == "['1', '33', '44'] 62"


def test_unemulated_parts_of_the_sdks_say_so(configured):
    result = run_learner_script(configured, """
        for stmt in ("import azureml.train.automl", "from azureml.train.automl import AutoMLConfig",
                     "from azure.ai.ml.entities import FeatureStore", "import azureml.core.keyvault_missing",
                     "from azureml.core import ScriptRun"):
            try:
                exec(stmt)
                print("OK", stmt)
            except ImportError as e:
                print(type(e).__name__, "|", e)
        import azure.ai.ml.entities as entities
        print("hasattr", hasattr(entities, "NoSuchThing"))
    """)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ModuleNotFoundError | No module named 'azureml.train.automl'")
    assert "does not emulate it yet" in lines[0] and "dp100 sandbox coverage" in lines[0]
    assert "does not emulate it yet" in lines[1]
    assert lines[2].startswith("ImportError | cannot import name 'FeatureStore'") and "does not provide it yet" in lines[2]
    assert lines[3].startswith("ModuleNotFoundError | No module named 'azureml.core.keyvault_missing'")
    assert lines[4] == "OK from azureml.core import ScriptRun"
    assert lines[-1] == "hasattr False"
    coverage = dp100("sandbox", "coverage", "--json", cwd=configured)
    rows = {r["module"]: r["status"] for r in json.loads(coverage.stdout)}
    assert rows["azureml.core"] == "emulated" and rows["azureml.widgets"] == "emulated"
    assert rows["azureml.train.automl"] == "not yet"


def test_v1_run_and_experiment_helpers_from_the_docs(configured):
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Experiment, Run
        ws = Workspace.from_config()
        exp = Experiment(ws, "helpers")
        exp.tag("team", "fraud")
        exp.set_tags({"stage": "dev"})
        exp.remove_tags(["stage"])
        print(Experiment(ws, "helpers").tags)
        run = exp.start_logging()
        run.set_tags({"a": "1", "b": "2"})
        run.remove_tags(["a"])
        run.complete()
        again = Run.get(ws, run.id)
        print(again.experiment.name, again.get_tags(), again.get_detailed_status()["status"])
        print([r.id == run.id for r in Run.list(exp, status="Completed")])
        print(exp.get_portal_url().startswith("https://ml.azure.com/experiments/"))
    """)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ["{'team': 'fraud'}", "helpers {'b': '2'} Completed", "[True]", "True"]
