"""The lesson catalog as the TUI shows it (a thin, tolerant view over `course.lessons`).

`course.lessons.load_lessons()` owns parsing; this module only turns its catalog into small records the screens
draw, and runs snippets through `course.snippets`. When the lessons package is not installed yet the catalog is
empty and the Course screen says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable


@dataclass(frozen=True)
class SnippetView:
    index: int
    title: str
    code: str


@dataclass(frozen=True)
class LessonView:
    id: str
    title: str
    topic: str
    minutes: int
    skills: tuple[str, ...]
    labs: tuple[str, ...]
    quiz_topics: tuple[str, ...]
    body: str
    snippets: tuple[SnippetView, ...]
    fixtures: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicView:
    id: str
    title: str
    lessons: tuple[LessonView, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class CatalogView:
    topics: tuple[TopicView, ...]
    problem: str | None = None

    @property
    def lessons(self) -> list[LessonView]:
        return [lesson for t in self.topics for lesson in t.lessons]

    def lesson(self, lesson_id: str) -> LessonView | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def neighbour(self, lesson_id: str, step: int) -> LessonView | None:
        order = self.lessons
        ids = [lesson.id for lesson in order]
        if lesson_id not in ids:
            return None
        i = ids.index(lesson_id) + step
        return order[i] if 0 <= i < len(order) else None


def _seq(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(getattr(v, "id", v)) for v in value)


def _snippets(raw: Any) -> tuple[SnippetView, ...]:
    out = []
    for i, s in enumerate(raw or ()):
        code = s if isinstance(s, str) else getattr(s, "code", "")
        title = "" if isinstance(s, str) else (getattr(s, "title", None) or getattr(s, "name", None)
                                               or getattr(s, "id", None) or "")
        first = next((line.strip() for line in code.splitlines() if line.strip()), "")
        out.append(SnippetView(i, str(title) or first[:60] or f"Snippet {i + 1}", code))
    return tuple(out)


def _lesson(raw: Any) -> LessonView:
    return LessonView(
        id=str(raw.id), title=str(getattr(raw, "title", raw.id)), topic=str(getattr(raw, "topic", "") or ""),
        minutes=int(getattr(raw, "minutes", 0) or 0), skills=_seq(getattr(raw, "skills", ())),
        labs=_seq(getattr(raw, "labs", ())), quiz_topics=_seq(getattr(raw, "quiz_topics", ())),
        body=str(getattr(raw, "body", "") or ""), snippets=_snippets(getattr(raw, "snippets", ())),
        fixtures=_seq(getattr(raw, "fixtures", ())),
    )


def view_of(catalog: Any) -> CatalogView:
    """Turn `course.lessons.Catalog` into a `CatalogView` (topics in catalog order, lessons in topic order)."""
    lessons = [_lesson(raw) for raw in (getattr(catalog, "lessons", None) or ())]
    if isinstance(lessons, dict):  # pragma: no cover - defensive
        lessons = list(lessons.values())
    raw_topics = getattr(catalog, "topics", None) or ()
    if isinstance(raw_topics, dict):
        raw_topics = [type("T", (), {"id": k, "title": getattr(v, "title", v)}) for k, v in raw_topics.items()]
    topics: list[TopicView] = []
    seen: set[str] = set()
    for t in raw_topics:
        tid = str(getattr(t, "id", t))
        title = str(getattr(t, "title", tid))
        mine = [lesson for lesson in lessons if lesson.topic == tid]
        own = getattr(t, "lessons", None)
        if own:
            order = [str(getattr(x, "id", x)) for x in own]
            mine.sort(key=lambda lesson: order.index(lesson.id) if lesson.id in order else len(order))
        topics.append(TopicView(tid, title, tuple(mine)))
        seen.add(tid)
    for lesson in lessons:  # lessons whose topic the catalog did not list
        if lesson.topic not in seen:
            seen.add(lesson.topic)
            topics.append(TopicView(lesson.topic, lesson.topic.title() or "Other",
                                    tuple(x for x in lessons if x.topic == lesson.topic)))
    problems = [str(p) for p in (getattr(catalog, "problems", None) or ())]
    problem = None
    if problems:
        problem = f"{len(problems)} lesson file(s) have problems: " + "; ".join(problems[:3])
    return CatalogView(tuple(topics), problem)


def load_catalog(loader: Callable[[], Any] | None = None) -> CatalogView:
    """The catalog, or an empty one with the reason when lessons cannot be loaded."""
    try:
        if loader is None:
            from course.lessons import load_lessons as loader  # type: ignore[no-redef]
        return view_of(loader())
    except ImportError:
        return CatalogView((), "Lessons are not installed yet (course.lessons is missing).")
    except Exception as exc:  # a broken lesson file must not take the app down
        return CatalogView((), f"Lessons could not be loaded: {exc}")


@dataclass(frozen=True)
class SnippetOutcome:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool


def run_snippet(code: str, *, lesson_id: str, workspace_dir: Path, work_root: Path, timeout: float = 120.0,
                fixtures: tuple[str, ...] = (), index: int = 0) -> SnippetOutcome:
    """Run a lesson snippet against the learner's sandbox, in the lesson's own folder (`work_root/<lesson>`, which
    gets the workspace's config.json and the lesson's fixtures), and return what it printed."""
    from course import snippets

    folder = snippets.prepare_folder(work_root / lesson_id, fixtures, workspace_dir=workspace_dir)
    r = snippets.run_snippet(code, folder, workspace_dir, timeout, name=f"{lesson_id}-{index + 1}")
    return SnippetOutcome(int(r.returncode), str(r.stdout or ""), str(r.stderr or ""), float(r.seconds),
                          bool(r.timed_out))
