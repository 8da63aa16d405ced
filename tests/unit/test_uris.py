import pytest

from sandbox import datastores, uris
from sandbox.errors import InvalidInput, NotFound


def test_short_and_long_datastore_uris_name_the_same_file(ws):
    short = uris.parse("azureml://datastores/workspaceblobstore/paths/data/x.csv")
    long = uris.parse(uris.datastore_uri(ws, "workspaceblobstore", "data/x.csv"), ws)
    assert short == long == uris.DatastorePath("workspaceblobstore", "data/x.csv")
    assert uris.resolve(ws, "azureml://datastores/workspaceblobstore/paths/data/x.csv") == (
        datastores.root(ws, "workspaceblobstore") / "data" / "x.csv").resolve()


def test_asset_references_with_version_or_label():
    assert uris.parse("azureml:diabetes:3") == uris.AssetRef("diabetes", "3", None)
    assert uris.parse("azureml:diabetes@latest") == uris.AssetRef("diabetes", None, "latest")


def test_asset_reference_without_version_says_how_to_write_it():
    with pytest.raises(InvalidInput, match="azureml:<name>:<version>"):
        uris.parse("azureml:diabetes")


def test_storage_urls_map_to_the_registered_container(ws):
    datastores.register(ws, "blob_data", datastores.BLOB, "mystorage", "training")
    expected = datastores.root(ws, "blob_data").resolve() / "a.csv"
    assert uris.resolve(ws, "wasbs://training@mystorage.blob.core.windows.net/a.csv") == expected
    assert uris.resolve(ws, "https://mystorage.blob.core.windows.net/training/a.csv") == expected


def test_unknown_storage_account_is_not_found_with_advice(ws):
    with pytest.raises(NotFound, match="Register a datastore"):
        uris.resolve(ws, "https://other.blob.core.windows.net/c/a.csv")


def test_paths_that_escape_the_datastore_are_refused(ws):
    with pytest.raises(InvalidInput, match="outside the datastore"):
        uris.resolve(ws, "azureml://datastores/workspaceblobstore/paths/../../secrets/token.key")


def test_internet_urls_explain_there_is_no_network():
    with pytest.raises(InvalidInput, match="no internet access"):
        uris.parse("http://example.com/data.csv")


def test_uri_for_another_workspace_is_not_found(ws):
    with pytest.raises(NotFound, match="this sandbox workspace is"):
        uris.parse("azureml://subscriptions/s/resourcegroups/rg/workspaces/other/datastores/d/paths/p", ws)


def test_glob_base_is_the_folder_before_the_first_wildcard():
    from pathlib import Path

    assert uris.glob_base(Path("/a/b/*.csv")) == Path("/a/b")
    assert uris.glob_base(Path("/a/**/x/*.csv")) == Path("/a")
