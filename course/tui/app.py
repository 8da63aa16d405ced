"""The dp100 terminal app: screens, global keys, the command palette, F1 help, and the services they share.

Services (`course.tui.services`) are created lazily and used from worker threads, so the first screen appears
before the question bank, pandas or the sandbox are imported. Where the learner is (`tui_state`) is written as
they move, quiz answers as they answer, and lab editor buffers as they type, so quitting loses nothing.
"""
from __future__ import annotations

import os
import threading
from functools import partial
from pathlib import Path
from typing import Any, Callable

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider

from course.tui.bindings import APP_BINDINGS, load_keymap

#: (title, action, help) for the command palette.
MAIN_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Home", "go_home", "Progress, readiness and the next step"),
    ("Continue where I left off", "continue", "The lesson, lab or screen you used last"),
    ("Course: lessons", "open_course", "Topics and lessons; run the code against the sandbox"),
    ("Labs", "open_labs", "Hands-on labs graded against the sandbox"),
    ("Practice questions", "open_practice", "Questions with feedback and explanations"),
    ("Retry what I missed", "open_retry", "Questions you did not get fully right last time"),
    ("Mock exam", "open_exam", "Timed, blueprint-weighted, scored 1–1000"),
    ("Review due questions", "open_review", "Spaced repetition"),
    ("Sandbox explorer", "open_explorer", "Datastores, data, runs and metrics, models, environments, compute"),
    ("Help for this screen", "help", "Keys and what the screen does"),
    ("Quit", "quit", "Everything is saved as you go"),
)


class MainCommands(Provider):
    """The main actions, plus one entry per lesson ("Lesson: …")."""

    def _commands(self) -> list[tuple[str, str, str]]:
        app: Dp100App = self.app  # type: ignore[assignment]
        items = list(MAIN_COMMANDS)
        catalog = app.catalog_if_loaded
        if catalog is not None:
            for lesson in catalog.lessons:
                items.append((f"Lesson: {lesson.title}", f"open_lesson({lesson.id!r})", f"topic {lesson.topic}"))
        return items

    async def discover(self) -> Hits:
        for title, action, help_text in MAIN_COMMANDS:
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self.app.run_action, action), help=help_text)


class Dp100App(App):
    """dp100's TUI. Pass `clock`/`now` for deterministic tests; paths default to the learner's data home."""

    CSS_PATH = "app.tcss"
    TITLE = "dp100"
    BINDINGS = APP_BINDINGS
    COMMANDS = App.COMMANDS | {MainCommands}
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, *, clock: Callable[[], float] | None = None, now: Callable[[], Any] | None = None,
                 progress_path: Path | None = None, workspace_dir: Path | None = None,
                 catalog_loader: Callable[[], Any] | None = None, start: str | None = None,
                 on_ready: Callable[["Dp100App"], None] | None = None, seed: int | None = None,
                 labs_root: Path | None = None) -> None:
        super().__init__()
        self.labs_root = labs_root
        self.seed = seed  # question order / exam draw (None: random)
        self.clock = clock
        self.now = now
        self._progress_path = progress_path
        self._workspace_dir = workspace_dir
        self._catalog_loader = catalog_loader
        self._catalog: Any = None
        self._catalog_lock = threading.Lock()
        self._quiz: Any = None
        self._state: Any = None
        self._explorer: Any = None
        self._start = start
        self._on_ready = on_ready
        self._ready_fired = False
        self.keymap_problem: str | None = None

    # -- paths and services ------------------------------------------------------------------------------------
    @property
    def progress_path(self) -> Path:
        if self._progress_path is None:
            from course.paths import progress_db

            self._progress_path = progress_db()
        return self._progress_path

    @property
    def workspace_dir(self) -> Path:
        if self._workspace_dir is None:
            from sandbox.home import workspace_dir

            self._workspace_dir = workspace_dir()
        return self._workspace_dir

    @property
    def quiz(self) -> Any:
        if self._quiz is None:
            from course.tui.services.quiz import QuizService

            self._quiz = QuizService(self.progress_path, clock=self.clock, now=self.now)
        return self._quiz

    @property
    def state(self) -> Any:
        if self._state is None:
            from course.tui.services.state import TuiState

            self._state = TuiState(self.progress_path)
        return self._state

    @property
    def explorer(self) -> Any:
        if self._explorer is None:
            from course.tui.services.explorer import Explorer

            self._explorer = Explorer(self.workspace_dir)
        return self._explorer

    @property
    def catalog(self) -> Any:
        """The lesson catalog (loads it on first use: call from a worker)."""
        with self._catalog_lock:
            if self._catalog is None:
                from course.tui.services.lessons import load_catalog

                self._catalog = load_catalog(self._catalog_loader)
            return self._catalog

    @property
    def catalog_if_loaded(self) -> Any:
        return self._catalog

    def labs_service(self) -> Any:
        from course.tui.services.labs import LabService

        if not hasattr(self, "_labs"):
            self._labs = LabService(self.progress_path, self.workspace_dir, state=self.state, labs_root=self.labs_root)
        return self._labs

    def home_summary(self) -> Any:
        from course.tui.services.home import summarise

        labs_progress: dict[str, tuple[int, int]] = {}
        try:
            labs_progress = self.labs_service().progress_by_topic()
        except Exception:
            labs_progress = {}
        return summarise(self.quiz, self.catalog, self.state, labs_progress)

    def remember(self, screen: str, **where: Any) -> None:
        try:
            self.state.remember(screen, **where)
        except Exception as exc:  # a locked/readonly file must not break navigation
            self.notify(f"Could not save where you are: {exc}", severity="warning")

    # -- lifecycle ---------------------------------------------------------------------------------------------
    def on_mount(self) -> None:
        keymap, problem = load_keymap()
        if keymap:
            self.set_keymap(keymap)
        self.keymap_problem = problem
        if problem:
            self.notify(problem, severity="warning")
        from course.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self._start:
            self.call_after_refresh(self.run_step, self._start)

    def first_screen_ready(self) -> None:
        """Called once the Home screen has painted (benchmarks hook in here)."""
        if self._ready_fired:
            return
        self._ready_fired = True
        if self._on_ready is not None:
            self._on_ready(self)
        fd = os.environ.get("DP100_TUI_READY_FD")
        if fd:
            import time

            try:
                os.write(int(fd), f"{time.time():.6f}\n".encode())
            except OSError:
                pass
            if os.environ.get("DP100_TUI_EXIT_ON_READY"):
                self.exit()

    def save_everything(self) -> None:
        """Write every open editor buffer (quiz answers and state are written as they happen)."""
        for screen in self.screen_stack:
            save = getattr(screen, "save_now", None)
            if save is not None:
                try:
                    save()
                except Exception:
                    pass

    async def action_quit(self) -> None:
        self.save_everything()
        self.exit()

    def on_unmount(self) -> None:
        self.save_everything()
        for service in (self._quiz, self._state, self._explorer, getattr(self, "_labs", None)):
            if service is not None:
                try:
                    service.close()
                except Exception:
                    pass

    # -- navigation --------------------------------------------------------------------------------------------
    def run_step(self, action: str) -> None:
        self.run_worker(self.run_action(action), exclusive=False)

    def _can_leave(self) -> bool:
        guard = getattr(self.screen, "guard_leave", None)
        if guard is not None:
            message = guard()
            if message:
                self.notify(message, severity="warning")
                return False
        return True

    async def _goto(self, screen: Any) -> None:
        """Show `screen` on top of Home (screens between are closed; they have saved their state)."""
        if not self._can_leave():
            return
        from course.tui.screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            await self.pop_screen()
        await self.push_screen(screen)

    async def action_go_home(self) -> None:
        if not self._can_leave():
            return
        from course.tui.screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            await self.pop_screen()

    async def action_continue(self) -> None:
        from course.tui.services.home import continue_step

        step = continue_step(self.state.last, self._catalog)
        if step is None:
            self.notify("Nothing to continue yet: start with the course or practice questions.")
            return
        await self.run_action(step.action)

    async def action_open_course(self, lesson_id: str | None = None) -> None:
        from course.tui.screens.course import CourseScreen

        await self._goto(CourseScreen(select=lesson_id))

    async def action_open_lesson(self, lesson_id: str) -> None:
        from course.tui.screens.course import CourseScreen
        from course.tui.screens.lesson import LessonScreen

        if not self._can_leave():
            return
        await self._goto(CourseScreen(select=lesson_id))
        await self.push_screen(LessonScreen(lesson_id))

    async def action_open_practice(self) -> None:
        from course.tui.screens.quiz import QuizSetupScreen

        await self._goto(QuizSetupScreen())

    async def action_practise_topics(self, *topics: str) -> None:
        from course.tui.screens.quiz import PracticeScreen

        await self._goto(PracticeScreen(topics=list(topics) or None))

    async def action_practise_skill(self, skill: str) -> None:
        from course.tui.screens.quiz import PracticeScreen

        await self._goto(PracticeScreen(skill=skill))

    async def action_open_retry(self) -> None:
        from course.tui.screens.quiz import PracticeScreen

        await self._goto(PracticeScreen(mode="retry"))

    async def action_open_review(self) -> None:
        from course.tui.screens.review import ReviewScreen

        await self._goto(ReviewScreen())

    async def action_open_exam(self) -> None:
        from course.tui.screens.exam import ExamSetupScreen

        await self._goto(ExamSetupScreen())

    async def action_open_explorer(self) -> None:
        from course.tui.screens.explorer import ExplorerScreen

        await self._goto(ExplorerScreen())

    async def action_open_labs(self) -> None:
        from course.tui.screens.lab import LabListScreen

        await self._goto(LabListScreen())

    async def action_open_lab(self, lab_id: str) -> None:
        from course.tui.screens.lab import LabListScreen, LabScreen

        if not self._can_leave():
            return
        await self._goto(LabListScreen(select=lab_id))
        await self.push_screen(LabScreen(lab_id))

    def action_help(self) -> None:
        from course.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))


def run(start: str | None = None) -> None:
    """Start the TUI (blocking)."""
    Dp100App(start=start).run()
