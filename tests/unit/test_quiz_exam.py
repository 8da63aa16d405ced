"""The mock exam: blueprint-weighted sampling, timer with a fake clock, one-way questions, scoring, saving."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from quizzes.bank import load_bank
from quizzes.blueprint import load_blueprint
from quizzes.exam import (
    ExamError,
    ExamOver,
    ExamSession,
    ExamTimeUp,
    domain_targets,
    sample_exam,
    save_exam,
    scaled_score,
)
from quizzes.models import Question
from quizzes.progress import ProgressStore
from quizzes.samples import build_bank, sample_question, write_bank
from quizzes.scoring import correct_answer

BP = load_blueprint("dp100")
_Q = TypeAdapter(Question)


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def fixed_wall() -> datetime:
    return datetime(2025, 5, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("bank")
    write_bank(folder, build_bank(BP, per_domain=40))
    return load_bank(folder, BP)


def make(qtype: str, qid: str, skill: str = "d1.g2.s1"):
    return _Q.validate_python(sample_question(qtype, qid, [skill]))


# -- sampling ----------------------------------------------------------------------------------------------------


def test_targets_use_normalised_midpoints() -> None:
    shares = BP.domain_shares()
    assert shares == pytest.approx({"d1": 0.225, "d2": 0.225, "d3": 0.275, "d4": 0.275})
    for seed in range(50):
        t = domain_targets(BP, 50, seed)
        assert sum(t.values()) == 50
        for d, share in shares.items():  # every draw is the nearest whole number below or above n * share
            assert int(50 * share) <= t[d] <= int(50 * share) + 1


def test_domain_shares_over_many_draws_match_the_weights(bank) -> None:
    counts: Counter[str] = Counter()
    total = 0
    for seed in range(200):
        qs = sample_exam(bank.questions, BP, 23, seed)
        assert len(qs) == 23 and len({q.id for q in qs}) == 23
        counts.update(q.domain for q in qs)
        total += len(qs)
    for d, share in BP.domain_shares().items():
        assert counts[d] / total == pytest.approx(share, abs=0.01)


def test_every_draw_stays_within_the_blueprint_ranges(bank) -> None:
    for seed in range(100):
        qs = sample_exam(bank.questions, BP, 50, seed)
        c = Counter(q.domain for q in qs)
        for d in BP.domains:
            assert d.weight[0] <= 100 * c[d.id] / 50 <= d.weight[1]


def test_sampling_is_deterministic_for_a_seed(bank) -> None:
    a = [q.id for q in sample_exam(bank.questions, BP, 30, seed=7)]
    b = [q.id for q in sample_exam(list(reversed(bank.questions)), BP, 30, seed=7)]
    c = [q.id for q in sample_exam(bank.questions, BP, 30, seed=8)]
    assert a == b and a != c


def test_case_study_counts_as_one_and_comes_last(bank) -> None:
    qs = sample_exam(bank.questions, BP, 40, seed=3)
    assert len(qs) == 40
    types = [q.type for q in qs]
    assert "case" in types
    first_case = types.index("case")
    assert all(t == "case" for t in types[first_case:])


def test_short_domain_gives_its_slots_to_the_others(tmp_path: Path) -> None:
    questions = build_bank(BP, per_domain=10)
    questions = [q for q in questions if not q["skills"][0].startswith("d2")][:] + \
        [q for q in questions if q["skills"][0].startswith("d2")][:2]
    write_bank(tmp_path, questions)
    b = load_bank(tmp_path, BP)
    qs = sample_exam(b.questions, BP, 20, seed=1)
    c = Counter(q.domain for q in qs)
    assert len(qs) == 20 and c["d2"] == 2
    assert sample_exam(b.questions, BP, 500, seed=1).__len__() == len(b.questions)


# -- scoring -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("points, mx, scaled", [(0, 10, 1), (10, 10, 1000), (7, 10, 700), (1, 2, 501), (2, 3, 667)])
def test_scaled_score(points: int, mx: int, scaled: int) -> None:
    assert scaled_score(points, mx) == scaled


def test_pass_mark_is_700(bank) -> None:
    singles = [make("single", f"wks-{i:03d}") for i in range(10)]
    s = ExamSession(singles, BP, minutes=10, clock=FakeClock(), wall=fixed_wall)
    for i in range(7):
        s.go(i + 1)
        s.answer("b")
    r = s.finish()
    assert (r.points, r.max_points, r.scaled, r.passed) == (7, 10, 700, True)
    s2 = ExamSession(singles, BP, minutes=10, clock=FakeClock(), wall=fixed_wall)
    for i in range(6):
        s2.go(i + 1)
        s2.answer("b")
    assert s2.finish().passed is False


def test_per_domain_percentages() -> None:
    qs = [make("single", "wks-001", "d1.g1.s1"), make("single", "wks-002", "d1.g1.s2"),
          make("yesno", "wks-003", "d3.g1.s1")]
    s = ExamSession(qs, BP, minutes=10, clock=FakeClock(), wall=fixed_wall)
    s.answer("b")
    s.go(3)
    s.answer({"1": True, "2": True, "3": True})
    r = s.finish()
    by = {d.id: d for d in r.domains}
    assert (by["d1"].points, by["d1"].max_points, by["d1"].percent) == (1, 2, 50.0)
    assert (by["d3"].points, by["d3"].max_points) == (2, 3)
    assert by["d2"].questions == 0 and by["d2"].percent == 0.0


# -- navigation --------------------------------------------------------------------------------------------------


def test_flags_and_navigator() -> None:
    qs = [make("single", f"wks-{i:03d}") for i in range(1, 4)]
    s = ExamSession(qs, BP, minutes=10, clock=FakeClock(), wall=fixed_wall)
    assert s.toggle_flag() is True
    s.answer("a")
    s.next()
    nav = s.navigator()
    assert [(e.number, e.answered, e.flagged, e.current) for e in nav] == [
        (1, True, True, False), (2, False, False, True), (3, False, False, False)]
    s.prev()
    assert s.current.number == 1
    s.answer("b")  # ordinary questions can be changed
    assert s.current.answer == "b"
    with pytest.raises(ExamError, match="no question 9"):
        s.go(9)


@pytest.mark.parametrize("qtype", ["yesno", "case"])
def test_yesno_and_case_cannot_be_revisited(qtype: str) -> None:
    qs = [make("single", "wks-001"), make(qtype, "wks-002"), make("single", "wks-003")]
    s = ExamSession(qs, BP, minutes=10, clock=FakeClock(), wall=fixed_wall)
    s.go(2)
    assert s.leaving_locks()
    s.next()
    assert s.current.number == 3
    with pytest.raises(ExamError, match="cannot be revisited"):
        s.go(2)
    s.prev()  # skips the locked question
    assert s.current.number == 1
    with pytest.raises(ExamError):
        s.go(2)
    assert [e.locked for e in s.navigator()] == [False, True, False]


def test_case_parts_answered_one_by_one() -> None:
    c = make("case", "wks-001")
    s = ExamSession([c], BP, minutes=10, clock=FakeClock(), wall=fixed_wall)
    s.answer_part("p1", "b")
    s.answer_part("p3", {"1": "b", "2": "a"})
    assert not s.current.complete
    s.answer_part("p2", {"1": True, "2": False, "3": True})
    assert s.current.complete
    with pytest.raises(ExamError):
        s.answer_part("p9", "a")
    assert s.finish().points == 6


# -- timer -------------------------------------------------------------------------------------------------------


def test_countdown_uses_the_injected_clock() -> None:
    clock = FakeClock()
    s = ExamSession([make("single", "wks-001")], BP, minutes=2, clock=clock, wall=fixed_wall)
    assert s.remaining_seconds == 120
    clock.advance(45)
    assert s.remaining_seconds == 75 and not s.expired


def test_time_out_counts_unanswered_as_wrong_and_saves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DP100_HOME", str(tmp_path))
    clock = FakeClock()
    qs = [make("single", "wks-001"), make("single", "wks-002"), make("code", "wks-003"), make("yesno", "wks-004")]
    s = ExamSession(qs, BP, minutes=1, clock=clock, wall=fixed_wall, seed=5)
    s.answer("b")
    clock.advance(20)
    s.next()
    s.answer("b")
    clock.advance(41)  # past the 60 s limit
    assert s.expired
    with pytest.raises(ExamTimeUp) as info:
        s.answer("a")  # too late: not recorded
    result = info.value.result
    assert result.reason == "time_up"
    assert s.items[1].answer == "b"
    assert (result.points, result.max_points) == (2, 1 + 1 + 2 + 3)
    assert result.answered_count == 2
    assert [i.seen for i in result.items] == [True, True, False, False]
    with pytest.raises(ExamOver):
        s.next()

    store = ProgressStore(tmp_path / "progress.db", now=fixed_wall)
    save_exam(store, result)
    store.close()
    store = ProgressStore(tmp_path / "progress.db", now=fixed_wall)
    (rec,) = store.exams()
    assert rec.reason == "time_up" and rec.points == 2 and rec.max_points == 7 and rec.answered_count == 2
    assert rec.scaled_score == scaled_score(2, 7) and not rec.passed
    attempts = store.attempts(exam_id=result.exam_id)
    assert [(a.question_id, a.answered, a.points) for a in attempts] == [
        ("wks-001", True, 1), ("wks-002", True, 1), ("wks-003", False, 0), ("wks-004", False, 0)]
    assert attempts[0].seconds == pytest.approx(20)
    assert attempts[1].seconds == pytest.approx(40)  # clipped at the deadline
    # cards only for the questions that were on screen
    assert store.card_dict("wks-001") is not None and store.card_dict("wks-003") is None
    store.close()


def test_finish_is_idempotent_and_review_has_every_item() -> None:
    qs = [make(t, f"wks-{i:03d}") for i, t in enumerate(["single", "multi", "order", "code", "yesno", "case"], 1)]
    s = ExamSession(qs, BP, minutes=30, clock=FakeClock(), wall=fixed_wall)
    for i, q in enumerate(qs, 1):
        s.go(i)
        s.answer(correct_answer(q))
    r = s.finish()
    assert r is s.finish()
    assert r.scaled == 1000 and r.passed and len(r.items) == 6
    assert all(it.result.correct for it in r.items)
