"""Labs (placeholder until the lab engine's API settles)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from course.tui.bindings import B


class LabListScreen(Screen):
    BINDINGS = [B("escape", "app.go_home", "Back", "labs.back")]

    def __init__(self, select: str | None = None) -> None:
        super().__init__(id="labs")
        self.select = select

    def compose(self) -> ComposeResult:
        yield Static("Labs", classes="title-bar")
        yield Static("Labs are not available yet.", id="labs-info")
        yield Footer()


class LabScreen(Screen):
    BINDINGS = [B("escape", "app.pop_screen", "Back", "lab.back")]

    def __init__(self, lab_id: str) -> None:
        super().__init__(id="lab")
        self.lab_id = lab_id

    def compose(self) -> ComposeResult:
        yield Static(f"Lab {self.lab_id}", classes="title-bar")
        yield Footer()
