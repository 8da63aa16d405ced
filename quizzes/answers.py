"""Turning what a learner types into an answer, and an answer back into text.

Typed forms (case-insensitive; commas, spaces, or nothing between letters all work):
- single: one option letter, `b`
- multi: the letters picked, `a,c`
- yesno: one `y`/`n` per statement, in order, `y,n,y`
- order: the option letters in order, `c,a,b` (exactly as many steps as the answer has)
- code: one choice letter per blank, blank 1 first, `b,a`
A case study is answered part by part with the part's own type.
"""
from __future__ import annotations

import re
from typing import Any

from quizzes.models import Answerable, CaseQuestion, CodeBody, MultiBody, OrderBody, SingleBody, YesNoBody
from quizzes.scoring import Answer


class AnswerFormatError(ValueError):
    """The text could not be read as an answer; the message says what to type instead."""


_YES = {"y", "yes", "true", "t", "1"}
_NO = {"n", "no", "false", "f", "0"}


def _tokens(text: str) -> list[str]:
    text = text.strip().lower()
    if not text:
        return []
    if re.search(r"[,\s;]", text):
        return [t for t in re.split(r"[,\s;]+", text) if t]
    return list(text) if text.isalpha() else [text]


def _letters(ids: list[str]) -> str:
    if len(ids) <= 1:
        return "".join(ids)
    return ", ".join(ids[:-1]) + " or " + ids[-1]


def hint(question: Answerable) -> str:
    """One line telling the learner how to type an answer to this question."""
    if isinstance(question, SingleBody):
        return f"Type one letter ({_letters([o.id for o in question.options])})."
    if isinstance(question, MultiBody):
        return f"Type the {len(question.answer)} letters you pick, separated by commas (e.g. a,c)."
    if isinstance(question, YesNoBody):
        n = len(question.items)
        return f"Type y or n for each of the {n} statements, in order (e.g. {','.join('yn'[i % 2] for i in range(n))})."
    if isinstance(question, OrderBody):
        return f"Type {len(question.answer)} letters in order, separated by commas (e.g. c,a,b)."
    if isinstance(question, CodeBody):
        n = len(question.blanks)
        return f"Type one choice letter per blank, blank 1 first ({n} letters, e.g. {','.join('ab'[i % 2] for i in range(n))})."
    if isinstance(question, CaseQuestion):
        return "Answer each part in turn."
    raise TypeError(type(question).__name__)


def parse_answer(question: Answerable, text: str) -> Answer:
    """Read `text` as an answer to `question` (not a whole case study: parse its parts one by one)."""
    toks = _tokens(text)
    if not toks:
        raise AnswerFormatError("Nothing typed. " + hint(question))

    if isinstance(question, SingleBody):
        ids = [o.id for o in question.options]
        if len(toks) != 1 or toks[0] not in ids:
            raise AnswerFormatError(f"{text.strip()!r} is not an option. " + hint(question))
        return toks[0]

    if isinstance(question, (MultiBody, OrderBody)):
        ids = [o.id for o in question.options]
        bad = [t for t in toks if t not in ids]
        if bad:
            raise AnswerFormatError(f"{', '.join(bad)} not among the options {', '.join(ids)}. " + hint(question))
        if len(set(toks)) != len(toks):
            raise AnswerFormatError("Each letter can be used only once. " + hint(question))
        if isinstance(question, OrderBody) and len(toks) != len(question.answer):
            raise AnswerFormatError(f"You gave {len(toks)} steps. " + hint(question))
        return toks

    if isinstance(question, YesNoBody):
        if len(toks) != len(question.items):
            raise AnswerFormatError(f"You gave {len(toks)} answers for {len(question.items)} statements. " + hint(question))
        out: dict[str, bool] = {}
        for item, t in zip(question.items, toks):
            if t in _YES:
                out[item.id] = True
            elif t in _NO:
                out[item.id] = False
            else:
                raise AnswerFormatError(f"{t!r} is not y or n. " + hint(question))
        return out

    if isinstance(question, CodeBody):
        if len(toks) != len(question.blanks):
            raise AnswerFormatError(f"You gave {len(toks)} letters for {len(question.blanks)} blanks. " + hint(question))
        out_c: dict[str, str] = {}
        for blank, t in zip(question.blanks, toks):
            ids = [c.id for c in blank.choices]
            if t not in ids:
                raise AnswerFormatError(f"{t!r} is not a choice for blank {blank.id} ({_letters(ids)}). " + hint(question))
            out_c[blank.id] = t
        return out_c

    raise AnswerFormatError("A case study is answered one part at a time.")


def format_answer(question: Answerable, answer: Answer) -> str:
    """An answer as the learner would type it (`—` when unanswered)."""
    if answer is None or answer == [] or answer == {}:
        return "—"
    if isinstance(question, SingleBody):
        return str(answer)
    if isinstance(question, (MultiBody, OrderBody)):
        return ",".join(answer) if isinstance(answer, list) else str(answer)
    if isinstance(question, YesNoBody) and isinstance(answer, dict):
        return ",".join({True: "y", False: "n"}.get(answer.get(i.id), "-") for i in question.items)  # type: ignore[arg-type]
    if isinstance(question, CodeBody) and isinstance(answer, dict):
        return ",".join(str(answer.get(b.id) or "-") for b in question.blanks)
    if isinstance(question, CaseQuestion) and isinstance(answer, dict):
        return "; ".join(f"{p.id}: {format_answer(p, answer.get(p.id))}" for p in question.parts)
    return str(answer)


def normalise_answer(question: Answerable, answer: Any) -> Answer:
    """Bring an answer read back from JSON into the canonical shape (ids as strings)."""
    if answer is None:
        return None
    if isinstance(question, CaseQuestion) and isinstance(answer, dict):
        return {p.id: normalise_answer(p, answer.get(p.id)) for p in question.parts if p.id in answer}
    return answer
