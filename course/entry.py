"""The `dp100` console script. Plain `dp100` opens the home screen without loading the whole CLI first."""
from __future__ import annotations

import sys


def main() -> None:
    if len(sys.argv) == 1:
        from course.commands.home import show_home

        show_home()
        return
    from course.cli import main as cli_main

    cli_main()
