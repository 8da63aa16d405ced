"""A lesson: the text (Markdown), its runnable snippets, and what they printed when run against the sandbox."""
from __future__ import annotations

from typing import Any

from rich.syntax import Syntax
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, RichLog, Static

from course.tui.bindings import B

SNIPPET_TIMEOUT = 120.0


class LessonScreen(Screen):
    HELP = """\
## Lesson
Read with ↑↓, PgUp/PgDn, Home/End. The code in the lesson runs against **your** sandbox workspace:

- **[** and **]** choose a snippet, **r** runs it; its output appears in the panel below (**o** hides it).
- **n** / **p** next and previous lesson; reaching the end of a lesson marks it read.
- **l** opens the lesson's lab, **q** practises its quiz topics.
"""
    BINDINGS = [
        B("escape", "back", "Back", "lesson.back"),
        B("r", "run", "Run snippet", "lesson.run"),
        B("right_square_bracket", "snippet(1)", "Next snippet", "lesson.snippet_next", key_display="]"),
        B("left_square_bracket", "snippet(-1)", "Prev snippet", "lesson.snippet_prev", key_display="["),
        B("o", "toggle_output", "Output", "lesson.output"),
        B("n", "neighbour(1)", "Next lesson", "lesson.next"),
        B("p", "neighbour(-1)", "Prev lesson", "lesson.prev", show=False),
        B("l", "lab", "Lab", "lesson.lab"),
        B("q", "quiz", "Quiz", "lesson.quiz"),
    ]

    def __init__(self, lesson_id: str) -> None:
        super().__init__(id="lesson")
        self.lesson_id = lesson_id
        self.lesson: Any = None
        self.snippet = 0
        self.running = False

    def compose(self) -> ComposeResult:
        yield Static("Loading…", id="lesson-title", classes="title-bar")
        with VerticalScroll(id="lesson-scroll"):
            yield Markdown("", id="lesson-body")
        with Vertical(id="lesson-output"):
            yield Static("", id="snippet-bar")
            yield RichLog(id="snippet-log", wrap=True, markup=False, highlight=False, max_lines=2000)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#lesson-output").display = False
        self.app.remember("lesson", lesson=self.lesson_id)
        self.load()

    @work(thread=True, exclusive=True, group="lesson-load")
    def load(self) -> None:
        lesson = self.app.catalog.lesson(self.lesson_id)
        self.app.call_from_thread(self.show, lesson)

    async def show(self, lesson: Any) -> None:
        self.lesson = lesson
        title = self.query_one("#lesson-title", Static)
        if lesson is None:
            title.update(Text(f"No lesson {self.lesson_id!r}", style="yellow"))
            return
        meta = f"  ·  {lesson.minutes} min" if lesson.minutes else ""
        title.update(Text.assemble((lesson.title, "bold"), (f"  ·  {lesson.topic}{meta}", "dim")))
        await self.query_one("#lesson-body", Markdown).update(lesson.body)
        scroll = self.query_one("#lesson-scroll", VerticalScroll)
        scroll.scroll_home(animate=False)
        scroll.focus()
        self.watch(scroll, "scroll_y", self._scrolled, init=False)
        self.query_one("#lesson-output").display = bool(lesson.snippets)
        self._bar()
        self.call_after_refresh(self._check_read)

    def _scrolled(self, _value: float) -> None:
        self._check_read()

    def _check_read(self) -> None:
        scroll = self.query_one("#lesson-scroll", VerticalScroll)
        if self.lesson is not None and scroll.scroll_y >= scroll.max_scroll_y - 1:
            self.mark_read()

    @work(thread=True, group="lesson-read")
    def mark_read(self) -> None:
        self.app.state.mark_lesson_read(self.lesson_id)

    def _bar(self, status: str = "") -> None:
        bar = self.query_one("#snippet-bar", Static)
        if self.lesson is None or not self.lesson.snippets:
            bar.update(Text("This lesson has no runnable snippets.", style="dim"))
            return
        snip = self.lesson.snippets[self.snippet]
        t = Text()
        t.append(f"Snippet {self.snippet + 1}/{len(self.lesson.snippets)}: ", style="bold")
        t.append(snip.title)
        t.append("   r run · [ ] choose", style="dim")
        if status:
            t.append(f"   {status}", style="yellow")
        bar.update(t)

    # -- actions -----------------------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_snippet(self, step: int) -> None:
        if self.lesson is None or not self.lesson.snippets:
            return
        self.snippet = (self.snippet + step) % len(self.lesson.snippets)
        self.query_one("#lesson-output").display = True
        self._bar()

    def action_toggle_output(self) -> None:
        panel = self.query_one("#lesson-output")
        panel.display = not panel.display

    def action_run(self) -> None:
        if self.lesson is None or not self.lesson.snippets:
            self.notify("This lesson has no runnable snippets.")
            return
        if self.running:
            self.notify("A snippet is already running.")
            return
        snip = self.lesson.snippets[self.snippet]
        self.query_one("#lesson-output").display = True
        log = self.query_one("#snippet-log", RichLog)
        log.clear()
        log.write(Syntax(snip.code.rstrip("\n"), "python", theme="ansi_dark", word_wrap=True))
        log.write(Text("running against your sandbox…", style="dim italic"))
        self.running = True
        self._bar("running…")
        self.run_snippet(snip.index, snip.code, self.lesson.fixtures)

    @work(thread=True, exclusive=True, group="snippet")
    def run_snippet(self, index: int, code: str, fixtures: tuple[str, ...]) -> None:
        from course.tui.services.lessons import SnippetOutcome, run_snippet

        try:
            outcome = run_snippet(code, lesson_id=self.lesson_id, workspace_dir=self.app.workspace_dir,
                                  work_root=self.app.progress_path.parent / "lessons", timeout=SNIPPET_TIMEOUT,
                                  fixtures=fixtures, index=index)
        except Exception as exc:
            outcome = SnippetOutcome(1, "", f"Could not run the snippet: {exc}", 0.0, False)
        self.app.call_from_thread(self.finished, index, outcome)

    def finished(self, index: int, outcome: Any) -> None:
        self.running = False
        log = self.query_one("#snippet-log", RichLog)
        if outcome.stdout:
            log.write(Text(outcome.stdout.rstrip("\n")))
        if outcome.stderr:
            log.write(Text(outcome.stderr.rstrip("\n"), style="red"))
        if outcome.timed_out:
            verdict = Text(f"stopped after {outcome.seconds:.0f} s (time limit)", style="bold red")
        elif outcome.returncode == 0:
            verdict = Text("✓ finished", style="bold green")
        else:
            verdict = Text(f"✗ exited with code {outcome.returncode}", style="bold red")
        if self.app.clock is None:
            verdict.append(f" in {outcome.seconds:.1f} s", style="dim")
        log.write(verdict)
        self._bar()

    def action_neighbour(self, step: int) -> None:
        catalog = self.app.catalog_if_loaded
        if catalog is None or self.lesson is None:
            return
        if step > 0:
            self.mark_read()
        other = catalog.neighbour(self.lesson_id, step)
        if other is None:
            self.notify("That was the last lesson." if step > 0 else "This is the first lesson.")
            return
        self.app.switch_screen(LessonScreen(other.id))

    def action_lab(self) -> None:
        if self.lesson is None:
            return
        if not self.lesson.labs:
            self.notify("This lesson has no lab.")
            return
        self.app.run_step(f"open_lab({self.lesson.labs[0]!r})")

    def action_quiz(self) -> None:
        if self.lesson is None:
            return
        topics = list(self.lesson.quiz_topics or (self.lesson.topic,))
        self.app.run_step("practise_topics(" + ", ".join(repr(t) for t in topics) + ")")
