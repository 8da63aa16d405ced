"""`dp100 quiz …`, `dp100 exam`, `dp100 review`: the terminal front end of the quiz engine (`quizzes`).

All logic lives in `quizzes`; this module reads typed answers line by line (works with a pipe on stdin), prints
with rich, and saves progress to `course.paths.progress_db()`. End of input ends a session and keeps what was
answered.
"""
from __future__ import annotations

import json
import os
import select
import sys
import time
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.syntax import Syntax
from rich.table import Table

console = Console(highlight=False)
notices = Console(highlight=False, stderr=True)  # warnings go to stderr so `--json` output stays clean

QUIT_WORDS = {"q", "quit", "exit"}


# ----------------------------------------------------------------------------------------------------------------
# Input: line by line, with an optional deadline (exam timer), working when stdin is a pipe
# ----------------------------------------------------------------------------------------------------------------


class InputTimeout(Exception):
    pass


class LineInput:
    """Reads lines from stdin. On POSIX it reads the file descriptor itself so a deadline can interrupt the wait
    (the exam timer) without losing lines that are already buffered; elsewhere it falls back to readline."""

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stdin
        self._buf = b""
        self._eof = False
        try:
            self._fd: int | None = self.stream.fileno() if os.name == "posix" else None
        except (AttributeError, OSError, ValueError):
            self._fd = None

    def read(self, prompt: str = "> ", timeout: float | None = None) -> str | None:
        """One line without its newline; None at end of input; raises InputTimeout after `timeout` seconds."""
        console.print(prompt, end="", markup=True)
        console.file.flush()
        if self._fd is None:
            line = self.stream.readline()
            if not line:
                console.print()
                return None
            return line.rstrip("\r\n")
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buf and not self._eof:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self._fd], [], [], wait)
            if not ready:
                console.print()
                raise InputTimeout()
            chunk = os.read(self._fd, 65536)
            if not chunk:
                self._eof = True
            self._buf += chunk
        if b"\n" in self._buf:
            line, _, self._buf = self._buf.partition(b"\n")
        elif self._buf:
            line, self._buf = self._buf, b""
        else:
            console.print()
            return None
        text = line.decode("utf-8", errors="replace").rstrip("\r")
        if not os.isatty(self._fd):
            console.print(escape(text))  # echo piped input so transcripts read naturally
        return text


# ----------------------------------------------------------------------------------------------------------------
# Shared helpers
# ----------------------------------------------------------------------------------------------------------------


def _fail(message: str, code: int = 1) -> "typer.Exit":
    notices.print(f"[red]{escape(message)}[/red]")
    return typer.Exit(code)


def _bank_cache_dir() -> Path:
    from course.paths import progress_db

    return progress_db().parent / "cache" / "quiz-bank"


def _load_bank(blueprint: str = "dp100") -> Any:
    from quizzes.bank import load_bank

    bank = load_bank(blueprint=blueprint, cache_dir=_bank_cache_dir())
    if bank.errors:
        skipped = bank.skipped
        what = f"{skipped} question(s) with errors were skipped" if skipped else "the bank has errors"
        notices.print(f"[yellow]Note: {what}. Run [bold]dp100 quiz validate[/bold] to see them.[/yellow]")
    if not bank.questions:
        raise _fail(f"No valid questions in the question bank at {bank.directory}. "
                    f"Run `dp100 quiz validate` to see why, or set DP100_QUIZ_BANK to a folder of question files.")
    return bank


def _blueprint(name: str) -> Any:
    from quizzes.blueprint import BlueprintNotFound, load_blueprint

    try:
        return load_blueprint(name)
    except BlueprintNotFound as exc:
        raise _fail(str(exc))


def _open_store() -> Any:
    from course.paths import progress_db
    from quizzes.progress import ProgressError, ProgressStore

    try:
        store = ProgressStore(progress_db())
    except ProgressError as exc:
        raise _fail(str(exc))
    if store.recovery_message:
        notices.print(f"[yellow]{escape(store.recovery_message)}[/yellow]")
    return store


def _fmt_clock(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def _bar(percent: float, width: int = 24) -> str:
    filled = int(round(width * max(0.0, min(100.0, percent)) / 100))
    return "█" * filled + "░" * (width - filled)


# ----------------------------------------------------------------------------------------------------------------
# Showing questions and feedback
# ----------------------------------------------------------------------------------------------------------------


def _show_body(q: Any, *, show_answers: bool = False) -> None:
    """The stem and the choices of a question or case-study part."""
    from quizzes.models import CodeBody, MultiBody, OrderBody, SingleBody, YesNoBody

    console.print(Markdown(q.stem))
    if isinstance(q, (SingleBody, MultiBody)):
        keys = {q.answer} if isinstance(q, SingleBody) else set(q.answer)
        for o in q.options:
            mark = " ✓" if show_answers and o.id in keys else ""
            console.print(f"  [bold]{o.id})[/bold] {escape(o.text)}{mark}")
            if show_answers:
                console.print(f"      [dim]{escape(o.explanation)}[/dim]")
    elif isinstance(q, YesNoBody):
        for n, item in enumerate(q.items, 1):
            console.print(f"  [bold]{n}.[/bold] {escape(item.statement)}")
            if show_answers:
                console.print(f"      → {'Yes' if item.answer else 'No'}. [dim]{escape(item.explanation)}[/dim]")
    elif isinstance(q, OrderBody):
        console.print(f"  [dim]Pick {len(q.answer)} of these and put them in order:[/dim]")
        for o in q.options:
            console.print(f"  [bold]{o.id})[/bold] {escape(o.text)}")
        if show_answers:
            console.print("  Correct order: " + " → ".join(q.answer))
            for o in q.options:
                console.print(f"      {o.id}) [dim]{escape(o.explanation)}[/dim]")
    elif isinstance(q, CodeBody):
        console.print(Syntax(q.code.rstrip("\n"), "python", theme="ansi_dark", line_numbers=False, word_wrap=True))
        for b in q.blanks:
            choices = "   ".join(f"[bold]{c.id})[/bold] {escape(c.text)}" for c in b.choices)
            console.print(f"  __{b.id}__: {choices}")
            if show_answers:
                for c in b.choices:
                    mark = "✓" if c.id == b.answer else " "
                    console.print(f"      {mark} {c.id}) [dim]{escape(c.explanation)}[/dim]")


def _show_question(q: Any, header: str, *, show_answers: bool = False) -> None:
    from quizzes.models import CaseQuestion

    console.print()
    console.rule(f"[bold]{escape(header)}[/bold]", align="left")
    if isinstance(q, CaseQuestion):
        console.print("[bold]Case study[/bold]")
        console.print(Markdown(q.stem))
        if show_answers:
            for i, p in enumerate(q.parts, 1):
                console.print(f"\n[bold]Part {i} of {len(q.parts)}[/bold] ({p.type})")
                _show_body(p, show_answers=True)
    else:
        _show_body(q, show_answers=show_answers)


def _show_feedback(q: Any, answer: Any, result: Any, *, indent: str = "") -> None:
    """Right/wrong per part with the explanations."""
    from quizzes.answers import format_answer
    from quizzes.models import CaseQuestion, CodeBody, MultiBody, OrderBody, SingleBody, YesNoBody

    if result.correct:
        head = f"[green]✓ Correct[/green] ({result.points}/{result.max_points})"
    elif result.points:
        head = f"[yellow]◐ Partly right: {result.points}/{result.max_points} points[/yellow]"
    else:
        head = f"[red]✗ Not right[/red] (0/{result.max_points})"
    console.print(f"{indent}{head}   your answer: {escape(format_answer(q, answer))}")
    if isinstance(q, (SingleBody, MultiBody)):
        keys = {q.answer} if isinstance(q, SingleBody) else set(q.answer)
        picked = {answer} if isinstance(answer, str) else set(answer or [])
        for o in q.options:
            if o.id in keys:
                tag = "[green]correct[/green]" + (", you picked it" if o.id in picked else ", you missed it")
            elif o.id in picked:
                tag = "[red]wrong, you picked it[/red]"
            else:
                tag = "[dim]wrong[/dim]"
            console.print(f"{indent}  {o.id}) {escape(o.text)} — {tag}")
            console.print(f"{indent}     [dim]{escape(o.explanation)}[/dim]")
    elif isinstance(q, YesNoBody):
        given = answer if isinstance(answer, dict) else {}
        for n, item in enumerate(q.items, 1):
            g = given.get(item.id)
            ok = g == item.answer
            mark = "[green]✓[/green]" if ok else "[red]✗[/red]"
            yours = "—" if g is None else ("Yes" if g else "No")
            console.print(f"{indent}  {mark} {n}. {'Yes' if item.answer else 'No'} (you: {yours}) {escape(item.statement)}")
            console.print(f"{indent}     [dim]{escape(item.explanation)}[/dim]")
    elif isinstance(q, OrderBody):
        console.print(f"{indent}  Correct order: {' → '.join(q.answer)}")
        by_id = {o.id: o for o in q.options}
        for pos, oid in enumerate(q.answer, 1):
            g = answer[pos - 1] if isinstance(answer, list) and pos <= len(answer) else None
            mark = "[green]✓[/green]" if g == oid else "[red]✗[/red]"
            console.print(f"{indent}  {mark} {pos}. {oid}) {escape(by_id[oid].text)} (you: {g or '—'})")
            console.print(f"{indent}     [dim]{escape(by_id[oid].explanation)}[/dim]")
        for o in q.options:
            if o.id not in q.answer:
                console.print(f"{indent}  ✗ {o.id}) {escape(o.text)} — not a step")
                console.print(f"{indent}     [dim]{escape(o.explanation)}[/dim]")
    elif isinstance(q, CodeBody):
        given = answer if isinstance(answer, dict) else {}
        for b in q.blanks:
            g = given.get(b.id)
            right = b.choice(b.answer)
            mark = "[green]✓[/green]" if g == b.answer else "[red]✗[/red]"
            console.print(f"{indent}  {mark} __{b.id}__ = {escape(right.text if right else b.answer)} (you: {g or '—'})")
            console.print(f"{indent}     [dim]{escape(right.explanation if right else '')}[/dim]")
            wrong = b.choice(g) if g and g != b.answer else None
            if wrong:
                console.print(f"{indent}     you chose {escape(wrong.text)}: [dim]{escape(wrong.explanation)}[/dim]")
        console.print(Syntax(q.filled_code().rstrip("\n"), "python", theme="ansi_dark", word_wrap=True))
    elif isinstance(q, CaseQuestion):
        given = answer if isinstance(answer, dict) else {}
        by_id = {r.id: r for r in result.parts}
        for i, p in enumerate(q.parts, 1):
            console.print(f"{indent}[bold]Part {i}[/bold] — {escape(p.stem.splitlines()[0][:70])}")
            _show_feedback(p, given.get(p.id), by_id[p.id], indent=indent + "  ")


# ----------------------------------------------------------------------------------------------------------------
# Asking in practice / retry / review
# ----------------------------------------------------------------------------------------------------------------


class _Quit(Exception):
    pass


class _EndOfInput(Exception):
    pass


def _ask_body(reader: LineInput, q: Any) -> Any:
    from quizzes.answers import AnswerFormatError, hint, parse_answer

    console.print(f"[dim]{escape(hint(q))} (q quits)[/dim]")
    while True:
        line = reader.read("answer> ")
        if line is None:
            raise _EndOfInput()
        text = line.strip()
        if text.lower() in QUIT_WORDS:
            raise _Quit()
        if text in ("?", "h", "help"):
            console.print(escape(hint(q)))
            continue
        try:
            return parse_answer(q, text)
        except AnswerFormatError as exc:
            console.print(f"[yellow]{escape(str(exc))}[/yellow]")


def _ask(reader: LineInput, q: Any) -> Any:
    from quizzes.models import CaseQuestion

    if not isinstance(q, CaseQuestion):
        return _ask_body(reader, q)
    answer: dict[str, Any] = {}
    for i, p in enumerate(q.parts, 1):
        console.print(f"\n[bold]Part {i} of {len(q.parts)}[/bold]")
        _show_body(p)
        answer[p.id] = _ask_body(reader, p)
    return answer


def _run_practice(questions: list[Any], store: Any, mode: str, title: str) -> None:
    from quizzes.practice import PracticeSession

    session = PracticeSession(questions, store, mode=mode)
    reader = LineInput()
    console.print(f"[bold]{escape(title)}[/bold]: {len(questions)} question(s). Type your answer and press Enter; "
                  f"q quits (what you answered is saved).")
    ended = ""
    for i, q in enumerate(questions, 1):
        _show_question(q, f"Question {i}/{len(questions)} · {q.id} · {q.topic} · {q.type} · skill {', '.join(q.skills)}")
        session.start(q)
        try:
            answer = _ask(reader, q)
        except _Quit:
            ended = "quit"
            break
        except _EndOfInput:
            ended = "eof"
            break
        fb = session.submit(q, answer)
        _show_feedback(q, answer, fb.result)
        if fb.review is not None:
            console.print(f"[dim]Next review of {q.id}: {fb.review.due.astimezone().strftime('%Y-%m-%d %H:%M')}"
                          f" (rated {fb.review.rating.name}).[/dim]")
        console.print(f"[dim]Lesson to read: {q.lesson}[/dim]")
    if ended == "eof":
        console.print("[dim]End of input.[/dim]")
    pct = 100.0 * session.points / session.max_points if session.max_points else 0.0
    console.print()
    console.print(f"[bold]Session:[/bold] {session.answered} answered, {session.fully_correct} fully right, "
                  f"{session.points}/{session.max_points} points ({pct:.0f}%).")
    if store is not None and session.answered:
        console.print(f"[dim]Saved to {store.path}. See `dp100 quiz stats`; missed questions: `dp100 quiz retry`.[/dim]")


# ----------------------------------------------------------------------------------------------------------------
# Commands
# ----------------------------------------------------------------------------------------------------------------


def practice(
    ctx: typer.Context,
    topic: Optional[str] = typer.Option(None, "--topic", "-t", help="Only this topic (e.g. datastores)."),
    domain: Optional[str] = typer.Option(None, "--domain", "-d", help="Only this exam domain (d1..d4)."),
    skill: Optional[str] = typer.Option(None, "--skill", "-s", help="Only this skill (d1.g2.s2) or group (d1.g2)."),
    qtype: Optional[str] = typer.Option(None, "--type", help="Only this type: single, multi, yesno, order, code, case."),
    n: int = typer.Option(10, "--n", "-n", min=1, help="How many questions."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Shuffle seed (same seed, same questions)."),
) -> None:
    """Practise with immediate feedback (questions you have not answered yet come first)."""
    if ctx.invoked_subcommand is not None:
        return
    from quizzes.practice import SelectionError, check_filters, filter_questions, pick_practice

    bp = _blueprint("dp100")
    try:
        check_filters(bp, topic=topic, domain=domain, skill=skill, qtype=qtype)
    except SelectionError as exc:
        raise _fail(str(exc))
    bank = _load_bank()
    pool = filter_questions(bank.questions, topic=topic, domain=domain, skill=skill, qtype=qtype)
    if not pool:
        raise _fail("No questions match those filters. Drop a filter, or see `dp100 quiz stats` for what exists.")
    store = _open_store()
    try:
        chosen = pick_practice(pool, n, seen=store.attempt_counts().keys(), seed=seed)
        _run_practice(chosen, store, "practice", "Practice")
    finally:
        store.close()


def study(
    topic: Optional[str] = typer.Option(None, "--topic", "-t", help="Only this topic."),
    skill: Optional[str] = typer.Option(None, "--skill", "-s", help="Only this skill (d1.g2.s2) or group (d1.g2)."),
) -> None:
    """Browse questions with their answers and explanations (Enter for the next one, q to stop)."""
    from quizzes.practice import SelectionError, check_filters, study_questions

    bp = _blueprint("dp100")
    try:
        check_filters(bp, topic=topic, skill=skill)
    except SelectionError as exc:
        raise _fail(str(exc))
    bank = _load_bank()
    qs = study_questions(bank.questions, topic=topic, skill=skill)
    if not qs:
        raise _fail("No questions match. Try another --topic or --skill.")
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    reader = LineInput() if interactive else None
    for i, q in enumerate(qs, 1):
        skills = ", ".join(f"{s} {bp.skill(s).title}" for s in q.skills if s in bp.skill_ids)
        _show_question(q, f"{i}/{len(qs)} · {q.id} · {q.topic} · {q.type} · difficulty {q.difficulty}",
                       show_answers=True)
        console.print(f"[dim]Skills: {escape(skills)} · lesson: {q.lesson}[/dim]")
        if reader is not None and i < len(qs):
            line = reader.read("[dim]Enter: next · q: stop[/dim] ")
            if line is None or line.strip().lower() in QUIT_WORDS:
                break


def retry(n: Optional[int] = typer.Option(None, "--n", "-n", min=1, help="At most this many.")) -> None:
    """Retry the questions you did not get fully right the last time you answered them."""
    from quizzes.practice import wrong_last_time

    bank = _load_bank()
    store = _open_store()
    try:
        qs = wrong_last_time(store, bank)
        if not qs:
            console.print("Nothing to retry: every question you answered was right the last time. "
                          "Practise more with `dp100 quiz` or take `dp100 exam`.")
            return
        _run_practice(qs[:n] if n else qs, store, "retry", "Retry what you missed")
    finally:
        store.close()


def review(
    n: Optional[int] = typer.Option(None, "--n", "-n", min=1, help="At most this many."),
) -> None:
    """Spaced-repetition review: the questions that are due, then review them."""
    from quizzes.review import due_questions

    bank = _load_bank()
    store = _open_store()
    try:
        due = due_questions(store, bank)
        if not due:
            nxt = store.next_due()
            when = f" Next one is due {nxt.astimezone().strftime('%Y-%m-%d %H:%M')}." if nxt else ""
            console.print(f"Nothing is due for review.{when} Answer questions with `dp100 quiz` or `dp100 exam` "
                          f"to schedule reviews.")
            return
        console.print(f"[bold]{len(due)} question(s) due for review[/bold]: " + ", ".join(q.id for q in due[:20])
                      + (" …" if len(due) > 20 else ""))
        _run_practice(due[:n] if n else due, store, "review", "Review")
    finally:
        store.close()


def stats(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    all_skills: bool = typer.Option(False, "--all", help="List every skill, not only the ones you have answered."),
) -> None:
    """Your results per exam domain and skill, what is due, and your weakest skills."""
    from quizzes.bank import load_bank
    from quizzes.progress import compute_stats

    bp = _blueprint("dp100")
    bank = load_bank(blueprint="dp100", cache_dir=_bank_cache_dir())
    store = _open_store()
    try:
        st = compute_stats(store, bank, bp)
        exams = store.exams()
    finally:
        store.close()
    if as_json:
        data = st.to_dict()
        data["bank_questions"] = len(bank.questions)
        data["last_exam"] = None if not exams else {
            "id": exams[-1].id, "scaled_score": exams[-1].scaled_score, "passed": exams[-1].passed,
            "finished_at": exams[-1].finished_at.isoformat()}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    console.print(f"[bold]Quiz progress[/bold]: {st.answered_questions} of {len(bank.questions)} questions answered "
                  f"({st.attempts} attempts), {st.due} due for review, {st.exams} exam(s) taken.")
    t = Table(title="Per exam domain (latest answer per question)", title_justify="left")
    t.add_column("Domain")
    t.add_column("Seen", justify="right")
    t.add_column("Score", justify="right")
    t.add_column("")
    for d in st.domains:
        pct = d.percent
        t.add_row(f"{d.id} {d.title}", f"{d.seen}/{d.questions}", "—" if pct is None else f"{pct:.0f}%",
                  "" if pct is None else _bar(pct, 16))
    console.print(t)
    rows = [s for s in st.skills if all_skills or s.seen]
    if rows:
        t = Table(title="Per skill" + ("" if all_skills else " (answered; --all for every skill)"), title_justify="left")
        t.add_column("Skill")
        t.add_column("Seen", justify="right")
        t.add_column("Score", justify="right")
        for s in rows:
            t.add_row(f"{s.id} {s.title}", f"{s.seen}/{s.questions}", "—" if s.percent is None else f"{s.percent:.0f}%")
        console.print(t)
    weak = st.weakest(5)
    if weak:
        console.print("[bold]Weakest skills[/bold]: " + "; ".join(f"{s.id} {s.title} ({s.percent:.0f}%)" for s in weak))
        console.print(f"[dim]Practise one with `dp100 quiz --skill {weak[0].id}`.[/dim]")
    if exams:
        e = exams[-1]
        console.print(f"Last exam: {e.scaled_score}/1000, {'passed' if e.passed else 'not passed'} "
                      f"({e.finished_at.astimezone().strftime('%Y-%m-%d %H:%M')}).")


def validate_cmd(
    path: Optional[Path] = typer.Argument(None, help="Folder of question files (default: the course's bank)."),
    targets: bool = typer.Option(False, "--targets", help="Also fail when DP-100 coverage targets are missed."),
    quiet: bool = typer.Option(False, "--quiet", help="Problems only, no coverage report."),
) -> None:
    """Check question files: schema, ids, answer keys, skills, code that parses; then a coverage report."""
    from quizzes.validate import main as validate_main

    args = [str(path)] if path is not None else []
    if targets:
        args.append("--targets")
    if quiet:
        args.append("--quiet")
    code = validate_main(args)
    raise typer.Exit(code)


# ----------------------------------------------------------------------------------------------------------------
# Exam
# ----------------------------------------------------------------------------------------------------------------

EXAM_HELP = (
    "Commands: type an answer · [bold]f[/bold] flag/unflag · [bold]n[/bold]/[bold]p[/bold] next/previous · "
    "[bold]g N[/bold] go to question N · [bold]nav[/bold] navigator · [bold]part N[/bold] change part N of a case "
    "study · [bold]end[/bold] finish · [bold]?[/bold] this help"
)


def _show_navigator(session: Any) -> None:
    cells = []
    for e in session.navigator():
        mark = "✓" if e.complete else ("…" if e.answered else "·")
        if e.flagged:
            mark += "⚑"
        if e.locked:
            mark += "🔒"
        text = f"{e.number}{mark}"
        cells.append(f"[reverse]{text}[/reverse]" if e.current else text)
    console.print("Navigator (✓ answered, … partly, · not yet, ⚑ flagged, 🔒 cannot revisit):")
    console.print("  " + "  ".join(cells))
    unanswered = sum(1 for e in session.navigator() if not e.complete)
    flagged = [str(e.number) for e in session.navigator() if e.flagged and not e.locked]
    console.print(f"  {unanswered} not fully answered" + (f"; flagged: {', '.join(flagged)}" if flagged else ""))


def _exam_header(session: Any) -> str:
    item = session.current
    bits = [f"Question {item.number} of {len(session)}", f"{_fmt_clock(session.remaining_seconds)} left"]
    if item.flagged:
        bits.append("⚑ flagged")
    return " · ".join(bits)


def _show_exam_item(session: Any, part_index: int) -> None:
    from quizzes.answers import hint
    from quizzes.models import CaseQuestion

    item = session.current
    q = item.question
    console.print()
    console.rule(f"[bold]{escape(_exam_header(session))}[/bold]", align="left")
    if item.one_way:
        kind = "case study" if q.type == "case" else "yes/no series"
        console.print(f"[yellow]This is a {kind}: once you leave it you cannot come back to it.[/yellow]")
    if isinstance(q, CaseQuestion):
        console.print("[bold]Case study[/bold]")
        console.print(Markdown(q.stem))
        _show_case_part(session, part_index)
    else:
        _show_body(q)
        console.print(f"[dim]{escape(hint(q))}[/dim]")


def _show_case_part(session: Any, part_index: int) -> None:
    from quizzes.answers import format_answer, hint

    q = session.current.question
    p = q.parts[part_index]
    answers = session.current.answer if isinstance(session.current.answer, dict) else {}
    status = " · ".join(f"{i + 1}:{'✓' if pp.id in answers else '·'}" for i, pp in enumerate(q.parts))
    console.print(f"\n[bold]Part {part_index + 1} of {len(q.parts)}[/bold]  [dim]({status})[/dim]")
    _show_body(p)
    if p.id in answers:
        console.print(f"[dim]Your answer: {escape(format_answer(p, answers[p.id]))}[/dim]")
    console.print(f"[dim]{escape(hint(p))}[/dim]")


def _exam_loop(session: Any, reader: LineInput) -> str:
    """Run the exam until it ends; returns the reason (submitted, time_up, ended)."""
    from quizzes.answers import AnswerFormatError, parse_answer
    from quizzes.exam import ExamError, ExamTimeUp
    from quizzes.models import CaseQuestion

    part_index = 0
    confirm_end = False
    show = True
    while True:
        if session.expired:
            session.finish("time_up")
            return "time_up"
        if show:
            _show_exam_item(session, part_index)
            show = False
        q = session.current.question
        prompt = f"[{_fmt_clock(session.remaining_seconds)}] {session.current.number}"
        if isinstance(q, CaseQuestion):
            prompt += f".{part_index + 1}"
        try:
            line = reader.read(escape(prompt) + "> ", timeout=session.remaining_seconds)
        except InputTimeout:
            session.finish("time_up")
            return "time_up"
        if line is None:
            console.print("[yellow]Input ended: finishing the exam with the answers you gave.[/yellow]")
            session.finish("ended")
            return "ended"
        cmd = line.strip()
        low = cmd.lower()
        was_confirm, confirm_end = confirm_end, False
        try:
            if not cmd:
                continue
            if low in ("?", "h", "help"):
                console.print(EXAM_HELP)
            elif low == "end" or low in QUIT_WORDS:
                pending = sum(1 for it in session.items if not it.complete)
                if pending and not was_confirm:
                    console.print(f"[yellow]{pending} question(s) are not fully answered and will count as wrong. "
                                  f"Type end again to finish, or anything else to carry on.[/yellow]")
                    confirm_end = True
                else:
                    session.finish("submitted")
                    return "submitted"
            elif low == "nav":
                _show_navigator(session)
            elif low == "f":
                state = session.toggle_flag()
                console.print("Flagged for review." if state else "Flag removed.")
            elif low in ("n", "next"):
                session.next()
                part_index, show = 0, True
            elif low in ("p", "prev"):
                session.prev()
                part_index, show = 0, True
            elif low.startswith("g ") or (low.startswith("g") and low[1:].strip().isdigit()):
                num = low[1:].strip()
                if not num.isdigit():
                    console.print("[yellow]Type g and a question number, e.g. g 3.[/yellow]")
                    continue
                session.go(int(num))
                part_index, show = 0, True
            elif low.startswith("part"):
                num = low[4:].strip()
                if not isinstance(q, CaseQuestion):
                    console.print("[yellow]Only case studies have parts.[/yellow]")
                elif not num.isdigit() or not 1 <= int(num) <= len(q.parts):
                    console.print(f"[yellow]Type part and a number from 1 to {len(q.parts)}.[/yellow]")
                else:
                    part_index = int(num) - 1
                    _show_case_part(session, part_index)
            elif isinstance(q, CaseQuestion):
                p = q.parts[part_index]
                session.answer_part(p.id, parse_answer(p, cmd))
                answers = session.current.answer
                todo = [i for i, pp in enumerate(q.parts) if pp.id not in answers]
                if todo:
                    part_index = next((i for i in todo if i > part_index), todo[0])
                    _show_case_part(session, part_index)
                else:
                    console.print("All parts answered. Type [bold]n[/bold] to leave the case study (you cannot come "
                                  "back), or [bold]part N[/bold] to change an answer.")
            else:
                session.answer(parse_answer(q, cmd))
                if session.current.number < len(session):
                    try:
                        session.next()
                        part_index, show = 0, True
                    except ExamError:
                        console.print("Answer saved. Type `end` to finish or `nav` to see the navigator.")
                else:
                    console.print("Answer saved. That was the last question: type [bold]end[/bold] to finish, "
                                  "[bold]nav[/bold] for the navigator, or [bold]g N[/bold] to go back.")
        except ExamTimeUp:
            return "time_up"
        except AnswerFormatError as exc:
            console.print(f"[yellow]{escape(str(exc))} (or ? for commands)[/yellow]")
        except ExamError as exc:
            console.print(f"[yellow]{escape(str(exc))}[/yellow]")


def _show_exam_result(result: Any, store_path: Path | None, *, review_answers: bool) -> None:
    from quizzes.answers import format_answer
    from quizzes.scoring import correct_answer

    console.print()
    console.rule("[bold]Exam result[/bold]", align="left")
    reason = {"submitted": "You ended the exam.", "time_up": "Time ran out; unanswered questions count as wrong.",
              "ended": "Input ended; unanswered questions count as wrong."}.get(result.reason, result.reason)
    console.print(reason)
    verdict = "[bold green]PASS[/bold green]" if result.passed else "[bold red]FAIL[/bold red]"
    console.print(f"Score: [bold]{result.scaled}[/bold] / 1000 (pass {result.pass_score}) {verdict}   "
                  f"{result.points}/{result.max_points} points, {result.answered_count}/{len(result.items)} answered")
    t = Table(title="Per domain", title_justify="left")
    t.add_column("Domain")
    t.add_column("Questions", justify="right")
    t.add_column("Score", justify="right")
    t.add_column("")
    for d in result.domains:
        if not d.questions:
            continue
        t.add_row(f"{d.id} {d.title}", str(d.questions), f"{d.percent:.0f}%", _bar(d.percent, 20))
    console.print(t)
    if store_path is not None:
        console.print(f"[dim]Saved to {store_path} (exam {result.exam_id}).[/dim]")
    if not review_answers:
        return
    console.print()
    console.rule("[bold]Review of your answers[/bold]", align="left")
    t = Table()
    for col in ("#", "Question", "Domain", "Your answer", "Correct", "Points", "⚑"):
        t.add_column(col, justify="right" if col in ("#", "Points") else "left")
    for it in result.items:
        q = it.question
        t.add_row(str(it.number), q.id, q.domain, format_answer(q, it.answer),
                  format_answer(q, correct_answer(q)), f"{it.result.points}/{it.result.max_points}",
                  "⚑" if it.flagged else "")
    console.print(t)
    missed = [it for it in result.items if not it.result.correct]
    if missed:
        console.print(f"\n[bold]Explanations for the {len(missed)} question(s) not fully right[/bold]")
    for it in missed:
        _show_question(it.question, f"Question {it.number} · {it.question.id} · {it.question.type}")
        _show_feedback(it.question, it.answer, it.result)
    console.print("\n[dim]Missed questions are scheduled for review: run `dp100 review` later, or "
                  "`dp100 quiz retry` now.[/dim]")


def exam(
    blueprint: str = typer.Option("dp100", "--blueprint", "-b", help="Exam blueprint id (file in quizzes/blueprints)."),
    minutes: Optional[float] = typer.Option(None, "--minutes", "-m", min=0.1, help="Time limit (default: the exam's)."),
    n: Optional[int] = typer.Option(None, "--n", "-n", min=1, help="Number of questions (default: the exam's)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed for the question draw (same seed, same exam)."),
    no_review: bool = typer.Option(False, "--no-review", help="Skip the answer review at the end."),
) -> None:
    """A timed mock exam sampled by the blueprint's domain weights, scored 1–1000 (pass 700)."""
    from quizzes.exam import ExamSession, sample_exam, save_exam

    bp = _blueprint(blueprint)
    bank = _load_bank(blueprint)
    count = n or bp.exam.questions
    mins = minutes or bp.exam.minutes
    if seed is None:
        seed = int.from_bytes(os.urandom(4), "big")
    questions = sample_exam(bank.questions, bp, count, seed)
    if not questions:
        raise _fail("The bank has no questions for this blueprint's domains. Run `dp100 quiz validate`.")
    store = _open_store()
    try:
        console.print(f"[bold]{escape(bp.title)}[/bold] — mock exam (seed {seed})")
        if len(questions) < count:
            console.print(f"[yellow]The bank only has {len(questions)} usable questions, so the exam has "
                          f"{len(questions)} instead of {count}.[/yellow]")
        console.print(f"{len(questions)} questions, {mins:g} minutes, pass at {bp.exam.pass_score} on a "
                      f"{bp.exam.scale_min}–{bp.exam.scale_max} scale. Yes/no series and case studies cannot be "
                      f"revisited once left.")
        console.print(EXAM_HELP)
        session = ExamSession(questions, bp, minutes=mins, seed=seed)
        reason = _exam_loop(session, LineInput())
        if reason == "time_up":
            console.print("[bold red]Time is up.[/bold red]")
        result = session.result
        save_exam(store, result)
        _show_exam_result(result, store.path, review_answers=not no_review)
    finally:
        store.close()


# ----------------------------------------------------------------------------------------------------------------
# Registration
# ----------------------------------------------------------------------------------------------------------------


def register(app: typer.Typer) -> None:
    quiz_app = typer.Typer(
        name="quiz",
        help="Practise DP-100 questions: `dp100 quiz` alone starts practice; study, retry, stats, validate.",
        invoke_without_command=True,
        no_args_is_help=False,
        add_completion=False,
        rich_markup_mode="rich",
    )
    quiz_app.callback(invoke_without_command=True)(practice)
    quiz_app.command("study")(study)
    quiz_app.command("retry")(retry)
    quiz_app.command("stats")(stats)
    quiz_app.command("validate")(validate_cmd)
    app.add_typer(quiz_app, name="quiz")
    app.command("exam")(exam)
    app.command("review")(review)
