"""Bank validation: every rule, each with a small bad bank written to a temporary folder."""
from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from quizzes.bank import load_bank
from quizzes.blueprint import load_blueprint
from quizzes.models import QUESTION_TYPES, Blueprint
from quizzes.samples import build_bank, sample_question, write_bank
from quizzes.validate import coverage, main as validate_main, target_failures, validate

ROOT = Path(__file__).resolve().parents[2]


def _bank(tmp_path: Path, questions: list[dict], name: str = "workspace.yaml") -> Path:
    folder = tmp_path / "bank"
    write_bank(folder, questions, name)
    return folder


def _rules(folder: Path) -> list[tuple[str | None, str]]:
    bank = load_bank(folder, load_blueprint())
    return [(i.question, i.rule) for i in bank.errors]


def test_blueprint_has_the_2025_outline() -> None:
    bp = load_blueprint("dp100")
    assert [d.id for d in bp.domains] == ["d1", "d2", "d3", "d4"]
    assert [d.weight for d in bp.domains] == [(20, 25), (20, 25), (25, 30), (25, 30)]
    assert bp.exam.questions == 50 and bp.exam.minutes == 100 and bp.exam.pass_score == 700
    assert (bp.exam.scale_min, bp.exam.scale_max) == (1, 1000)
    assert bp.skill("d1.g2.s2").title == "Create and manage datastores"
    assert bp.skill("d2.g2.s5").title == "Track model training by using MLflow"
    assert bp.skill("d3.g4.s5").title == "Deploy a model to a batch endpoint"
    assert len(bp.skills) == 64
    assert abs(sum(bp.domain_shares().values()) - 1) < 1e-9


def test_blueprint_ids_must_follow_the_outline_order(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "quizzes/blueprints/dp100.yaml").read_text())
    data["domains"][0]["groups"][0]["skills"][1]["id"] = "d1.g1.s7"
    with pytest.raises(ValueError, match="d1.g1.s2"):
        Blueprint.model_validate(data)


def test_valid_sample_bank_has_no_issues(tmp_path: Path) -> None:
    folder = _bank(tmp_path, build_bank(load_blueprint(), per_domain=6))
    bank = load_bank(folder, load_blueprint())
    assert bank.issues == ()
    assert len(bank) == 24
    assert {q.type for q in bank.questions} == set(QUESTION_TYPES)


@pytest.mark.parametrize(
    "mutate, rule",
    [
        (lambda q: q.pop("stem"), "schema"),
        (lambda q: q.update(colour="red"), "schema"),
        (lambda q: q.update(difficulty=5), "schema"),
        (lambda q: q.update(topic="kubernetes"), "schema"),
        (lambda q: q.update(type="essay"), "schema"),
        (lambda q: q["options"][0].pop("explanation"), "schema"),
        (lambda q: q["options"][0].update(explanation=True), "schema"),  # `explanation: yes` in YAML
        (lambda q: q.update(options=q["options"][:1]), "schema"),
    ],
    ids=["missing-stem", "unknown-field", "difficulty", "topic", "type", "no-explanation", "yaml-bool", "one-option"],
)
def test_schema_errors(tmp_path: Path, mutate, rule: str) -> None:
    q = sample_question("single", "wks-001", ["d1.g2.s1"])
    mutate(q)
    assert ("wks-001", rule) in _rules(_bank(tmp_path, [q]))


def test_case_part_may_not_carry_question_metadata(tmp_path: Path) -> None:
    q = sample_question("case", "wks-001", ["d1.g2.s1"])
    q["parts"][0]["topic"] = "workspace"
    assert _rules(_bank(tmp_path, [q])) == [("wks-001", "schema")]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    folder = tmp_path / "bank"
    write_bank(folder, [sample_question("single", "wks-001", ["d1.g2.s1"])], "workspace.yaml")
    write_bank(folder, [sample_question("multi", "wks-001", ["d1.g2.s2"], "datastores")], "datastores.yaml")
    bank = load_bank(folder, load_blueprint())
    dup = [i for i in bank.errors if i.rule == "duplicate-id"]
    # files load in name order: datastores.yaml first, so the copy in workspace.yaml is the duplicate
    assert len(dup) == 1 and "datastores.yaml" in dup[0].message and dup[0].file.endswith("workspace.yaml")
    assert len(bank) == 1


@pytest.mark.parametrize(
    "qtype, mutate",
    [
        ("single", lambda q: q.update(answer="e")),
        ("multi", lambda q: q.update(answer=["a", "z"])),
        ("order", lambda q: q.update(answer=["c", "q"])),
        ("code", lambda q: q["blanks"][0].update(answer="d")),
        ("case", lambda q: q["parts"][0].update(answer="x")),
    ],
)
def test_answer_key_not_among_options(tmp_path: Path, qtype: str, mutate) -> None:
    q = sample_question(qtype, "wks-001", ["d1.g2.s1"])
    mutate(q)
    assert _rules(_bank(tmp_path, [q])) == [("wks-001", "answer-key")]


def test_duplicate_option_ids(tmp_path: Path) -> None:
    q = sample_question("single", "wks-001", ["d1.g2.s1"])
    q["options"][1]["id"] = "a"
    assert _rules(_bank(tmp_path, [q])) == [("wks-001", "duplicate-option")]


def test_unknown_skill(tmp_path: Path) -> None:
    q = sample_question("single", "wks-001", ["d1.g2.s9"])
    bank = load_bank(_bank(tmp_path, [q]), load_blueprint())
    assert [(i.question, i.rule) for i in bank.errors] == [("wks-001", "unknown-skill")]
    assert "d1.g2.s9" in bank.errors[0].message


def test_python_block_in_stem_must_parse(tmp_path: Path) -> None:
    q = sample_question("single", "wks-001", ["d1.g2.s1"])
    q["stem"] = "What does this do?\n\n```python\nml_client.jobs.create_or_update(job\n```\n"
    (issue,) = load_bank(_bank(tmp_path, [q]), load_blueprint()).errors
    assert (issue.question, issue.rule) == ("wks-001", "stem-code")
    assert "line" in issue.message


def test_text_blocks_in_stem_are_not_parsed(tmp_path: Path) -> None:
    q = sample_question("single", "wks-001", ["d1.g2.s1"])
    q["stem"] = "Read the log:\n\n```text\nthis is ( not python\n```\n"
    assert _rules(_bank(tmp_path, [q])) == []


def test_case_part_stem_code_is_checked(tmp_path: Path) -> None:
    q = sample_question("case", "wks-001", ["d1.g2.s1"])
    q["parts"][1]["stem"] = "```python\ndef f(:\n```"
    assert _rules(_bank(tmp_path, [q])) == [("wks-001", "stem-code")]


def test_code_with_placeholders_must_parse(tmp_path: Path) -> None:
    q = sample_question("code", "wks-001", ["d1.g2.s1"])
    q["code"] = "job = command(__1__=)\nml_client.__2__.create_or_update(job)\n"
    assert _rules(_bank(tmp_path, [q])) == [("wks-001", "code-parse")]


def test_code_filled_with_answers_must_parse(tmp_path: Path) -> None:
    q = sample_question("code", "wks-001", ["d1.g2.s1"])
    q["blanks"][1]["choices"][0]["text"] = "jobs("  # the answer of blank 2
    (issue,) = load_bank(_bank(tmp_path, [q]), load_blueprint()).errors
    assert (issue.question, issue.rule) == ("wks-001", "code-fill")


def test_placeholders_and_blanks_must_match(tmp_path: Path) -> None:
    q = sample_question("code", "wks-001", ["d1.g2.s1"])
    q["code"] = "job = command(__1__='x')\nml_client.__3__.create_or_update(job)\n"
    (issue,) = load_bank(_bank(tmp_path, [q]), load_blueprint()).errors
    assert issue.rule == "placeholder" and "__2__" in issue.message and "__3__" in issue.message


def test_bad_yaml_and_bad_file_shape(tmp_path: Path) -> None:
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "data.yaml").write_text("questions:\n  - id: dat-001\n    stem: [unclosed\n")
    (folder / "compute.yaml").write_text("- id: cmp-001\n")
    bank = load_bank(folder, load_blueprint())
    rules = sorted((Path(i.file).name, i.rule) for i in bank.errors)
    assert rules == [("compute.yaml", "file"), ("data.yaml", "yaml")]


def test_one_bad_question_does_not_hide_the_others(tmp_path: Path) -> None:
    good = sample_question("single", "wks-001", ["d1.g2.s1"])
    bad = copy.deepcopy(good)
    bad["id"] = "wks-002"
    bad["answer"] = "z"
    bank = load_bank(_bank(tmp_path, [good, bad]), load_blueprint())
    assert [q.id for q in bank.questions] == ["wks-001"]
    assert bank.skipped == 1


def test_yaml_ints_as_ids_are_accepted(tmp_path: Path) -> None:
    q = sample_question("code", "wks-001", ["d1.g2.s1"])
    for b in q["blanks"]:
        b["id"] = int(b["id"])
    assert _rules(_bank(tmp_path, [q])) == []


def test_coverage_counts_and_thin_skills(tmp_path: Path) -> None:
    bp = load_blueprint()
    folder = _bank(tmp_path, build_bank(bp, per_domain=6))
    report = validate(folder)
    cov = report.coverage
    assert cov.total == 24
    assert sum(cov.per_type.values()) == 24 and cov.per_type["case"] == 4
    assert cov.per_topic["workspace"] == 24
    assert cov.per_domain == {"d1": 6, "d2": 6, "d3": 6, "d4": 6}
    assert "d1.g1.s1" not in cov.thin_skills or cov.per_skill["d1.g1.s1"] < 3
    assert len(cov.thin_skills) == 64  # 6 questions per domain cannot give every skill 3
    assert any("240" in t for t in target_failures(cov))


def test_validate_cli_reports_file_and_question(tmp_path: Path) -> None:
    q = sample_question("single", "wks-007", ["d1.g2.s1"])
    q["answer"] = "z"
    folder = _bank(tmp_path, [q])
    proc = subprocess.run([sys.executable, "-m", "quizzes.validate", str(folder)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1
    assert "workspace.yaml [wks-007]: error answer-key" in proc.stdout
    assert "Coverage" in proc.stdout


def test_validate_main_ok_returns_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _bank(tmp_path, build_bank(load_blueprint(), per_domain=3))
    assert validate_main([str(folder), "--quiet"]) == 0
    assert validate_main([str(folder), "--quiet", "--targets"]) == 1
    out = capsys.readouterr().out
    assert "Coverage targets not met" in out


def test_coverage_function_matches_bank(tmp_path: Path) -> None:
    bp = load_blueprint()
    folder = _bank(tmp_path, [sample_question("yesno", "wks-001", ["d1.g2.s1", "d3.g1.s1"])])
    cov = coverage(load_bank(folder, bp), bp)
    assert cov.per_skill["d1.g2.s1"] == 1 and cov.per_skill["d3.g1.s1"] == 1
    assert cov.per_domain["d1"] == 1 and cov.per_domain["d3"] == 0  # primary domain = first skill's
