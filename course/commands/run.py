"""`dp100 run` and `dp100 python`: run learner code with the Azure ML SDK facades active."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import List

import typer


def register(app: typer.Typer) -> None:
    app.command("run", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(run)
    app.command("python", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(python)


def _env() -> dict[str, str]:
    from sandbox.activation import child_env
    from sandbox.home import workspace_dir
    from sandbox.workspace import Workspace

    Workspace.open_or_create(workspace_dir())
    return child_env()


def run(
    script: Path = typer.Argument(..., help="The Python script (or notebook .ipynb) to run."),
    args: List[str] = typer.Argument(None, help="Arguments passed to the script."),
) -> None:
    """Run a script against the sandbox workspace, as if it talked to Azure ML."""
    if not script.is_file():
        typer.secho(f"No such file: {script}. Give the path to a .py script.", fg="red", err=True)
        raise typer.Exit(2)
    code = subprocess.call([sys.executable, str(script), *(args or [])], env=_env())
    raise typer.Exit(code)


def python(args: List[str] = typer.Argument(None, help="Arguments for python (e.g. -c 'code').")) -> None:
    """A Python interpreter with the Azure ML SDK facades active (same arguments as `python`)."""
    env = _env()
    if not os.isatty(0) and not args:
        code = subprocess.call([sys.executable, "-"], env=env)
    else:
        code = subprocess.call([sys.executable, *(args or [])], env=env)
    raise typer.Exit(code)
