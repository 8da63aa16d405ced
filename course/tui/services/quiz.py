"""The quiz engine as the TUI uses it: one bank, blueprint and progress store per app, loaded lazily.

Everything returns engine objects (`quizzes.*`); screens keep only what is on screen. Loading the bank takes a
few hundred milliseconds, so screens call these from worker threads.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

#: Exam presets offered on the exam screen: (id, label, questions or None for the blueprint's, minutes or None).
EXAM_PRESETS: tuple[tuple[str, str, int | None, float | None], ...] = (
    ("full", "Full mock exam", None, None),
    ("half", "Half exam", 25, 50.0),
    ("quick", "Quick exam", 10, 20.0),
)


@dataclass(frozen=True)
class TopicCount:
    id: str
    questions: int
    seen: int


class QuizService:
    """Lazy access to the bank, the blueprint and the learner's progress store (thread-safe)."""

    def __init__(self, progress_path: Path, *, blueprint: str = "dp100", clock: Callable[[], float] | None = None,
                 now: Callable[[], Any] | None = None) -> None:
        self.progress_path = Path(progress_path)
        self.blueprint_id = blueprint
        self.clock = clock
        self.now = now
        self._lock = threading.RLock()
        self._bank: Any = None
        self._blueprint: Any = None
        self._store: Any = None

    # -- loading -----------------------------------------------------------------------------------------------
    @property
    def blueprint(self) -> Any:
        with self._lock:
            if self._blueprint is None:
                from quizzes.blueprint import load_blueprint

                self._blueprint = load_blueprint(self.blueprint_id)
            return self._blueprint

    @property
    def bank(self) -> Any:
        with self._lock:
            if self._bank is None:
                from quizzes.bank import load_bank

                cache = self.progress_path.parent / "cache" / "quiz-bank"
                self._bank = load_bank(blueprint=self.blueprint_id, cache_dir=cache)
            return self._bank

    @property
    def store(self) -> Any:
        with self._lock:
            if self._store is None:
                from quizzes.progress import ProgressStore

                kw = {"now": self.now} if self.now is not None else {}
                self._store = ProgressStore(self.progress_path, **kw)
            return self._store

    def bank_notice(self) -> str | None:
        """One line for the learner when the bank had problems (or is empty)."""
        bank = self.bank
        if not bank.questions:
            return (f"No valid questions in the question bank at {bank.directory}. "
                    f"Run `dp100 quiz validate`, or set DP100_QUIZ_BANK.")
        if bank.errors:
            return f"{bank.skipped} question(s) with errors were skipped; run `dp100 quiz validate` to see them."
        return None

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    # -- practice ----------------------------------------------------------------------------------------------
    def topics(self) -> list[TopicCount]:
        """Topics that have questions, in the order of `quizzes.models.TOPICS`, with how many were answered."""
        from quizzes.models import TOPICS

        seen = set(self.store.latest_attempts())
        out = []
        for t in TOPICS:
            qs = [q for q in self.bank.questions if q.topic == t]
            if qs:
                out.append(TopicCount(t, len(qs), sum(1 for q in qs if q.id in seen)))
        return out

    def practice_questions(self, *, topic: str | None = None, topics: list[str] | None = None,
                           skill: str | None = None, n: int | None = 10, seed: int | None = None) -> list[Any]:
        from quizzes.practice import filter_questions, pick_practice

        pool = filter_questions(self.bank.questions, topic=topic, skill=skill)
        if topics:
            pool = [q for q in pool if q.topic in topics]
        return pick_practice(pool, n, seen=self.store.attempt_counts().keys(), seed=seed)

    def retry_questions(self) -> list[Any]:
        from quizzes.practice import wrong_last_time

        return wrong_last_time(self.store, self.bank)

    def practice_session(self, questions: list[Any], mode: str = "practice") -> Any:
        from quizzes.practice import PracticeSession

        kw = {"clock": self.clock} if self.clock is not None else {}
        return PracticeSession(list(questions), self.store, mode=mode, **kw)

    # -- review ------------------------------------------------------------------------------------------------
    def due_questions(self, limit: int | None = None) -> list[Any]:
        from quizzes.review import due_questions

        return due_questions(self.store, self.bank, limit=limit)

    def next_due(self) -> Any:
        return self.store.next_due()

    # -- exam --------------------------------------------------------------------------------------------------
    def exam_settings(self, preset: str) -> tuple[int, float]:
        ex = self.blueprint.exam
        for pid, _label, n, minutes in EXAM_PRESETS:
            if pid == preset:
                return (n or ex.questions, minutes or float(ex.minutes))
        raise KeyError(preset)

    def start_exam(self, n: int, minutes: float, seed: int | None = None) -> Any:
        from quizzes.exam import ExamSession, sample_exam

        if seed is None:
            seed = int.from_bytes(os.urandom(4), "big")
        questions = sample_exam(self.bank.questions, self.blueprint, n, seed)
        kw: dict[str, Any] = {"clock": self.clock} if self.clock is not None else {}
        return ExamSession(questions, self.blueprint, minutes=minutes, seed=seed, **kw)

    def save_exam(self, result: Any) -> None:
        from quizzes.exam import save_exam

        if not result.saved:
            save_exam(self.store, result)

    # -- stats -------------------------------------------------------------------------------------------------
    def stats(self) -> Any:
        from quizzes.progress import compute_stats

        return compute_stats(self.store, self.bank, self.blueprint)

    def exams(self) -> list[Any]:
        return self.store.exams()
