"""Review: the questions whose spaced-repetition card is due, answered like practice (FSRS reschedules them)."""
from __future__ import annotations

from typing import Any

from course.tui.screens.quiz import PracticeScreen

REVIEW_LIMIT = 30


class ReviewScreen(PracticeScreen):
    HELP = PracticeScreen.HELP.replace("## Answering questions", "## Review\nQuestions due by their "
                                       "spaced-repetition schedule (most overdue first, at most 30 a round).\n\n"
                                       "### Answering")

    def __init__(self) -> None:
        super().__init__(mode="review", n=REVIEW_LIMIT)

    def pick_questions(self) -> list[Any]:
        return self.app.quiz.due_questions(limit=self.n)

    def empty_message(self) -> str:
        nxt = self.app.quiz.next_due()
        when = ""
        if nxt is not None and self.app.now is None:
            when = f" The next one is due {nxt.astimezone().strftime('%Y-%m-%d %H:%M')}."
        return ("Nothing is due for review." + when +
                " Answer questions in practice or the mock exam to schedule reviews.")
