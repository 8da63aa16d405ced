import pytest

from sandbox import datastores
from sandbox.errors import InvalidInput, NotFound


def test_a_new_workspace_has_the_two_default_datastores(ws):
    names = {d.name: d for d in datastores.list_all(ws)}
    assert set(names) == {"workspaceblobstore", "workspacefilestore"}
    assert names["workspaceblobstore"].is_default
    assert datastores.get_default(ws).name == "workspaceblobstore"


def test_secrets_are_stored_but_never_listed(ws):
    datastores.register(ws, "blob_data", datastores.BLOB, "acct", "c", "AccountKey", {"account_key": "s3cret"})
    assert all(d.secret is None for d in datastores.list_all(ws))
    assert datastores.get(ws, "blob_data").secret is None
    assert datastores.get(ws, "blob_data", with_secret=True).secret == {"account_key": "s3cret"}


def test_two_datastores_on_one_container_share_files(ws, tmp_path):
    datastores.register(ws, "one", datastores.BLOB, "acct", "c")
    datastores.register(ws, "two", datastores.BLOB, "acct", "c")
    f = tmp_path / "x.txt"
    f.write_text("hi")
    datastores.upload(ws, "one", [(f, "a/x.txt")])
    assert datastores.list_files(ws, "two") == ["a/x.txt"]


def test_invalid_names_are_refused_with_an_example(ws):
    with pytest.raises(InvalidInput, match="underscores"):
        datastores.register(ws, "my-store", datastores.BLOB, "acct", "c")


def test_upload_skips_existing_files_unless_overwrite(ws, tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("one")
    lines: list[str] = []
    datastores.upload(ws, "workspaceblobstore", [(f, "x.txt")], progress=lines.append)
    f.write_text("two")
    datastores.upload(ws, "workspaceblobstore", [(f, "x.txt")], progress=lines.append)
    assert (datastores.root(ws, "workspaceblobstore") / "x.txt").read_text() == "one"
    assert "Target already exists. Skipping upload for x.txt" in lines
    datastores.upload(ws, "workspaceblobstore", [(f, "x.txt")], overwrite=True)
    assert (datastores.root(ws, "workspaceblobstore") / "x.txt").read_text() == "two"


def test_download_by_prefix(ws, tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("x")
    datastores.upload(ws, "workspaceblobstore", [(f, "data/x.txt"), (f, "other/y.txt")])
    assert datastores.download(ws, "workspaceblobstore", tmp_path / "out", prefix="data") == 1
    assert (tmp_path / "out" / "data" / "x.txt").exists()
    assert not (tmp_path / "out" / "other").exists()


def test_unknown_datastore_lists_the_existing_ones(ws):
    with pytest.raises(NotFound, match="workspaceblobstore"):
        datastores.get(ws, "nope")


def test_default_datastores_cannot_be_removed(ws):
    with pytest.raises(InvalidInput):
        datastores.unregister(ws, "workspaceblobstore")
