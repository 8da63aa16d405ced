"""Loading the question bank: every `*.yaml` under the bank folder, validated question by question.

A question that fails validation is left out and reported as an `Issue` (file, question id, rule, message), so
one bad question never takes the rest of the bank down. `quizzes.validate` prints those issues; the apps show a
one-line notice and point at `dp100 quiz validate`.

The bank folder is `DP100_QUIZ_BANK` when set (tests and authors use it), else `quizzes/bank` in this package.
Loading uses libyaml's CSafeLoader when available and is cached in memory per (folder, file names, sizes,
mtimes); with `cache_dir` the parsed YAML is also cached on disk for later processes (validation still runs).
"""
from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal

import yaml
from pydantic import TypeAdapter, ValidationError

from quizzes.blueprint import home_blueprint, load_blueprint
from quizzes.models import RULE_TYPES, TOPICS, AnyQuestion, Blueprint, Question

BANK_ENV = "DP100_QUIZ_BANK"
PACKAGE_BANK_DIR = Path(__file__).resolve().parent / "bank"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_QUESTION = TypeAdapter(Question)

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One problem found in a bank file. `question` is the question id (or `#N` when it has none)."""

    file: str
    question: str | None
    rule: str
    message: str
    level: Level = "error"

    def __str__(self) -> str:
        where = self.file + (f" [{self.question}]" if self.question else "")
        return f"{where}: {self.level} {self.rule}: {self.message}"


@dataclass(frozen=True)
class Bank:
    """The loaded, valid questions plus the issues found while loading."""

    directory: Path
    questions: tuple[AnyQuestion, ...]
    issues: tuple[Issue, ...] = ()
    files: tuple[Path, ...] = ()
    file_of: dict[str, str] = field(default_factory=dict)
    by_id: dict[str, AnyQuestion] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, question_id: str) -> AnyQuestion | None:
        return self.by_id.get(question_id)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.level == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.level == "warning")

    @property
    def skipped(self) -> int:
        """How many questions were left out because of errors."""
        return len({(i.file, i.question) for i in self.errors if i.question})


def default_bank_dir() -> Path:
    env = os.environ.get(BANK_ENV)
    return Path(env).expanduser() if env else PACKAGE_BANK_DIR


def bank_files(bank_dir: Path) -> list[Path]:
    if bank_dir.is_file():
        return [bank_dir]
    return sorted(p for p in bank_dir.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


# ----------------------------------------------------------------------------------------------------------------
# Turning pydantic errors into readable issues
# ----------------------------------------------------------------------------------------------------------------


def _loc_text(loc: Iterable[Any], qtype: str | None) -> str:
    out = ""
    parts = list(loc)
    # a discriminated union puts the tag first (e.g. ('single', 'options', 0, 'text')); drop it
    if parts and isinstance(parts[0], str) and parts[0] == qtype:
        parts = parts[1:]
    prev_tag = False
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
            prev_tag = False
        elif p in ("single", "multi", "yesno", "order", "code") and out.endswith("]") and not prev_tag:
            prev_tag = True  # tag of a case-study part; skip it
        else:
            out += ("." if out else "") + str(p)
            prev_tag = False
    return out


def issues_from_validation(exc: ValidationError, file: str, qid: str | None, qtype: str | None) -> list[Issue]:
    issues: list[Issue] = []
    for err in exc.errors(include_url=False):
        etype = err["type"]
        rule = RULE_TYPES.get(etype, "schema")
        where = _loc_text(err["loc"], qtype)
        msg = err["msg"]
        if etype in ("union_tag_invalid", "union_tag_not_found"):
            msg = "type must be one of single, multi, yesno, order, code, case"
            if where.endswith("parts") or "parts[" in where:
                msg = "a case-study part's type must be one of single, multi, yesno, order, code"
        elif etype == "extra_forbidden":
            msg = "unknown field (check the spelling against docs/question-format.md)"
        elif etype == "string_type" and isinstance(err.get("input"), bool):
            msg = "YAML read this as a boolean (yes/no/true/false/on/off); put the text in quotes"
        elif etype == "missing":
            msg = "required field is missing"
        elif etype == "literal_error" and where.endswith(("topic", "lesson")):
            msg = f"must be one of the topic ids: {', '.join(TOPICS)}"
        elif etype == "string_pattern_mismatch" and "skills" in where:
            msg = "skill ids look like d1.g2.s3 (see quizzes/blueprints/dp100.yaml)"
        elif etype == "string_pattern_mismatch" and where.endswith(".id"):
            msg = "option and choice ids are single lowercase letters a, b, c, …"
        elif rule != "schema" and msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        issues.append(Issue(file, qid, rule, f"{where}: {msg}" if where else msg))
    return issues


# ----------------------------------------------------------------------------------------------------------------
# Loading
# ----------------------------------------------------------------------------------------------------------------


def _rel(path: Path) -> str:
    """The path as the author would type it: relative to the current folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _yaml_cached(path: Path, cache_dir: Path | None) -> Any:
    """Parse a YAML file, reusing a marshal copy in `cache_dir` when the file is unchanged (size + mtime)."""
    if cache_dir is None:
        with open(path, "rb") as fh:
            return yaml.load(fh, Loader=_Loader)
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns, _Loader.__name__, sys.version_info[:2])
    cache_file = cache_dir / (hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:20] + ".marshal")
    try:
        with open(cache_file, "rb") as fh:
            cached_key, data = marshal.load(fh)
        if tuple(cached_key) == key:
            return data
    except (OSError, EOFError, ValueError, TypeError):
        pass
    with open(path, "rb") as fh:
        data = yaml.load(fh, Loader=_Loader)
    try:  # best effort: values marshal cannot hold (dates) or a read-only folder just mean no cache
        payload = marshal.dumps((key, data))
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(payload)
        tmp.replace(cache_file)
    except (OSError, ValueError):
        pass
    return data


def _read_file(path: Path, shown: str, cache_dir: Path | None = None) -> tuple[list[Any], list[Issue]]:
    try:
        data = _yaml_cached(path, cache_dir)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return [], [Issue(shown, None, "yaml", f"not valid YAML{where}: {problem}")]
    except OSError as exc:
        return [], [Issue(shown, None, "file", f"cannot read the file: {exc.strerror or exc}")]
    if data is None:
        return [], [Issue(shown, None, "file", "file is empty; expected a top-level `questions:` list", "warning")]
    if not isinstance(data, dict) or set(data) != {"questions"} or not isinstance(data["questions"], list):
        return [], [Issue(shown, None, "file", "expected exactly one top-level key `questions:` holding a list")]
    return data["questions"], []


def _load_uncached(bank_dir: Path, blueprint: Blueprint, cache_dir: Path | None = None) -> Bank:
    files = bank_files(bank_dir)
    issues: list[Issue] = []
    questions: list[AnyQuestion] = []
    file_of: dict[str, str] = {}
    by_id: dict[str, AnyQuestion] = {}
    home = home_blueprint(blueprint)
    skill_ids = home.skill_ids
    mapped = blueprint is not home
    own_ids = blueprint.skill_ids
    for path in files:
        shown = _rel(path)
        raw_items, file_issues = _read_file(path, shown, cache_dir)
        issues.extend(file_issues)
        prefix = TOPICS.get(path.stem)
        for n, raw in enumerate(raw_items, 1):
            if not isinstance(raw, dict):
                issues.append(Issue(shown, f"#{n}", "schema", "each question must be a mapping of fields"))
                continue
            rid = raw.get("id")
            qid = str(rid) if rid not in (None, "") else f"#{n}"
            qtype = raw.get("type") if isinstance(raw.get("type"), str) else None
            try:
                q = _QUESTION.validate_python(raw)
            except ValidationError as exc:
                issues.extend(issues_from_validation(exc, shown, qid, qtype))
                continue
            unknown = [s for s in q.skills if s not in skill_ids]
            if unknown:
                issues.append(Issue(shown, qid, "unknown-skill",
                                    f"skills {', '.join(unknown)} are not in blueprint {home.id} "
                                    f"(see quizzes/blueprints/{home.id}.yaml)"))
                continue
            if mapped:
                unknown = [s for s in q.blueprint_skills.get(blueprint.id, ()) if s not in own_ids]
                if unknown:
                    issues.append(Issue(shown, qid, "unknown-skill",
                                        f"blueprint_skills.{blueprint.id}: {', '.join(unknown)} are not in blueprint "
                                        f"{blueprint.id} (see quizzes/blueprints/{blueprint.id}.yaml)"))
                    continue
                mine = blueprint.skills_of(q)
                if not mine:
                    continue  # not on this exam
                q = q.model_copy(update={"skills": mine})
            elif not q.skills:
                continue  # a question for other exams only
            if q.id in by_id:
                issues.append(Issue(shown, qid, "duplicate-id",
                                    f"id {q.id} is already used in {file_of[q.id]}; give this question a new id"))
                continue
            if prefix and not q.id.startswith(prefix + "-"):
                issues.append(Issue(shown, qid, "id-prefix",
                                    f"ids in {path.name} should look like {prefix}-NNN", "warning"))
            by_id[q.id] = q
            file_of[q.id] = shown
            questions.append(q)
    return Bank(bank_dir, tuple(questions), tuple(issues), tuple(files), file_of, by_id)


@functools.lru_cache(maxsize=16)
def _load_cached(bank_dir: Path, signature: tuple[tuple[str, int, int], ...], blueprint_id: str,
                 cache_dir: Path | None) -> Bank:
    return _load_uncached(bank_dir, load_blueprint(blueprint_id), cache_dir)


def _signature(bank_dir: Path) -> tuple[tuple[str, int, int], ...]:
    sig = []
    for p in bank_files(bank_dir):
        st = p.stat()
        sig.append((str(p), st.st_size, st.st_mtime_ns))
    return tuple(sig)


def load_bank(
    bank_dir: str | Path | None = None,
    blueprint: Blueprint | str | None = None,
    *,
    cache_dir: str | Path | None = None,
) -> Bank:
    """Load every question file under `bank_dir` (default: `default_bank_dir()`), checked against `blueprint`.

    `blueprint` (default `dp100`) also chooses the exam: for a blueprint that maps from another one (`ai300`),
    the bank holds only the questions on that exam, with `skills` in that blueprint's ids (see
    docs/question-format.md, "Other exams"). A question with no skills for the blueprint is left out silently.

    Cached in memory: calling again with unchanged files returns the same `Bank` object (unless `blueprint` is a
    `Blueprint` object, which always loads afresh). With `cache_dir`, parsed YAML is also kept on disk (marshal)
    and reused by later processes while the files are unchanged; questions are still validated every time.
    A missing folder gives an empty bank with one issue saying where the questions were expected.
    """
    directory = Path(bank_dir).expanduser() if bank_dir is not None else default_bank_dir()
    directory = directory.resolve()
    if not directory.exists():
        issue = Issue(str(directory), None, "file",
                      f"no question bank at {directory}; set {BANK_ENV} or pass the folder that holds the *.yaml files")
        return Bank(directory, (), (issue,))
    cache = Path(cache_dir).expanduser() if cache_dir is not None else None
    if isinstance(blueprint, Blueprint):
        return _load_uncached(directory, blueprint, cache)
    return _load_cached(directory, _signature(directory), blueprint or "dp100", cache)


def clear_cache() -> None:
    _load_cached.cache_clear()
