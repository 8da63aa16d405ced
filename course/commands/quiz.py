"""`dp100 quiz|exam|review` — placeholder until the quiz engine lands."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    return None
