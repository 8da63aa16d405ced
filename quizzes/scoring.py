"""Scoring every question type with partial credit (docs/question-format.md, "Scoring").

One point per part:
- single: 1.
- multi: one point per correct option; +1 for each correct option picked, -1 for each wrong one picked, floor 0.
- yesno: one per item.
- order: one per position that matches the answer (max = len(answer)); extra items after the last answer slot
  are ignored.
- code: one per blank.
- case: the sum of its parts.

Answers (JSON-friendly, also what the progress store keeps):
- single: "b"                   - multi: ["a", "c"]           - yesno: {"1": true, "2": false}
- order: ["c", "a", "b"]         - code: {"1": "b", "2": "a"}  - case: {"<part id>": <that part's answer>, ...}
`None` (or a missing key) means unanswered and scores 0.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

from quizzes.models import (
    Answerable,
    CaseQuestion,
    CodeBody,
    MultiBody,
    OrderBody,
    SingleBody,
    YesNoBody,
)

Answer = Union[str, list[str], dict[str, Any], None]


@dataclass(frozen=True)
class PartResult:
    """Feedback for one scored unit: an option (multi), item (yesno), position (order), blank (code) or part (case).

    `given`/`expected` are ids (or booleans for yes/no), `children` holds the detail of a case-study part.
    """

    id: str
    correct: bool
    points: int
    max_points: int
    given: Any = None
    expected: Any = None
    children: tuple["PartResult", ...] = ()


@dataclass(frozen=True)
class ScoreResult:
    points: int
    max_points: int
    parts: tuple[PartResult, ...] = field(default_factory=tuple)
    answered: bool = True

    @property
    def correct(self) -> bool:
        """Full marks."""
        return self.max_points > 0 and self.points == self.max_points

    @property
    def ratio(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0


def max_points(question: Answerable) -> int:
    """The most points a question (or case-study part) can give."""
    if isinstance(question, SingleBody):
        return 1
    if isinstance(question, MultiBody):
        return len(question.answer)
    if isinstance(question, YesNoBody):
        return len(question.items)
    if isinstance(question, OrderBody):
        return len(question.answer)
    if isinstance(question, CodeBody):
        return len(question.blanks)
    if isinstance(question, CaseQuestion):
        return sum(max_points(p) for p in question.parts)
    raise TypeError(f"not a question: {type(question).__name__}")


def is_answered(question: Answerable, answer: Answer) -> bool:
    """Whether the learner gave an answer (for a case or yes/no: at least one part)."""
    if answer is None:
        return False
    if isinstance(answer, (str, list, dict)):
        return len(answer) > 0
    return True


def is_complete(question: Answerable, answer: Answer) -> bool:
    """Whether every part of the question has an answer."""
    if not is_answered(question, answer):
        return False
    if isinstance(question, YesNoBody):
        return isinstance(answer, dict) and all(i.id in answer for i in question.items)
    if isinstance(question, CodeBody):
        return isinstance(answer, dict) and all(b.id in answer for b in question.blanks)
    if isinstance(question, CaseQuestion):
        return isinstance(answer, dict) and all(is_complete(p, answer.get(p.id)) for p in question.parts)
    return True


def _as_list(answer: Answer) -> list[str]:
    if answer is None:
        return []
    if isinstance(answer, str):
        return [answer]
    if isinstance(answer, (list, tuple)):
        return [str(a) for a in answer]
    return []


def _as_dict(answer: Answer) -> dict[str, Any]:
    return dict(answer) if isinstance(answer, dict) else {}


def score(question: Answerable, answer: Answer) -> ScoreResult:
    """Points, max points and per-part correctness for `answer` (see the module doc for the answer shapes)."""
    answered = is_answered(question, answer)
    if isinstance(question, SingleBody):
        given = answer if isinstance(answer, str) else None
        ok = given == question.answer
        part = PartResult("answer", ok, int(ok), 1, given, question.answer)
        return ScoreResult(int(ok), 1, (part,), answered)

    if isinstance(question, MultiBody):
        picked = set(_as_list(answer))
        right = set(question.answer)
        parts = []
        raw = 0
        for o in question.options:
            is_key, was_picked = o.id in right, o.id in picked
            pts = (1 if is_key else -1) if was_picked else 0
            raw += pts
            parts.append(PartResult(o.id, is_key == was_picked, pts, 1 if is_key else 0, was_picked, is_key))
        return ScoreResult(max(0, raw), len(right), tuple(parts), answered)

    if isinstance(question, YesNoBody):
        given_d = _as_dict(answer)
        parts = []
        for item in question.items:
            g = given_d.get(item.id)
            g = g if isinstance(g, bool) else None
            ok = g is not None and g == item.answer
            parts.append(PartResult(item.id, ok, int(ok), 1, g, item.answer))
        pts = sum(p.points for p in parts)
        return ScoreResult(pts, len(parts), tuple(parts), answered)

    if isinstance(question, OrderBody):
        seq = _as_list(answer)
        parts = []
        for pos, expected in enumerate(question.answer):
            g = seq[pos] if pos < len(seq) else None
            ok = g == expected
            parts.append(PartResult(str(pos + 1), ok, int(ok), 1, g, expected))
        pts = sum(p.points for p in parts)
        return ScoreResult(pts, len(parts), tuple(parts), answered)

    if isinstance(question, CodeBody):
        given_d = _as_dict(answer)
        parts = []
        for blank in question.blanks:
            g = given_d.get(blank.id)
            ok = g == blank.answer
            parts.append(PartResult(blank.id, ok, int(ok), 1, g, blank.answer))
        pts = sum(p.points for p in parts)
        return ScoreResult(pts, len(parts), tuple(parts), answered)

    if isinstance(question, CaseQuestion):
        given_d = _as_dict(answer)
        parts = []
        for p in question.parts:
            r = score(p, given_d.get(p.id))
            parts.append(PartResult(p.id, r.correct, r.points, r.max_points, given_d.get(p.id), None, r.parts))
        pts = sum(p.points for p in parts)
        mx = sum(p.max_points for p in parts)
        return ScoreResult(pts, mx, tuple(parts), answered)

    raise TypeError(f"not a question: {type(question).__name__}")


def correct_answer(question: Answerable) -> Answer:
    """The answer that scores full marks, in the same shape `score` takes."""
    if isinstance(question, SingleBody):
        return question.answer
    if isinstance(question, (MultiBody, OrderBody)):
        return list(question.answer)
    if isinstance(question, YesNoBody):
        return {i.id: i.answer for i in question.items}
    if isinstance(question, CodeBody):
        return {b.id: b.answer for b in question.blanks}
    if isinstance(question, CaseQuestion):
        return {p.id: correct_answer(p) for p in question.parts}
    raise TypeError(f"not a question: {type(question).__name__}")
