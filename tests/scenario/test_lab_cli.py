"""`dp100 lab ...` and `dp100 grade` through the real CLI."""
from __future__ import annotations

import csv
import json
import shutil

import pytest

from labs.manifest import LABS_ROOT
from tests.conftest import dp100

pytestmark = pytest.mark.scenario
LAB = "workspace-datastores"


def test_list_json_has_the_fields_tools_need(home, tmp_path):
    result = dp100("lab", "list", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    labs = json.loads(result.stdout)
    assert {"id", "title", "topic", "sdk"} <= set(labs[0])
    assert LAB in [lab["id"] for lab in labs]
    only_data = json.loads(dp100("lab", "list", "--json", "--topic", "data", cwd=tmp_path).stdout)
    assert only_data and all(lab["topic"] == "data" for lab in only_data)


def test_start_check_hint_solution_reset(home, tmp_path):
    result = dp100("lab", "start", LAB, "mylab", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "mylab"
    assert "Workspace and datastores" in result.stdout
    assert json.loads((folder / ".dp100-lab").read_text())["lab"] == LAB
    assert (folder / "config.json").is_file() and (folder / "data" / "diabetes.csv").is_file()

    checked = dp100("lab", "check", "--json", cwd=folder)
    assert checked.returncode == 1
    report = json.loads(checked.stdout)
    assert report["status"] == "fail" and report["score"] < report["max_score"]

    first = dp100("lab", "hint", cwd=folder).stdout
    second = dp100("lab", "hint", cwd=folder).stdout
    assert "Hint 1 of" in first and "Hint 2 of" in second

    refused = dp100("lab", "solution", cwd=folder, input="n\n")
    assert "register_azure_blob_container" not in refused.stdout
    shown = dp100("lab", "solution", cwd=folder, input="y\n")
    assert "register_azure_blob_container" in shown.stdout

    shutil.copyfile(LABS_ROOT / LAB / "solution" / "lab.py", folder / "lab.py")
    passed = dp100("lab", "check", cwd=folder)
    assert passed.returncode == 0 and "8/8 points" in passed.stdout

    listed = json.loads(dp100("lab", "list", "--json", cwd=tmp_path).stdout)
    mine = next(lab for lab in listed if lab["id"] == LAB)
    assert mine["best_score"] == 8 and mine["passed"] is True

    assert dp100("lab", "reset", "--yes", cwd=folder).returncode == 0
    assert (folder / "lab.py").read_text() == (LABS_ROOT / LAB / "starter" / "lab.py").read_text()


def test_run_streams_output_and_uses_a_lab_workspace(home, tmp_path):
    assert dp100("lab", "start", LAB, "mylab", cwd=tmp_path).returncode == 0
    folder = tmp_path / "mylab"
    shutil.copyfile(LABS_ROOT / LAB / "solution" / "lab.py", folder / "lab.py")
    result = dp100("lab", "run", cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "training_data AzureBlob" in result.stdout
    assert not (home / "workspace").exists()  # never the learner's main sandbox


def test_notebook_start_gives_a_gradable_notebook(home, tmp_path):
    assert dp100("lab", "start", LAB, "nb", "--notebook", cwd=tmp_path).returncode == 0
    folder = tmp_path / "nb"
    assert (folder / "lab.ipynb").is_file() and not (folder / "lab.py").exists()
    nb = json.loads((folder / "lab.ipynb").read_text())
    assert "sandbox.activate" in "".join(nb["cells"][0]["source"])
    report = json.loads(dp100("lab", "check", "--json", cwd=folder).stdout)
    assert report["status"] == "fail"


def test_outside_a_lab_folder_says_what_to_do(home, tmp_path):
    result = dp100("lab", "check", cwd=tmp_path)
    assert result.returncode == 2 and "dp100 lab start" in result.stderr


def test_grade_a_class_writes_csv_and_reports(home, tmp_path):
    subs = tmp_path / "class"
    for name, source in {"good": "solution", "starter": "starter"}.items():
        shutil.copytree(LABS_ROOT / LAB / source, subs / name)
    (subs / "broken").mkdir()
    (subs / "broken" / "lab.py").write_text("import no_such_module\n")
    out = tmp_path / "grades.csv"
    result = dp100("grade", LAB, str(subs), "--out", str(out), "--jobs", "2", cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    rows = {r["learner"]: r for r in csv.DictReader(out.open())}
    assert rows["good"]["status"] == "pass" and rows["good"]["percent"] == "100.0"
    assert rows["starter"]["status"] == "fail" and rows["broken"]["status"] == "error"
    assert "blob_datastore_registered" in rows["good"]
    assert (tmp_path / "grades-reports" / "good.json").is_file()


def test_watch_checks_again_when_a_file_is_saved(tmp_path, home):
    """`dp100 lab watch` grades once, then again after the learner saves the fixed file."""
    import os
    import selectors
    import shutil
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT, dp100 as run_dp100

    assert run_dp100("lab", "start", "workspace-datastores", "w", cwd=tmp_path).returncode == 0
    folder = tmp_path / "w"
    proc = subprocess.Popen([sys.executable, "-m", "course.cli", "lab", "watch"], cwd=folder, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env={**os.environ, "COLUMNS": "120"})
    seen = []
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    saved = False
    next_save = 0.0
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if not selector.select(timeout=1):
                text = "".join(seen)
                if saved and "changed" not in text and time.monotonic() > next_save:
                    (folder / "lab.py").write_text((folder / "lab.py").read_text())
                    next_save = time.monotonic() + 3
                continue
            chunk = os.read(proc.stdout.fileno(), 65536).decode(errors="replace")  # unbuffered: select stays true
            if not chunk:
                break
            seen.append(chunk)
            text = "".join(seen)
            if "Watching for saved changes" in text and "changed" not in text and time.monotonic() > next_save:
                # the watcher may start a moment after it says so: save again until it notices
                shutil.copyfile(ROOT / "labs" / "workspace-datastores" / "solution" / "lab.py", folder / "lab.py")
                saved = True
                next_save = time.monotonic() + 3
            if saved and "8/8 points (100%)" in text:
                break
    finally:
        proc.terminate()
        proc.wait(10)
    text = "".join(seen)
    assert "lab.py changed" in text and "8/8 points (100%)" in text, text[-2000:]
