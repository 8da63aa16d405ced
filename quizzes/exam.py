"""The mock exam: blueprint-weighted sampling, a timed session with flags and a navigator, scaled scoring.

Sampling: each domain's share is the midpoint of its weight range, normalised. For `n` questions, domain `d`
gets `floor(n * share_d)` plus, for the remaining slots, a randomised rounding (systematic sampling over the
fractional parts), so every draw has the nearest whole numbers and the *expected* count is exactly
`n * share_d`. A domain with too few questions gives its slots to the others in proportion to their shares.
A question belongs to the domain of its first skill; a case study counts as one question. Everything is
deterministic for a given seed.

Order: non-case questions shuffled, then the case studies (their own section at the end, as on the real exam).

Rules while taking it (as on the real exam): a yes/no series or a case study cannot be revisited once you move
away from it; any other question can be revisited, flagged for review and changed until the end. The timer
uses an injectable clock (`time.monotonic` by default); once it runs out, further actions raise `ExamTimeUp`
and the exam is finished with unanswered questions counted as wrong.

Score: `scale_min + (scale_max - scale_min) * points / max_points`, rounded half up (1..1000 for DP-100);
pass at `pass_score` (700).
"""
from __future__ import annotations

import math
import random
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Sequence

from quizzes.models import AnyQuestion, Blueprint, CaseQuestion
from quizzes.progress import ExamRecord, ProgressStore, utcnow
from quizzes.review import record_answer
from quizzes.scoring import Answer, ScoreResult, is_answered, is_complete, max_points, score

ONE_WAY_TYPES = frozenset({"yesno", "case"})


# ----------------------------------------------------------------------------------------------------------------
# Sampling
# ----------------------------------------------------------------------------------------------------------------


def _apportion(n: int, shares: dict[str, float], rng: random.Random) -> dict[str, int]:
    raw = {d: n * s for d, s in shares.items()}
    counts = {d: math.floor(v) for d, v in raw.items()}
    left = n - sum(counts.values())
    if left > 0:
        fracs = [(d, raw[d] - counts[d]) for d in shares]
        total = sum(f for _, f in fracs)
        if total <= 0:
            for d, _ in fracs[:left]:
                counts[d] += 1
        else:
            # systematic sampling: inclusion probability of each domain == its fractional part (scaled to `left`)
            scale = left / total
            u = rng.random()
            acc = 0.0
            k = 0
            for d, f in fracs:
                acc += f * scale
                while k < left and u + k < acc - 1e-12:
                    counts[d] += 1
                    k += 1
            while k < left:  # float safety
                counts[fracs[-1][0]] += 1
                k += 1
    return counts


def domain_targets(blueprint: Blueprint, n: int, seed: int | None = 0) -> dict[str, int]:
    """How many questions each domain gets in an `n`-question exam (before any shortfall is redistributed)."""
    return _apportion(n, blueprint.domain_shares(), random.Random(seed))


def sample_exam(
    questions: Sequence[AnyQuestion], blueprint: Blueprint, n: int, seed: int | None = None
) -> list[AnyQuestion]:
    """Pick `n` questions (fewer if the bank is smaller) with domain shares following the blueprint weights."""
    rng = random.Random(seed)
    shares = blueprint.domain_shares()
    pools: dict[str, list[AnyQuestion]] = {d: [] for d in shares}
    for q in sorted(questions, key=lambda q: q.id):
        if q.domain in pools:
            pools[q.domain].append(q)
    n = min(n, sum(len(p) for p in pools.values()))
    targets = _apportion(n, shares, rng)
    # give slots a domain cannot fill to the domains that still have questions, by their shares
    while True:
        short = sum(max(0, targets[d] - len(pools[d])) for d in targets)
        if short == 0:
            break
        for d in targets:
            targets[d] = min(targets[d], len(pools[d]))
        open_shares = {d: shares[d] for d in targets if len(pools[d]) > targets[d]}
        if not open_shares:
            break
        total = sum(open_shares.values())
        extra = _apportion(short, {d: s / total for d, s in open_shares.items()}, rng)
        for d, k in extra.items():
            targets[d] += k
    picked: list[AnyQuestion] = []
    for d in shares:
        picked.extend(rng.sample(pools[d], targets[d]))
    regular = [q for q in picked if not isinstance(q, CaseQuestion)]
    cases = [q for q in picked if isinstance(q, CaseQuestion)]
    rng.shuffle(regular)
    rng.shuffle(cases)
    return regular + cases


def scaled_score(points: float, max_pts: float, scale_min: int = 1, scale_max: int = 1000) -> int:
    """Points on the exam scale, rounded half up (0 points -> scale_min, full marks -> scale_max)."""
    if max_pts <= 0:
        return scale_min
    return int(math.floor(scale_min + (scale_max - scale_min) * points / max_pts + 0.5))


# ----------------------------------------------------------------------------------------------------------------
# Session
# ----------------------------------------------------------------------------------------------------------------


class ExamError(Exception):
    """An action the exam does not allow; the message says what is possible instead."""


class ExamOver(ExamError):
    """The exam has already finished."""


class ExamTimeUp(ExamOver):
    """Time ran out; the exam has been finished and `result` holds the outcome."""

    def __init__(self, result: "ExamResult") -> None:
        super().__init__("Time is up. Unanswered questions count as wrong.")
        self.result = result


@dataclass
class ExamItem:
    number: int
    question: AnyQuestion
    answer: Answer = None
    flagged: bool = False
    visited: bool = False
    locked: bool = False
    seconds: float = 0.0

    @property
    def one_way(self) -> bool:
        return self.question.type in ONE_WAY_TYPES

    @property
    def answered(self) -> bool:
        return is_answered(self.question, self.answer)

    @property
    def complete(self) -> bool:
        return is_complete(self.question, self.answer)


@dataclass(frozen=True)
class NavEntry:
    number: int
    answered: bool
    complete: bool
    flagged: bool
    locked: bool
    current: bool
    one_way: bool


@dataclass(frozen=True)
class ItemResult:
    number: int
    question: AnyQuestion
    answer: Answer
    result: ScoreResult
    flagged: bool
    seconds: float
    seen: bool


@dataclass(frozen=True)
class DomainResult:
    id: str
    title: str
    points: int
    max_points: int
    questions: int

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.max_points if self.max_points else 0.0


@dataclass
class ExamResult:
    exam_id: str
    blueprint_id: str
    seed: int | None
    started_at: datetime
    finished_at: datetime
    minutes: float
    reason: str  # submitted | time_up | ended
    items: list[ItemResult]
    points: int
    max_points: int
    scaled: int
    pass_score: int
    domains: list[DomainResult]
    saved: bool = False

    @property
    def passed(self) -> bool:
        return self.scaled >= self.pass_score

    @property
    def answered_count(self) -> int:
        return sum(1 for i in self.items if i.result.answered)

    def to_record(self) -> ExamRecord:
        return ExamRecord(
            self.exam_id, self.blueprint_id, self.seed, self.started_at, self.finished_at, self.minutes, self.reason,
            len(self.items), self.answered_count, self.points, self.max_points, self.scaled, self.pass_score,
            self.passed,
            [{"id": d.id, "title": d.title, "points": d.points, "max_points": d.max_points,
              "questions": d.questions, "percent": round(d.percent, 1)} for d in self.domains],
        )


class ExamSession:
    """A timed exam over `questions` (use `sample_exam` to pick them). Numbers shown to the learner are 1-based."""

    def __init__(
        self,
        questions: Sequence[AnyQuestion],
        blueprint: Blueprint,
        *,
        minutes: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = utcnow,
        exam_id: str | None = None,
        seed: int | None = None,
    ) -> None:
        if not questions:
            raise ExamError("No questions to put in the exam. Check the question bank with `dp100 quiz validate`.")
        self.blueprint = blueprint
        self.items = [ExamItem(i + 1, q) for i, q in enumerate(questions)]
        self.minutes = float(minutes if minutes is not None else blueprint.exam.minutes)
        self.clock = clock
        self.wall = wall
        self.exam_id = exam_id or uuid.uuid4().hex[:12]
        self.seed = seed
        self.started_at = wall()
        self._start = clock()
        self._deadline = self._start + self.minutes * 60.0
        self._index = 0
        self._entered = self._start
        self.items[0].visited = True
        self.result: ExamResult | None = None

    # -- time --------------------------------------------------------------------------------------------------
    @property
    def remaining_seconds(self) -> float:
        return max(0.0, self._deadline - self.clock())

    @property
    def expired(self) -> bool:
        return self.clock() >= self._deadline

    @property
    def finished(self) -> bool:
        return self.result is not None

    def _check(self) -> None:
        if self.result is not None:
            raise ExamOver("The exam is over.")
        if self.expired:
            raise ExamTimeUp(self.finish("time_up"))

    # -- where we are --------------------------------------------------------------------------------------------
    @property
    def index(self) -> int:
        return self._index

    @property
    def current(self) -> ExamItem:
        return self.items[self._index]

    def __len__(self) -> int:
        return len(self.items)

    def can_visit(self, number: int) -> bool:
        """Whether question `number` (1-based) can be shown now."""
        if not 1 <= number <= len(self.items):
            return False
        item = self.items[number - 1]
        return not item.locked

    def navigator(self) -> list[NavEntry]:
        return [NavEntry(it.number, it.answered, it.complete, it.flagged, it.locked, it.number - 1 == self._index,
                         it.one_way) for it in self.items]

    # -- actions -------------------------------------------------------------------------------------------------
    def answer(self, answer: Answer) -> None:
        """Set (or replace) the answer to the current question. For a case study, a dict of part answers."""
        self._check()
        self.current.answer = answer

    def answer_part(self, part_id: str, answer: Answer) -> None:
        """Answer one part of the current case study."""
        self._check()
        item = self.current
        if not isinstance(item.question, CaseQuestion):
            raise ExamError("This question has no parts.")
        if item.question.part(part_id) is None:
            raise ExamError(f"No part {part_id!r} in this case study.")
        current = dict(item.answer) if isinstance(item.answer, dict) else {}
        current[part_id] = answer
        item.answer = current

    def toggle_flag(self) -> bool:
        """Flag (or unflag) the current question for review; returns the new state."""
        self._check()
        self.current.flagged = not self.current.flagged
        return self.current.flagged

    def go(self, number: int) -> ExamItem:
        """Move to question `number` (1-based)."""
        self._check()
        if not 1 <= number <= len(self.items):
            raise ExamError(f"There is no question {number}; questions are numbered 1 to {len(self.items)}.")
        if number - 1 == self._index:
            return self.current
        target = self.items[number - 1]
        if target.locked:
            kind = "case study" if target.question.type == "case" else "yes/no series"
            raise ExamError(f"Question {number} is a {kind} you have already left; it cannot be revisited.")
        self._leave()
        self._index = number - 1
        target.visited = True
        self._entered = self.clock()
        return target

    def next(self) -> ExamItem:
        self._check()
        for number in range(self._index + 2, len(self.items) + 1):
            if self.can_visit(number):
                return self.go(number)
        raise ExamError("This is the last question. Type `end` to finish, or `nav` to see what is left.")

    def prev(self) -> ExamItem:
        self._check()
        for number in range(self._index, 0, -1):
            if self.can_visit(number):
                return self.go(number)
        raise ExamError("There is no earlier question you can go back to.")

    def leaving_locks(self) -> bool:
        """Whether moving away from the current question will lock it (warn the learner first)."""
        return self.current.one_way

    def _leave(self) -> None:
        item = self.current
        item.seconds += max(0.0, self.clock() - self._entered)
        if item.one_way:
            item.locked = True

    # -- finishing -----------------------------------------------------------------------------------------------
    def finish(self, reason: str = "submitted") -> ExamResult:
        """End the exam (idempotent) and score it; unanswered questions score 0."""
        if self.result is not None:
            return self.result
        now = self.clock()
        item = self.current
        item.seconds += max(0.0, min(now, self._deadline) - self._entered)
        results: list[ItemResult] = []
        for it in self.items:
            r = score(it.question, it.answer)
            results.append(ItemResult(it.number, it.question, it.answer, r, it.flagged, round(it.seconds, 3),
                                      it.visited))
        points = sum(r.result.points for r in results)
        mx = sum(r.result.max_points for r in results)
        domains = []
        for d in self.blueprint.domains:
            mine = [r for r in results if r.question.domain == d.id]
            domains.append(DomainResult(d.id, d.title, sum(r.result.points for r in mine),
                                        sum(r.result.max_points for r in mine), len(mine)))
        ex = self.blueprint.exam
        elapsed = min(now, self._deadline) - self._start
        self.result = ExamResult(
            self.exam_id, self.blueprint.id, self.seed, self.started_at,
            self.started_at + timedelta(seconds=elapsed), self.minutes, reason, results, points, mx,
            scaled_score(points, mx, ex.scale_min, ex.scale_max), ex.pass_score, domains,
        )
        return self.result


def exam_max_points(questions: Sequence[AnyQuestion]) -> int:
    return sum(max_points(q) for q in questions)


def save_exam(store: ProgressStore, result: ExamResult, *, scheduler: Any = None) -> None:
    """Store the exam, one attempt per question (left blank = answered 0, 0 points), and review the cards of the
    questions the learner saw (unseen questions left blank at time-out do not touch spaced repetition)."""
    with store.transaction() as conn:
        store.add_exam(conn, result.to_record())
        for it in result.items:
            record_answer(store, it.question, it.answer if it.result.answered else None, it.result,
                          it.seconds if it.seen else None, mode="exam", session_id=result.exam_id,
                          exam_id=result.exam_id, scheduler=scheduler, when=result.finished_at,
                          update_card=it.seen, conn=conn)
    result.saved = True


__all__ = [
    "DomainResult",
    "ExamError",
    "ExamItem",
    "ExamOver",
    "ExamResult",
    "ExamSession",
    "ExamTimeUp",
    "ItemResult",
    "NavEntry",
    "ONE_WAY_TYPES",
    "domain_targets",
    "exam_max_points",
    "sample_exam",
    "save_exam",
    "scaled_score",
]
