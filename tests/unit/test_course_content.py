"""Content rules that a reviewer found broken once: each pinned so it cannot come back.

- SDK v1 end of support (2026-06-30) is stated wherever v1 is taught (lessons with v1 code, v1 lab READMEs).
- No runnable snippet imports both SDKs in one process (Microsoft advises separate environments).
- The language-model lessons say what changed recently and which sources to check.
- Corrected questions keep their corrected keys and reasoning.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from course.lessons import load_lessons
from quizzes.bank import PACKAGE_BANK_DIR, load_bank
from quizzes.blueprint import load_blueprint

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_lessons()
BANK = load_bank(PACKAGE_BANK_DIR, load_blueprint("dp100"))
V1_IMPORT = re.compile(r"^\s*(from azureml[. ]|import azureml)", re.M)
V2_IMPORT = re.compile(r"^\s*(from azure\.ai\.ml|import azure\.ai\.ml)", re.M)
D4_TOPICS = ("language-models", "prompt-flow", "rag", "fine-tuning")


# -- lessons ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lesson", [x for x in CATALOG.lessons if V1_IMPORT.search(x.source)], ids=lambda x: x.id)
def test_lessons_that_teach_v1_state_its_end_of_support(lesson) -> None:
    assert "2026-06-30" in lesson.source, f"{lesson.path.name} shows v1 code but does not say support ended 2026-06-30"


def test_v1_lab_readmes_state_its_end_of_support() -> None:
    v1_labs = [p.parent for p in (ROOT / "labs").glob("*/lab.yaml")
               if yaml.safe_load(p.read_text(encoding="utf-8")).get("sdk") == "v1"]
    assert v1_labs
    for lab in v1_labs:
        assert "2026-06-30" in (lab / "README.md").read_text(encoding="utf-8"), lab.name


@pytest.mark.parametrize("lesson", [x for x in CATALOG.lessons if x.snippets], ids=lambda x: x.id)
def test_no_snippet_imports_both_sdks(lesson) -> None:
    for snippet in lesson.snippets:
        both = V1_IMPORT.search(snippet.code) and V2_IMPORT.search(snippet.code)
        assert not both, f"{lesson.id} snippet {snippet.index + 1} imports v1 and v2 in one process"


def test_there_is_a_lesson_for_each_language_model_topic() -> None:
    by_topic = {t.id: t.lessons for t in CATALOG.topics}
    assert all(by_topic[t] for t in D4_TOPICS)
    d4_skills = {s.id for d in load_blueprint().domains if d.id == "d4" for s in d.skills}
    taught = {s for t in D4_TOPICS for lesson in by_topic[t] for s in lesson.skills}
    assert d4_skills <= taught, f"D4 skills without a lesson: {sorted(d4_skills - taught)}"


@pytest.mark.parametrize("lesson", [x for x in CATALOG.lessons if x.topic in D4_TOPICS], ids=lambda x: x.id)
def test_language_model_lessons_say_what_changed_and_where_to_check(lesson) -> None:
    assert "## What changed recently" in lesson.source and "## Sources to check" in lesson.source
    assert "Foundry" in lesson.source


def test_corrected_lesson_statements() -> None:
    concepts = CATALOG.get("concepts-azure-ml").source
    assert "the exam mixes them" not in concepts and "v2 and MLflow" in concepts and "AI-300" in concepts
    envs = CATALOG.get("environments-curated-and-custom").source
    assert "Version rules are as for data" not in envs and "data asset" in envs
    models = CATALOG.get("models-mlflow-models").source
    assert 'runs:/{job.name}/model"' not in models and "runs:/{job.name}/outputs/model" in models


# -- questions ---------------------------------------------------------------------------------------------------------


def _item(qid: str, item: str):
    return next(i for i in BANK.get(qid).items if i.id == item)


def test_runtime_pip_install_does_not_change_an_environment() -> None:
    assert _item("env-007", "c").answer is False
    env013 = BANK.get("env-013")
    pip_option = next(o for o in env013.options if "pip install" in o.text)
    assert pip_option.id not in env013.answer  # both questions agree: runtime installs are not the answer


def test_off_topic_retrieval_is_measured_by_a_retrieval_metric_not_relevance() -> None:
    q = BANK.get("rag-009")
    keyed = {o.text for o in q.options if o.id in q.answer}
    assert "Relevance" not in keyed and any(t.startswith("Retrieval") for t in keyed)


def test_llm_012_and_pfl_015_keys() -> None:
    assert "same level of detail" in BANK.get("llm-012").stem and _item("llm-012", "4").answer is False
    assert _item("pfl-015", "2").answer is False


def test_no_explanation_claims_the_azureml_prefix_is_required() -> None:
    wrong = re.compile(r"azureml:\W{0,3}\s*prefix (is )?required", re.I)
    for q in BANK.questions:
        texts = [o.explanation for o in getattr(q, "options", [])]
        texts += [c.explanation for b in getattr(q, "blanks", []) for c in b.choices]
        texts += [i.explanation for i in getattr(q, "items", [])]
        assert not any(wrong.search(t) for t in texts), q.id


def test_no_key_depends_on_a_schedule_for_the_31st() -> None:
    for q in BANK.questions:
        for o in getattr(q, "options", []):
            keyed = o.id == q.answer or (isinstance(q.answer, list) and o.id in q.answer)
            assert not (keyed and "month_days=[31]" in o.text), q.id


def test_few_v1_pipeline_and_schedule_questions_remain() -> None:
    v1 = [q for q in BANK.questions if q.topic in ("pipelines", "schedules") and q.sdk == "v1"]
    v2 = [q for q in BANK.questions if q.topic in ("pipelines", "schedules") and q.sdk == "v2"]
    assert 4 <= len(v1) <= 10 and len(v2) > len(v1)
