"""Spaced repetition with FSRS (the `fsrs` package, v6): one card per question.

Every scored answer (practice, retry, review, and questions seen in an exam) is a review of that question's
card. The rating comes from correctness and the time taken:

- not full marks (including partial credit, or seen but left blank) -> Again
- full marks, slower than the "slow" threshold                        -> Hard
- full marks, faster than the "fast" threshold                        -> Easy
- full marks otherwise (or time unknown)                              -> Good

Thresholds are seconds per *unit* of the question type (an option to read, a yes/no statement, a step to
order, a blank to fill), so a 4-statement yes/no series gets 4x the time of a single statement:

| type   | unit                      | fast below      | slow above       |
|--------|---------------------------|-----------------|------------------|
| single | the question              | 20 s            | 90 s             |
| multi  | the question              | 30 s            | 120 s            |
| yesno  | per statement             | 12 s            | 45 s             |
| order  | per step in the answer    | 10 s            | 40 s             |
| code   | per blank                 | 12 s            | 45 s             |
| case   | sum of its parts + 60 s to read the scenario (fast: sum of parts' fast, no reading allowance) |

These follow the exam's pace (100 minutes for about 50 items, ~2 minutes each, case studies longer) and what
is recall versus analysis: "fast" means answered from memory, "slow" means it had to be worked out.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fsrs import Card, Rating, Scheduler

from quizzes.models import Answerable, CaseQuestion, CodeBody, MultiBody, OrderBody, SingleBody, YesNoBody
from quizzes.progress import ProgressStore, utcnow
from quizzes.scoring import Answer, ScoreResult

#: (fast_below, slow_above) seconds per unit, by question type.
THRESHOLDS: dict[str, tuple[float, float]] = {
    "single": (20.0, 90.0),
    "multi": (30.0, 120.0),
    "yesno": (12.0, 45.0),
    "order": (10.0, 40.0),
    "code": (12.0, 45.0),
}
CASE_READING_SECONDS = 60.0


def time_thresholds(question: Answerable) -> tuple[float, float]:
    """(fast_below, slow_above) in seconds for this question."""
    if isinstance(question, CaseQuestion):
        parts = [time_thresholds(p) for p in question.parts]
        return sum(f for f, _ in parts), sum(s for _, s in parts) + CASE_READING_SECONDS
    fast, slow = THRESHOLDS[question.type]
    if isinstance(question, YesNoBody):
        units = len(question.items)
    elif isinstance(question, OrderBody):
        units = len(question.answer)
    elif isinstance(question, CodeBody):
        units = len(question.blanks)
    elif isinstance(question, (SingleBody, MultiBody)):
        units = 1
    else:  # pragma: no cover - all types covered above
        units = 1
    return fast * units, slow * units


def rating_for(question: Answerable, result: ScoreResult, seconds: float | None) -> Rating:
    """The FSRS rating for an answer (see the module doc)."""
    if not result.correct:
        return Rating.Again
    if seconds is None:
        return Rating.Good
    fast, slow = time_thresholds(question)
    if seconds > slow:
        return Rating.Hard
    if seconds < fast:
        return Rating.Easy
    return Rating.Good


def card_id_for(question_id: str) -> int:
    """A stable positive integer id for a question's card (fsrs cards need an int id)."""
    return zlib.crc32(question_id.encode("utf-8")) + 1


def default_scheduler() -> Scheduler:
    return Scheduler()


@dataclass(frozen=True)
class ReviewOutcome:
    rating: Rating
    card: Card

    @property
    def due(self) -> datetime:
        return self.card.due


def load_card(store: ProgressStore, question_id: str) -> Card:
    data = store.card_dict(question_id)
    if data is None:
        return Card(card_id=card_id_for(question_id))
    return Card.from_dict(data)  # type: ignore[arg-type]


def record_answer(
    store: ProgressStore,
    question: Any,
    answer: Answer,
    result: ScoreResult,
    seconds: float | None,
    *,
    mode: str,
    session_id: str | None = None,
    exam_id: str | None = None,
    scheduler: Scheduler | None = None,
    when: datetime | None = None,
    update_card: bool = True,
    conn: Any = None,
) -> ReviewOutcome | None:
    """Store the attempt and (if `update_card`) review the question's FSRS card, in one transaction.

    Pass `conn` (from `store.transaction()`) to make this part of a larger transaction (an exam's results).
    """
    when = when or store.now()
    if conn is None:
        with store.transaction() as c:
            return record_answer(store, question, answer, result, seconds, mode=mode, session_id=session_id,
                                 exam_id=exam_id, scheduler=scheduler, when=when, update_card=update_card, conn=c)
    store.add_attempt(conn, question_id=question.id, mode=mode, answer=answer, points=result.points,
                      max_points=result.max_points, seconds=None if seconds is None else round(seconds, 3),
                      session_id=session_id, exam_id=exam_id, answered=result.answered, when=when)
    if not update_card:
        return None
    rating = rating_for(question, result, seconds)
    card = load_card(store, question.id)
    sched = scheduler or default_scheduler()
    card, _log = sched.review_card(card, rating, review_datetime=when)
    store.put_card(conn, question.id, card.to_dict(), card.due)
    store.add_review_log(conn, question.id, int(rating), when, seconds)
    return ReviewOutcome(rating, card)


def due_questions(store: ProgressStore, bank: Any, at: datetime | None = None, limit: int | None = None) -> list[Any]:
    """Questions whose card is due at `at` (default now), most overdue first; ids no longer in the bank are skipped."""
    out = []
    for qid, _due in store.due_cards(at or store.now()):
        q = bank.get(qid)
        if q is not None:
            out.append(q)
            if limit is not None and len(out) >= limit:
                break
    return out


def next_due(store: ProgressStore) -> datetime | None:
    return store.next_due()


__all__ = [
    "THRESHOLDS",
    "ReviewOutcome",
    "card_id_for",
    "default_scheduler",
    "due_questions",
    "load_card",
    "rating_for",
    "record_answer",
    "time_thresholds",
    "utcnow",
]
