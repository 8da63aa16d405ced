"""Every runnable snippet of every lesson runs against a fresh sandbox: a lesson never shows broken code.

Per lesson: a fresh DP100_HOME and workspace under tmp_path, the lesson's fixtures prepared, then its snippets
run in order in one folder (as a learner pressing Run on each would); each must exit 0.
"""
from __future__ import annotations

import pytest

from course.lessons import load_lessons
from course.snippets import prepare_folder, run_snippet

pytestmark = pytest.mark.scenario

CATALOG = load_lessons()
LESSONS = [lesson for lesson in CATALOG.lessons if lesson.snippets]


def test_the_catalog_loads_cleanly():
    assert [str(p) for p in CATALOG.problems] == []
    assert LESSONS


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_every_snippet_of_the_lesson_runs(lesson, tmp_path, monkeypatch):
    home = tmp_path / "dp100-home"
    monkeypatch.setenv("DP100_HOME", str(home))
    monkeypatch.delenv("DP100_WORKSPACE", raising=False)
    workspace = home / "workspace"
    folder = prepare_folder(tmp_path / lesson.id, lesson.fixtures, workspace)
    assert (folder / "config.json").is_file()
    for snippet in lesson.snippets:
        result = run_snippet(snippet.code, folder, workspace, timeout=240, name=f"{lesson.id}-{snippet.index + 1}")
        where = f"{lesson.path.name}, snippet {snippet.index + 1} (line {snippet.line}): {snippet.title}"
        assert not result.timed_out, f"{where} timed out\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        assert result.returncode == 0, f"{where} exited {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
        assert "Traceback" not in result.stderr, f"{where} printed a traceback\n{result.stderr[-3000:]}"


def test_snippets_time_out_and_report_it(tmp_path, monkeypatch):
    monkeypatch.setenv("DP100_HOME", str(tmp_path / "home"))
    workspace = tmp_path / "home" / "workspace"
    folder = prepare_folder(tmp_path / "f", ["uploaded-diabetes"], workspace)
    assert (folder / "data" / "diabetes.csv").is_file()
    result = run_snippet("import time\nprint('started', flush=True)\ntime.sleep(30)\n", folder, workspace, timeout=1)
    assert result.timed_out and result.returncode != 0
    assert "started" in result.stdout and "stopped after 1 seconds" in result.stderr
    failing = run_snippet("print('before')\nraise SystemExit(3)\n", folder, workspace)
    assert failing.returncode == 3 and failing.stdout == "before\n" and not failing.ok
    boom = run_snippet("x = 1\n1 / 0\n", folder, workspace, name="boom")
    assert boom.returncode == 1 and "boom.py\", line 2" in boom.stderr and "ZeroDivisionError" in boom.stderr
    here = run_snippet(
        "import os, json\nfrom pathlib import Path\nprint(Path.cwd().name, os.environ['DP100_WORKSPACE'])\n"
        "import azureml.core\nprint(azureml.core.VERSION)\n", folder, workspace)
    assert here.ok, here.stderr
    assert here.stdout.split()[0] == "f" and here.stdout.split()[1] == str(workspace.resolve())


def test_prepare_lesson_applies_the_lessons_fixtures(tmp_path, monkeypatch):
    from course.snippets import prepare_lesson

    monkeypatch.setenv("DP100_HOME", str(tmp_path / "home"))
    lesson = next(lesson for lesson in LESSONS if "uploaded-diabetes" in lesson.fixtures)
    workspace = tmp_path / "home" / "workspace"
    folder = prepare_lesson(lesson.id, tmp_path / "f", workspace)
    assert (folder / "config.json").is_file() and (folder / "data" / "diabetes.csv").is_file()
    check = run_snippet(
        "from azureml.core import Workspace\n"
        "store = Workspace.from_config().get_default_datastore()\n"
        "import pandas as pd\n"
        "print(len(pd.read_csv('azureml://datastores/workspaceblobstore/paths/diabetes/diabetes.csv')))\n",
        folder, workspace)
    assert check.ok, check.stderr
    assert check.stdout.strip() == "1000"
    with pytest.raises(KeyError):
        prepare_lesson("no-such-lesson", tmp_path / "g", workspace)
