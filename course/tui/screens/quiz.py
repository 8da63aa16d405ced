"""Practice: pick a topic, answer questions with immediate feedback and explanations (saved as you answer)."""
from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from course.tui.bindings import B
from course.tui.messages import AnswerChanged, SubmitRequested
from course.tui.widgets.feedback import feedback_renderable
from course.tui.widgets.question import CaseForm, QuestionForm, key_hint

DEFAULT_N = 10


class QuizSetupScreen(Screen):
    HELP = """\
## Practice
Choose what to practise: every topic, one topic, or the questions you missed last time. Questions you have
never answered come first. **+ / -** change how many questions a round has.
"""
    BINDINGS = [
        B("escape", "app.go_home", "Back", "quiz.back"),
        B("plus,equals_sign", "more", "+ questions", "quiz.more", key_display="+"),
        B("minus", "fewer", "- questions", "quiz.fewer", key_display="-"),
    ]

    def __init__(self) -> None:
        super().__init__(id="quiz-setup")
        self.n = DEFAULT_N

    def compose(self) -> ComposeResult:
        yield Static("Practice questions", classes="title-bar")
        yield Static("Loading the question bank…", id="setup-info")
        yield OptionList(id="setup-list")
        yield Footer()

    def on_mount(self) -> None:
        self.app.remember("practice")
        self.load()

    @work(thread=True, exclusive=True, group="quiz-setup")
    def load(self) -> None:
        quiz = self.app.quiz
        notice = quiz.bank_notice()
        topics = quiz.topics() if quiz.bank.questions else []
        missed = len(quiz.retry_questions()) if quiz.bank.questions else 0
        total = len(quiz.bank.questions)
        self.app.call_from_thread(self.show, topics, missed, total, notice)

    def show(self, topics: list[Any], missed: int, total: int, notice: str | None) -> None:
        ol = self.query_one("#setup-list", OptionList)
        ol.clear_options()
        if total:
            seen = sum(t.seen for t in topics)
            ol.add_option(Option(f"All topics  ({seen}/{total} answered)", id="all"))
            if missed:
                ol.add_option(Option(f"Retry what I missed  ({missed})", id="retry"))
            for t in topics:
                ol.add_option(Option(f"{t.id}  ({t.seen}/{t.questions} answered)", id=f"topic:{t.id}"))
            ol.highlighted = 0
            ol.focus()
        self._info(notice)

    def _info(self, notice: str | None = None) -> None:
        text = Text(f"Questions per round: {self.n}   (+/- to change, Enter to start)")
        if notice:
            text.append("\n" + notice, style="yellow")
        self.query_one("#setup-info", Static).update(text)

    def action_more(self) -> None:
        self.n = min(100, self.n + 5)
        self._info()

    def action_fewer(self) -> None:
        self.n = max(1, self.n - 5)
        self._info()

    @on(OptionList.OptionSelected, "#setup-list")
    def start(self, event: OptionList.OptionSelected) -> None:
        oid = event.option.id or ""
        if oid == "retry":
            screen = PracticeScreen(mode="retry", n=self.n)
        elif oid.startswith("topic:"):
            screen = PracticeScreen(topics=[oid.split(":", 1)[1]], n=self.n)
        else:
            screen = PracticeScreen(n=self.n)
        self.app.push_screen(screen)


class PracticeScreen(Screen):
    """A round of questions with feedback after each answer. `mode`: practice, retry or review."""

    HELP = """\
## Answering questions
Answer with the keyboard, then **Enter** to check: you see what was right and why, and the answer is saved
(with its spaced-repetition schedule). **Enter** again goes to the next question.

- **single choice**: a letter, or ↑↓ and Enter.
- **multiple choice**: letters (or space) toggle options.
- **yes/no series**: ↑↓ to a statement, **y** or **n** (the cursor moves on).
- **order**: letters (or space) add a step / remove it; **shift+↑↓** moves the step under the cursor;
  backspace removes the last one.
- **code completion**: ↑↓ to a blank, a letter picks its choice, ←→ cycle.
- **case study**: **<** and **>** switch between parts; Enter on a part moves to the next unanswered one.
"""
    BINDINGS = [
        B("escape", "leave", "Back", "practice.back"),
        B("enter", "submit", "Check / next", "practice.submit"),
        B("ctrl+l", "lesson", "Lesson", "practice.lesson"),
    ]
    mode_title = {"practice": "Practice", "retry": "Retry what you missed", "review": "Review"}

    def __init__(self, *, topics: list[str] | None = None, skill: str | None = None, mode: str = "practice",
                 n: int | None = DEFAULT_N, questions: list[Any] | None = None) -> None:
        super().__init__(id=f"{mode}-screen")
        self.topics = topics
        self.skill = skill
        self.mode = mode
        self.n = n
        self.questions: list[Any] = list(questions or [])
        self.session: Any = None
        self.index = 0
        self.answer: Any = None
        self.feedback: Any = None
        self.finished = False
        self._given = questions is not None

    # -- layout ------------------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(self.mode_title.get(self.mode, "Practice"), id="q-header", classes="title-bar")
        with VerticalScroll(id="q-scroll"):
            yield Static("Loading questions…", id="q-intro")
            yield Static("", id="q-feedback")
        yield Static("", id="q-status", classes="status-line")
        yield Footer()

    def on_mount(self) -> None:
        self.app.remember(self.mode if self.mode != "retry" else "practice")
        self.query_one("#q-feedback").display = False
        self.load()

    # -- loading -----------------------------------------------------------------------------------------------
    def pick_questions(self) -> list[Any]:
        quiz = self.app.quiz
        if self.mode == "retry":
            qs = quiz.retry_questions()
            return qs[: self.n] if self.n else qs
        return quiz.practice_questions(topics=self.topics, skill=self.skill, n=self.n,
                                       seed=getattr(self.app, "seed", None))

    def empty_message(self) -> str:
        if self.mode == "retry":
            return "Nothing to retry: every question you answered was right the last time."
        return "No questions match. Pick another topic, or check the bank with `dp100 quiz validate`."

    @work(thread=True, exclusive=True, group="practice-load")
    def load(self) -> None:
        quiz = self.app.quiz
        notice = quiz.bank_notice()
        questions = self.questions if self._given else self.pick_questions()
        session = quiz.practice_session(questions, mode=self.mode) if questions else None
        empty = None if questions else self.empty_message()
        self.app.call_from_thread(self.started, questions, session, notice, empty)

    def started(self, questions: list[Any], session: Any, notice: str | None, empty: str | None = None) -> None:
        self.questions = questions
        self.session = session
        intro = self.query_one("#q-intro", Static)
        if not questions:
            self.finished = True
            intro.update(Text((empty or "") + ("\n" + notice if notice else ""), style="yellow"))
            self._status("Esc: back")
            return
        if notice:
            self.notify(notice, severity="warning")
        self.call_later(self.show_question, 0)

    # -- one question ------------------------------------------------------------------------------------------
    @property
    def question(self) -> Any:
        return self.questions[self.index]

    async def show_question(self, index: int) -> None:
        self.index = index
        self.answer = None
        self.feedback = None
        q = self.question
        scroll = self.query_one("#q-scroll", VerticalScroll)
        for old in self.query(".q-form"):
            await old.remove()
        self.query_one("#q-intro", Static).display = False
        fb = self.query_one("#q-feedback", Static)
        fb.display = False
        fb.update("")
        form = CaseForm(q, classes="q-form") if q.type == "case" else QuestionForm(q, classes="q-form")
        await scroll.mount(form, before=fb)
        self._header()
        self._status(key_hint(q.type) + " · Enter: check")
        scroll.scroll_home(animate=False)
        if isinstance(form, CaseForm):
            form.focus_form()
        else:
            form.focus()
        self.session.start(q)

    def _header(self) -> None:
        q = self.question
        title = self.mode_title.get(self.mode, "Practice")
        self.query_one("#q-header", Static).update(
            Text.assemble((title, "bold"), f"  ·  Question {self.index + 1}/{len(self.questions)}  ·  {q.id}  ·  "
                          f"{q.topic}  ·  {q.type}  ·  skill {', '.join(q.skills)}"))

    def _status(self, text: str) -> None:
        self.query_one("#q-status", Static).update(Text(text, style="dim"))

    @on(AnswerChanged)
    def answer_changed(self, event: AnswerChanged) -> None:
        if event.part_id is None:
            self.answer = event.answer

    @on(SubmitRequested)
    def submit_requested(self, event: SubmitRequested) -> None:
        if event.part_id is not None:
            return
        self.answer = event.answer if event.answer is not None else self.answer
        self.action_submit()

    def action_submit(self) -> None:
        if self.session is None or self.finished and self.feedback is None:
            return
        if self.feedback is not None:
            self.next_question()
            return
        if self.answer is None:
            self._status("Pick an answer first. " + key_hint(self.question.type))
            return
        self.submit(self.question, self.answer)

    @work(thread=True, exclusive=True, group="practice-submit")
    def submit(self, question: Any, answer: Any) -> None:
        fb = self.session.submit(question, answer)
        self.app.call_from_thread(self.show_feedback, fb)

    def show_feedback(self, fb: Any) -> None:
        self.feedback = fb
        for form in self.query(QuestionForm):
            form.locked = True
        for case in self.query(CaseForm):
            case.locked = True
        panel = self.query_one("#q-feedback", Static)
        parts: list[Any] = [feedback_renderable(fb.question, fb.answer, fb.result)]
        if fb.review is not None and self.app.now is None:
            due = fb.review.due.astimezone().strftime("%Y-%m-%d %H:%M")
            parts.append(Text(f"Next review: {due} (rated {fb.review.rating.name})", style="dim"))
        panel.update(Group(*parts))
        panel.display = True
        last = self.index + 1 >= len(self.questions)
        self._status("Enter: " + ("see the summary" if last else "next question") + " · ctrl+l: the lesson · Esc: back")
        self.call_after_refresh(panel.scroll_visible, top=True, animate=False)
        self.focus_form_or_screen()

    def focus_form_or_screen(self) -> None:
        forms = list(self.query(QuestionForm))
        if forms:
            forms[-1].focus()

    def next_question(self) -> None:
        if self.index + 1 < len(self.questions):
            self.call_later(self.show_question, self.index + 1)
        else:
            self.call_later(self.show_summary)

    async def show_summary(self) -> None:
        self.finished = True
        self.feedback = None
        for old in self.query(".q-form"):
            await old.remove()
        s = self.session
        pct = 100.0 * s.points / s.max_points if s.max_points else 0.0
        text = Text()
        text.append("Round finished\n\n", style="bold")
        text.append(f"{s.answered} answered, {s.fully_correct} fully right, {s.points}/{s.max_points} points "
                    f"({pct:.0f}%).\n")
        missed = [f.question.id for f in s.feedback if not f.result.correct]
        if missed:
            text.append("Missed: " + ", ".join(missed) + "\n", style="yellow")
        text.append("\nYour answers are saved. Missed questions come back in Review and in “Retry what I missed”.",
                    style="dim")
        intro = self.query_one("#q-intro", Static)
        intro.update(text)
        intro.display = True
        fb = self.query_one("#q-feedback", Static)
        fb.display = False
        self.query_one("#q-header", Static).update(Text(self.mode_title.get(self.mode, "Practice") + " · done",
                                                        style="bold"))
        self._status("Esc: back")

    def action_lesson(self) -> None:
        if not self.questions or self.finished:
            return
        lesson = getattr(self.question, "lesson", None)
        if lesson:
            self.app.run_step(f"open_course({lesson!r})")

    def action_leave(self) -> None:
        self.app.pop_screen()
