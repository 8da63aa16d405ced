"""Messages the TUI's widgets and workers post (small dataclasses; handlers live on the screens)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class AnswerChanged(Message):
    """The learner changed the answer in a question form (`answer` in `quizzes.scoring` shape)."""

    answer: Any
    complete: bool
    part_id: str | None = None   # set while the message is inside a case study


@dataclass
class SubmitRequested(Message):
    """Enter in a question form: check (practice) or go on (exam)."""

    answer: Any
    part_id: str | None = None


@dataclass
class SnippetFinished(Message):
    lesson_id: str
    index: int
    outcome: Any  # services.lessons.SnippetOutcome


@dataclass
class ProgressChanged(Message):
    """Something the Home screen summarises changed (an answer, an exam, a lab check)."""

    what: str


@dataclass
class OutputLine(Message):
    """A line of a running program's output (lab Run), merged by the receiver into its log."""

    text: str
    stream: str = "stdout"
