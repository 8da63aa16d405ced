"""The mock exam: setup, the timed exam (countdown, flags, navigator, one-way items) and the result."""
from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from course.tui.bindings import B
from course.tui.messages import AnswerChanged, SubmitRequested
from course.tui.screens.confirm import ConfirmScreen
from course.tui.widgets.bars import bars_table
from course.tui.widgets.feedback import feedback_renderable
from course.tui.widgets.question import CaseForm, QuestionForm, key_hint, stem_renderable


def fmt_clock(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class ExamSetupScreen(Screen):
    HELP = """\
## Mock exam
Questions drawn by the exam blueprint's domain weights, timed, scored 1–1000 (pass at 700), as on the real
DP-100. You can flag questions and come back to them, except **yes/no series and case studies: once you
leave one you cannot return**. Unanswered questions count as wrong. The result shows your score per domain
and every answer with its explanation.
"""
    BINDINGS = [B("escape", "app.go_home", "Back", "exam.setup_back")]

    def __init__(self) -> None:
        super().__init__(id="exam-setup")

    def compose(self) -> ComposeResult:
        yield Static("Mock exam", classes="title-bar")
        yield Static("Loading the question bank…", id="exam-info")
        yield OptionList(id="exam-presets")
        yield Footer()

    def on_mount(self) -> None:
        self.app.remember("exam")
        self.load()

    @work(thread=True, exclusive=True, group="exam-setup")
    def load(self) -> None:
        from course.tui.services.quiz import EXAM_PRESETS

        quiz = self.app.quiz
        bp = quiz.blueprint
        total = len(quiz.bank.questions)
        exams = quiz.exams()
        presets = []
        for pid, label, _n, _m in EXAM_PRESETS:
            n, minutes = quiz.exam_settings(pid)
            presets.append((pid, f"{label}: {min(n, total)} questions, {minutes:g} minutes"))
        self.app.call_from_thread(self.show, bp, total, exams, presets, quiz.bank_notice())

    def show(self, bp: Any, total: int, exams: list[Any], presets: list[tuple[str, str]], notice: str | None) -> None:
        info = Text()
        info.append(f"{bp.title}\n", style="bold")
        info.append(f"Pass at {bp.exam.pass_score} on a {bp.exam.scale_min}–{bp.exam.scale_max} scale. Yes/no series "
                    f"and case studies cannot be revisited once left.\n")
        if exams:
            last = exams[-1]
            info.append(f"Last exam: {last.scaled_score}/1000, {'passed' if last.passed else 'not passed'}.\n",
                        style="green" if last.passed else "yellow")
        if notice:
            info.append(notice + "\n", style="yellow")
        self.query_one("#exam-info", Static).update(info)
        ol = self.query_one("#exam-presets", OptionList)
        ol.clear_options()
        if total:
            for pid, label in presets:
                ol.add_option(Option(label, id=pid))
            ol.highlighted = 0
            ol.focus()

    @on(OptionList.OptionSelected, "#exam-presets")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.start(event.option.id or "full")

    @work(thread=True, exclusive=True, group="exam-start")
    def start(self, preset: str) -> None:
        quiz = self.app.quiz
        n, minutes = quiz.exam_settings(preset)
        session = quiz.start_exam(n, minutes, seed=getattr(self.app, "seed", None))
        self.app.call_from_thread(self.app.switch_screen, ExamScreen(session))


class ExamScreen(Screen):
    HELP = """\
## Taking the exam
Answer as in practice (letters, ↑↓, y/n, space; **<** **>** switch case-study parts). Your answer is kept as
you type it; nothing is checked until the end.

- **Enter** or **]** next question, **[** previous, **g** the navigator (jump to any question you can visit).
- **m** flags the question for review (⚑ in the navigator).
- **ctrl+e** ends the exam (you are told how many are unanswered first).
- A **yes/no series** or **case study** is locked once you leave it (🔒); you are asked before leaving.
- When the time runs out the exam ends with the answers you gave.
"""
    BINDINGS = [
        B("right_square_bracket", "next", "Next", "exam.next", key_display="]"),
        B("left_square_bracket", "prev", "Prev", "exam.prev", key_display="["),
        B("m", "flag", "Flag", "exam.flag"),
        B("g", "navigator", "Go to", "exam.goto"),
        B("ctrl+e", "end", "End exam", "exam.end"),
        B("escape", "end", "End", "exam.escape", show=False),
    ]

    def __init__(self, session: Any) -> None:
        super().__init__(id="exam")
        self.session = session
        self._ending = False

    def compose(self) -> ComposeResult:
        yield Static("", id="exam-header", classes="title-bar")
        yield Static("", id="exam-nav")
        with VerticalScroll(id="exam-scroll"):
            yield Static("", id="exam-oneway")
        yield Static("", id="exam-status", classes="status-line")
        yield Footer()

    def on_mount(self) -> None:
        self.app.remember("exam")
        self.set_interval(1.0, self.tick)
        self.call_later(self.show_item)

    def guard_leave(self) -> str | None:
        if self.session.finished:
            return None
        return "The exam is running: finish it first (ctrl+e ends it)."

    # -- drawing -----------------------------------------------------------------------------------------------
    def _header(self) -> None:
        s = self.session
        item = s.current
        t = Text()
        t.append("Mock exam", style="bold")
        t.append(f"  ·  Question {item.number} of {len(s)}  ·  ")
        left = s.remaining_seconds
        t.append(f"⏱ {fmt_clock(left)} left", style="bold red" if left < 300 else "bold")
        if item.flagged:
            t.append("  ·  ⚑ flagged", style="yellow")
        self.query_one("#exam-header", Static).update(t)

    def _nav(self) -> None:
        t = Text()
        for e in self.session.navigator():
            mark = "✓" if e.complete else ("…" if e.answered else "·")
            if e.flagged:
                mark += "⚑"
            if e.locked:
                mark += "🔒"
            style = "reverse bold" if e.current else ("dim" if e.locked else "")
            t.append(f"{e.number}{mark}", style=style)
            t.append(" ")
        self.query_one("#exam-nav", Static).update(t)

    async def show_item(self, part: int = 0) -> None:
        s = self.session
        item = s.current
        q = item.question
        scroll = self.query_one("#exam-scroll", VerticalScroll)
        for old in self.query(".q-form"):
            await old.remove()
        one_way = self.query_one("#exam-oneway", Static)
        if item.one_way:
            kind = "case study" if q.type == "case" else "yes/no series"
            one_way.update(Text(f"This is a {kind}: once you leave it you cannot come back to it.", style="yellow"))
        one_way.display = item.one_way
        if q.type == "case":
            form: Any = CaseForm(q, item.answer, part=part, locked=item.locked)
        else:
            form = QuestionForm(q, item.answer, locked=item.locked)
        form.add_class("q-form")
        await scroll.mount(form)
        scroll.scroll_home(animate=False)
        if isinstance(form, CaseForm):
            form.focus_form()
        else:
            form.focus()
        self._header()
        self._nav()
        last = item.number == len(s)
        self._status(key_hint(q.type) + (" · ctrl+e: end exam" if last else " · Enter: next"))

    def _status(self, text: str, style: str = "dim") -> None:
        self.query_one("#exam-status", Static).update(Text(text, style=style))

    def tick(self) -> None:
        if self.session.finished:
            return
        if self.session.expired:
            self.finish("time_up")
            return
        self._header()

    # -- answering ---------------------------------------------------------------------------------------------
    @on(AnswerChanged)
    def answer_changed(self, event: AnswerChanged) -> None:
        if event.part_id is not None or self.session.finished:
            return
        from quizzes.exam import ExamTimeUp

        try:
            self.session.answer(event.answer)
        except ExamTimeUp:
            self.finish("time_up")
            return
        self._nav()

    @on(SubmitRequested)
    def submit_requested(self, event: SubmitRequested) -> None:
        if event.part_id is None:
            self.action_next()

    # -- moving ------------------------------------------------------------------------------------------------
    def _move(self, target: int | None, step: int = 0) -> None:
        """Go to question `target` (or the next visitable one in direction `step`), asking before locking."""
        from quizzes.exam import ExamError, ExamTimeUp

        s = self.session
        if s.finished:
            return
        if target is None:
            numbers = range(s.current.number + 1, len(s) + 1) if step > 0 else range(s.current.number - 1, 0, -1)
            target = next((n for n in numbers if s.can_visit(n)), None)
            if target is None:
                self._status("This is the last question you can reach: ctrl+e ends the exam, g shows the navigator."
                             if step > 0 else "There is no earlier question you can go back to.", "yellow")
                return
        if target == s.current.number:
            return

        def go(ok: bool | None = True) -> None:
            if not ok:
                return
            try:
                s.go(target)
            except ExamTimeUp:
                self.finish("time_up")
                return
            except ExamError as exc:
                self._status(str(exc), "yellow")
                return
            self.call_later(self.show_item)

        if s.leaving_locks():
            kind = "case study" if s.current.question.type == "case" else "yes/no series"
            extra = "" if s.current.complete else " It is not fully answered."
            self.app.push_screen(ConfirmScreen("Leave this question?",
                                               f"This {kind} is locked once you leave it.{extra}",
                                               yes="Leave", no="Stay"), go)
        else:
            go(True)

    def action_next(self) -> None:
        self._move(None, +1)

    def action_prev(self) -> None:
        self._move(None, -1)

    def action_flag(self) -> None:
        from quizzes.exam import ExamError, ExamTimeUp

        try:
            state = self.session.toggle_flag()
        except ExamTimeUp:
            self.finish("time_up")
            return
        except ExamError as exc:
            self._status(str(exc), "yellow")
            return
        self._header()
        self._nav()
        self._status("Flagged for review." if state else "Flag removed.")

    def action_navigator(self) -> None:
        def chosen(number: int | None) -> None:
            if number:
                self._move(number)

        self.app.push_screen(NavigatorScreen(self.session), chosen)

    def action_end(self) -> None:
        if self.session.finished:
            return
        pending = sum(1 for it in self.session.items if not it.complete)
        flagged = sum(1 for it in self.session.items if it.flagged and not it.locked)
        bits = []
        if pending:
            bits.append(f"{pending} question(s) are not fully answered and will count as wrong.")
        if flagged:
            bits.append(f"{flagged} question(s) are flagged for review.")
        message = " ".join(bits) or "Every question has an answer."

        def done(ok: bool | None) -> None:
            if ok:
                self.finish("submitted")

        self.app.push_screen(ConfirmScreen("End the exam?", message, yes="End and score", no="Keep going"), done)

    # -- finishing ---------------------------------------------------------------------------------------------
    def finish(self, reason: str) -> None:
        if self._ending:
            return
        self._ending = True
        result = self.session.finish(reason)
        self._status("Scoring and saving…")
        self.save(result)

    @work(thread=True, exclusive=True, group="exam-save")
    def save(self, result: Any) -> None:
        error = None
        try:
            self.app.quiz.save_exam(result)
        except Exception as exc:  # shown on the result screen; the result itself is still displayed
            error = str(exc)
        self.app.call_from_thread(self._show_result, result, error)

    def _show_result(self, result: Any, error: str | None) -> None:
        while isinstance(self.app.screen, (ConfirmScreen, NavigatorScreen)):
            self.app.pop_screen()
        self.app.switch_screen(ExamResultScreen(result, self.session.blueprint, error))


class NavigatorScreen(Screen[int]):
    """Every question with its state; Enter jumps to it (locked ones cannot be chosen)."""

    BINDINGS = [B("escape,g", "close", "Close", "exam.nav_close")]

    def __init__(self, session: Any) -> None:
        super().__init__(id="exam-navigator")
        self.session = session

    def compose(self) -> ComposeResult:
        yield Static("Navigator  ·  ✓ answered  … partly  · not yet  ⚑ flagged  🔒 cannot revisit",
                     classes="title-bar")
        options = []
        for e in self.session.navigator():
            q = self.session.items[e.number - 1].question
            mark = "✓" if e.complete else ("…" if e.answered else "·")
            flags = ("⚑" if e.flagged else " ") + ("🔒" if e.locked else "  ")
            first = q.stem.strip().splitlines()[0][:48]
            options.append(Option(f"{e.number:>3} {mark} {flags} {q.type:<6} {first}", id=str(e.number),
                                  disabled=e.locked))
        yield OptionList(*options, id="nav-list")
        yield Footer()

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.highlighted = self.session.current.number - 1
        ol.focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_close(self) -> None:
        self.dismiss(None)


class ExamResultScreen(Screen):
    HELP = """\
## Exam result
Your scaled score, pass or fail, the score per exam domain, and every question. Pick a question (↑↓ Enter)
to see your answer beside the right one with the explanations. Missed questions are scheduled for review.
"""
    BINDINGS = [
        B("escape", "app.go_home", "Home", "exam.result_home"),
        B("r", "app.open_review", "Review", "exam.result_review"),
    ]

    def __init__(self, result: Any, blueprint: Any, error: str | None = None) -> None:
        super().__init__(id="exam-result")
        self.result = result
        self.blueprint = blueprint
        self.error = error

    def compose(self) -> ComposeResult:
        r = self.result
        yield Static(Text.assemble(("Exam result", "bold")), classes="title-bar")
        with Horizontal(id="result-main"):
            with Vertical(id="result-left"):
                yield Static(self._summary(), id="result-summary")
                yield OptionList(*self._items(), id="result-items")
            with VerticalScroll(id="result-detail"):
                yield Static(Text("Pick a question on the left to see the explanations.", style="dim"),
                             id="result-explain")
        yield Footer()

    def _summary(self) -> Group:
        r = self.result
        reason = {"submitted": "You ended the exam.", "time_up": "Time ran out; unanswered questions count as wrong.",
                  "ended": "The exam ended."}.get(r.reason, r.reason)
        head = Text()
        head.append(f"{r.scaled}", style="bold")
        head.append(f" / 1000 (pass {r.pass_score})  ")
        head.append("PASS" if r.passed else "FAIL", style="bold green" if r.passed else "bold red")
        head.append(f"\n{r.points}/{r.max_points} points · {r.answered_count}/{len(r.items)} answered · {reason}")
        if self.error:
            head.append(f"\nCould not save the result: {self.error}", style="red")
        rows = [(f"{d.id} {d.title}", d.percent, f"{d.questions} q") for d in r.domains if d.questions]
        return Group(head, Text(""), bars_table(rows, bar_width=12))

    def _items(self) -> list[Option]:
        from quizzes.answers import format_answer

        out = []
        for it in self.result.items:
            mark = "✓" if it.result.correct else ("◐" if it.result.points else "✗")
            flag = "⚑" if it.flagged else " "
            out.append(Option(f"{it.number:>3} {mark}{flag} {it.question.id:<9} {it.result.points}/{it.result.max_points}"
                              f"  you: {format_answer(it.question, it.answer)[:20]}", id=str(it.number)))
        return out

    def on_mount(self) -> None:
        self.query_one("#result-items", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#result-items")
    @on(OptionList.OptionSelected, "#result-items")
    def show_item(self, event: Any) -> None:
        it = self.result.items[int(event.option.id) - 1]
        q = it.question
        head = Text(f"Question {it.number} · {q.id} · {q.type}", style="bold")
        if q.type == "case":
            body: Any = stem_renderable(q.stem)
        else:
            body = stem_renderable(q.stem)
        self.query_one("#result-explain", Static).update(
            Group(head, body, feedback_renderable(q, it.answer, it.result)))
