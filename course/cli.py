"""The `dp100` command line: one entry point for the course, the sandbox, labs and quizzes."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(
    name="dp100",
    help="Learn Azure Machine Learning (DP-100) in your terminal, against a local sandbox workspace.",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode="rich",
)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    home: Optional[Path] = typer.Option(
        None, "--home", envvar="DP100_HOME", help="Folder for dp100's data (workspace, progress). Default: the user data dir."
    ),
) -> None:
    if home is not None:
        os.environ["DP100_HOME"] = str(home.expanduser().resolve())
    if ctx.invoked_subcommand is None:
        from course.commands.home import show_home

        show_home()


def _register() -> None:
    from course.commands import sandbox as sandbox_cmds
    from course.commands import run as run_cmds
    from course.commands import quiz as quiz_cmds
    from course.commands import lab as lab_cmds

    sandbox_cmds.register(app)
    run_cmds.register(app)
    quiz_cmds.register(app)
    lab_cmds.register(app)


_register()


def main() -> None:
    from sandbox.errors import SandboxError

    try:
        app(standalone_mode=True)
    except SandboxError as exc:  # a sandbox problem the learner can act on: the sentence, not a traceback
        from rich.console import Console

        Console(stderr=True).print(f"[red]{exc}[/red]", highlight=False)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
