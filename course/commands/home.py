"""What `dp100` with no sub-command does: the TUI in a terminal, a short text home otherwise (pipes, CI)."""
from __future__ import annotations

import os
import sys

from rich.console import Console


def _interactive() -> bool:
    if os.environ.get("DP100_NO_TUI"):
        return False
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def show_home() -> None:
    if _interactive():
        from course.tui import run

        run()
        return
    show_text_home()


def show_text_home() -> None:
    from sandbox.home import workspace_dir
    from sandbox.workspace import Workspace

    console = Console()
    console.print("[bold]dp100[/bold] — Azure Machine Learning (DP-100) in your terminal\n")
    ws_dir = workspace_dir()
    if Workspace.exists(ws_dir):
        ws = Workspace.open(ws_dir)
        console.print(f"Sandbox workspace [cyan]{ws.name}[/cyan] at {ws_dir}")
    else:
        console.print(f"No sandbox workspace yet. Create one with [bold]dp100 sandbox init[/bold] (it will live in {ws_dir}).")
    console.print(
        "\nRun [bold]dp100[/bold] in a terminal for the course app (lessons, labs, quizzes, mock exam). Or try:\n"
        "  dp100 sandbox status         what the sandbox workspace holds\n"
        "  dp100 sandbox config         write config.json here so SDK code can connect\n"
        "  dp100 run train.py           run a script against the sandbox\n"
        "  dp100 python                 a Python prompt with the Azure ML SDKs active\n"
        "  dp100 quiz | exam | review   questions in the plain terminal\n"
        "  dp100 --help                 every command"
    )
