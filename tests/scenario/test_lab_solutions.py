"""Every lab: its solution scores 100 %, its starter less, and each wrong answer fails the check written for it.

A solution is graded once per lab (module-scoped) and shared by the tests; wrong answers are the solution with
small edits, each aimed at one check.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from labs.grader import grade
from labs.manifest import discover
from labs.results import LabResult

pytestmark = pytest.mark.scenario

CATALOG = discover()
LAB_IDS = [lab.id for lab in CATALOG.labs]

# lab id -> list of (variant name, {file: [(old, new), ...]}, check that must not pass)
WRONG_ANSWERS: dict[str, list[tuple[str, dict[str, list[tuple[str, str]]], str]]] = {
    "workspace-datastores": [
        ("hard-coded workspace", {"lab.py": [("ws = Workspace.from_config()",
                                             "ws = Workspace.get('dp100-workspace', subscription_id=__import__('json').load(open('config.json'))['subscription_id'], resource_group='dp100-sandbox-rg')")]},
         "connects_from_config"),
        ("wrong container", {"lab.py": [('container_name="training-data"', 'container_name="training"')]},
         "blob_datastore_registered"),
        ("upload without target path", {"lab.py": [('target_path="diabetes-data", ', "")]}, "uploaded_to_default"),
    ],
    "datasets-v1": [
        ("latest instead of version 1", {"lab.py": [('name="diabetes-tabular", version=1)', 'name="diabetes-tabular")')]},
         "reads_version_one"),
        ("file dataset made tabular", {"lab.py": [('Dataset.File.from_files(path=(datastore, "diabetes-data/*.csv"))',
                                                   'Dataset.Tabular.from_delimited_files(path=(datastore, "diabetes-data/*.csv"))')]},
         "file_dataset_registered"),
        ("no create_new_version", {"lab.py": [(', create_new_version=True', '')]}, "new_version_registered"),
    ],
    "data-assets": [
        ("integer version", {"lab.py": [('name="diabetes-file", version="1"', 'name="diabetes-file", version=1')]},
         "file_asset"),
        ("PatientID kept in version 2", {"lab.py": [('table.drop_columns(["PatientID"]).save("./table")', 'table.save("./table")')]},
         "table_v2"),
        ("explicit table version", {"lab.py": [('Data(name="diabetes-table", type=AssetTypes.MLTABLE, path="./table"))\nprint("diabetes-table version", first.version)',
                                                'Data(name="diabetes-table", version="1", type=AssetTypes.MLTABLE, path="./table"))\nprint("diabetes-table version", first.version)')]},
         "automatic_versions"),
    ],
    "experiments-runs": [
        ("fixed regularization rate", {"src/train.py": [("reg = args.reg_rate", "reg = 0.01")]}, "reg_rate_argument"),
        ("model registered from a local file", {"lab.py": [(
            'model = training.register_model(model_name="diabetes-model", model_path="outputs/diabetes_model.pkl",\n'
            '                                tags={"Training context": "Script"})',
            'training.download_file("outputs/diabetes_model.pkl", "local_model.pkl")\n'
            'from azureml.core import Model\n'
            'model = Model.register(ws, model_path="local_model.pkl", model_name="diabetes-model", tags={"Training context": "Script"})')]},
         "model_registered"),
    ],
    "command-job-mlflow": [
        ("no autologging", {"src/train.py": [("mlflow.sklearn.autolog()", "pass")]}, "autologged"),
        ("worst run tagged", {"lab.py": [('order_by=["metrics.AUC DESC"]', 'order_by=["metrics.AUC ASC"]')]},
         "best_run_tagged"),
    ],
    "models": [
        ("custom model type", {"lab.py": [('type=AssetTypes.MLFLOW_MODEL,\n    path=f"azureml://jobs',
                                           'type=AssetTypes.CUSTOM_MODEL,\n    path=f"azureml://jobs')]},
         "registered_from_job"),
        ("second version from the job again", {"lab.py": [('path="./downloaded/named-outputs/model_output/model"',
                                                           'path=f"azureml://jobs/{job.name}/outputs/model_output/paths/model/"')]},
         "registered_from_folder"),
    ],
    "environments": [
        ("pandas left out", {"env/diabetes-conda.yml": [("      - pandas\n", "")]}, "env_registered"),
        ("custom job run with basic-env", {"lab.py": [('assert run(training_job("diabetes-env@latest")) == "Completed"',
                                                       'run(training_job(f"{basic_env.name}:{basic_env.version}"))')]},
         "custom_env_job"),
        ("curated run uses diabetes-env", {"lab.py": [('training_job("AzureML-sklearn-1.5@latest")',
                                                       'training_job("diabetes-env@latest")')]},
         "curated_env_job"),
    ],
    "compute": [
        ("wrong VM size", {"lab.py": [('size="Standard_DS11_v2"', 'size="Standard_DS3_v2"')]}, "cluster_created"),
        ("one node always on", {"lab.py": [("min_instances=0,", "min_instances=1,")]}, "scale_settings"),
        ("job on serverless compute", {"lab.py": [('    compute="aml-cluster",\n', "")]}, "job_on_cluster"),
        ("not scaled", {"lab.py": [("cluster.max_instances = 3", "cluster.max_instances = 2")]}, "scaled_to_three"),
    ],
    "troubleshooting": [
        ("only the argument fixed", {"src/train.py": [('df["Diabetic"]', 'df["Diabetes"]')]}, "latest_job_completed"),
        ("errors hidden by skipping training", {"src/train.py": [
            ('model = DecisionTreeClassifier(max_depth=args.max_depth, random_state=0).fit(X_train, y_train)\naccuracy = model.score(X_test, y_test)',
             'model = None\naccuracy = 0.9'),
            ('joblib.dump(model, "outputs/model.pkl")', 'pass')]},
         "model_works"),
    ],
    "rag-retrieval": [
        ("boilerplate kept", {"lab.py": [("if line and not line.startswith(BOILERPLATE)", "if line")]},
         "boilerplate_removed"),
        ("no overlap", {"lab.py": [("CHUNK_WORDS, OVERLAP = 60, 15", "CHUNK_WORDS, OVERLAP = 60, 0")]}, "chunks_overlap"),
        ("whole pages as chunks", {"lab.py": [("CHUNK_WORDS, OVERLAP = 60, 15", "CHUNK_WORDS, OVERLAP = 400, 15")]},
         "chunks_registered"),
        ("chunk numbers instead of document numbers",
         {"lab.py": [('[c["doc"] for c in chunks])\nshutil', 'list(range(len(chunks))))\nshutil')]}, "retrieval_quality"),
    ],
    "genai-evaluation": [
        ("answer reads the raw question", {"flow/flow.dag.yaml": [('prompt: "${build_prompt.output}"',
                                                                   'prompt: "${inputs.question}"')]}, "flow_wired"),
        ("metrics against the question", {"lab.py": [('reference = truth[row["id"]]["ground_truth"]',
                                                      'reference = row["question"]')]}, "metrics_correct"),
        ("worse variant tagged", {"lab.py": [("best = max(VARIANTS", "best = min(VARIANTS")]}, "best_variant_tagged"),
        ("ground truth recorded as the answer", {"lab.py": [('"answer": outputs["answer"],',
                                                             '"answer": line["ground_truth"],')]}, "answers_extractive"),
    ],
}


def _variant(lab, tmp: Path, edits: dict[str, list[tuple[str, str]]]) -> Path:
    target = tmp / "submission"
    shutil.copytree(lab.solution_dir, target)
    for name, replacements in edits.items():
        path = target / name
        text = path.read_text()
        for old, new in replacements:
            assert old in text, f"{lab.id}: variant text not found in {name}: {old!r}"
            text = text.replace(old, new)
        path.write_text(text)
    return target


@pytest.fixture(scope="module")
def solution_results() -> dict[str, LabResult]:
    return {}


def _solution(lab_id: str, cache: dict[str, LabResult]) -> LabResult:
    if lab_id not in cache:
        lab = CATALOG.get(lab_id)
        cache[lab_id] = grade(lab, lab.solution_dir)
    return cache[lab_id]


def test_every_lab_loads_and_has_wrong_answers():
    assert not CATALOG.problems, CATALOG.problems
    assert len(LAB_IDS) >= 7
    for lab_id in LAB_IDS:
        assert len(WRONG_ANSWERS.get(lab_id, [])) >= 2, f"{lab_id} needs at least two wrong-answer variants"


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_solution_scores_full_marks(lab_id, solution_results):
    result = _solution(lab_id, solution_results)
    failing = [(c.name, c.message) for c in result.checks if c.status != "pass"]
    assert result.status == "pass" and result.score == result.max_score, (failing, result.message, result.output[-3000:])


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_starter_scores_less(lab_id, solution_results):
    lab = CATALOG.get(lab_id)
    result = grade(lab, lab.starter_dir)
    assert result.score < result.max_score and result.status != "pass"
    assert all(c.message for c in result.checks if c.status != "pass"), "every failing check says what to change"


VARIANTS = [(lab_id, name, edits, target) for lab_id, variants in WRONG_ANSWERS.items() for name, edits, target in variants]


@pytest.mark.parametrize("lab_id,name,edits,target", VARIANTS, ids=[f"{v[0]}:{v[1]}" for v in VARIANTS])
def test_wrong_answer_fails_its_check(lab_id, name, edits, target, tmp_path):
    lab = CATALOG.get(lab_id)
    result = grade(lab, _variant(lab, tmp_path, edits))
    by_name = {c.name: c for c in result.checks}
    assert target in by_name, f"{lab_id} has no check {target}"
    assert by_name[target].status != "pass", (name, result.to_dict())
    assert by_name[target].message
    assert result.score < result.max_score
