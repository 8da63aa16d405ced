"""What `dp100` with no sub-command shows (the TUI replaces this later)."""
from __future__ import annotations

from rich.console import Console


def show_home() -> None:
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
        "\nTry:\n"
        "  dp100 sandbox status         what the sandbox workspace holds\n"
        "  dp100 sandbox config         write config.json here so SDK code can connect\n"
        "  dp100 run train.py           run a script against the sandbox\n"
        "  dp100 python                 a Python prompt with the Azure ML SDKs active\n"
        "  dp100 --help                 every command"
    )
