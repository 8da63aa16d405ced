"""Workspace security enforced: identities, roles (built-in and custom), the Key Vault, identity-based data."""
import json
import re
from pathlib import Path

import pytest

from tests.conftest import dp100, run_learner_script

pytestmark = pytest.mark.scenario


@pytest.fixture
def configured(project):
    assert dp100("sandbox", "config", cwd=project).returncode == 0
    (project / "src").mkdir()
    (project / "src" / "hello.py").write_text("print('hello from the job')\n")
    return project


def _sp(project, name: str, role: str | None = None, *extra: str) -> dict:
    result = dp100("sandbox", "sp", "create", name, *extra, cwd=project)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    found = {"tenant": re.search(r"tenant id (\S+)", text)[1], "client": re.search(r"client id \(appId\) (\S+)", text)[1],
             "secret": re.search(r"client secret (\S+)", text)[1]}
    if role:
        assert dp100("sandbox", "role", "assign", name, role, cwd=project).returncode == 0
    return found


def _status(project) -> dict:
    return json.loads(dp100("sandbox", "status", "--json", cwd=project).stdout)


AS_SP = """
import json, sys
from azure.identity import ClientSecretCredential
from azure.ai.ml import MLClient, command
from azure.ai.ml.entities import AmlCompute
from azure.core.exceptions import HttpResponseError
sp = json.loads(sys.argv[1])
cred = ClientSecretCredential(sp['tenant'], sp['client'], sp['secret'])
ml = MLClient.from_config(cred)
"""


def test_a_data_scientist_submits_jobs_but_cannot_create_compute(configured):
    sp = _sp(configured, "scientist", "AzureML Data Scientist")
    result = run_learner_script(configured, AS_SP + """
try:
    ml.compute.begin_create_or_update(AmlCompute(name='my-cluster', size='STANDARD_DS11_V2', max_instances=2)).result()
    print('CREATED')
except HttpResponseError as e:
    print('REFUSED', e.status_code, e.message)
job = ml.jobs.create_or_update(command(code='./src', command='python hello.py', experiment_name='sec'))
from sandbox import jobs; from sandbox.workspace import current_workspace
print('JOB', jobs.wait(current_workspace(), job.name).status)
""", "script.py", json.dumps(sp))
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "REFUSED 403" in out and "AuthorizationFailed" in out
    assert "Microsoft.MachineLearningServices/workspaces/computes/write" in out and sp["client"] in out
    assert "JOB Completed" in out


def test_a_reader_reads_but_is_refused_writes(configured, tmp_path):
    sp = _sp(configured, "auditor", "Reader")
    (configured / "data.csv").write_text("a,b\n1,2\n")
    result = run_learner_script(configured, AS_SP + """
from azure.ai.ml.entities import Data
print('DATASTORES', len(list(ml.datastores.list())))
try:
    ml.data.create_or_update(Data(name='d', path='./data.csv', type='uri_file'))
except HttpResponseError as e:
    print('REFUSED', e.status_code)
""", "script.py", json.dumps(sp))
    assert result.returncode == 0, result.stderr
    assert "DATASTORES 2" in result.stdout and "REFUSED 403" in result.stdout


def test_a_custom_role_with_not_actions_and_a_principal_with_no_role(configured):
    role = {"Name": "Job Submitter", "IsCustom": True, "Description": "Submit jobs, nothing else",
            "Actions": ["Microsoft.MachineLearningServices/workspaces/*/read",
                        "Microsoft.MachineLearningServices/workspaces/jobs/*",
                        "Microsoft.MachineLearningServices/workspaces/environments/*"],
            "NotActions": ["Microsoft.MachineLearningServices/workspaces/jobs/cancel/action"],
            "AssignableScopes": ["/subscriptions/" + _status(configured)["subscription_id"]]}
    (configured / "role.json").write_text(json.dumps(role))
    assert dp100("sandbox", "role", "create", "--file", "role.json", cwd=configured).returncode == 0
    sp = _sp(configured, "submitter", "Job Submitter")
    nobody = _sp(configured, "nobody")
    result = run_learner_script(configured, AS_SP + """
job = ml.jobs.create_or_update(command(code='./src', command='python hello.py', experiment_name='sec'))
print('SUBMITTED')
try:
    ml.jobs.begin_cancel(job.name)
except HttpResponseError as e:
    print('CANCEL REFUSED', e.status_code)
other = MLClient.from_config(ClientSecretCredential(**json.loads(sys.argv[2])))
try:
    list(other.jobs.list())
except HttpResponseError as e:
    print('NO ROLE REFUSED', e.status_code)
""", "script.py", json.dumps(sp), json.dumps({"tenant_id": nobody["tenant"], "client_id": nobody["client"],
                                               "client_secret": nobody["secret"]}))
    assert result.returncode == 0, result.stderr
    assert "SUBMITTED" in result.stdout and "CANCEL REFUSED 403" in result.stdout
    assert "NO ROLE REFUSED 403" in result.stdout


def test_a_wrong_secret_then_an_expired_one(configured):
    sp = _sp(configured, "shortlived", "Contributor", "--days", "1")
    wrong = {**sp, "secret": "not-the-secret"}
    script = """
import json, sys
from azure.identity import ClientSecretCredential
from azure.ai.ml import MLClient
from azure.core.exceptions import ClientAuthenticationError
sp = json.loads(sys.argv[1])
try:
    ml = MLClient.from_config(ClientSecretCredential(sp['tenant'], sp['client'], sp['secret']))
    print('OK', len(list(ml.jobs.list())))
except ClientAuthenticationError as e:
    print('AUTH FAILED', e.message)
"""
    out = run_learner_script(configured, script, "auth.py", json.dumps(wrong)).stdout
    assert "AUTH FAILED" in out and "AADSTS7000215" in out and sp["client"] in out
    assert "OK 0" in run_learner_script(configured, script, "auth.py", json.dumps(sp)).stdout
    assert dp100("sandbox", "clock", "advance", str(2 * 86400), cwd=configured).returncode == 0
    out = run_learner_script(configured, script, "auth.py", json.dumps(sp)).stdout
    assert "AUTH FAILED" in out and "expired" in out


def test_key_vault_round_trips_and_a_job_reads_a_secret_that_never_reaches_its_logs(configured):
    value = "Server=tcp:db;Password=s3cr3t-Value-9137"
    (configured / "src" / "use_secret.py").write_text(
        "from azureml.core import Run\nrun = Run.get_context()\nsecret = run.get_secret('db-conn')\n"
        "print('secret length', len(secret))\nprint('ok' if secret.startswith('Server=') else 'bad')\n")
    result = run_learner_script(configured, f"""
from azureml.core import Workspace, Experiment, ScriptRunConfig, Run
ws = Workspace.from_config()
kv = ws.get_default_keyvault()
kv.set_secret('db-conn', {value!r})
print('V1', kv.get_secret('db-conn') == {value!r}, kv.get_secrets(['db-conn', 'missing'])['missing'])
print('NAMES', kv.list_secrets())
from azure.identity import DefaultAzureCredential
from azure.keyvault.secrets import SecretClient
from azure.ai.ml import MLClient
vault = MLClient.from_config(DefaultAzureCredential()).workspaces.get(ws.name).key_vault.rsplit('/', 1)[-1]
client = SecretClient(vault_url=f'https://{{vault}}.vault.azure.net/', credential=DefaultAzureCredential())
client.set_secret('api-key', 'k-123')
print('V2', client.get_secret('db-conn').value == {value!r}, [p.name for p in client.list_properties_of_secrets()])
try:
    Run.get_context().get_secret('db-conn')
except Exception as e:
    print('OFFLINE', type(e).__name__)
run = Experiment(ws, 'secrets').submit(ScriptRunConfig(source_directory='src', script='use_secret.py'))
run.wait_for_completion()
print('JOB', run.get_status())
""")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "V1 True None" in out and "'db-conn'" in out and value not in out.split("NAMES", 1)[1].split("\n")[0]
    v2 = out.split("V2 ", 1)[1].split("\n")[0]
    assert v2.startswith("True") and "'api-key'" in v2 and "'db-conn'" in v2 and "OFFLINE UserErrorException" in out
    assert "JOB Completed" in out
    workspace = Path(_status(configured)["path"])
    log = next(workspace.glob("jobs/*/logs/user_logs/std_log.txt")).read_text()
    assert f"secret length {len(value)}" in log and "ok" in log
    for path in workspace.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert value.encode() not in data and b"k-123" not in data, path


def test_an_identity_based_datastore_needs_a_blob_data_role_for_the_job_identity(configured):
    result = run_learner_script(configured, """
import json
from azure.identity import DefaultAzureCredential
from azure.ai.ml import MLClient, command, Input
from azure.ai.ml.entities import AzureBlobDatastore, AmlCompute, IdentityConfiguration, ManagedIdentityConfiguration
ml = MLClient.from_config(DefaultAzureCredential())
ml.create_or_update(AzureBlobDatastore(name='secure_data', account_name='securestore', container_name='records'))
from sandbox import datastores; from sandbox.workspace import current_workspace
ws = current_workspace()
folder = datastores.root(ws, 'secure_data'); (folder / 'rows.csv').write_text('a\\n1\\n')
ml.compute.begin_create_or_update(AmlCompute(name='mi-cluster', size='STANDARD_DS11_V2', max_instances=1,
                                             identity=IdentityConfiguration(type='system_assigned'))).result()
def submit():
    job = ml.jobs.create_or_update(command(code='./src', command='cat ${{inputs.rows}}', compute='mi-cluster',
        inputs={'rows': Input(type='uri_file', path='azureml://datastores/secure_data/paths/rows.csv')},
        identity=ManagedIdentityConfiguration(), experiment_name='secure'))
    from sandbox import jobs
    return jobs.wait(ws, job.name)
first = submit()
print('FIRST', first.status, first.error['code'] if first.error else None)
from sandbox.security import principals
print(json.dumps({'identity': principals.system_identity(ws, 'mi-cluster').object_id}))
""")
    assert result.returncode == 0, result.stderr
    assert "FIRST Failed AuthorizationFailed" in result.stdout
    identity = json.loads(result.stdout.strip().splitlines()[-1])["identity"]
    assert dp100("sandbox", "role", "assign", identity, "Storage Blob Data Reader", cwd=configured).returncode == 0
    again = run_learner_script(configured, """
from azure.identity import DefaultAzureCredential
from azure.ai.ml import MLClient, command, Input
from azure.ai.ml.entities import ManagedIdentityConfiguration
ml = MLClient.from_config(DefaultAzureCredential())
job = ml.jobs.create_or_update(command(code='./src', command='cat ${{inputs.rows}}', compute='mi-cluster',
    inputs={'rows': Input(type='uri_file', path='azureml://datastores/secure_data/paths/rows.csv')},
    identity=ManagedIdentityConfiguration(), experiment_name='secure'))
from sandbox import jobs; from sandbox.workspace import current_workspace
print('SECOND', jobs.wait(current_workspace(), job.name).status)
""")
    assert "SECOND Completed" in again.stdout, again.stdout + again.stderr
