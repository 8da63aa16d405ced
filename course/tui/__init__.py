"""dp100's terminal UI (Textual). `course` is the only package that imports Textual.

Start it with `dp100` (no arguments) or `python -m course.tui`. This module stays light: the app and its
screens are imported when the TUI starts.
"""
from __future__ import annotations


def run(start: str | None = None) -> None:
    from course.tui.app import run as _run

    _run(start)
