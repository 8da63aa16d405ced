"""Answering a question with the keyboard: one form per question type, and case studies made of parts.

`QuestionForm` shows a question body (single, multi, yes/no, order, code) and keeps the learner's selection;
it posts `AnswerChanged` on every change and `SubmitRequested` on Enter. `CaseForm` shows a case study's
scenario with its parts (switch with `<` `>`). Scoring and feedback text come from `quizzes`; here we only turn
keys into an answer (in the `quizzes.scoring` shape) and draw it.

Keys: ↑/↓ move · letters pick an option (single), toggle it (multi), append/remove it (order), choose it for the
blank under the cursor (code) · y/n answer the statement under the cursor (yes/no) · space acts on the cursor ·
←/→ cycle a blank's choices · shift+↑/↓ move a picked step (order) · backspace removes the last step (order) ·
Enter checks (practice) or goes on (exam).
"""
from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text
from textual import events
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from course.tui.messages import AnswerChanged, SubmitRequested

CODE_THEME = "ansi_dark"


def stem_renderable(stem: str) -> RenderableType:
    return Markdown(stem, code_theme=CODE_THEME, hyperlinks=False)


class QuestionForm(Widget, can_focus=True):
    """One answerable body. `answer` is the current answer; `locked` refuses changes; `reveal` shows the key."""

    DEFAULT_CSS = """
    QuestionForm { height: auto; padding: 0 1; }
    QuestionForm:focus { background: $boost; }
    """

    cursor: reactive[int] = reactive(0)

    def __init__(self, body: Any, answer: Any = None, *, show_stem: bool = True, locked: bool = False,
                 part_id: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.body = body
        self.kind = body.type
        self.show_stem = show_stem
        self.locked = locked
        self.part_id = part_id
        self._set_answer(answer)

    # -- answer state ------------------------------------------------------------------------------------------
    def _set_answer(self, answer: Any) -> None:
        k = self.kind
        if k == "single":
            self.single: str | None = answer if isinstance(answer, str) else None
        elif k in ("multi", "order"):
            self.picked: list[str] = [a for a in answer] if isinstance(answer, list) else []
        elif k in ("yesno", "code"):
            self.values: dict[str, Any] = dict(answer) if isinstance(answer, dict) else {}

    @property
    def answer(self) -> Any:
        k = self.kind
        if k == "single":
            return self.single
        if k == "multi":
            order = [o.id for o in self.body.options]
            return sorted(self.picked, key=order.index) or None
        if k == "order":
            return list(self.picked) or None
        return dict(self.values) or None

    @property
    def complete(self) -> bool:
        k = self.kind
        if k == "single":
            return self.single is not None
        if k == "multi":
            return bool(self.picked)
        if k == "order":
            return len(self.picked) >= len(self.body.answer)
        if k == "yesno":
            return all(i.id in self.values for i in self.body.items)
        return all(b.id in self.values for b in self.body.blanks)

    def set_answer(self, answer: Any) -> None:
        self._set_answer(answer)
        self.refresh(layout=True)

    def _changed(self) -> None:
        self.refresh(layout=True)
        self.post_message(AnswerChanged(self.answer, self.complete, self.part_id))

    # -- rows the cursor moves over ----------------------------------------------------------------------------
    @property
    def rows(self) -> int:
        k = self.kind
        if k == "yesno":
            return len(self.body.items)
        if k == "code":
            return len(self.body.blanks)
        return len(self.body.options)

    def _option_ids(self) -> list[str]:
        return [o.id for o in getattr(self.body, "options", [])]

    # -- keys --------------------------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        key = event.key
        handled = True
        if key in ("up", "down"):
            self.cursor = (self.cursor + (-1 if key == "up" else 1)) % max(1, self.rows)
            self.refresh(layout=True)
        elif key == "enter":
            if self.kind == "single" and self.single is None and not self.locked:
                self._pick(self._option_ids()[self.cursor])
            self.post_message(SubmitRequested(self.answer, self.part_id))
        elif self.locked:
            handled = False
        elif key == "space":
            self._space()
        elif key in ("left", "right") and self.kind == "code":
            self._cycle_blank(-1 if key == "left" else 1)
        elif key in ("shift+up", "shift+down") and self.kind == "order":
            self._move_step(-1 if key == "shift+up" else 1)
        elif key == "backspace" and self.kind == "order" and self.picked:
            self.picked.pop()
            self._changed()
        elif event.character and len(event.character) == 1 and event.character.isalpha():
            handled = self._letter(event.character.lower())
        else:
            handled = False
        if handled:
            event.stop()
            event.prevent_default()

    def _letter(self, ch: str) -> bool:
        k = self.kind
        if k == "yesno":
            if ch not in ("y", "n"):
                return False
            item = self.body.items[self.cursor]
            self.values[item.id] = ch == "y"
            if self.cursor < self.rows - 1:
                self.cursor += 1
            self._changed()
            return True
        if k == "code":
            blank = self.body.blanks[self.cursor]
            if ch not in [c.id for c in blank.choices]:
                return False
            self.values[blank.id] = ch
            if self.cursor < self.rows - 1:
                self.cursor += 1
            self._changed()
            return True
        ids = self._option_ids()
        if ch not in ids:
            return False
        self.cursor = ids.index(ch)
        self._pick(ch)
        return True

    def _pick(self, oid: str) -> None:
        k = self.kind
        if k == "single":
            self.single = oid
        elif k == "multi":
            if oid in self.picked:
                self.picked.remove(oid)
            else:
                self.picked.append(oid)
        elif k == "order":
            if oid in self.picked:
                self.picked.remove(oid)
            else:
                self.picked.append(oid)
        self._changed()

    def _space(self) -> None:
        k = self.kind
        if k == "yesno":
            item = self.body.items[self.cursor]
            cur = self.values.get(item.id)
            nxt = {None: True, True: False, False: None}[cur]
            if nxt is None:
                self.values.pop(item.id, None)
            else:
                self.values[item.id] = nxt
            self._changed()
        elif k == "code":
            self._cycle_blank(1)
        else:
            self._pick(self._option_ids()[self.cursor])

    def _cycle_blank(self, step: int) -> None:
        blank = self.body.blanks[self.cursor]
        ids = [c.id for c in blank.choices]
        cur = self.values.get(blank.id)
        i = (ids.index(cur) + step) % len(ids) if cur in ids else (0 if step > 0 else len(ids) - 1)
        self.values[blank.id] = ids[i]
        self._changed()

    def _move_step(self, step: int) -> None:
        oid = self._option_ids()[self.cursor]
        if oid not in self.picked:
            return
        i = self.picked.index(oid)
        j = i + step
        if 0 <= j < len(self.picked):
            self.picked[i], self.picked[j] = self.picked[j], self.picked[i]
            self._changed()

    # -- drawing -----------------------------------------------------------------------------------------------
    def render(self) -> RenderableType:
        parts: list[RenderableType] = []
        if self.show_stem:
            parts.append(stem_renderable(self.body.stem))
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        k = self.kind
        focus = self.has_focus
        if k in ("single", "multi", "order"):
            for i, o in enumerate(self.body.options):
                cur = "▸" if i == self.cursor and focus else " "
                if k == "single":
                    box = "(●)" if self.single == o.id else "( )"
                elif k == "multi":
                    box = "[x]" if o.id in self.picked else "[ ]"
                else:
                    box = f"[{self.picked.index(o.id) + 1}]" if o.id in self.picked else "[ ]"
                chosen = (k == "single" and self.single == o.id) or (k != "single" and o.id in self.picked)
                grid.add_row(Text(f"{cur} {box} {o.id})", style="bold" if chosen else ""),
                             Text(o.text, style="bold" if chosen else ""))
            if k == "order":
                need = len(self.body.answer)
                seq = " → ".join(self.picked) if self.picked else "—"
                grid.add_row(Text(""), Text(f"Your order ({len(self.picked)}/{need} steps): {seq}", style="italic"))
        elif k == "yesno":
            for i, item in enumerate(self.body.items):
                cur = "▸" if i == self.cursor and focus else " "
                v = self.values.get(item.id)
                yn = Text()
                yn.append(" Yes ", style="reverse bold" if v is True else "dim")
                yn.append(" ")
                yn.append(" No ", style="reverse bold" if v is False else "dim")
                row = Text(f"{cur} {i + 1}. ")
                grid.add_row(row + yn, Text(item.statement))
        elif k == "code":
            parts.append(Syntax(self._code_with_fills(), "python", theme=CODE_THEME, word_wrap=True))
            for i, b in enumerate(self.body.blanks):
                cur = "▸" if i == self.cursor and focus else " "
                choices = Text()
                for c in b.choices:
                    sel = self.values.get(b.id) == c.id
                    choices.append(f" {c.id}) {c.text} ", style="reverse bold" if sel else "")
                    choices.append(" ")
                grid.add_row(Text(f"{cur} __{b.id}__"), choices)
        parts.append(grid)
        return Group(*parts)

    def _code_with_fills(self) -> str:
        fills = {bid: cid for bid, cid in self.values.items()}
        code = self.body.filled_code(fills) if fills else self.body.code
        return code.rstrip("\n")

    def watch_cursor(self) -> None:
        self.refresh(layout=True)

    def on_focus(self) -> None:
        self.refresh(layout=True)

    def on_blur(self) -> None:
        self.refresh(layout=True)


def key_hint(kind: str) -> str:
    """One line saying which keys answer this type of question."""
    return {
        "single": "a–f or ↑↓ then Enter: choose",
        "multi": "letters or space: toggle",
        "yesno": "↑↓ statement · y / n · space cycles",
        "order": "letters/space: add or remove a step · shift+↑↓ move it · backspace: undo",
        "code": "↑↓ blank · letter chooses · ←→ cycle",
        "case": "< > switch part · then answer the part",
    }.get(kind, "")


class CaseForm(Vertical):
    """A case study: the scenario, a row of parts, and the form of the current part."""

    DEFAULT_CSS = """
    CaseForm { height: auto; }
    CaseForm > #case-stem { height: auto; padding: 0 1; }
    CaseForm > #case-parts { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, question: Any, answer: Any = None, *, locked: bool = False, part: int = 0,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.question = question
        self.answers: dict[str, Any] = dict(answer) if isinstance(answer, dict) else {}
        self.locked = locked
        self.part = part

    def compose(self):
        yield Static(stem_renderable(self.question.stem), id="case-stem")
        yield Static(self._parts_line(), id="case-parts")
        p = self.question.parts[self.part]
        yield QuestionForm(p, self.answers.get(p.id), locked=self.locked, part_id=p.id, id="case-part")

    def _parts_line(self) -> Text:
        from quizzes.scoring import is_complete

        t = Text("Parts: ")
        for i, p in enumerate(self.question.parts):
            done = is_complete(p, self.answers.get(p.id))
            label = f" {i + 1}{'✓' if done else '·'} "
            t.append(label, style="reverse bold" if i == self.part else "")
            t.append(" ")
        t.append("  < > switch part", style="dim")
        return t

    @property
    def form(self) -> QuestionForm:
        return self.query_one("#case-part", QuestionForm)

    @property
    def answer(self) -> Any:
        return dict(self.answers) or None

    @property
    def complete(self) -> bool:
        from quizzes.scoring import is_complete

        return is_complete(self.question, self.answers)

    def focus_form(self) -> None:
        self.form.focus()

    async def show_part(self, index: int) -> None:
        if not 0 <= index < len(self.question.parts):
            return
        self.part = index
        p = self.question.parts[index]
        old = self.form
        new = QuestionForm(p, self.answers.get(p.id), locked=self.locked, part_id=p.id)
        await old.remove()
        new.id = "case-part"
        await self.mount(new)
        self.query_one("#case-parts", Static).update(self._parts_line())
        new.focus()

    def on_answer_changed(self, event: AnswerChanged) -> None:
        if event.part_id is None:
            return  # our own message on its way up
        event.stop()
        if event.answer is None:
            self.answers.pop(event.part_id, None)
        else:
            self.answers[event.part_id] = event.answer
        self.query_one("#case-parts", Static).update(self._parts_line())
        self.post_message(AnswerChanged(self.answer, self.complete, None))

    async def on_submit_requested(self, event: SubmitRequested) -> None:
        if event.part_id is None:
            return
        event.stop()
        from quizzes.scoring import is_complete

        todo = [i for i, p in enumerate(self.question.parts) if not is_complete(p, self.answers.get(p.id))]
        if todo and not self.locked:
            nxt = next((i for i in todo if i > self.part), todo[0])
            if nxt != self.part:
                await self.show_part(nxt)
                return
        if self.part < len(self.question.parts) - 1 and self.locked:
            await self.show_part(self.part + 1)
            return
        self.post_message(SubmitRequested(self.answer, None))

    async def on_key(self, event: events.Key) -> None:
        if event.key in ("less_than_sign", "greater_than_sign"):
            event.stop()
            await self.show_part(self.part + (-1 if event.key == "less_than_sign" else 1))
