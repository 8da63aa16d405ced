"""v1 learner scripts, as written from Microsoft's docs, run through `dp100 run`."""
import json

import pytest

from tests.conftest import dp100, run_learner_script

pytestmark = pytest.mark.scenario


@pytest.fixture
def configured(project):
    assert dp100("sandbox", "config", cwd=project).returncode == 0
    return project


def test_upload_register_and_read_datasets(configured):
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Dataset
        ws = Workspace.from_config()
        default_ds = ws.get_default_datastore()
        default_ds.upload_files(files=['./data/diabetes.csv', './data/diabetes2.csv'],
                                target_path='diabetes-data/', overwrite=True, show_progress=True)
        tab = Dataset.Tabular.from_delimited_files(path=(default_ds, 'diabetes-data/*.csv'))
        tab = tab.register(workspace=ws, name='diabetes dataset', tags={'format': 'CSV'}, create_new_version=True)
        files = Dataset.File.from_files(path=(default_ds, 'diabetes-data/*.csv'))
        files = files.register(workspace=ws, name='diabetes file dataset', create_new_version=True)
        print("ROWS", len(tab.to_pandas_dataframe()))
        print("PATHS", files.to_path())
    """)
    assert result.returncode == 0, result.stderr
    assert "Uploaded 2 files" in result.stdout
    assert "ROWS 250" in result.stdout
    assert "PATHS ['/diabetes.csv', '/diabetes2.csv']" in result.stdout
    listing = json.loads(dp100("sandbox", "ls", "datasets", "--json", cwd=configured).stdout)
    assert {(d["name"], d["version"], d["kind"]) for d in listing} == {
        ("diabetes dataset", 1, "tabular"), ("diabetes file dataset", 1, "file")}


def test_new_version_then_read_version_one_again(configured):
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Dataset
        from azureml.exceptions import UserErrorException
        ws = Workspace.from_config()
        ds = ws.get_default_datastore()
        ds.upload(src_dir='data', target_path='diabetes', overwrite=True, show_progress=False)
        tab = Dataset.Tabular.from_delimited_files(path=[(ds, 'diabetes/diabetes.csv')])
        tab.register(ws, 'diabetes')
        try:
            tab.drop_columns(['BMI']).register(ws, 'diabetes')
        except UserErrorException as e:
            print("REFUSED", e)
        v2 = tab.drop_columns(['BMI']).register(ws, 'diabetes', create_new_version=True)
        v1 = Dataset.get_by_name(ws, 'diabetes', version=1)
        print("V2", v2.version, 'BMI' in v2.to_pandas_dataframe().columns)
        print("V1", v1.version, 'BMI' in v1.to_pandas_dataframe().columns)
        print("BYID", Dataset.get_by_id(ws, v1.id).version)
    """)
    assert result.returncode == 0, result.stderr
    assert "REFUSED" in result.stdout and "create_new_version=True" in result.stdout
    assert "V2 2 False" in result.stdout and "V1 1 True" in result.stdout and "BYID 1" in result.stdout


def test_register_blob_datastore_hides_the_key(configured):
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Datastore
        ws = Workspace.from_config()
        blob = Datastore.register_azure_blob_container(workspace=ws, datastore_name='training_blob',
            container_name='training', account_name='mystorage', account_key='VERYSECRETKEY==')
        print(blob.datastore_type, blob.container_name, blob.account_key)
        print(sorted(ws.datastores))
        print(Datastore.get(ws, 'training_blob'))
    """)
    assert result.returncode == 0, result.stderr
    assert "AzureBlob training None" in result.stdout
    assert "['training_blob', 'workspaceblobstore', 'workspacefilestore']" in result.stdout
    assert "VERYSECRETKEY" not in result.stdout
    listing = dp100("sandbox", "ls", "datastores", "--json", cwd=configured).stdout
    assert "VERYSECRETKEY" not in listing and "training_blob" in listing


def test_file_dataset_download_and_mount(configured):
    result = run_learner_script(configured, """
        import os
        from azureml.core import Workspace, Dataset
        ws = Workspace.from_config()
        ds = ws.get_default_datastore()
        ds.upload_files(['data/diabetes.csv'], target_path='raw', show_progress=False)
        files = Dataset.File.from_files((ds, 'raw/'))
        print("DL", files.download('downloaded', overwrite=True))
        with files.mount() as ctx:
            print("MOUNT", os.listdir(ctx.mount_point))
        try:
            Dataset.Tabular.from_delimited_files((ds, 'raw/diabetes.csv')).as_named_input('x').as_mount()
        except Exception as e:
            print(type(e).__name__, e)
    """)
    assert result.returncode == 0, result.stderr
    assert (configured / "downloaded" / "diabetes.csv").read_text() == (configured / "data" / "diabetes.csv").read_text()
    assert "MOUNT ['diabetes.csv']" in result.stdout
    assert "UserErrorException TabularDataset does not support mount" in result.stdout


def test_missing_config_gives_azures_error_and_the_sandbox_hint(project):
    result = run_learner_script(project, """
        from azureml.core import Workspace
        ws = Workspace.from_config()
    """)
    assert result.returncode != 0
    assert "UserErrorException: We could not find config.json in" in result.stderr
    assert "dp100 sandbox config" in result.stderr


def test_config_for_another_workspace_is_refused(project):
    (project / "config.json").write_text(json.dumps(
        {"subscription_id": "x", "resource_group": "rg", "workspace_name": "my-real-ws"}))
    result = run_learner_script(project, """
        from azureml.core import Workspace
        Workspace.from_config()
    """)
    assert "ProjectSystemException" in result.stderr and "my-real-ws" in result.stderr


def test_config_in_dot_azureml_of_a_parent_folder_is_found(project):
    dp100("sandbox", "config", ".azureml", cwd=project)
    sub = project / "notebooks"
    sub.mkdir()
    (sub / "s.py").write_text("from azureml.core import Workspace\nprint(Workspace.from_config().name)\n")
    result = dp100("run", "s.py", cwd=sub)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "dp100-workspace"


def test_validation_error_when_no_files_match(configured):
    result = run_learner_script(configured, """
        from azureml.core import Workspace, Dataset
        ws = Workspace.from_config()
        Dataset.Tabular.from_delimited_files(path=(ws.get_default_datastore(), 'nothing/*.csv'))
    """)
    assert "DatasetValidationError" in result.stderr and "validate=False" in result.stderr
