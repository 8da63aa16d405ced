"""Spaced repetition: ratings from correctness and time, FSRS scheduling, cards surviving a restart."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler, State
from pydantic import TypeAdapter

from quizzes.bank import load_bank
from quizzes.blueprint import load_blueprint
from quizzes.models import Question
from quizzes.progress import ProgressStore
from quizzes.review import (
    THRESHOLDS,
    card_id_for,
    due_questions,
    load_card,
    rating_for,
    record_answer,
    time_thresholds,
)
from quizzes.samples import build_bank, sample_question, write_bank
from quizzes.scoring import correct_answer, score

BP = load_blueprint()
_Q = TypeAdapter(Question)
T0 = datetime(2025, 5, 1, 9, 0, tzinfo=timezone.utc)


def make(qtype: str, qid: str = "wks-001"):
    return _Q.validate_python(sample_question(qtype, qid, ["d1.g2.s1"]))


def sched() -> Scheduler:
    return Scheduler(enable_fuzzing=False)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DP100_HOME", str(tmp_path))
    return tmp_path / "progress.db"


@pytest.mark.parametrize("qtype", ["single", "multi", "yesno", "order", "code", "case"])
def test_rating_from_correctness_and_time(qtype: str) -> None:
    q = make(qtype)
    fast, slow = time_thresholds(q)
    right = score(q, correct_answer(q))
    assert rating_for(q, right, fast / 2) == Rating.Easy
    assert rating_for(q, right, (fast + slow) / 2) == Rating.Good
    assert rating_for(q, right, slow * 2) == Rating.Hard
    assert rating_for(q, right, None) == Rating.Good
    wrong = score(q, None)
    assert rating_for(q, wrong, 1) == Rating.Again


def test_partial_credit_is_again() -> None:
    q = make("yesno")
    r = score(q, {"1": True, "2": False, "3": False})
    assert 0 < r.points < r.max_points
    assert rating_for(q, r, 10) == Rating.Again


def test_thresholds_scale_with_the_size_of_the_question() -> None:
    assert time_thresholds(make("single")) == THRESHOLDS["single"]
    yesno_fast, yesno_slow = THRESHOLDS["yesno"]
    assert time_thresholds(make("yesno")) == (3 * yesno_fast, 3 * yesno_slow)  # 3 statements
    case_fast, case_slow = time_thresholds(make("case"))
    assert case_slow > sum(THRESHOLDS[t][1] for t in ("single", "yesno", "code"))


def test_wrong_answer_is_due_soon_right_answer_later(db: Path) -> None:
    store = ProgressStore(db, now=lambda: T0)
    a, b = make("single", "wks-001"), make("single", "wks-002")
    out_a = record_answer(store, a, "a", score(a, "a"), 30, mode="practice", scheduler=sched(), when=T0)
    out_b = record_answer(store, b, "b", score(b, "b"), 5, mode="practice", scheduler=sched(), when=T0)
    assert out_a.rating == Rating.Again and out_b.rating == Rating.Easy
    assert out_a.due < out_b.due
    assert out_a.due - T0 <= timedelta(minutes=10)
    assert out_b.due - T0 >= timedelta(days=1)
    store.close()


def test_cards_persist_across_a_restart(db: Path) -> None:
    q = make("code", "wks-010")
    store = ProgressStore(db, now=lambda: T0)
    first = record_answer(store, q, correct_answer(q), score(q, correct_answer(q)), 40, mode="practice",
                          scheduler=sched(), when=T0)
    store.close()

    reopened = ProgressStore(db, now=lambda: T0)
    card = load_card(reopened, "wks-010")
    assert card.card_id == card_id_for("wks-010")
    assert card.due == first.card.due and card.stability == first.card.stability
    assert card.to_dict() == first.card.to_dict()
    # the next review continues from the stored state
    later = first.card.due + timedelta(minutes=1)
    second = record_answer(reopened, q, correct_answer(q), score(q, correct_answer(q)), 40, mode="review",
                           scheduler=sched(), when=later)
    expected, _ = sched().review_card(Card.from_dict(first.card.to_dict()), Rating.Good, review_datetime=later)
    assert second.card.to_dict() == expected.to_dict()
    assert second.card.due > first.card.due
    reopened.close()

    again = ProgressStore(db, now=lambda: later)
    assert [a.mode for a in again.attempts("wks-010")] == ["practice", "review"]
    assert again.card_dict("wks-010") == second.card.to_dict()
    again.close()


def test_due_questions_follow_the_cards(db: Path, tmp_path: Path) -> None:
    write_bank(tmp_path / "bank", build_bank(BP, per_domain=2))
    bank = load_bank(tmp_path / "bank", BP)
    store = ProgressStore(db, now=lambda: T0)
    wrong, right = bank.questions[0], bank.questions[1]
    record_answer(store, wrong, None, score(wrong, "zz"), 10, mode="practice", scheduler=sched(), when=T0)
    record_answer(store, right, correct_answer(right), score(right, correct_answer(right)), 50, mode="practice",
                  scheduler=sched(), when=T0)
    assert due_questions(store, bank, T0) == []
    # FSRS learning steps: Again -> again in 1 minute; Good on a new card -> in 10 minutes
    assert [q.id for q in due_questions(store, bank, T0 + timedelta(minutes=5))] == [wrong.id]
    much_later = T0 + timedelta(days=60)
    assert {q.id for q in due_questions(store, bank, much_later)} == {wrong.id, right.id}
    assert due_questions(store, bank, much_later, limit=1)[0].id == wrong.id  # most overdue first
    store.close()


def test_card_state_moves_to_review(db: Path) -> None:
    q = make("single")
    store = ProgressStore(db, now=lambda: T0)
    t = T0
    out = None
    for _ in range(3):
        out = record_answer(store, q, "b", score(q, "b"), 30, mode="practice", scheduler=sched(), when=t)
        t = out.card.due
    assert out is not None and out.card.state == State.Review
    store.close()
