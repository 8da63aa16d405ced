"""Files that belong to the learner (progress), shared by the CLI, labs, quizzes and the TUI."""
from __future__ import annotations

from pathlib import Path

from sandbox.home import data_home


def progress_db() -> Path:
    """The learner's progress store: one SQLite file under the data home."""
    return data_home() / "progress.db"
