"""v2 learner scripts (azure-ai-ml, azure-identity, mltable) run through `dp100 run`."""
import json

import pytest

from tests.conftest import dp100, run_learner_script

pytestmark = pytest.mark.scenario

CONNECT = """
from azure.identity import DefaultAzureCredential, InteractiveBrowserCredential
from azure.ai.ml import MLClient
try:
    credential = DefaultAzureCredential()
    credential.get_token("https://management.azure.com/.default")
except Exception as ex:
    credential = InteractiveBrowserCredential()
ml_client = MLClient.from_config(credential=credential)
"""


@pytest.fixture
def configured(project):
    assert dp100("sandbox", "config", cwd=project).returncode == 0
    return project


def test_data_assets_file_folder_and_mltable(configured):
    result = run_learner_script(configured, CONNECT + """
from azure.ai.ml.entities import Data
from azure.ai.ml.constants import AssetTypes
import mltable, shutil
f = ml_client.data.create_or_update(Data(path="./data/diabetes.csv", type=AssetTypes.URI_FILE, name="diabetes-file",
                                         description="one file", version="1"))
g = ml_client.data.create_or_update(Data(path="./data/", type=AssetTypes.URI_FOLDER, name="diabetes-folder"))
shutil.copytree("data", "table")
mltable.from_delimited_files(paths=[{"pattern": "./table/*.csv"}]).save("./table")
t = ml_client.data.create_or_update(Data(path="./table", type=AssetTypes.MLTABLE, name="diabetes-table"))
again = ml_client.data.create_or_update(Data(path="./data/diabetes.csv", type=AssetTypes.URI_FILE, name="diabetes-file"))
print("VERSIONS", f.version, g.version, t.version, again.version)
latest = ml_client.data.get("diabetes-table", label="latest")
df = mltable.load(f"azureml:diabetes-table:{latest.version}").to_pandas_dataframe()
print("ROWS", len(df))
import pandas as pd
print("PANDAS", len(pd.read_csv(ml_client.data.get("diabetes-file", version="1").path)))
print("ID", f.id)
""")
    assert result.returncode == 0, result.stderr
    assert "VERSIONS 1 1 1 2" in result.stdout
    assert "ROWS 250" in result.stdout and "PANDAS 200" in result.stdout
    assert "/data/diabetes-file/versions/1" in result.stdout
    listing = json.loads(dp100("sandbox", "ls", "data", "--json", cwd=configured).stdout)
    assert {a["name"]: a["type"] for a in listing} == {
        "diabetes-file": "uri_file", "diabetes-folder": "uri_folder", "diabetes-table": "mltable"}
    assert all("/LocalUpload/" in a["path"] for a in listing)


def test_misuse_raises_the_sdk_exception_types(configured):
    result = run_learner_script(configured, CONNECT + """
from azure.ai.ml.entities import Data
from azure.ai.ml.constants import AssetTypes
from azure.core.exceptions import ResourceNotFoundError
from azure.ai.ml.exceptions import ValidationException
for call in (
    lambda: ml_client.data.create_or_update(Data(name="x", path="./data/diabetes.csv", type=AssetTypes.URI_FILE, version=1)),
    lambda: ml_client.data.get("x"),
    lambda: ml_client.data.get("missing", version="1"),
    lambda: ml_client.data.create_or_update(Data(name="x", path="./data", type=AssetTypes.URI_FILE)),
):
    try:
        call()
    except (ValidationException, ResourceNotFoundError) as e:
        print(type(e).__name__, "|", e)
""")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ValidationException | Data version must be a string")
    assert lines[1].startswith("ValidationException | Must provide either version or label")
    assert lines[2].startswith("ResourceNotFoundError | Data asset missing:1")
    assert lines[3].startswith("ValidationException | A uri_file data asset must point at a file")


def test_register_blob_datastore_v2_and_read_through_it(configured):
    result = run_learner_script(configured, CONNECT + """
from azure.ai.ml.entities import AzureBlobDatastore, AccountKeyConfiguration, Data
store = AzureBlobDatastore(name="blob_training_data", account_name="dp100storage", container_name="training-data",
                           credentials=AccountKeyConfiguration(account_key="TOPSECRET=="))
ml_client.create_or_update(store)
got = ml_client.datastores.get("blob_training_data")
print("CRED", type(got.credentials).__name__, got.credentials.account_key)
print("NAMES", sorted(d.name for d in ml_client.datastores.list()))
print("DEFAULT", ml_client.datastores.get_default().name)
print("WITH_SECRETS", ml_client.datastores.get("blob_training_data", include_secrets=True).credentials.account_key == "TOPSECRET==")
""")
    assert result.returncode == 0, result.stderr
    assert "CRED AccountKeyConfiguration None" in result.stdout
    assert "NAMES ['blob_training_data', 'workspaceblobstore', 'workspacefilestore']" in result.stdout
    assert "DEFAULT workspaceblobstore" in result.stdout and "WITH_SECRETS True" in result.stdout
    assert "TOPSECRET" not in result.stdout


def test_mlclient_with_explicit_coordinates_and_wrong_workspace(configured):
    config = json.loads((configured / "config.json").read_text())
    result = run_learner_script(configured, f"""
from azure.identity import DefaultAzureCredential
from azure.ai.ml import MLClient
from azure.core.exceptions import ResourceNotFoundError
ok = MLClient(DefaultAzureCredential(), "{config['subscription_id']}", "{config['resource_group']}", "{config['workspace_name']}")
print("OK", len(list(ok.datastores.list())))
bad = MLClient(DefaultAzureCredential(), "{config['subscription_id']}", "{config['resource_group']}", "elsewhere")
try:
    list(bad.data.list())
except ResourceNotFoundError as e:
    print("NOTFOUND", e)
""")
    assert result.returncode == 0, result.stderr
    assert "OK 2" in result.stdout and "NOTFOUND" in result.stdout and "dp100 sandbox config" in result.stdout


def test_missing_config_v2(project):
    result = run_learner_script(project, CONNECT)
    assert "ValidationException: We could not find config.json" in result.stderr
