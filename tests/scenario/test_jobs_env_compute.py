"""Jobs meet environments and compute: image builds, missing modules, cluster queues."""
import json

import pytest

from tests.conftest import dp100, run_learner_script

pytestmark = pytest.mark.scenario

CONNECT = """
from azure.identity import DefaultAzureCredential
from azure.ai.ml import MLClient, command
from azure.ai.ml.entities import Environment, AmlCompute
ml_client = MLClient.from_config(DefaultAzureCredential())
"""


@pytest.fixture
def configured(project):
    assert dp100("sandbox", "config", cwd=project).returncode == 0
    (project / "src").mkdir()
    (project / "src" / "uses_pandas.py").write_text("import pandas as pd\nprint('pandas', pd.__version__ != '')\n")
    return project


def test_environment_that_cannot_be_built_fails_in_preparing(configured):
    result = run_learner_script(configured, CONNECT + """
env = Environment(name='broken-env', image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04',
                  conda_file={'dependencies': ['python=3.10', {'pip': ['scikit-learn', 'no-such-package-dp100']}]})
ml_client.environments.create_or_update(env)
job = ml_client.jobs.create_or_update(command(code='./src', command='python uses_pandas.py',
                                              environment='broken-env@latest', experiment_name='envs'))
from sandbox import jobs
from sandbox.workspace import current_workspace
record = jobs.wait(current_workspace(), job.name)
print('STATUS', record.status, record.error['code'])
print('MESSAGE', record.error['message'])
""")
    assert result.returncode == 0, result.stderr
    assert "STATUS Failed ImageBuildFailure" in result.stdout
    assert "no-such-package-dp100" in result.stdout


def test_module_missing_from_the_environment_fails_at_run_time(configured):
    result = run_learner_script(configured, CONNECT + """
env = Environment(name='tiny-env', image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04',
                  conda_file={'dependencies': ['python=3.10', {'pip': ['pyyaml']}]})
ml_client.environments.create_or_update(env)
job = ml_client.jobs.create_or_update(command(code='./src', command='python uses_pandas.py',
                                              environment='azureml:tiny-env:1', experiment_name='envs'))
from sandbox import jobs
from sandbox.workspace import current_workspace
record = jobs.wait(current_workspace(), job.name)
print('STATUS', record.status)
ok = ml_client.jobs.create_or_update(command(code='./src', command='python uses_pandas.py',
                                             environment='AzureML-sklearn-1.5@latest', experiment_name='envs'))
print('CURATED', jobs.wait(current_workspace(), ok.name).status)
""")
    assert result.returncode == 0, result.stderr
    assert "STATUS Failed" in result.stdout and "CURATED Completed" in result.stdout
    logs = list((configured.parent / "dp100-home" / "workspace" / "jobs").glob("*/logs/user_logs/std_log.txt"))
    texts = [p.read_text() for p in logs]
    assert any("ModuleNotFoundError: No module named 'pandas'" in t for t in texts)


def test_cluster_with_two_nodes_runs_at_most_two_of_four_jobs(configured):
    (configured / "src" / "hold.py").write_text(
        "import os, time, json\n"
        "d = os.path.join(os.environ['OUT_DIR'])\n"
        "os.makedirs(d, exist_ok=True)\n"
        "me = os.path.join(d, os.environ['AZUREML_RUN_ID'])\n"
        "open(me + '.start', 'w').write(str(time.time()))\n"
        "time.sleep(0.8)\n"
        "open(me + '.end', 'w').write(str(time.time()))\n")
    result = run_learner_script(configured, CONNECT + """
import os, time
cluster = AmlCompute(name='aml-cluster', size='STANDARD_DS11_V2', min_instances=0, max_instances=2)
ml_client.compute.begin_create_or_update(cluster).result()
out = os.path.abspath('marks')
names = []
for i in range(4):
    j = ml_client.jobs.create_or_update(command(code='./src', command='python hold.py', compute='aml-cluster',
                                                environment_variables={'OUT_DIR': out}, experiment_name='queue'))
    names.append(j.name)
seen_queued = False
from sandbox import jobs
from sandbox.workspace import current_workspace
ws = current_workspace()
while not all(jobs.get(ws, n).is_terminal for n in names):
    states = [jobs.get(ws, n).status for n in names]
    seen_queued = seen_queued or 'Queued' in states
    time.sleep(0.05)
print('STATES', [jobs.get(ws, n).status for n in names], 'QUEUED', seen_queued)
spans = []
for n in names:
    spans.append((float(open(os.path.join(out, n + '.start')).read()), float(open(os.path.join(out, n + '.end')).read())))
most = max(sum(1 for s, e in spans if s <= t < e) for t, _ in spans)
print('MOST_AT_ONCE', most)
""")
    assert result.returncode == 0, result.stderr
    assert "STATES ['Completed', 'Completed', 'Completed', 'Completed'] QUEUED True" in result.stdout
    assert "MOST_AT_ONCE 2" in result.stdout


def test_job_on_missing_compute_is_refused_at_submission(configured):
    # Azure's job service refuses a job whose compute does not exist (the CLI shows the same error)
    result = run_learner_script(configured, CONNECT + """
from azure.core.exceptions import HttpResponseError
try:
    ml_client.jobs.create_or_update(command(code='./src', command='python uses_pandas.py', compute='no-such-cluster'))
except HttpResponseError as e:
    print('REFUSED', type(e).__name__, '|', e)
from sandbox import jobs
from sandbox.workspace import current_workspace
print('JOBS', len(jobs.list_jobs(current_workspace())))
""")
    assert "REFUSED ResourceNotFoundError | Compute target 'no-such-cluster' was not found" in result.stdout
    assert "JOBS 0" in result.stdout


def test_python_dash_c_code_is_held_to_the_environment_too(configured):
    result = run_learner_script(configured, CONNECT + """
env = Environment(name='tiny-env', image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04',
                  conda_file={'dependencies': ['python=3.10', {'pip': ['pyyaml']}]})
ml_client.environments.create_or_update(env)
job = ml_client.jobs.create_or_update(command(code='./src', command='python -c "import pandas"',
                                              environment='azureml:tiny-env:1', experiment_name='envs'))
from sandbox import jobs
from sandbox.workspace import current_workspace
record = jobs.wait(current_workspace(), job.name)
print('STATUS', record.status, '|', record.error['message'])
""")
    assert "STATUS Failed" in result.stdout and "No module named 'pandas'" in result.stdout
