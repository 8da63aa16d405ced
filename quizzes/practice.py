"""Study, practice and retry-wrong modes (no UI here: the CLI and the TUI drive these).

- Study: browse questions by topic or skill with answers and explanations (`study_questions`).
- Practice: questions filtered by topic / domain / skill / type, questions never answered first, then the rest,
  shuffled; immediate feedback (`PracticeSession.submit` returns the score and the rating given to FSRS).
- Retry wrong: the questions whose latest answered attempt (in any mode) did not get full marks.
"""
from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from quizzes.models import QUESTION_TYPES, TOPICS, AnyQuestion, Blueprint
from quizzes.progress import ProgressStore
from quizzes.review import ReviewOutcome, record_answer
from quizzes.scoring import Answer, ScoreResult, score


class SelectionError(ValueError):
    """A filter value that does not exist; the message lists the valid ones."""


def check_filters(
    blueprint: Blueprint,
    *,
    topic: str | None = None,
    domain: str | None = None,
    skill: str | None = None,
    qtype: str | None = None,
) -> None:
    """Raise `SelectionError` with the valid choices when a filter value is unknown."""
    if topic is not None and topic not in TOPICS:
        raise SelectionError(f"Unknown topic {topic!r}. Topics: {', '.join(TOPICS)}.")
    if domain is not None and domain not in {d.id for d in blueprint.domains}:
        raise SelectionError(f"Unknown domain {domain!r}. Domains: "
                             + ", ".join(f"{d.id} ({d.title})" for d in blueprint.domains) + ".")
    if skill is not None and skill not in blueprint.skill_ids and not any(
        g.id == skill for d in blueprint.domains for g in d.groups
    ):
        raise SelectionError(f"Unknown skill {skill!r}. Skill ids look like d1.g2.s3 (or a group, d1.g2); "
                             f"see `dp100 quiz stats` for the list.")
    if qtype is not None and qtype not in QUESTION_TYPES:
        raise SelectionError(f"Unknown question type {qtype!r}. Types: {', '.join(QUESTION_TYPES)}.")


def _skill_match(q: AnyQuestion, skill: str) -> bool:
    return any(s == skill or s.startswith(skill + ".") for s in q.skills)


def filter_questions(
    questions: Iterable[AnyQuestion],
    *,
    topic: str | None = None,
    domain: str | None = None,
    skill: str | None = None,
    qtype: str | None = None,
) -> list[AnyQuestion]:
    """Questions matching every given filter (`skill` may be a skill `d1.g2.s3` or a group `d1.g2`)."""
    out = []
    for q in questions:
        if topic is not None and q.topic != topic:
            continue
        if domain is not None and domain not in q.domains:
            continue
        if skill is not None and not _skill_match(q, skill):
            continue
        if qtype is not None and q.type != qtype:
            continue
        out.append(q)
    return out


def pick_practice(
    questions: Sequence[AnyQuestion],
    n: int | None,
    *,
    seen: Iterable[str] = (),
    seed: int | None = None,
) -> list[AnyQuestion]:
    """Up to `n` questions: those never answered first, then the others, each group shuffled."""
    rng = random.Random(seed)
    seen_set = set(seen)
    fresh = [q for q in questions if q.id not in seen_set]
    old = [q for q in questions if q.id in seen_set]
    rng.shuffle(fresh)
    rng.shuffle(old)
    ordered = fresh + old
    return ordered if n is None else ordered[: max(0, n)]


def study_questions(
    questions: Iterable[AnyQuestion], *, topic: str | None = None, skill: str | None = None
) -> list[AnyQuestion]:
    """Questions for study mode, ordered by id (which groups them by topic)."""
    return sorted(filter_questions(questions, topic=topic, skill=skill), key=lambda q: q.id)


def wrong_last_time(store: ProgressStore, bank: Any) -> list[AnyQuestion]:
    """Questions whose latest answered attempt did not get full marks (oldest miss first)."""
    latest = store.latest_attempts()
    missed = sorted((a for a in latest.values() if not a.correct), key=lambda a: a.id)
    return [q for q in (bank.get(a.question_id) for a in missed) if q is not None]


@dataclass(frozen=True)
class Feedback:
    question: AnyQuestion
    answer: Answer
    result: ScoreResult
    seconds: float
    review: ReviewOutcome | None


@dataclass
class PracticeSession:
    """Asks `questions` one by one; `submit` scores, stores the attempt and updates the question's FSRS card.

    `clock` measures the time taken per question (injectable for tests); `store` may be None (nothing saved).
    """

    questions: list[AnyQuestion]
    store: ProgressStore | None = None
    mode: str = "practice"
    clock: Callable[[], float] = time.monotonic
    scheduler: Any = None
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    feedback: list[Feedback] = field(default_factory=list)
    _started: float | None = None

    def start(self, question: AnyQuestion) -> None:
        """Call when the question is shown (starts its timer)."""
        self._started = self.clock()

    def submit(self, question: AnyQuestion, answer: Answer) -> Feedback:
        seconds = max(0.0, self.clock() - self._started) if self._started is not None else 0.0
        self._started = None
        result = score(question, answer)
        outcome = None
        if self.store is not None:
            outcome = record_answer(self.store, question, answer, result, seconds, mode=self.mode,
                                    session_id=self.session_id, scheduler=self.scheduler)
        fb = Feedback(question, answer, result, seconds, outcome)
        self.feedback.append(fb)
        return fb

    @property
    def points(self) -> int:
        return sum(f.result.points for f in self.feedback)

    @property
    def max_points(self) -> int:
        return sum(f.result.max_points for f in self.feedback)

    @property
    def answered(self) -> int:
        return len(self.feedback)

    @property
    def fully_correct(self) -> int:
        return sum(1 for f in self.feedback if f.result.correct)
