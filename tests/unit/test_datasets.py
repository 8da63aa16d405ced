import pytest

from sandbox import datasets, datastores
from sandbox.datasets import Definition
from sandbox.errors import AlreadyExists, NotFound


@pytest.fixture
def uploaded(ws, tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("a,b\n" + "\n".join(f"{i},{i * 2}" for i in range(100)) + "\n")
    datastores.upload(ws, "workspaceblobstore", [(f, "data/d1.csv"), (f, "data/d2.csv")])
    return Definition(datasets.TABULAR, ["azureml://datastores/workspaceblobstore/paths/data/*.csv"], {"format": "delimited"})


def test_registering_a_name_again_needs_create_new_version(ws, uploaded):
    datasets.register(ws, uploaded, "diabetes")
    with pytest.raises(AlreadyExists, match="create_new_version=True"):
        datasets.register(ws, uploaded.with_step("take", 5), "diabetes")
    assert datasets.register(ws, uploaded.with_step("take", 5), "diabetes", create_new_version=True).version == 2


def test_registering_an_identical_definition_keeps_the_version(ws, uploaded):
    first = datasets.register(ws, uploaded, "diabetes")
    again = datasets.register(ws, uploaded, "diabetes", create_new_version=True)
    assert (again.version, again.dataset_id) == (first.version, first.dataset_id) == (1, first.dataset_id)


def test_old_versions_stay_readable(ws, uploaded):
    datasets.register(ws, uploaded, "diabetes")
    datasets.register(ws, uploaded.with_step("drop_columns", ["b"]), "diabetes", create_new_version=True)
    v1 = datasets.to_dataframe(ws, datasets.get(ws, "diabetes", 1).definition)
    latest = datasets.to_dataframe(ws, datasets.get(ws, "diabetes").definition)
    assert list(v1.columns) == ["a", "b"] and list(latest.columns) == ["a"]
    assert len(v1) == 200


def test_random_split_is_deterministic_and_complementary(ws, uploaded):
    a = datasets.to_dataframe(ws, uploaded.with_step("random_split", {"percentage": 0.7, "seed": 3, "part": 0}))
    b = datasets.to_dataframe(ws, uploaded.with_step("random_split", {"percentage": 0.7, "seed": 3, "part": 1}))
    again = datasets.to_dataframe(ws, uploaded.with_step("random_split", {"percentage": 0.7, "seed": 3, "part": 0}))
    assert len(a) + len(b) == 200 and a.equals(again)
    assert 100 < len(a) < 180


def test_missing_version_names_the_dataset(ws, uploaded):
    datasets.register(ws, uploaded, "diabetes")
    with pytest.raises(NotFound, match='"diabetes" \\(version: 4\\)'):
        datasets.get(ws, "diabetes", 4)


def test_files_outside_any_match_are_reported(ws):
    d = Definition(datasets.FILE, ["azureml://datastores/workspaceblobstore/paths/none/*.csv"])
    with pytest.raises(NotFound, match="Cannot load any data"):
        datasets.files_of(ws, d)


def test_file_dataset_paths_are_relative_to_the_glob_folder(ws, uploaded):
    d = Definition(datasets.FILE, ["azureml://datastores/workspaceblobstore/paths/data/*.csv"])
    assert [rel for _, rel in datasets.files_of(ws, d)] == ["d1.csv", "d2.csv"]
