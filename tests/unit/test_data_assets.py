import pytest

from sandbox import data, datastores, uris
from sandbox.errors import AlreadyExists, InvalidInput, NotFound


@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "diabetes.csv"
    path.write_text("a,b\n1,2\n3,4\n")
    return path


def test_versions_must_be_strings(ws, csv):
    with pytest.raises(InvalidInput, match='version="1"'):
        data.create_or_update(ws, "d", str(csv), data.URI_FILE, version=1)  # type: ignore[arg-type]


def test_no_version_gives_the_next_one(ws, csv):
    assert data.create_or_update(ws, "d", str(csv), data.URI_FILE).version == "1"
    assert data.create_or_update(ws, "d", str(csv), data.URI_FILE, version="7").version == "7"
    assert data.create_or_update(ws, "d", str(csv), data.URI_FILE).version == "8"


def test_a_version_is_immutable(ws, csv, tmp_path):
    data.create_or_update(ws, "d", str(csv), data.URI_FILE, version="1")
    other = tmp_path / "other.csv"
    other.write_text("x\n1\n")
    with pytest.raises(AlreadyExists, match="immutable"):
        data.create_or_update(ws, "d", str(other), data.URI_FILE, version="1")
    # the same definition again is accepted and changes nothing
    assert data.create_or_update(ws, "d", str(csv), data.URI_FILE, version="1").version == "1"


def test_local_files_are_uploaded_once_under_localupload(ws, csv):
    first = data.create_or_update(ws, "d", str(csv), data.URI_FILE)
    second = data.create_or_update(ws, "e", str(csv), data.URI_FILE)
    assert first.path == second.path
    assert "/datastores/workspaceblobstore/paths/LocalUpload/" in first.path
    local = uris.resolve(ws, first.path)
    assert local.read_text() == csv.read_text()
    uploads = list((datastores.root(ws, "workspaceblobstore") / "LocalUpload").iterdir())
    assert len(uploads) == 1


def test_type_must_match_what_the_path_is(ws, csv):
    with pytest.raises(InvalidInput, match="uri_folder"):
        data.create_or_update(ws, "d", str(csv.parent), data.URI_FILE)
    with pytest.raises(InvalidInput, match="uri_file"):
        data.create_or_update(ws, "d", str(csv), data.URI_FOLDER)
    with pytest.raises(InvalidInput, match="MLTable file"):
        data.create_or_update(ws, "d", str(csv.parent), data.MLTABLE)


def test_get_needs_exactly_one_of_version_and_label(ws, csv):
    data.create_or_update(ws, "d", str(csv), data.URI_FILE)
    with pytest.raises(InvalidInput, match="either version or label"):
        data.get(ws, "d")
    with pytest.raises(InvalidInput, match="both"):
        data.get(ws, "d", version="1", label="latest")
    assert data.get(ws, "d", label="latest").version == "1"
    with pytest.raises(NotFound):
        data.get(ws, "d", version="2")


def test_latest_is_the_most_recently_created_version(ws, csv):
    data.create_or_update(ws, "d", str(csv), data.URI_FILE, version="10")
    data.create_or_update(ws, "d", str(csv), data.URI_FILE, version="2")
    assert data.get(ws, "d", label="latest").version == "2"
    assert [a.version for a in data.list_assets(ws, "d")] == ["10", "2"]


def test_missing_local_path_is_reported(ws, tmp_path):
    with pytest.raises(NotFound, match="does not exist"):
        data.create_or_update(ws, "d", str(tmp_path / "nope.csv"), data.URI_FILE)


def test_datastore_paths_are_kept_as_uris(ws, csv):
    datastores.upload(ws, "workspaceblobstore", [(csv, "data/diabetes.csv")])
    asset = data.create_or_update(ws, "d", "azureml://datastores/workspaceblobstore/paths/data/diabetes.csv", data.URI_FILE)
    assert asset.path == "azureml://datastores/workspaceblobstore/paths/data/diabetes.csv"
