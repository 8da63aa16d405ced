"""Lesson links, blueprint balance, one domain per question, and AI-300 as a second blueprint (skill_map and
blueprint_skills), each on a small bank written to a temporary folder; then the same rules on the real bank."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from quizzes.bank import PACKAGE_BANK_DIR, clear_cache, load_bank
from quizzes.blueprint import load_blueprint
from quizzes.models import Blueprint
from quizzes.samples import build_bank, sample_question, write_bank
from quizzes.validate import (
    PLANNED_LESSONS, balance_failures, coverage, lesson_ids, main as validate_main, validate,
)

ROOT = Path(__file__).resolve().parents[2]
DP100 = load_blueprint("dp100")
AI300 = load_blueprint("ai300")


def _lessons(tmp_path: Path, *ids: str) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir(exist_ok=True)
    for i in ids:
        (folder / f"{i}.md").write_text(f"---\nid: {i}\ntitle: T\n---\n\n# T\n", encoding="utf-8")
    return folder


def _bank(tmp_path: Path, questions: list[dict], name: str = "workspace.yaml") -> Path:
    folder = tmp_path / "bank"
    write_bank(folder, questions, name)
    return folder


# -- lesson links --------------------------------------------------------------------------------------------------


def test_lesson_ids_are_read_from_front_matter(tmp_path: Path) -> None:
    folder = _lessons(tmp_path, "workspace-basics")
    (folder / "broken.md").write_text("no front matter\nid: not-this\n", encoding="utf-8")
    assert lesson_ids(folder) == frozenset({"workspace-basics"})


def test_unknown_lesson_is_an_error_with_course_rules_and_a_warning_without(tmp_path: Path) -> None:
    q = sample_question("single", "wks-001", ["d1.g2.s1"])
    q["lesson"] = "no-such-lesson"
    folder = _bank(tmp_path, [q])
    lessons = _lessons(tmp_path, "workspace-basics")
    strict = validate(folder, course_rules=True, lessons_dir=lessons)
    assert [(i.question, i.rule, i.level) for i in strict.issues] == [("wks-001", "unknown-lesson", "error")]
    assert not strict.ok
    lax = validate(folder, course_rules=False, lessons_dir=lessons)
    assert [(i.rule, i.level) for i in lax.issues] == [("unknown-lesson", "warning")] and lax.ok


def test_existing_and_planned_lessons_are_accepted(tmp_path: Path) -> None:
    a = sample_question("single", "wks-001", ["d1.g2.s1"])
    a["lesson"] = "workspace-basics"
    b = sample_question("single", "wks-002", ["d1.g2.s1"])
    b["lesson"] = sorted(PLANNED_LESSONS)[0]
    report = validate(_bank(tmp_path, [a, b]), course_rules=True, lessons_dir=_lessons(tmp_path, "workspace-basics"))
    assert [i for i in report.issues if i.rule == "unknown-lesson"] == []


def test_planned_lessons_are_the_agreed_ids() -> None:
    assert {"pipelines-01-v1-pipelines", "deployment-02-online-endpoints", "security-05-network-isolation",
            "sweeps-01-sweep-jobs", "automl-02-vision-nlp-forecasting", "responsible-ai-01-insights",
            "training-01-distributed", "schedules-01-schedules-and-clock"} <= PLANNED_LESSONS
    assert len(PLANNED_LESSONS) == 20


def test_lesson_must_look_like_a_lesson_id(tmp_path: Path) -> None:
    q = sample_question("single", "wks-001", ["d1.g2.s1"])
    q["lesson"] = "Read the datastores lesson"
    bank = load_bank(_bank(tmp_path, [q]), DP100)
    assert [(i.question, i.rule) for i in bank.errors] == [("wks-001", "schema")]


# -- balance -------------------------------------------------------------------------------------------------------


def test_a_balanced_bank_passes_and_a_lopsided_one_fails(tmp_path: Path) -> None:
    balanced = build_bank(DP100, per_domain=12)  # 25% each: inside every DP-100 band
    cov = coverage(load_bank(_bank(tmp_path / "a", balanced), DP100), DP100)
    assert not [f for f in balance_failures(cov, DP100) if " has " in f and "questions =" in f]
    lopsided = build_bank(DP100, per_domain=12)
    lopsided = [q for q in lopsided if not q["skills"][0].startswith("d4")]  # no D4 at all
    cov = coverage(load_bank(_bank(tmp_path / "b", lopsided), DP100), DP100)
    failures = balance_failures(cov, DP100)
    assert any(f.startswith("dp100 d4 has 0 of 36 questions") for f in failures)
    assert any(f.startswith("dp100 d1 has 12 of 36 questions = 33.3%") for f in failures)


def test_thin_skills_fail_the_balance(tmp_path: Path) -> None:
    cov = coverage(load_bank(_bank(tmp_path, build_bank(DP100, per_domain=6)), DP100), DP100)
    assert any("skill d1.g1.s1 has" in f and "at least 3" in f for f in balance_failures(cov, DP100))


def test_balance_fails_validation_only_with_course_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _bank(tmp_path, build_bank(DP100, per_domain=3))
    assert validate_main([str(folder), "--quiet", "--blueprint", "dp100"]) == 0
    assert validate_main([str(folder), "--quiet", "--blueprint", "dp100", "--course-rules"]) == 1
    out = capsys.readouterr().out
    assert "Balance against dp100" in out and "fails validation" in out


def test_bands_are_reported_but_not_enforced_when_the_blueprint_says_so() -> None:
    assert DP100.enforce_bands and not AI300.enforce_bands
    from quizzes.validate import Coverage

    cov = Coverage(10, {"d1": 10, "d2": 0, "d3": 0, "d4": 0, "d5": 0}, {}, {}, {s.id: 3 for s in AI300.skills})
    assert balance_failures(cov, AI300) == []


# -- one domain per question ---------------------------------------------------------------------------------------


def test_a_question_belongs_to_the_domain_of_its_first_skill_only(tmp_path: Path) -> None:
    q = sample_question("single", "wks-001", ["d1.g2.s1", "d3.g1.s1"])
    (question,) = load_bank(_bank(tmp_path, [q]), DP100).questions
    assert question.domain == "d1" and question.domains == ["d1"]


def test_domain_totals_add_up_to_the_bank_size_everywhere_learners_see_them(tmp_path: Path) -> None:
    from quizzes.progress import ProgressStore, compute_stats

    bank = load_bank(PACKAGE_BANK_DIR, DP100)
    store = ProgressStore(tmp_path / "progress.db", now=lambda: datetime(2026, 1, 1, tzinfo=timezone.utc))
    stats = compute_stats(store, bank, DP100)
    store.close()
    assert sum(d.questions for d in stats.domains) == len(bank.questions)
    assert sum(coverage(bank, DP100).per_domain.values()) == len(bank.questions)


# -- AI-300 ----------------------------------------------------------------------------------------------------------


def test_ai300_blueprint_records_its_source_and_maps_from_dp100() -> None:
    text = (ROOT / "quizzes/blueprints/ai300.yaml").read_text(encoding="utf-8")
    assert "Microsoft Learn" in text and "2026-11-29" in text
    assert AI300.maps_from == "dp100" and AI300.source and AI300.note
    assert [d.weight for d in AI300.domains] == [(15, 20), (25, 30), (20, 25), (10, 15), (10, 15)]
    assert set(AI300.skill_map) <= DP100.skill_ids
    assert {m for ms in AI300.skill_map.values() for m in ms} <= AI300.skill_ids


def test_skill_map_must_use_real_skill_ids(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "quizzes/blueprints/ai300.yaml").read_text(encoding="utf-8"))
    data["skill_map"]["d1.g2.s1"] = ["d9.g9.s9"]
    with pytest.raises(ValueError, match="d9.g9.s9"):
        Blueprint.model_validate(data)
    data["skill_map"] = {"d7.g1.s1": ["d1.g1.s1"]}
    path = tmp_path / "ai300-bad.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValueError, match="d7.g1.s1"):
        load_blueprint(path)


def test_ai300_bank_maps_skills_overrides_them_and_leaves_out_what_is_not_on_the_exam(tmp_path: Path) -> None:
    mapped = sample_question("single", "wks-001", ["d1.g2.s2"])                 # datastores -> d1.g1.s2
    override = sample_question("single", "wks-002", ["d3.g1.s2"])
    override["blueprint_skills"] = {"ai300": ["d2.g1.s4"]}                      # distributed training
    unmapped = sample_question("single", "wks-003", ["d2.g2.s3"])               # Spark: not on AI-300
    excluded = sample_question("single", "wks-004", ["d1.g2.s1"])
    excluded["blueprint_skills"] = {"ai300": []}                                 # explicitly not on AI-300
    only_ai300 = sample_question("single", "wks-005", [])
    only_ai300["blueprint_skills"] = {"ai300": ["d4.g2.s1"]}
    folder = _bank(tmp_path, [mapped, override, unmapped, excluded, only_ai300])

    dp = load_bank(folder, DP100)
    assert [q.id for q in dp.questions] == ["wks-001", "wks-002", "wks-003", "wks-004"] and not dp.issues
    assert dp.get("wks-002").skills == ["d3.g1.s2"]                             # DP-100 view unchanged

    ai = load_bank(folder, AI300)
    assert not ai.issues
    assert {q.id: q.skills for q in ai.questions} == {
        "wks-001": ["d1.g1.s2"], "wks-002": ["d2.g1.s4"], "wks-005": ["d4.g2.s1"]}
    assert ai.get("wks-005").domain == "d4"


def test_ai300_bank_by_id_uses_the_cache_and_matches_the_object_path(tmp_path: Path) -> None:
    folder = _bank(tmp_path, [sample_question("single", "wks-001", ["d1.g2.s2"])])
    clear_cache()
    first = load_bank(folder, "ai300")
    assert load_bank(folder, "ai300") is first
    assert [q.skills for q in first.questions] == [q.skills for q in load_bank(folder, AI300).questions]


def test_unknown_ai300_skills_and_unknown_blueprints_are_reported(tmp_path: Path) -> None:
    bad_skill = sample_question("single", "wks-001", ["d1.g2.s1"])
    bad_skill["blueprint_skills"] = {"ai300": ["d9.g1.s1"]}
    bad_key = sample_question("single", "wks-002", ["d1.g2.s1"])
    bad_key["blueprint_skills"] = {"ai-999": ["d1.g1.s1"]}
    folder = _bank(tmp_path, [bad_skill, bad_key])
    ai = load_bank(folder, AI300)
    assert [(i.question, i.rule) for i in ai.errors] == [("wks-001", "unknown-skill")]
    report = validate(folder, "dp100", course_rules=False)
    assert [(i.question, i.rule) for i in report.errors] == [("wks-002", "blueprint-skills")]


def test_a_question_needs_some_skill(tmp_path: Path) -> None:
    q = sample_question("single", "wks-001", [])
    bank = load_bank(_bank(tmp_path, [q]), DP100)
    assert [(i.question, i.rule) for i in bank.errors] == [("wks-001", "schema")]
    assert "blueprint_skills" in bank.errors[0].message


def test_validate_checks_every_blueprint_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _bank(tmp_path, build_bank(DP100, per_domain=3))
    assert validate_main([str(folder), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Balance against dp100" in out and "Balance against ai300" in out and "AI-300" in out


# -- the real bank ---------------------------------------------------------------------------------------------------


def test_real_bank_passes_the_course_rules_for_every_blueprint() -> None:
    for name in ("dp100", "ai300"):
        report = validate(PACKAGE_BANK_DIR, name)
        assert report.course_rules
        assert report.errors == [], "\n".join(str(i) for i in report.errors)
        assert report.balance == [], "\n".join(report.balance)


def test_real_bank_is_inside_the_dp100_bands_with_room_to_spare() -> None:
    cov = coverage(load_bank(PACKAGE_BANK_DIR, DP100), DP100)
    for d in DP100.domains:
        share = 100 * cov.per_domain[d.id] / cov.total
        assert d.weight[0] + 0.5 <= share <= d.weight[1] - 0.5, (d.id, round(share, 1))


def test_real_bank_has_questions_for_ai300_areas_dp100_lacks() -> None:
    ai = load_bank(PACKAGE_BANK_DIR, AI300)
    dp = load_bank(PACKAGE_BANK_DIR, DP100)
    only = [q for q in ai.questions if not dp.get(q.id)]
    areas = {s for q in only for s in q.skills}
    assert {"d1.g3.s1", "d1.g3.s2", "d2.g4.s3", "d3.g1.s2", "d3.g2.s2", "d4.g2.s1"} <= areas
    assert len(only) >= 20
    assert {q.topic for q in only} == {"mlops", "genaiops"}


def test_dp100_default_bank_is_unchanged_by_ai300_only_questions() -> None:
    clear_cache()
    default = load_bank()
    assert all(q.skills for q in default.questions)
    assert not [q for q in default.questions if q.topic in ("mlops", "genaiops")]
    assert load_bank() is default
