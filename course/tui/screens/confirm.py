"""A yes/no question in a small dialog (leaving a one-way exam item, ending the exam, resetting a lab)."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from course.tui.bindings import B


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        B("y,enter", "answer(True)", "Yes", "confirm.yes"),
        B("n,escape", "answer(False)", "No", "confirm.no"),
    ]

    def __init__(self, title: str, message: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="confirm")
        self.title_text = title
        self.message = message
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self.title_text, style="bold"), id="confirm-title")
            yield Static(self.message, id="confirm-message")
            yield Static(Text.assemble(("y", "bold reverse"), f" / Enter: {self.yes}    ",
                                       ("n", "bold reverse"), f" / Esc: {self.no}"), id="confirm-keys")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
