"""Showing lab results to people, with rich (labs never imports textual)."""
from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from labs.manifest import Lab
from labs.results import LabResult

MARKS = {"pass": ("✔", "green"), "fail": ("✘", "red"), "error": ("!", "yellow")}


def result_view(result: LabResult, lab: Lab | None = None, show_output: bool = False) -> Group:
    parts = []
    if result.message:
        parts.append(Panel(Text(result.message), title="Your code did not run cleanly", border_style="yellow"))
    table = Table(show_header=False, box=None, pad_edge=False, expand=False)
    table.add_column(width=1)
    table.add_column()
    table.add_column(justify="right")
    for chk in result.checks:
        mark, colour = MARKS[chk.status]
        body = Text(chk.title, style="bold" if chk.status != "pass" else "")
        if chk.status != "pass" and chk.message:
            body.append("\n" + chk.message, style="default")
        if chk.status == "fail" and chk.hint:
            body.append("\nHint: " + chk.hint, style="dim")
        table.add_row(Text(mark, style=colour), body, Text(f"{chk.points}/{chk.max_points}", style=colour))
    parts.append(table)
    mark, colour = MARKS[result.status]
    title = lab.title if lab else result.lab
    verdict = {"pass": "All checks pass. Well done!", "fail": "Some checks do not pass yet.",
               "error": "Fix the error above, then check again."}[result.status]
    parts.append(Text(f"\n{title}: {result.score}/{result.max_score} points ({result.percent:.0f}%). {verdict}",
                      style=f"bold {colour}"))
    if show_output and result.output:
        parts.append(Panel(Text(result.output[-4000:]), title="Output (last part)", border_style="dim"))
    return Group(*parts)


def print_result(result: LabResult, lab: Lab | None = None, console: Console | None = None,
                 show_output: bool = False) -> None:
    (console or Console()).print(result_view(result, lab, show_output))
