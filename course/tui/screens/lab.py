"""Labs: the list, and the workbench (instructions beside your files, editor, run, check, hints, reset, $EDITOR)."""
from __future__ import annotations

import os
import shlex
import subprocess
import threading
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, OptionList, RichLog, Static, TextArea
from textual.widgets.option_list import Option

from course.tui.bindings import B
from course.tui.screens.confirm import ConfirmScreen

AUTOSAVE_SECONDS = 0.5
STATUS_MARK = {"pass": ("✓", "green"), "fail": ("✗", "red"), "error": ("!", "red"), None: ("·", "dim")}


class LabListScreen(Screen):
    HELP = """\
## Labs
Hands-on exercises graded against a fresh sandbox workspace. ↑↓ choose, **Enter** opens the workbench.
Your files are kept in your dp100 folder and saved as you type; ✓ marks labs whose last check passed.
"""
    BINDINGS = [B("escape", "app.go_home", "Back", "labs.back")]

    def __init__(self, select: str | None = None) -> None:
        super().__init__(id="labs")
        self.select = select
        self.summaries: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static("Labs", classes="title-bar")
        with Horizontal(id="labs-main"):
            yield OptionList(id="labs-list")
            with VerticalScroll(id="labs-info"):
                yield Static("Loading labs…", id="labs-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.app.remember("labs")
        self.load()

    def on_screen_resume(self) -> None:
        if self.summaries:
            self.load()

    @work(thread=True, exclusive=True, group="labs")
    def load(self) -> None:
        service = self.app.labs_service()
        if not service.available:
            self.app.call_from_thread(self.show, [], ["The lab engine is not installed."])
            return
        self.app.call_from_thread(self.show, service.summaries(), service.problems())

    def show(self, summaries: list[Any], problems: list[str]) -> None:
        self.summaries = summaries
        ol = self.query_one("#labs-list", OptionList)
        keep = ol.highlighted_option.id if ol.highlighted_option is not None else self.select
        ol.clear_options()
        for s in summaries:
            mark, _style = STATUS_MARK.get(s.status, STATUS_MARK[None])
            ol.add_option(Option(f"{mark} {s.title}", id=s.id))
        if problems:
            self.notify("; ".join(problems)[:300], severity="warning")
        if not summaries:
            self.query_one("#labs-detail", Static).update(Text("No labs yet.", style="yellow"))
            return
        ids = [s.id for s in summaries]
        ol.highlighted = ids.index(keep) if keep in ids else 0
        ol.focus()

    @on(OptionList.OptionHighlighted, "#labs-list")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        s = next((x for x in self.summaries if x.id == event.option.id), None)
        if s is None:
            return
        t = Text()
        t.append(f"{s.title}\n", style="bold")
        t.append(f"{s.topic} · SDK {s.sdk} · {s.level} · about {s.minutes} min\n", style="dim")
        if s.status is not None:
            mark, style = STATUS_MARK[s.status]
            t.append(f"Last check: {mark} {s.status} ({s.score}/{s.max_score})\n", style=style)
        t.append("\nYou will:\n", style="bold")
        for o in s.objectives:
            t.append(f" • {o}\n")
        t.append("\nEnter opens the workbench.", style="dim")
        self.query_one("#labs-detail", Static).update(t)

    @on(OptionList.OptionSelected, "#labs-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.app.push_screen(LabScreen(event.option.id or ""))


class LabScreen(Screen):
    HELP = """\
## Lab workbench
The instructions sit beside your file (F5 switches between them on a narrow terminal). Your file is saved as
you type (and on **ctrl+s**); nothing you write is lost when you quit.

- **ctrl+r** runs your script against the lab's sandbox workspace; its output streams below.
- **ctrl+t** checks your work: a fresh workspace, your code run from scratch, then every check with its
  message. With *check on save* (ctrl+o toggles it) every ctrl+s checks too.
- **F3** shows the next hint. **F4** opens the file in `$EDITOR` (or `$VISUAL`); it is reloaded when you quit
  the editor. **F6** moves to the lab's next file. **F8** resets the lab to its starter files (your current
  files are moved to a backup folder first).
"""
    BINDINGS = [
        B("ctrl+s", "save", "Save", "lab.save", priority=True),
        B("ctrl+r", "run", "Run", "lab.run", priority=True),
        B("ctrl+t", "check", "Check", "lab.check", priority=True),
        B("f3", "hint", "Hint", "lab.hint"),
        B("f4", "editor", "$EDITOR", "lab.editor"),
        B("f5", "instructions", "Instructions", "lab.instructions"),
        B("f6", "next_file", "Next file", "lab.next_file", show=False),
        B("f8", "reset", "Reset", "lab.reset"),
        B("ctrl+o", "toggle_autocheck", "Check on save", "lab.autocheck", show=False),
        B("escape", "back", "Back", "lab.back"),
    ]

    def __init__(self, lab_id: str) -> None:
        super().__init__(id="lab")
        self.lab_id = lab_id
        self.files: list[str] = []
        self.file_index = 0
        self.busy: str | None = None
        self.texts: dict[str, str] = {}
        self.saved: dict[str, str] = {}
        self.check_on_save = True
        self.dirty = False
        self.last_result: Any = None
        self._loading = False
        self._autosave_timer: Any = None
        self._pending: list[str] = []
        self._partial = ""
        self._pending_lock = threading.Lock()

    @property
    def service(self) -> Any:
        return self.app.labs_service()

    @property
    def current_file(self) -> str:
        return self.files[self.file_index] if self.files else ""

    def compose(self) -> ComposeResult:
        yield Static(f"Lab {self.lab_id}", id="lab-title", classes="title-bar")
        with Horizontal(id="lab-main"):
            with VerticalScroll(id="lab-instructions"):
                yield Markdown("", id="lab-readme")
            with Vertical(id="lab-work"):
                yield Static("", id="lab-files")
                yield TextArea.code_editor("", language="python", id="lab-editor", soft_wrap=False)
                yield RichLog(id="lab-output", wrap=True, markup=False, highlight=False, max_lines=5000)
        yield Footer()

    def on_mount(self) -> None:
        self.app.remember("lab", lab=self.lab_id)
        editor = self.query_one("#lab-editor", TextArea)
        editor.read_only = True
        if self.app.clock is not None:  # deterministic mode (tests, snapshots): no blinking cursor
            editor.cursor_blink = False
        self.set_interval(0.1, self._flush_output)
        self.load()

    def on_resize(self, event: Any) -> None:
        self.set_class(event.size.width < 110, "narrow")
        self.set_class(event.size.height >= 36, "tall")

    # -- loading -----------------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="lab-load")
    def load(self) -> None:
        service = self.service
        try:
            lab = service.lab(self.lab_id)
            service.start(self.lab_id)
            files = service.files(self.lab_id)
            texts = {name: service.read(self.lab_id, name) for name in files}
            readme = lab.instructions()
            error = None
        except Exception as exc:
            lab, files, texts, readme, error = None, [], {}, "", str(exc)
        self.app.call_from_thread(self.show, lab, files, texts, readme, error)

    async def show(self, lab: Any, files: list[str], texts: dict[str, str], readme: str, error: str | None) -> None:
        if error:
            self.query_one("#lab-title", Static).update(Text(f"Lab {self.lab_id}: {error}", style="red"))
            return
        self.files = files
        self.texts = texts
        self.saved = dict(texts)
        title = Text.assemble((lab.title, "bold"), (f"  ·  {lab.topic}  ·  SDK {lab.sdk}  ·  about "
                                                    f"{lab.manifest.minutes} min", "dim"))
        self.query_one("#lab-title", Static).update(title)
        await self.query_one("#lab-readme", Markdown).update(readme)
        self._load_file(0)
        editor = self.query_one("#lab-editor", TextArea)
        editor.read_only = False
        editor.focus()
        self._log(Text("ctrl+r run · ctrl+t check · F3 hint · F5 instructions · F1 help", style="dim"))

    def _load_file(self, index: int) -> None:
        self.file_index = index
        editor = self.query_one("#lab-editor", TextArea)
        self._loading = True
        editor.load_text(self.texts.get(self.current_file, ""))
        self._loading = False
        self.dirty = False
        self._files_bar()

    def _files_bar(self, note: str = "") -> None:
        t = Text()
        for i, name in enumerate(self.files):
            t.append(f" {name} ", style="reverse bold" if i == self.file_index else "dim")
        t.append("  ")
        t.append("● unsaved" if self.dirty else "saved", style="yellow" if self.dirty else "green")
        t.append(f"  ·  check on save: {'on' if self.check_on_save else 'off'}", style="dim")
        if self.busy:
            t.append(f"  ·  {self.busy}…", style="cyan")
        elif self.last_result is not None:
            r = self.last_result
            mark, style = STATUS_MARK.get(r.status, ("?", ""))
            t.append(f"  ·  last check {mark} {r.score}/{r.max_score}", style=style)
        if note:
            t.append(f"  ·  {note}", style="dim")
        self.query_one("#lab-files", Static).update(t)

    # -- saving ------------------------------------------------------------------------------------------------
    @on(TextArea.Changed, "#lab-editor")
    def changed(self, event: TextArea.Changed) -> None:
        if self._loading or not self.files:
            return
        text = event.text_area.text
        self.texts[self.current_file] = text
        if text == self.saved.get(self.current_file):
            return
        self.dirty = True
        self._files_bar()
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        self._autosave_timer = self.set_timer(AUTOSAVE_SECONDS, self.autosave)

    def autosave(self) -> None:
        self.save_now()

    def save_now(self) -> bool:
        """Write the buffer to the learner's file (synchronously: it is small and must not be lost)."""
        if not self.files or not self.dirty:
            return True
        try:
            text = self.texts[self.current_file]
            self.service.save(self.lab_id, self.current_file, text)
            self.saved[self.current_file] = text
        except OSError as exc:
            self.notify(f"Could not save {self.current_file}: {exc}", severity="error")
            return False
        self.dirty = False
        try:
            self._files_bar()
        except Exception:  # the screen is closing
            pass
        return True

    def on_unmount(self) -> None:
        self.save_now()

    def action_save(self) -> None:
        was_dirty = self.dirty
        if not self.save_now():
            return
        self._files_bar("saved" if was_dirty else "nothing to save")
        if self.check_on_save:
            self.action_check()

    def action_toggle_autocheck(self) -> None:
        self.check_on_save = not self.check_on_save
        self._files_bar()

    def action_next_file(self) -> None:
        if len(self.files) > 1:
            self.save_now()
            self._load_file((self.file_index + 1) % len(self.files))

    def action_back(self) -> None:
        self.save_now()
        self.app.pop_screen()

    # -- output ------------------------------------------------------------------------------------------------
    def _log(self, renderable: Any) -> None:
        self.query_one("#lab-output", RichLog).write(renderable)

    def _queue_line(self, text: str) -> None:
        """Called from the run thread with output as it comes; merged into the log 10 times a second."""
        with self._pending_lock:
            self._pending.append(text)

    def _flush_output(self, final: bool = False) -> None:
        with self._pending_lock:
            text = self._partial + "".join(self._pending)
            self._pending = []
            if final:
                self._partial = ""
            else:
                text, sep, self._partial = text.rpartition("\n") if "\n" in text else ("", "", text)
        if text:
            self._log(Text(text.rstrip("\n")))

    def _start(self, what: str) -> bool:
        if self.busy:
            self.notify(f"Wait: {self.busy} is still going.", severity="warning")
            return False
        if not self.files:
            return False
        self.save_now()
        self.busy = what
        self._files_bar()
        self.query_one("#lab-output", RichLog).clear()
        return True

    def _done(self) -> None:
        self._flush_output(final=True)
        self.busy = None
        self._files_bar()

    # -- run ---------------------------------------------------------------------------------------------------
    def action_run(self) -> None:
        if self._start("running"):
            self._log(Text(f"$ python {self.files[0]}   (against the lab's sandbox workspace)", style="bold"))
            self.run_lab()

    @work(thread=True, exclusive=True, group="lab-exec")
    def run_lab(self) -> None:
        try:
            report = self.service.run(self.lab_id, on_output=self._queue_line)
            error = None
        except Exception as exc:
            report, error = None, str(exc)
        self.app.call_from_thread(self.ran, report, error)

    def ran(self, report: Any, error: str | None) -> None:
        self._flush_output(final=True)
        if error:
            self._log(Text(f"Could not run: {error}", style="red"))
        elif report.timed_out:
            self._log(Text(f"Stopped: the time limit ({report.seconds:.0f} s) was reached.", style="bold red"))
        elif report.exit_code == 0:
            self._log(Text("✓ finished" + ("" if self.app.clock else f" in {report.seconds:.1f} s"),
                           style="bold green"))
        else:
            self._log(Text(f"✗ exited with code {report.exit_code}", style="bold red"))
        self._done()

    # -- check -------------------------------------------------------------------------------------------------
    def action_check(self) -> None:
        if self._start("checking"):
            self._log(Text("Checking in a fresh workspace…", style="bold"))
            self.check_lab()

    @work(thread=True, exclusive=True, group="lab-exec")
    def check_lab(self) -> None:
        try:
            result = self.service.check(self.lab_id, on_output=self._queue_line)
            error = None
        except Exception as exc:
            result, error = None, str(exc)
        self.app.call_from_thread(self.checked, result, error)

    def checked(self, result: Any, error: str | None) -> None:
        self._flush_output(final=True)
        if error:
            self._log(Text(f"Could not check: {error}", style="red"))
            self._done()
            return
        self.last_result = result
        self._log(report_renderable(result))
        failed = sum(1 for c in result.checks if not c.passed)
        if failed:
            self._log(Text(f"{failed} check(s) to fix (scroll up for each message) · F3 hint", style="dim"))
        self._done()
        if result.status == "pass":
            self.notify(f"Lab passed: {result.score}/{result.max_score}", title="✓ Well done")

    # -- hints, reset, editor ----------------------------------------------------------------------------------
    def action_hint(self) -> None:
        try:
            n, of, text = self.service.next_hint(self.lab_id)
        except Exception as exc:
            self.notify(f"No hints: {exc}", severity="warning")
            return
        self._log(Text.assemble((f"Hint {n}/{of}: ", "bold yellow"), text))

    def action_instructions(self) -> None:
        self.toggle_class("show-instructions")

    def action_reset(self) -> None:
        def done(ok: bool | None) -> None:
            if ok:
                self.reset_lab()

        self.app.push_screen(ConfirmScreen(
            "Reset the lab?", "Your files go back to the starter files. The current ones are moved to a backup "
            "folder first, so nothing is deleted.", yes="Reset", no="Keep my files"), done)

    @work(thread=True, exclusive=True, group="lab-exec")
    def reset_lab(self) -> None:
        service = self.service
        try:
            backup = service.reset(self.lab_id)
            texts = {name: service.read(self.lab_id, name) for name in self.files}
            error = None
        except Exception as exc:
            backup, texts, error = None, {}, str(exc)
        self.app.call_from_thread(self.was_reset, backup, texts, error)

    def was_reset(self, backup: Any, texts: dict[str, str], error: str | None) -> None:
        if error:
            self.notify(f"Could not reset: {error}", severity="error")
            return
        self.texts = texts
        self.saved = dict(texts)
        self._load_file(0)
        self._log(Text(f"Reset to the starter files. Your previous files are in {backup}." if backup
                       else "Reset to the starter files.", style="yellow"))

    def action_editor(self) -> None:
        if not self.files:
            return
        self.save_now()
        path = self.service.folder_path(self.lab_id) / self.current_file
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        try:
            with self.app.suspend():
                subprocess.call([*shlex.split(editor), str(path)])
        except Exception as exc:
            self.notify(f"Could not open {editor}: {exc}", severity="error")
            return
        self.texts[self.current_file] = self.saved[self.current_file] = self.service.read(self.lab_id, self.current_file)
        self._load_file(self.file_index)
        self.app.refresh()
        if self.check_on_save:
            self.action_check()


def report_renderable(result: Any) -> Any:
    """The grade report: overall status and score, then each check with its points, message and hint."""
    from rich.console import Group

    mark, style = STATUS_MARK.get(result.status, ("?", ""))
    head = Text()
    head.append(f"{mark} {result.status.upper()}", style=f"bold {style}")
    head.append(f"  {result.score}/{result.max_score} points", style="bold")
    parts: list[Any] = [head]
    if result.message:
        parts.append(Text(result.message, style="red"))
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_column(no_wrap=True, justify="right")
    for c in result.checks:
        m, s = STATUS_MARK.get(c.status, ("?", ""))
        body = Text(c.title, style="bold" if not c.passed else "")
        if c.message and not c.passed:
            body.append(f"\n{c.message}", style="")
        if c.hint and not c.passed:
            body.append(f"\nhint: {c.hint}", style="dim italic")
        grid.add_row(Text(m, style=f"bold {s}"), body, Text(f"{c.points}/{c.max_points}", style=s))
    parts.append(grid)
    return Group(*parts)
