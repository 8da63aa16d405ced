"""Lessons: markdown files with YAML front matter under `course/lessons/` (format: docs/lessons-format.md).

`load_lessons()` parses every `*.md` file once (cached while no file changes) and returns a `Catalog`: topics in
the course's fixed order, each with its lessons sorted by `order`. A lesson whose front matter is broken is left
out and reported in `catalog.problems` (file and what is wrong); the other lessons still load.

Runnable snippets are fenced code blocks whose info string is `python run`; plain `python` blocks are shown but
never run. No Textual here: the TUI, the CLI and the tests all use this module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

LESSONS_DIR = Path(__file__).resolve().parent / "lessons"
BANK_DIR = Path(__file__).resolve().parent.parent / "quizzes" / "bank"

# (id, title) in the order the course teaches them.
TOPICS: tuple[tuple[str, str], ...] = (
    ("concepts", "Azure ML concepts"),
    ("workspace", "Workspace and tools"),
    ("datastores", "Datastores"),
    ("data", "Datasets and data assets"),
    ("experiments", "Experiments, runs and MLflow"),
    ("environments", "Environments"),
    ("compute", "Compute targets"),
    ("models", "Models"),
    ("pipelines", "Pipelines"),
    ("schedules", "Schedules"),
    ("deployment", "Deployment"),
    ("security", "Security"),
    ("language-models", "Language models"),
    ("prompt-flow", "Prompt flow"),
    ("rag", "Retrieval-augmented generation"),
    ("fine-tuning", "Fine-tuning"),
)
TOPIC_IDS: tuple[str, ...] = tuple(t for t, _ in TOPICS)

TopicId = Literal[
    "concepts", "workspace", "datastores", "data", "experiments", "environments", "compute", "models",
    "pipelines", "schedules", "deployment", "security", "language-models", "prompt-flow", "rag", "fine-tuning",
]
# What a snippet run needs prepared in its folder / workspace (implemented by course.snippets.prepare_folder).
FixtureId = Literal["diabetes-csv", "uploaded-diabetes"]
FIXTURES: tuple[str, ...] = ("diabetes-csv", "uploaded-diabetes")

RUN_INFO = "python run"
SHELL_RUN_INFO = "bash run"  # a shell snippet (Azure ML CLI v2: `az ml ...`), run by bash with the sandbox active
SHELL_SHEBANG = "#!/usr/bin/env bash\n"  # how a shell snippet's code says what it is (course.snippets runs it so)
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LessonMeta(BaseModel):
    """The front matter of a lesson (unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
    title: Annotated[str, Field(min_length=1, max_length=120)]
    topic: TopicId
    order: Annotated[int, Field(ge=0)]
    skills: Annotated[list[Annotated[str, Field(pattern=r"^d\d+\.g\d+\.s\d+$")]], Field(min_length=1)]
    minutes: Annotated[int, Field(ge=1, le=60)]
    labs: list[str] = Field(default_factory=list)
    quiz_topics: list[str] = Field(default_factory=list)
    fixtures: list[FixtureId] = Field(default_factory=list)

    @field_validator("labs", "quiz_topics", "skills", mode="before")
    @classmethod
    def _listify(cls, v: object) -> object:
        return [v] if isinstance(v, str) else v


@dataclass(frozen=True)
class Snippet:
    """One runnable code block: its position among the lesson's runnable blocks (0-based), code and the
    1-based line in the lesson file where the code starts."""

    index: int
    code: str
    line: int

    @property
    def language(self) -> str:
        return "bash" if self.code.startswith(SHELL_SHEBANG) else "python"

    @property
    def title(self) -> str:
        """A short label: the first comment line (without `#`), else the first line of code."""
        for raw in self.code.splitlines():
            text = raw.strip()
            if not text or text.startswith("#!"):
                continue
            if text.startswith("#"):
                return text.lstrip("#").strip()[:70]
            return text[:70]
        return f"Snippet {self.index + 1}"


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    topic: str
    order: int
    skills: tuple[str, ...]
    minutes: int
    labs: tuple[str, ...]
    quiz_topics: tuple[str, ...]
    fixtures: tuple[str, ...]
    path: Path
    source: str  # the markdown after the front matter, exactly as written
    body_line: int  # 1-based line in the file where `source` starts
    snippets: tuple[Snippet, ...]

    @cached_property
    def body(self) -> str:
        """The markdown to display: runnable fences become plain `python` fences, each preceded by a
        `▶ Snippet N` label so the text matches the TUI's list of snippets."""
        return display_markdown(self.source)


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path.name}: {self.message}"


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    lessons: tuple[Lesson, ...] = ()


@dataclass(frozen=True)
class Catalog:
    topics: tuple[Topic, ...]
    problems: tuple[Problem, ...] = ()
    _by_id: dict[str, Lesson] = field(default_factory=dict, repr=False, compare=False)

    @property
    def lessons(self) -> list[Lesson]:
        """All lessons in course order (topic order, then `order`)."""
        return [lesson for topic in self.topics for lesson in topic.lessons]

    def get(self, lesson_id: str) -> Lesson | None:
        return self._by_id.get(lesson_id)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def neighbour(self, lesson_id: str, step: int) -> Lesson | None:
        """The lesson `step` places after (or before, if negative) `lesson_id` in course order."""
        ids = [lesson.id for lesson in self.lessons]
        if lesson_id not in ids:
            return None
        i = ids.index(lesson_id) + step
        return self.lessons[i] if 0 <= i < len(ids) else None


class LessonError(ValueError):
    """A lesson file that cannot be used; the message says what is wrong."""


# ----------------------------------------------------------------------------------------------------------------
# Parsing
# ----------------------------------------------------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Return (front matter YAML, body, 1-based line where the body starts)."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise LessonError("no front matter: the file must start with a line '---'")
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    raise LessonError("front matter is not closed: add a line '---' after it")


def _fences(markdown: str) -> list[tuple[str, int, int, list[str]]]:
    """Fenced blocks as (info string, 0-based opening line, 0-based closing line or -1, code lines)."""
    out: list[tuple[str, int, int, list[str]]] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, info, indent = m["fence"], m["info"].strip(), len(m["indent"])
        code: list[str] = []
        j = i + 1
        close = -1
        while j < len(lines):
            stripped = lines[j].strip()
            if stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}:
                close = j
                break
            line = lines[j]
            # Remove up to the opening fence's indentation, as CommonMark does.
            k = 0
            while k < indent and k < len(line) and line[k] == " ":
                k += 1
            code.append(line[k:])
            j += 1
        out.append((info, i, close, code))
        i = (close if close >= 0 else len(lines)) + 1
    return out


def is_runnable(info: str) -> bool:
    return info.split() in (RUN_INFO.split(), SHELL_RUN_INFO.split())


def _language(info: str) -> str:
    return info.split()[0]


def extract_snippets(markdown: str, first_line: int = 1) -> list[Snippet]:
    """The runnable snippets of a markdown text; `first_line` is the file line where `markdown` starts."""
    snippets = []
    for info, start, _close, code in _fences(markdown):
        if is_runnable(info):
            text = "\n".join(code).rstrip() + "\n"
            if _language(info) == "bash":
                text = SHELL_SHEBANG + text
            snippets.append(Snippet(len(snippets), text, first_line + start + 1))
    return snippets


def display_markdown(markdown: str) -> str:
    lines = markdown.splitlines()
    runnable = {start: _language(info) for info, start, _close, _code in _fences(markdown) if is_runnable(info)}
    out: list[str] = []
    n = 0
    for i, line in enumerate(lines):
        if i in runnable:
            m = _FENCE.match(line)
            assert m is not None
            n += 1
            out.append(f"**▶ Snippet {n}**")
            out.append("")
            line = f"{m['indent']}{m['fence']}{runnable[i]}"
        out.append(line)
    return "\n".join(out) + ("\n" if markdown.endswith("\n") else "")


def _format_validation(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "front matter"
        if err["type"] == "extra_forbidden":
            parts.append(f"unknown field {where!r}")
        elif err["type"] == "missing":
            parts.append(f"missing field {where!r}")
        else:
            parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def parse_lesson(
    path: Path, text: str | None = None, *, skill_ids: frozenset[str] | None = None,
    bank_dir: Path | None = BANK_DIR,
) -> Lesson:
    """Parse one lesson file. Raises LessonError with a readable message when it is not usable.

    `skill_ids`: the blueprint's skill ids to check `skills` against (None = no check). `bank_dir`: where the
    quiz banks live, to check `quiz_topics` against (None = no check).
    """
    path = Path(path)
    if text is None:
        text = path.read_text(encoding="utf-8")
    front, body, body_line = split_front_matter(text)
    try:
        data = yaml.load(front, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise LessonError(f"front matter is not valid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise LessonError("front matter must be a YAML mapping (key: value lines)")
    try:
        meta = LessonMeta.model_validate(data)
    except ValidationError as exc:
        raise LessonError(_format_validation(exc)) from None
    if skill_ids is not None:
        unknown = [s for s in meta.skills if s not in skill_ids]
        if unknown:
            raise LessonError(f"skills not in the exam blueprint: {', '.join(unknown)}")
    if bank_dir is not None:
        missing = [t for t in meta.quiz_topics if not (bank_dir / f"{t}.yaml").is_file()]
        if missing:
            raise LessonError(f"quiz_topics without a question bank (quizzes/bank/<topic>.yaml): {', '.join(missing)}")
    for info, start, close, _code in _fences(body):
        if close < 0:
            raise LessonError(f"code block opened on line {body_line + start} is never closed")
    return Lesson(
        id=meta.id, title=meta.title, topic=meta.topic, order=meta.order, skills=tuple(meta.skills),
        minutes=meta.minutes, labs=tuple(meta.labs), quiz_topics=tuple(meta.quiz_topics),
        fixtures=tuple(meta.fixtures), path=path, source=body, body_line=body_line,
        snippets=tuple(extract_snippets(body, body_line)),
    )


def _blueprint_skill_ids(blueprint: str | None) -> frozenset[str] | None:
    if blueprint is None:
        return None
    from quizzes.blueprint import load_blueprint

    bp = load_blueprint(blueprint)
    return frozenset(s.id for d in bp.domains for s in d.skills)


def build_catalog(lessons: list[Lesson], problems: list[Problem]) -> Catalog:
    by_id: dict[str, Lesson] = {}
    kept: list[Lesson] = []
    for lesson in sorted(lessons, key=lambda x: x.path.name):
        if lesson.id in by_id:
            problems.append(Problem(lesson.path, f"duplicate lesson id {lesson.id!r} (also in {by_id[lesson.id].path.name})"))
            continue
        by_id[lesson.id] = lesson
        kept.append(lesson)
    topics = []
    for tid, title in TOPICS:
        mine = sorted((x for x in kept if x.topic == tid), key=lambda x: (x.order, x.id))
        topics.append(Topic(tid, title, tuple(mine)))
    return Catalog(tuple(topics), tuple(problems), by_id)


_cache: dict[tuple[str, str | None], tuple[tuple[tuple[str, int], ...], Catalog]] = {}


def load_lessons(folder: Path | None = None, *, blueprint: str | None = "dp100") -> Catalog:
    """Load every lesson in `folder` (default: course/lessons). Parsed once; re-read only when a file changes."""
    folder = Path(folder) if folder is not None else LESSONS_DIR
    files = sorted(folder.glob("*.md")) if folder.is_dir() else []
    signature = tuple((p.name, p.stat().st_mtime_ns) for p in files)
    key = (str(folder.resolve()), blueprint)
    hit = _cache.get(key)
    if hit is not None and hit[0] == signature:
        return hit[1]
    problems: list[Problem] = []
    try:
        skill_ids = _blueprint_skill_ids(blueprint)
    except Exception as exc:  # the blueprint itself is broken: load lessons unchecked, say why
        problems.append(Problem(Path(f"{blueprint}.yaml"), f"blueprint could not be loaded: {exc}"))
        skill_ids = None
    lessons = []
    for path in files:
        if path.name.lower() == "readme.md":
            continue
        try:
            lessons.append(parse_lesson(path, skill_ids=skill_ids))
        except LessonError as exc:
            problems.append(Problem(path, str(exc)))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(path, f"cannot be read: {exc}"))
    catalog = build_catalog(lessons, problems)
    _cache[key] = (signature, catalog)
    return catalog
