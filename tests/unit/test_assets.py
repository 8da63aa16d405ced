"""The versioned-asset rules shared by data assets, environments and models."""
import pytest

from sandbox import data, models
from sandbox.errors import AlreadyExists, InvalidInput, NotFound


@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("x,y\n1,2\n")
    return path


def test_versions_count_up_from_one_and_latest_is_the_newest(ws, csv):
    first = data.create_or_update(ws, "d", str(csv), data.URI_FILE)
    second = data.create_or_update(ws, "d", str(csv), data.URI_FILE, version="7")
    third = data.create_or_update(ws, "d", str(csv), data.URI_FILE)
    assert (first.version, second.version, third.version) == ("1", "7", "8")
    assert data.get(ws, "d", label="latest").version == "8"


def test_a_version_is_immutable_unless_the_definition_is_the_same(ws, csv, tmp_path):
    data.create_or_update(ws, "d", str(csv), data.URI_FILE, version="1")
    assert data.create_or_update(ws, "d", str(csv), data.URI_FILE, version="1").version == "1"
    other = tmp_path / "b.csv"
    other.write_text("x\n3\n")
    with pytest.raises(AlreadyExists, match="immutable"):
        data.create_or_update(ws, "d", str(other), data.URI_FILE, version="1")


def test_archived_versions_leave_latest_and_listings_and_come_back_on_restore(ws, csv):
    data.create_or_update(ws, "d", str(csv), data.URI_FILE)
    data.create_or_update(ws, "d", str(csv), data.URI_FILE, version="2")
    data.set_archived(ws, "d", "2", True)
    assert data.get(ws, "d", label="latest").version == "1"
    assert [a.version for a in data.list_assets(ws, "d")] == ["1"]
    assert [a.version for a in data.list_assets(ws, "d", include_archived=True)] == ["1", "2"]
    data.set_archived(ws, "d", None, True)
    assert data.list_assets(ws) == []
    data.set_archived(ws, "d", None, False)
    assert data.get(ws, "d", label="latest").version == "2"


def test_version_and_label_together_or_neither_are_refused(ws, csv):
    data.create_or_update(ws, "d", str(csv), data.URI_FILE)
    with pytest.raises(InvalidInput, match="both"):
        data.get(ws, "d", version="1", label="latest")
    with pytest.raises(InvalidInput, match="either version or label"):
        data.get(ws, "d")
    with pytest.raises(InvalidInput, match="only label"):
        data.get(ws, "d", label="production")


def test_missing_versions_name_the_ones_that_exist(ws, csv):
    data.create_or_update(ws, "d", str(csv), data.URI_FILE)
    with pytest.raises(NotFound, match="Versions of 'd': 1"):
        data.get(ws, "d", version="5")
    with pytest.raises(NotFound):
        data.set_archived(ws, "nothing", None, True)


def test_models_share_the_rules_with_integer_versions(ws, csv):
    one = models.register(ws, "m", csv)
    two = models.register(ws, "m", csv)
    assert (one.version, two.version) == (1, 2)
    models.set_archived(ws, "m", 2, True)
    assert models.get(ws, "m").version == 1
    assert models.get(ws, "m", "latest").version == 1
    assert models.get(ws, "m", 2).archived
    with pytest.raises(InvalidInput, match="already exists"):
        models.register(ws, "m", csv, version=1)
