"""A line chart of a metric series drawn with Unicode braille dots (2×4 dots per cell), with min/max labels."""
from __future__ import annotations

import math

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

# braille dot bits for (x in 0..1, y in 0..3 from the top)
_DOTS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def braille_lines(values: list[float], width: int, height: int) -> list[str]:
    """`height` strings of `width` braille cells plotting `values` (left to right, resampled)."""
    width = max(1, width)
    height = max(1, height)
    vals = [v for v in values if not (isinstance(v, float) and math.isnan(v))]
    grid = [[0] * width for _ in range(height)]
    if not vals:
        return ["⠀" * width for _ in range(height)]
    cols = width * 2
    rows = height * 4
    lo, hi = min(vals), max(vals)
    span = hi - lo or 1.0

    def y_of(v: float) -> int:
        return int(round((hi - v) / span * (rows - 1))) if hi != lo else rows // 2

    n = len(vals)
    points = []
    for x in range(cols):
        i = 0 if n == 1 else round(x * (n - 1) / (cols - 1)) if cols > 1 else 0
        points.append(y_of(vals[i]))

    def dot(x: int, y: int) -> None:
        grid[y // 4][x // 2] |= _DOTS[x % 2][y % 4]

    prev = None
    for x, y in enumerate(points):
        if prev is None:
            dot(x, y)
        else:
            lo_y, hi_y = sorted((prev, y))
            for yy in range(lo_y, hi_y + 1):
                dot(x, yy)
        prev = y
    return ["".join(chr(0x2800 + c) for c in row) for row in grid]


class LineChart:
    """A Rich renderable: the series name, min/max on the left axis, the braille plot."""

    def __init__(self, name: str, values: list[float], height: int = 6) -> None:
        self.name = name
        self.values = values
        self.height = height

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        vals = [v for v in self.values if not (isinstance(v, float) and math.isnan(v))]
        hi = _fmt(max(vals)) if vals else ""
        lo = _fmt(min(vals)) if vals else ""
        axis_w = max(len(hi), len(lo), 1) + 1
        width = max(4, options.max_width - axis_w - 1)
        lines = braille_lines(vals, width, self.height)
        title = Text(f"{self.name}  ({len(self.values)} values", style="bold")
        if vals:
            title.append(f", last {_fmt(vals[-1])}")
        title.append(")")
        yield title
        style = Style(color="cyan")
        for i, line in enumerate(lines):
            label = hi if i == 0 else (lo if i == len(lines) - 1 else "")
            yield Segment(label.rjust(axis_w - 1) + " ┤", Style(dim=True))
            yield Segment(line, style)
            yield Segment.line()


class MetricChart(Static):
    DEFAULT_CSS = """
    MetricChart { height: auto; }
    """

    def plot(self, name: str, values: list[float], height: int = 6) -> None:
        self.update(LineChart(name, values, height))
