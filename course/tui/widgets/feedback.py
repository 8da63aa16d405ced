"""Right/wrong per option, statement, step or blank, with the explanations (practice, review, exam review)."""
from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

OK = Text("✓", style="bold green")
BAD = Text("✗", style="bold red")


def headline(result: Any) -> Text:
    if result.correct:
        return Text(f"✓ Correct ({result.points}/{result.max_points})", style="bold green")
    if result.points:
        return Text(f"◐ Partly right: {result.points}/{result.max_points} points", style="bold yellow")
    return Text(f"✗ Not right (0/{result.max_points})", style="bold red")


def _grid() -> Table:
    g = Table.grid(padding=(0, 1), expand=True)
    g.add_column(no_wrap=True)
    g.add_column(ratio=1)
    return g


def _explained(text: str, explanation: str, tag: Text | None = None) -> Text:
    t = Text(text)
    if tag is not None:
        t.append(" — ")
        t.append_text(tag)
    t.append("\n")
    t.append(explanation, style="dim")
    return t


def body_feedback(q: Any, answer: Any, result: Any) -> RenderableType:
    """Feedback for one body (not a case study)."""
    from quizzes.models import CodeBody, MultiBody, OrderBody, SingleBody, YesNoBody

    g = _grid()
    if isinstance(q, (SingleBody, MultiBody)):
        keys = {q.answer} if isinstance(q, SingleBody) else set(q.answer)
        picked = {answer} if isinstance(answer, str) else set(answer or [])
        for o in q.options:
            if o.id in keys:
                mark = OK
                tag = Text("correct" + (", you picked it" if o.id in picked else ", you missed it"), style="green")
            elif o.id in picked:
                mark, tag = BAD, Text("wrong, you picked it", style="red")
            else:
                mark, tag = Text(" "), Text("wrong", style="dim")
            g.add_row(mark, _explained(f"{o.id}) {o.text}", o.explanation, tag))
        return g
    if isinstance(q, YesNoBody):
        given = answer if isinstance(answer, dict) else {}
        for n, item in enumerate(q.items, 1):
            got = given.get(item.id)
            mark = OK if got == item.answer else BAD
            yours = "—" if got is None else ("Yes" if got else "No")
            g.add_row(mark, _explained(f"{n}. {item.statement}", item.explanation,
                                       Text(f"{'Yes' if item.answer else 'No'} (you: {yours})", style="bold")))
        return g
    if isinstance(q, OrderBody):
        by_id = {o.id: o for o in q.options}
        given = answer if isinstance(answer, list) else []
        for pos, oid in enumerate(q.answer, 1):
            g_id = given[pos - 1] if pos <= len(given) else None
            mark = OK if g_id == oid else BAD
            g.add_row(mark, _explained(f"{pos}. {oid}) {by_id[oid].text}", by_id[oid].explanation,
                                       Text(f"you: {g_id or '—'}", style="dim")))
        for o in q.options:
            if o.id not in q.answer:
                g.add_row(Text("·", style="dim"), _explained(f"{o.id}) {o.text}", o.explanation,
                                                             Text("not a step", style="dim")))
        return Group(Text("Correct order: " + " → ".join(q.answer), style="bold"), g)
    if isinstance(q, CodeBody):
        given = answer if isinstance(answer, dict) else {}
        for b in q.blanks:
            got = given.get(b.id)
            right = b.choice(b.answer)
            mark = OK if got == b.answer else BAD
            text = _explained(f"__{b.id}__ = {right.text if right else b.answer} (you: {got or '—'})",
                              right.explanation if right else "")
            wrong = b.choice(got) if got and got != b.answer else None
            if wrong is not None:
                text.append(f"\nyou chose {wrong.text}: ", style="red")
                text.append(wrong.explanation, style="dim")
            g.add_row(mark, text)
        return Group(g, Syntax(q.filled_code().rstrip("\n"), "python", theme="ansi_dark", word_wrap=True))
    return Text(str(result))


def feedback_renderable(q: Any, answer: Any, result: Any, *, lesson_hint: bool = True) -> RenderableType:
    """The whole feedback block for a question (case studies part by part)."""
    from quizzes.answers import format_answer
    from quizzes.models import CaseQuestion

    head = headline(result)
    head.append(f"   your answer: {format_answer(q, answer)}", style="")
    parts: list[RenderableType] = [head]
    if isinstance(q, CaseQuestion):
        given = answer if isinstance(answer, dict) else {}
        by_id = {r.id: r for r in result.parts}
        for i, p in enumerate(q.parts, 1):
            pr = by_id.get(p.id)
            line = Text(f"Part {i}: ", style="bold")
            line.append(p.stem.strip().splitlines()[0][:70])
            if pr is not None:
                line.append(f"  ({pr.points}/{pr.max_points})", style="green" if pr.correct else "yellow")
            parts.append(line)
            from quizzes.scoring import score

            parts.append(body_feedback(p, given.get(p.id), score(p, given.get(p.id))))
    else:
        parts.append(body_feedback(q, answer, result))
    if lesson_hint and getattr(q, "lesson", None):
        parts.append(Text(f"Lesson to read: {q.lesson}", style="dim italic"))
    return Group(*parts)
