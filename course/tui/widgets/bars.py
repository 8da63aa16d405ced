"""Horizontal percentage bars (topics, exam domains, exam results)."""
from __future__ import annotations

from typing import Iterable

from rich.table import Table
from rich.text import Text
from textual.widgets import Static


def bar(percent: float | None, width: int) -> Text:
    if percent is None:
        return Text("·" * width, style="dim")
    p = max(0.0, min(100.0, percent))
    filled = int(round(width * p / 100))
    style = "green" if p >= 70 else ("yellow" if p >= 50 else "red")
    t = Text("█" * filled, style=style)
    t.append("░" * (width - filled), style="dim")
    return t


def bars_table(rows: Iterable[tuple[str, float | None, str]], *, bar_width: int = 20, label_width: int | None = None,
               details: bool = True) -> Table:
    """A table of `label  ██████░░░ 62%  detail` rows (`details=False` drops the last column)."""
    t = Table.grid(padding=(0, 1), expand=True)
    t.add_column(no_wrap=True, overflow="ellipsis", max_width=label_width, ratio=2 if label_width is None else None)
    t.add_column(no_wrap=True, width=bar_width)
    t.add_column(no_wrap=True, justify="right", width=4)
    if details:
        t.add_column(no_wrap=True, overflow="ellipsis", style="dim", ratio=1)
    for label, percent, detail in rows:
        pct = "—" if percent is None else f"{percent:.0f}%"
        cells = [label, bar(percent, bar_width), pct] + ([detail] if details else [])
        t.add_row(*cells)
    return t


class Bars(Static):
    """A block of labelled bars; `show(rows)` replaces them."""

    DEFAULT_CSS = """
    Bars { height: auto; }
    """

    def __init__(self, *, bar_width: int = 16, label_width: int | None = None, details_from: int = 60, **kw) -> None:
        super().__init__(**kw)
        self.bar_width = bar_width
        self.label_width = label_width
        self.details_from = details_from
        self.rows: list[tuple[str, float | None, str]] = []

    def show(self, rows: list[tuple[str, float | None, str]]) -> None:
        self.rows = list(rows)
        self._draw()

    def _draw(self) -> None:
        if not self.rows:
            self.update(Text("Nothing yet.", style="dim"))
            return
        details = self.size.width >= self.details_from
        self.update(bars_table(self.rows, bar_width=self.bar_width, label_width=self.label_width, details=details))

    def on_resize(self) -> None:
        if self.rows:
            self._draw()
