"""`dp100 run`, `dp100 python`, `dp100 shell` and `dp100 az`: run learner code, a shell or the Azure CLI with the
Azure ML SDK facades (and the sandbox's `az`) active."""
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
    app.command("shell", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(shell)
    app.command("az", context_settings={"allow_extra_args": True, "ignore_unknown_options": True,
                                        "help_option_names": []}, add_help_option=False)(az)


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


def shell(
    args: List[str] = typer.Argument(None, help="A script and its arguments, or -c 'commands' (default: an "
                                                "interactive shell)."),
) -> None:
    """A shell with the sandbox active: `az ml ...` and Python scripts talk to the sandbox workspace.

    Lab set-up scripts run unchanged: `dp100 shell setup.sh`, or `bash setup.sh` inside `dp100 shell`.
    """
    env = _env()
    env["DP100_SHELL"] = "1"
    program = os.environ.get("SHELL") or "/bin/bash"
    if not os.path.exists(program):
        program = "/bin/sh"
    if args:
        first = args[0]
        if first != "-c" and Path(first).is_file():
            program = "/bin/bash" if os.path.exists("/bin/bash") else "/bin/sh"  # lab scripts use bash syntax
        code = subprocess.call([program, *args], env=env)
    elif not os.isatty(0):
        code = subprocess.call([program, "-s"], env=env)
    else:
        typer.secho("dp100 shell: the sandbox is active here (az ml ..., python ...). Type `exit` to leave.",
                    fg="cyan", err=True)
        env.setdefault("PS1", "(dp100) \\w $ ")
        code = subprocess.call([program, "-i"], env=env)
    raise typer.Exit(code)


def az(args: List[str] = typer.Argument(None, help="Azure CLI arguments, e.g. ml job list -o table.")) -> None:
    """The Azure CLI (with the Azure ML v2 extension) against the sandbox: `dp100 az ml compute list`."""
    code = subprocess.call([sys.executable, "-m", "azure.cli", *(args or [])], env=_env())
    raise typer.Exit(code)
