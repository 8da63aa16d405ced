"""Home: continue where you left off, the next step, exam readiness, progress per topic and per exam domain."""
from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from course.tui.bindings import B
from course.tui.widgets.bars import Bars, bar


class HomeScreen(Screen):
    HELP = """\
## Home
Where you stand and what to do next.

- **Enter** continues where you left off (the lesson, lab or screen you last used).
- **n** takes the suggested next step.
- The letters open the course, labs, practice, the mock exam, reviews and the sandbox explorer.
- Progress per topic blends lessons read, quiz answers and labs passed; per exam domain it is your latest
  answer to each question. Readiness estimates a score (1–1000, pass 700).
"""

    BINDINGS = [
        B("enter", "continue", "Continue", "home.continue"),
        B("n", "next_step", "Next step", "home.next"),
        B("c", "app.open_course", "Course", "home.course"),
        B("l", "app.open_labs", "Labs", "home.labs"),
        B("p", "app.open_practice", "Practice", "home.practice"),
        B("e", "app.open_exam", "Exam", "home.exam"),
        B("r", "app.open_review", "Review", "home.review"),
        B("x", "app.open_explorer", "Sandbox", "home.explorer"),
        B("f5", "refresh", "Refresh", "home.refresh", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="home")
        self.summary: Any = None

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("dp100", "bold"), "  Azure Machine Learning (DP-100) in your terminal"),
                     id="home-title", classes="title-bar")
        with VerticalScroll(id="home-body"):
            with Horizontal(id="home-top"):
                with Vertical(id="home-next", classes="card"):
                    yield Static("Loading your progress…", id="home-continue")
                    yield Static("", id="home-step")
                with Vertical(id="home-ready", classes="card"):
                    yield Static("", id="home-readiness")
            with Horizontal(id="home-progress"):
                with Vertical(classes="card", id="home-topics-card"):
                    yield Static("Topics", classes="card-title")
                    yield Bars(bar_width=10, id="home-topics")
                with Vertical(classes="card", id="home-domains-card"):
                    yield Static("Exam domains", classes="card-title")
                    yield Bars(bar_width=10, id="home-domains")
            yield Static("", id="home-notices")
        yield Footer()

    def on_mount(self) -> None:
        # paint first, then load (the bank, pandas-free but pydantic-heavy, would compete for the GIL)
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        self.app.first_screen_ready()
        self.load()

    def on_screen_resume(self) -> None:
        if self.summary is not None:
            self.load()

    def on_resize(self, event: Any) -> None:
        self.set_class(event.size.width >= 120, "wide")

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="home")
    def load(self) -> None:
        summary = self.app.home_summary()
        self.app.call_from_thread(self.show, summary)

    def show(self, s: Any) -> None:
        self.summary = s
        cont = self.query_one("#home-continue", Static)
        if s.continue_step is not None:
            cont.update(Text.assemble(("Continue  ", "bold"), s.continue_step.label, ("   Enter", "dim")))
        else:
            cont.update(Text.assemble(("Welcome! ", "bold"), "Start with the course (c) or practise questions (p)."))
        step = s.next_step
        self.query_one("#home-step", Static).update(
            Text.assemble(("Next step  ", "bold"), step.label, ("   n", "dim"), "\n", (step.why, "dim")))
        r = s.readiness
        ready = Text()
        ready.append("Exam readiness\n", style="bold")
        if r.estimate is None:
            ready.append(r.label, style="bold")
        else:
            style = {"Ready": "bold green", "Close": "bold yellow"}.get(r.label, "bold red")
            ready.append(f"{r.estimate}", style="bold")
            ready.append(" / 1000  ")
            ready.append(r.label, style=style)
            ready.append("\n")
            ready.append_text(bar(r.estimate / 10, 20))
        ready.append(f"\n{r.detail}", style="dim")
        if s.due:
            ready.append(f"\n{s.due} question(s) due for review", style="")
        self.query_one("#home-readiness", Static).update(ready)
        self.query_one("#home-topics", Bars).show([(a.title, a.percent, a.detail) for a in s.topics])
        self.query_one("#home-domains", Bars).show([(f"{a.id.upper()} {a.title}", a.percent, a.detail) for a in s.domains])
        notes = self.query_one("#home-notices", Static)
        notes.update(Text("\n".join(s.notices), style="yellow") if s.notices else "")
        notes.display = bool(s.notices)

    def action_continue(self) -> None:
        s = self.summary
        if s is None:
            return
        step = s.continue_step or s.next_step
        self.app.run_step(step.action)

    def action_next_step(self) -> None:
        if self.summary is not None:
            self.app.run_step(self.summary.next_step.action)
