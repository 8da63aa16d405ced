"""A broken or hostile submission costs only its own grade: limits, cleanup, error reports, forged results."""
from __future__ import annotations

import csv
import json
import os
import textwrap
import uuid
from pathlib import Path

import pytest

from labs.batch import grade_all
from labs.grader import grade
from labs.manifest import load

pytestmark = pytest.mark.scenario

GOOD = """\
from azureml.core import Workspace, Datastore
ws = Workspace.from_config()
Datastore.register_azure_blob_container(ws, datastore_name="tiny_store", container_name="tiny",
                                        account_name="tinyaccount", account_key="k")
"""


def make_lab(root: Path, timeout: float = 8, memory_mb: int = 1024) -> Path:
    folder = root / "tiny-lab"
    for sub in ("starter", "solution"):
        (folder / sub).mkdir(parents=True)
    (folder / "lab.yaml").write_text(textwrap.dedent(f"""\
        id: tiny-lab
        title: A tiny lab
        topic: datastores
        sdk: v1
        minutes: 5
        objectives: [Register a datastore]
        hints: [Use Datastore.register_azure_blob_container]
        timeout: {timeout}
        memory_mb: {memory_mb}
        fixtures:
          - {{kind: diabetes_csv, path: data/diabetes.csv, rows: 50}}
        """))
    (folder / "README.md").write_text("# Tiny lab\nRegister a datastore named tiny_store.\n")
    (folder / "starter" / "lab.py").write_text("from azureml.core import Workspace\nws = Workspace.from_config()\n")
    (folder / "solution" / "lab.py").write_text(GOOD)
    (folder / "checks.py").write_text(textwrap.dedent("""\
        from labs.checks import check, expect

        @check("tiny_store is registered", points=2, hint="Datastore.register_azure_blob_container(...)")
        def store_registered(ctx):
            ctx.datastore("tiny_store", kind="AzureBlob")

        @check("The data file is intact", points=1)
        def data_intact(ctx):
            expect(len(ctx.diabetes(50, 0)) == 50, "data")
        """))
    return folder


@pytest.fixture
def tiny(tmp_path):
    return load(make_lab(tmp_path))


def submit(tmp_path: Path, code: str, name: str = "lab.py") -> Path:
    folder = tmp_path / f"sub-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    (folder / name).write_text(textwrap.dedent(code))
    return folder


def processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def test_good_submission_passes(tiny, tmp_path):
    result = grade(tiny, submit(tmp_path, GOOD))
    assert result.status == "pass" and result.score == result.max_score == 3


def test_infinite_loop_is_stopped_at_the_time_limit(tiny, tmp_path):
    result = grade(tiny, submit(tmp_path, GOOD + "while True:\n    pass\n"))
    assert result.status == "error"
    assert "time limit" in result.message
    assert result.checks[0].status == "pass"  # what it did before looping still counts


def test_memory_hog_is_reported_as_out_of_memory(tiny, tmp_path):
    result = grade(tiny, submit(tmp_path, "hog = bytearray(8 * 1024 ** 3)\n"))
    assert result.status == "error"
    assert "memory" in result.message


def test_many_detached_processes_are_all_killed(tiny, tmp_path):
    marker = f"dp100-test-{uuid.uuid4().hex}"
    code = GOOD + textwrap.dedent(f"""\
        import subprocess, sys
        for _ in range(25):
            subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", "{marker}"], start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print("spawned")
        """)
    result = grade(tiny, submit(tmp_path, code))
    assert result.status == "pass"
    assert processes_with(marker) == []


def test_forking_children_that_keep_forking_are_killed(tiny, tmp_path):
    marker = f"dp100-test-{uuid.uuid4().hex}"
    code = GOOD + textwrap.dedent(f"""\
        import subprocess, sys
        spawner = "import subprocess, sys, time\\nfor _ in range(8):\\n    subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)', '{marker}'])\\ntime.sleep(300)"
        subprocess.Popen([sys.executable, "-c", spawner, "{marker}"], start_new_session=True)
        import time; time.sleep(1)
        """)
    result = grade(tiny, submit(tmp_path, code))
    assert result.checks[0].status == "pass"
    assert processes_with(marker) == []


def test_huge_output_is_capped(tiny, tmp_path):
    result = grade(tiny, submit(tmp_path, GOOD + "import sys\nfor _ in range(200000):\n    sys.stdout.write('x' * 200 + '\\n')\nprint('THE END')\n"))
    assert result.status == "pass"
    assert result.output_truncated and len(result.output) < 100_000
    assert "THE END" in result.output and "left out" in result.output


def test_a_forged_result_file_does_not_pass(tiny, tmp_path):
    code = textwrap.dedent("""\
        import json, os, pathlib
        fake = {"status": "pass", "score": 3, "max_score": 3, "checks": []}
        for place in (".", "..", os.environ.get("DP100_HOME", ".")):
            pathlib.Path(place, "results.json").write_text(json.dumps(fake))
        print(json.dumps(fake))
        """)
    result = grade(tiny, submit(tmp_path, code))
    assert result.status == "fail" and result.score == 1


def test_deleting_its_own_folder_hurts_only_its_copy(tiny, tmp_path):
    submission = submit(tmp_path, GOOD + "import shutil, os\nshutil.rmtree(os.getcwd())\n")
    result = grade(tiny, submission)
    assert result.checks[0].status == "pass"
    assert (submission / "lab.py").is_file()


def test_syntax_error_is_reported_with_its_line(tiny, tmp_path):
    result = grade(tiny, submit(tmp_path, "from azureml.core import Workspace\nws = Workspace.from_config(\nprint('x')\n"))
    assert result.status == "error" and result.score == 0
    assert "syntax error" in result.message and "line" in result.message
    assert all(c.status == "error" for c in result.checks)


def test_import_error_names_the_module_and_line(tiny, tmp_path):
    result = grade(tiny, submit(tmp_path, "import os\nfrom azureml.core import Workspce\n"))
    assert result.status == "error"
    assert "lab.py, line 2" in result.message and "ImportError" in result.message
    assert "Traceback" not in result.message


def test_runtime_error_quotes_the_learners_line(tiny, tmp_path):
    result = grade(tiny, submit(tmp_path, GOOD + "stores = ws.datastores\nprint(stores['missing_store'])\n"))
    assert result.status == "error"
    assert "print(stores['missing_store'])" in result.message and "KeyError" in result.message
    assert result.checks[0].status == "pass"


def test_missing_entry_point_is_an_error_result(tiny, tmp_path):
    result = grade(tiny, submit(tmp_path, GOOD, name="other.py"))
    assert result.status == "error" and "lab.py" in result.message


def test_notebook_is_run_cell_by_cell(tiny, tmp_path):
    from labs.notebooks import to_notebook

    script = "%load_ext sandbox\n# %%\n%%writefile helper.py\nNAME = 'tiny_store'\n# %%\n!echo hi\nfrom helper import NAME\n" \
             + GOOD.replace('"tiny_store"', "NAME")
    folder = tmp_path / "nb"
    folder.mkdir()
    (folder / "lab.ipynb").write_text(json.dumps(to_notebook(script)))
    result = grade(tiny, folder)
    assert result.status == "pass", result.to_dict()


def test_notebook_error_names_the_cell(tiny, tmp_path):
    from labs.notebooks import to_notebook

    folder = tmp_path / "nb"
    folder.mkdir()
    (folder / "lab.ipynb").write_text(json.dumps(to_notebook("x = 1\n# %%\ny = 1 / 0\n")))
    result = grade(tiny, folder)
    assert result.status == "error" and "cell 2" in result.message and "ZeroDivisionError" in result.message


def test_unfinished_job_is_canceled_at_the_time_limit(tmp_path):
    lab = load(make_lab(tmp_path, timeout=6))
    code = GOOD + textwrap.dedent("""\
        import os
        from azure.ai.ml import MLClient, command
        from azure.identity import DefaultAzureCredential
        os.makedirs("src", exist_ok=True)
        open("src/slow.py", "w").write("import time\\ntime.sleep(600)\\n")
        ml_client = MLClient.from_config(DefaultAzureCredential())
        job = ml_client.jobs.create_or_update(command(code="./src", command="python slow.py", experiment_name="slow"))
        print("submitted", job.name)
        """)
    result = grade(lab, submit(tmp_path, code))
    assert result.status == "error"
    assert "canceled" in result.message


def test_batch_grading_mixed_submissions(tiny, tmp_path):
    root = tmp_path / "class"
    root.mkdir()
    for name, code in {"ada": GOOD, "bob": "from azureml.core import Workspace\nws = Workspace.from_config()\n",
                       "cy": "def broken(:\n", "dee": GOOD + "while True:\n    pass\n"}.items():
        (root / name).mkdir()
        (root / name / "lab.py").write_text(code)
    out = tmp_path / "grades.csv"
    batch = grade_all(tiny, root, out, jobs=2)
    rows = {row["learner"]: row for row in csv.DictReader(out.open())}
    assert list(rows) == ["ada", "bob", "cy", "dee"]
    assert rows["ada"]["status"] == "pass" and rows["ada"]["score"] == "3" and rows["ada"]["store_registered"] == "2"
    assert rows["bob"]["status"] == "fail" and rows["bob"]["store_registered"] == "0" and rows["bob"]["data_intact"] == "1"
    assert rows["cy"]["status"] == "error" and rows["cy"]["score"] == "0" and "syntax" in rows["cy"]["message"]
    assert rows["dee"]["status"] == "error" and rows["dee"]["store_registered"] == "2"
    reports = sorted(p.name for p in batch.reports_dir.iterdir())
    assert reports == ["ada.json", "bob.json", "cy.json", "dee.json"]
    assert json.loads((batch.reports_dir / "ada.json").read_text())["status"] == "pass"
