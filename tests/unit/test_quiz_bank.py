"""Loading the bank (folder from DP100_QUIZ_BANK, caching), import isolation, and the real bank's rules."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from quizzes.bank import PACKAGE_BANK_DIR, bank_files, default_bank_dir, load_bank
from quizzes.blueprint import BlueprintNotFound, load_blueprint
from quizzes.samples import build_bank, sample_question, write_bank
from quizzes.validate import TARGET_CORE_TOPICS, coverage, target_failures, validate

ROOT = Path(__file__).resolve().parents[2]
BP = load_blueprint()


def test_bank_folder_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DP100_QUIZ_BANK", raising=False)
    assert default_bank_dir() == PACKAGE_BANK_DIR
    write_bank(tmp_path, [sample_question("single", "wks-001", ["d1.g1.s1"])])
    monkeypatch.setenv("DP100_QUIZ_BANK", str(tmp_path))
    assert default_bank_dir() == tmp_path
    assert [q.id for q in load_bank().questions] == ["wks-001"]


def test_load_is_cached_until_a_file_changes(tmp_path: Path) -> None:
    path = write_bank(tmp_path, [sample_question("single", "wks-001", ["d1.g1.s1"])])
    first = load_bank(tmp_path)
    assert load_bank(tmp_path) is first
    write_bank(tmp_path, [sample_question("single", "wks-001", ["d1.g1.s1"]),
                          sample_question("multi", "wks-002", ["d1.g1.s1"])])
    assert path.exists()
    second = load_bank(tmp_path)
    assert second is not first and len(second) == 2


def test_missing_bank_folder_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    bank = load_bank(tmp_path / "nowhere")
    assert len(bank) == 0 and bank.errors and "DP100_QUIZ_BANK" in bank.errors[0].message


def test_nested_yaml_files_are_found(tmp_path: Path) -> None:
    write_bank(tmp_path / "extra", [sample_question("single", "wks-001", ["d1.g1.s1"])])
    (tmp_path / "notes.txt").write_text("not a bank file")
    assert [p.name for p in bank_files(tmp_path)] == ["workspace.yaml"]


def test_unknown_blueprint_lists_the_available_ones() -> None:
    with pytest.raises(BlueprintNotFound, match="dp100"):
        load_blueprint("ai-999")


def test_quizzes_imports_no_ui_and_no_other_dp100_package() -> None:
    code = (
        "import sys, quizzes.models, quizzes.bank, quizzes.blueprint, quizzes.scoring, quizzes.answers, "
        "quizzes.exam, quizzes.practice, quizzes.review, quizzes.progress, quizzes.validate, quizzes.samples\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'course', 'labs', 'sandbox'))\n"
        "print(bad)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_sample_bank_round_trips_through_validation(tmp_path: Path) -> None:
    write_bank(tmp_path, build_bank(BP, per_domain=12))
    report = validate(tmp_path)
    assert report.ok and report.coverage.total == 48


# -- the real bank ----------------------------------------------------------------------------------------------

_REAL = load_bank(PACKAGE_BANK_DIR, BP)
_REAL_COUNT = len(_REAL.questions) + _REAL.skipped


@pytest.mark.skipif(_REAL_COUNT < 200, reason=f"the real bank has {_REAL_COUNT} questions (< 200); still being written")
def test_real_bank_passes_every_rule_and_meets_the_coverage_targets() -> None:
    bank = load_bank(PACKAGE_BANK_DIR, BP)
    assert not bank.errors, "\n".join(str(i) for i in bank.errors)
    cov = coverage(bank, BP)
    failures = target_failures(cov)
    assert failures == [], "coverage targets missed:\n" + "\n".join(failures) + "\n" + json.dumps(
        {"per_topic": cov.per_topic, "per_type": cov.per_type}, indent=1)
    # spelled out, so the targets are visible here too
    assert cov.total >= 240
    assert all(cov.per_topic[t] >= 15 for t in TARGET_CORE_TOPICS)
    assert all(n >= 3 for n in cov.per_skill.values())
    assert all(cov.per_type[t] > 0 for t in ("single", "multi", "yesno", "order", "code", "case"))
    assert cov.per_type["code"] >= 0.15 * cov.total and cov.per_type["yesno"] >= 0.15 * cov.total


def test_disk_cache_is_reused_and_invalidated(tmp_path: Path) -> None:
    bank_dir, cache = tmp_path / "bank", tmp_path / "cache"
    path = write_bank(bank_dir, [sample_question("single", "wks-001", ["d1.g1.s1"])])
    first = load_bank(bank_dir, BP, cache_dir=cache)
    (entry,) = list(cache.glob("*.marshal"))
    assert [q.id for q in first.questions] == ["wks-001"]
    assert [q.id for q in load_bank(bank_dir, BP, cache_dir=cache).questions] == ["wks-001"]
    # a changed file is parsed again, not served from the cache
    write_bank(bank_dir, [sample_question("single", "wks-002", ["d1.g1.s1"])])
    assert [q.id for q in load_bank(bank_dir, BP, cache_dir=cache).questions] == ["wks-002"]
    # a damaged cache entry is ignored
    entry.write_bytes(b"\x00garbage")
    assert [q.id for q in load_bank(bank_dir, BP, cache_dir=cache).questions] == ["wks-002"]
    assert path.exists()
