"""Lab manifests: the shipped labs are valid; a malformed lab is reported with its file and problem."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from labs.manifest import LABS_ROOT, LabInvalid, LabNotFound, discover, load


def copy_lab(tmp_path: Path, lab_id: str = "workspace-datastores") -> Path:
    target = tmp_path / "labs" / lab_id
    shutil.copytree(LABS_ROOT / lab_id, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_shipped_labs_are_valid_and_ordered():
    catalog = discover()
    assert catalog.problems == []
    ids = [lab.id for lab in catalog.labs]
    assert ids[:5] == ["workspace-datastores", "datasets-v1", "data-assets", "experiments-runs", "command-job-mlflow"]
    for lab in catalog.labs:
        assert lab.summary()["sdk"] in ("v1", "v2") and lab.manifest.hints and lab.instructions().startswith("# Lab:")


def test_unknown_field_is_reported_and_other_labs_still_load(tmp_path):
    bad = copy_lab(tmp_path)
    copy_lab(tmp_path, "datasets-v1")
    (bad / "lab.yaml").write_text((bad / "lab.yaml").read_text() + "difficulty: hard\n")
    catalog = discover(tmp_path / "labs")
    assert [lab.id for lab in catalog.labs] == ["datasets-v1"]
    (problem,) = catalog.problems
    assert problem.file == bad / "lab.yaml" and "difficulty" in problem.message and "unknown field" in problem.message
    with pytest.raises(LabInvalid, match="difficulty"):
        catalog.get("workspace-datastores")


def test_bad_yaml_names_the_line(tmp_path):
    bad = copy_lab(tmp_path)
    (bad / "lab.yaml").write_text("id: workspace-datastores\ntitle: [unclosed\n")
    with pytest.raises(LabInvalid) as info:
        load(bad)
    assert info.value.problem.file.name == "lab.yaml" and "not valid YAML" in str(info.value) and "line" in str(info.value)


def test_missing_entry_point_is_reported(tmp_path):
    bad = copy_lab(tmp_path)
    (bad / "solution" / "lab.py").unlink()
    with pytest.raises(LabInvalid, match="solution/ must contain the entry point"):
        load(bad)


def test_missing_checks_and_wrong_id_are_reported(tmp_path):
    bad = copy_lab(tmp_path)
    (bad / "checks.py").unlink()
    with pytest.raises(LabInvalid, match="checks.py: missing"):
        load(bad)
    other = copy_lab(tmp_path, "datasets-v1")
    (other / "lab.yaml").write_text((other / "lab.yaml").read_text().replace("id: datasets-v1", "id: other-id"))
    with pytest.raises(LabInvalid, match="must equal the folder name"):
        load(other)


def test_invalid_values_are_explained(tmp_path):
    bad = copy_lab(tmp_path)
    text = (bad / "lab.yaml").read_text().replace("topic: datastores", "topic: cooking").replace("sdk: v1", "sdk: v3")
    (bad / "lab.yaml").write_text(text)
    with pytest.raises(LabInvalid) as info:
        load(bad)
    assert "topic" in str(info.value) and "sdk" in str(info.value)


def test_unknown_lab_lists_the_known_ones():
    with pytest.raises(LabNotFound, match="workspace-datastores"):
        discover().get("no-such-lab")


def test_labs_engine_never_imports_textual_or_course():
    code = ("import sys, labs.grader, labs.batch, labs.render, labs.folder, labs.progress;"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'course')]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
