"""F1: what the screen underneath does and every key it answers to (with binding ids for the keymap)."""
from __future__ import annotations

from typing import Any

from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from course.tui.bindings import B, KEYMAP_FILE, config_dir

GLOBAL_HELP = """\
**Everywhere**: F1 this help · ctrl+p commands (type to search lessons and actions) · Esc back · ctrl+q quit.
Progress and editor contents are saved as you go. Remap keys in `{keymap}` with the ids below, e.g.
`"exam.flag" = "ctrl+f"` under `[keymap]`.
"""


def bindings_table(screen: Any) -> Table:
    t = Table(box=None, padding=(0, 2), expand=True, show_header=True, header_style="bold")
    t.add_column("Key", no_wrap=True)
    t.add_column("Does")
    t.add_column("Id (for keymap.toml)", style="dim", no_wrap=True)
    seen: set[tuple[str, str]] = set()
    try:
        active = screen.active_bindings
    except Exception:
        active = {}
    app = screen.app
    for key, ab in active.items():
        b = ab.binding
        if not b.id or not b.description or (b.action, b.description) in seen:
            continue  # Textual's own scrolling/focus keys are left out
        seen.add((b.action, b.description))
        shown = b.key_display or app.get_key_display(b)
        t.add_row(shown, b.description, b.id or "")
    return t


class HelpScreen(ModalScreen):
    BINDINGS = [
        B("escape", "dismiss", "Close", "help.close"),
        B("f1", "dismiss", "Close", "help.close_f1", show=False),
    ]

    def __init__(self, target: Any) -> None:
        super().__init__(id="help")
        self.target = target
        self._table = bindings_table(target)

    def compose(self) -> ComposeResult:
        text = getattr(self.target, "HELP", "") or "## dp100"
        with VerticalScroll(id="help-box"):
            yield Static(Markdown(text), id="help-text")
            yield Static(Text("Keys on this screen", style="bold"))
            yield Static(self._table, id="help-keys")
            yield Static(Markdown(GLOBAL_HELP.format(keymap=config_dir() / KEYMAP_FILE)), id="help-global")
