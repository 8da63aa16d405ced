"""Runs and jobs that really run: v1 and v2 learner scripts through `dp100 run`."""
import json

import pytest

from tests.conftest import dp100, run_learner_script

pytestmark = pytest.mark.scenario

TRAIN_V1 = """
import argparse, os, joblib
from azureml.core import Run
from sklearn.linear_model import LogisticRegression
parser = argparse.ArgumentParser()
parser.add_argument('--reg', type=float, default=0.01)
parser.add_argument('--files', type=str)
parser.add_argument('--ds', type=str)
args = parser.parse_args()
run = Run.get_context()
df = run.input_datasets['training_data'].to_pandas_dataframe()
print('files seen:', sorted(os.listdir(args.files)))
X, y = df[['Pregnancies', 'PlasmaGlucose', 'BMI']].values, df['Diabetic'].values
model = LogisticRegression(C=1 / args.reg, max_iter=500).fit(X, y)
run.log('Regularization Rate', args.reg)
run.log('Accuracy', float(model.score(X, y)))
os.makedirs('outputs', exist_ok=True)
joblib.dump(model, 'outputs/diabetes_model.pkl')
run.complete()
"""


@pytest.fixture
def configured(project):
    assert dp100("sandbox", "config", cwd=project).returncode == 0
    (project / "src").mkdir()
    return project


def test_v1_interactive_run_and_metric_shapes(configured):
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Experiment
        ws = Workspace.from_config()
        exp = Experiment(workspace=ws, name='explore')
        with exp.start_logging() as run:
            run.log('observations', 200)
            run.log('loss', 0.5); run.log('loss', 0.4)
            run.log_list('bmi', [20, 25, 30])
            run.log_row('stats', column='BMI', mean=25.1)
            run.log_table('split', {'fold': [1, 2], 'score': [0.8, 0.9]})
            run.tag('stage', 'eda')
            try:
                run.log('bad', [1, 2])
            except Exception as e:
                print(type(e).__name__, e)
        print(run.get_status())
        print(sorted(run.get_metrics().items()))
        print(list(ws.experiments))
    """)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "UserErrorException" in out and "log_list" in out
    assert "Completed" in out
    assert "('bmi', [20.0, 25.0, 30.0])" in out and "('loss', [0.5, 0.4])" in out and "('observations', 200.0)" in out
    assert "('split', {'fold': [1, 2], 'score': [0.8, 0.9]})" in out and "('stats', {'column': ['BMI'], 'mean': [25.1]})" in out
    assert "['explore']" in out


def test_v1_script_run_with_arguments_and_datasets_then_register_model(configured):
    (configured / "src" / "train.py").write_text(TRAIN_V1)
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Experiment, ScriptRunConfig, Dataset, Model
        ws = Workspace.from_config()
        ds = ws.get_default_datastore()
        ds.upload_files(['data/diabetes.csv'], target_path='diabetes', overwrite=True, show_progress=False)
        tab = Dataset.Tabular.from_delimited_files((ds, 'diabetes/diabetes.csv')).register(ws, 'diabetes')
        files = Dataset.File.from_files((ds, 'diabetes/*.csv'))
        cfg = ScriptRunConfig(source_directory='src', script='train.py', compute_target='local',
                              arguments=['--reg', 0.1, '--files', files.as_named_input('raw').as_download(),
                                         '--ds', tab.as_named_input('training_data')])
        run = Experiment(ws, 'train-diabetes').submit(cfg)
        run.wait_for_completion(show_output=True)
        print('STATUS', run.get_status())
        print('METRICS', run.get_metrics())
        print('FILES', run.get_file_names())
        run.register_model(model_path='outputs/diabetes_model.pkl', model_name='diabetes_model', tags={'Training': 'v1'})
        for m in Model.list(ws):
            print('MODEL', m.name, m.version, m.tags, m.run_id == run.id)
    """)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "RunId: train-diabetes_" in out and "Execution Summary" in out and "files seen: ['diabetes.csv']" in out
    assert "STATUS Completed" in out and "'Regularization Rate': 0.1" in out
    assert "outputs/diabetes_model.pkl" in out and "user_logs/std_log.txt" in out
    assert "MODEL diabetes_model 1 {'Training': 'v1'} True" in out


def test_failing_script_marks_the_run_failed_with_the_log_tail(configured):
    (configured / "src" / "broken.py").write_text("import pandas as pd\nprint('starting')\ndf = pd.read_csv('missing.csv')\n")
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Experiment, ScriptRunConfig
        from azureml.exceptions import ActivityFailedException
        ws = Workspace.from_config()
        run = Experiment(ws, 'broken').submit(ScriptRunConfig(source_directory='src', script='broken.py'))
        try:
            run.wait_for_completion()
        except ActivityFailedException as e:
            print('RAISED', 'FileNotFoundError' in str(e))
        print('STATUS', run.get_status())
        details = run.get_details()
        print('ERROR', details['error']['error']['code'])
        run.download_file('user_logs/std_log.txt', 'log.txt')
    """)
    assert result.returncode == 0, result.stderr
    assert "RAISED True" in result.stdout and "STATUS Failed" in result.stdout and "ERROR UserError" in result.stdout
    log = (configured / "log.txt").read_text()
    assert "starting" in log and "FileNotFoundError" in log


def test_missing_script_is_refused_at_submit(configured):
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Experiment, ScriptRunConfig
        ws = Workspace.from_config()
        Experiment(ws, 'x').submit(ScriptRunConfig(source_directory='src', script='nope.py'))
    """)
    assert "UserErrorException" in result.stderr and "was not found in source_directory" in result.stderr


def test_v2_command_job_with_inputs_outputs_mlflow_and_model_registration(configured):
    (configured / "src" / "train.py").write_text("""
import argparse, os, mlflow, pandas as pd
from sklearn.linear_model import LogisticRegression
p = argparse.ArgumentParser()
p.add_argument('--training_data'); p.add_argument('--reg_rate', type=float); p.add_argument('--model_out')
a = p.parse_args()
mlflow.autolog()
df = pd.read_csv(a.training_data)
X, y = df[['Pregnancies', 'PlasmaGlucose', 'BMI']].values, df['Diabetic'].values
m = LogisticRegression(C=1 / a.reg_rate, max_iter=500).fit(X, y)
mlflow.log_param('reg_rate', a.reg_rate)
mlflow.log_metric('accuracy', m.score(X, y))
for i in range(3):
    mlflow.log_metric('loss', 1.0 / (i + 1), step=i)
mlflow.sklearn.save_model(m, os.path.join(a.model_out, 'model'))
with open('outputs/notes.txt', 'w') as f:
    f.write('trained')
""")
    result = run_learner_script(configured, """
        from azure.identity import DefaultAzureCredential
        from azure.ai.ml import MLClient, command, Input, Output
        from azure.ai.ml.constants import AssetTypes
        from azure.ai.ml.entities import Model
        import mlflow
        from mlflow.tracking import MlflowClient
        ml_client = MLClient.from_config(DefaultAzureCredential())
        job = command(code='./src',
                      command='python train.py --training_data ${{inputs.data}} --reg_rate ${{inputs.reg}} --model_out ${{outputs.model}}',
                      inputs={'data': Input(type=AssetTypes.URI_FILE, path='./data/diabetes.csv'), 'reg': 0.01},
                      outputs={'model': Output(type=AssetTypes.URI_FOLDER)},
                      display_name='diabetes-train', experiment_name='diabetes-training')
        returned = ml_client.create_or_update(job)
        print('NAME', returned.name, returned.status, returned.studio_url.startswith('https://ml.azure.com/runs/'))
        ml_client.jobs.stream(returned.name)
        done = ml_client.jobs.get(returned.name)
        print('STATUS', done.status)
        runs = mlflow.search_runs(experiment_names=['diabetes-training'], filter_string='metrics.accuracy > 0.1')
        print('FOUND', list(runs['run_id']) == [returned.name], runs.loc[0, 'params.reg_rate'])
        print('HISTORY', [m.value for m in MlflowClient().get_metric_history(returned.name, 'loss')])
        print('AUTOLOG', 'training_accuracy_score' in MlflowClient().get_run(returned.name).data.metrics)
        ml_client.jobs.download(returned.name, download_path='dl', output_name='model')
        m1 = ml_client.models.create_or_update(Model(name='diabetes-mlflow', type=AssetTypes.MLFLOW_MODEL,
            path=f'azureml://jobs/{returned.name}/outputs/model/paths/model/'))
        m2 = ml_client.models.create_or_update(Model(name='diabetes-mlflow', type=AssetTypes.MLFLOW_MODEL,
            path='dl/named-outputs/model/model', tags={'source': 'local'}))
        print('MODELS', m1.version, m2.version, m1.job_name == returned.name, ml_client.models.get('diabetes-mlflow', label='latest').tags)
        notes = f'azureml://jobs/{returned.name}/outputs/artifacts/paths/outputs/notes.txt'
        print('CUSTOM', ml_client.models.create_or_update(Model(name='notes', path=notes)).type)
    """)
    assert result.returncode == 0, result.stderr + result.stdout
    out = result.stdout
    assert "STATUS Completed" in out and "FOUND True 0.01" in out
    assert "HISTORY [1.0, 0.5, 0.3333333333333333]" in out and "AUTOLOG True" in out
    assert (configured / "dl" / "named-outputs" / "model" / "model" / "MLmodel").is_file()
    assert "MODELS 1 2 True {'source': 'local'}" in out and "CUSTOM custom_model" in out


def test_unknown_binding_fails_validation(configured):
    result = run_learner_script(configured, """
        from azure.identity import DefaultAzureCredential
        from azure.ai.ml import MLClient, command
        ml_client = MLClient.from_config(DefaultAzureCredential())
        ml_client.jobs.create_or_update(command(code='.', command='python x.py --data ${{inputs.training}}'))
    """)
    assert "ValidationException" in result.stderr and "inputs.training" in result.stderr


def test_cancel_stops_the_process(configured):
    (configured / "src" / "slow.py").write_text("import time\nprint('started', flush=True)\ntime.sleep(60)\n")
    result = run_learner_script(configured, """
        import time
        from azure.identity import DefaultAzureCredential
        from azure.ai.ml import MLClient, command
        ml_client = MLClient.from_config(DefaultAzureCredential())
        job = ml_client.jobs.create_or_update(command(code='./src', command='python slow.py', experiment_name='slow'))
        while ml_client.jobs.get(job.name).status != 'Running':
            time.sleep(0.05)
        ml_client.jobs.begin_cancel(job.name).result()
        print('STATUS', ml_client.jobs.get(job.name).status)
    """)
    assert result.returncode == 0, result.stderr
    assert "STATUS Canceled" in result.stdout


def test_parallel_submissions_overlap(configured):
    (configured / "src" / "wait.py").write_text(
        "import os, time\nopen(os.environ['AZUREML_RUN_ID'] + '.started', 'w').close()\ntime.sleep(1.0)\n")
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Experiment, ScriptRunConfig
        ws = Workspace.from_config()
        exp = Experiment(ws, 'parallel')
        runs = [exp.submit(ScriptRunConfig(source_directory='src', script='wait.py')) for _ in range(2)]
        details = [r.wait_for_completion() for r in runs]
        a, b = details
        print('OVERLAP', a['startTimeUtc'] < b['endTimeUtc'] and b['startTimeUtc'] < a['endTimeUtc'])
    """)
    assert result.returncode == 0, result.stderr
    assert "OVERLAP True" in result.stdout


def test_offline_run_context_prints_attempts(configured):
    result = run_learner_script(configured, """
        from azureml.core import Run
        run = Run.get_context()
        run.log('accuracy', 0.9)
        print(run.id.startswith('OfflineRun_'))
    """)
    assert "Attempted to log scalar metric accuracy:\n0.9" in result.stdout and "True" in result.stdout


def test_timeout_stops_a_run_and_fails_it(configured):
    (configured / "src" / "forever.py").write_text("import time\nwhile True:\n    time.sleep(0.1)\n")
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Experiment, ScriptRunConfig
        ws = Workspace.from_config()
        run = Experiment(ws, 'forever').submit(ScriptRunConfig(source_directory='src', script='forever.py',
                                                               max_run_duration_seconds=1))
        details = run.wait_for_completion(raise_on_error=False)
        print('STATUS', details['status'], details['error']['error']['code'])
    """)
    assert "STATUS Failed JobTimeout" in result.stdout, result.stderr


def test_snapshot_honours_amlignore(configured):
    (configured / "src" / "big_data.csv").write_text("x\n1\n")
    (configured / "src" / ".amlignore").write_text("*.csv\n")
    (configured / "src" / "list.py").write_text("import os\nprint(sorted(os.listdir('.')))\n")
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Experiment, ScriptRunConfig
        ws = Workspace.from_config()
        run = Experiment(ws, 'snap').submit(ScriptRunConfig(source_directory='src', script='list.py'))
        run.wait_for_completion()
        run.download_file('user_logs/std_log.txt', 'log.txt')
    """)
    assert result.returncode == 0, result.stderr
    listing = (configured / "log.txt").read_text()
    assert "list.py" in listing and "big_data.csv" not in listing


def test_notebook_mlflow_runs_land_in_the_workspace(configured):
    first = dp100("python", "-c", "import mlflow; mlflow.set_experiment('notebook-exp')\n"
                  "with mlflow.start_run():\n    mlflow.log_metric('auc', 0.91)", cwd=configured)
    assert first.returncode == 0, first.stderr
    second = dp100("python", "-c", "import mlflow; df = mlflow.search_runs(experiment_names=['notebook-exp'],"
                   " filter_string='metrics.auc > 0.9'); print('FOUND', len(df))", cwd=configured)
    assert "FOUND 1" in second.stdout, second.stderr


def test_models_logged_with_mlflow_log_model_can_be_registered_from_the_job(configured):
    (configured / "src" / "log_model.py").write_text(
        "import mlflow\nfrom sklearn.linear_model import LinearRegression\n"
        "m = LinearRegression().fit([[0], [1], [2]], [0, 1, 2])\n"
        "mlflow.sklearn.log_model(m, name='model')\n")
    result = run_learner_script(configured, """
        from azure.identity import DefaultAzureCredential
        from azure.ai.ml import MLClient, command
        from azure.ai.ml.constants import AssetTypes
        from azure.ai.ml.entities import Model
        ml_client = MLClient.from_config(DefaultAzureCredential())
        job = ml_client.jobs.create_or_update(command(code='./src', command='python log_model.py', experiment_name='lm'))
        from sandbox import jobs
        from sandbox.workspace import current_workspace
        print('STATUS', jobs.wait(current_workspace(), job.name).status)
        a = ml_client.models.create_or_update(Model(name='lm', type=AssetTypes.MLFLOW_MODEL,
                                                    path=f'azureml://jobs/{job.name}/outputs/artifacts/paths/model/'))
        b = ml_client.models.create_or_update(Model(name='lm', type=AssetTypes.MLFLOW_MODEL, path=f'runs:/{job.name}/model'))
        print('VERSIONS', a.version, b.version)
    """)
    assert result.returncode == 0, result.stderr
    assert "STATUS Completed" in result.stdout and "VERSIONS 1 2" in result.stdout
