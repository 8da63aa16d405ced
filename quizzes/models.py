"""Pydantic models for exam blueprints and question banks (see docs/question-format.md).

Everything here is plain data with validation; nothing imports UI code or other dp100 packages.

Checks that concern a single question (answer keys among the option ids, unique option ids, placeholders
matching blanks, python that parses) are model validators, so a `Question` object is always internally
consistent. They raise `PydanticCustomError` with a stable error *type* (see `RULE_TYPES`) that
`quizzes.validate` turns into a named rule. Checks that need the whole bank or the blueprint (duplicate ids,
unknown skills) live in `quizzes.bank`.
"""
from __future__ import annotations

import ast
import re
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

# --------------------------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------------------------

#: topic id -> question id prefix (docs/question-format.md, "Topics").
TOPICS: dict[str, str] = {
    "workspace": "wks",
    "datastores": "dst",
    "data": "dat",
    "experiments": "exp",
    "environments": "env",
    "compute": "cmp",
    "models": "mdl",
    "automl": "aml",
    "sweeps": "swp",
    "notebooks": "nbk",
    "pipelines": "ppl",
    "schedules": "sch",
    "deployment": "dep",
    "security": "sec",
    "responsible-ai": "rai",
    "language-models": "llm",
    "prompt-flow": "pfl",
    "rag": "rag",
    "fine-tuning": "ftn",
    "mlops": "ops",
    "genaiops": "gen",
}

Topic = Literal[
    "workspace",
    "datastores",
    "data",
    "experiments",
    "environments",
    "compute",
    "models",
    "automl",
    "sweeps",
    "notebooks",
    "pipelines",
    "schedules",
    "deployment",
    "security",
    "responsible-ai",
    "language-models",
    "prompt-flow",
    "rag",
    "fine-tuning",
    "mlops",
    "genaiops",
]

QuestionType = Literal["single", "multi", "yesno", "order", "code", "case"]
QUESTION_TYPES: tuple[str, ...] = ("single", "multi", "yesno", "order", "code", "case")
PART_TYPES: tuple[str, ...] = ("single", "multi", "yesno", "order", "code")

#: Custom pydantic error types raised by the validators below -> rule name shown by `quizzes.validate`.
RULE_TYPES: dict[str, str] = {
    "answer_key": "answer-key",
    "duplicate_option": "duplicate-option",
    "placeholder": "placeholder",
    "stem_code": "stem-code",
    "code_parse": "code-parse",
    "code_fill": "code-fill",
    "no_skill": "schema",
}

SKILL_ID_RE = re.compile(r"^d\d+\.g\d+\.s\d+$")
PLACEHOLDER_RE = re.compile(r"__(\d+)__")
_FENCE_RE = re.compile(r"^[ \t]*```[ \t]*(python|py|python3)[ \t]*\n(.*?)^[ \t]*```[ \t]*$", re.M | re.S | re.I)


class _Strict(BaseModel):
    # defer_build: schemas are built when first used, so abstract bases never pay for one
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _id_str(v: Any) -> Any:
    """Accept `id: 1` from YAML as "1" (ids are strings; YAML makes bare numbers ints)."""
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return str(v)
    return v


def python_blocks(markdown: str) -> list[str]:
    """The contents of every fenced ```python block in a markdown text."""
    return [m.group(2) for m in _FENCE_RE.finditer(markdown)]


def _syntax_error_text(code: str) -> str | None:
    try:
        ast.parse(code)
    except SyntaxError as exc:  # ValueError (null bytes) is a schema problem elsewhere
        line = (exc.text or "").strip()
        where = f"line {exc.lineno}" if exc.lineno else "somewhere"
        return f"{exc.msg} at {where}" + (f": {line!r}" if line else "")
    return None


def _check_stem(stem: str) -> None:
    for n, block in enumerate(python_blocks(stem), 1):
        err = _syntax_error_text(block)
        if err:
            raise PydanticCustomError(
                "stem_code",
                "python block {n} in the stem does not parse ({err}); fix the code or mark the block as ```text",
                {"n": n, "err": err},
            )


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise PydanticCustomError("duplicate_option", "{what} id {id!r} is used twice", {"what": what, "id": i})
        seen.add(i)


# --------------------------------------------------------------------------------------------------------------
# Question building blocks
# --------------------------------------------------------------------------------------------------------------


class Option(_Strict):
    """An answer option (single/multi/order) or a drop-down choice (code)."""

    id: Annotated[str, Field(pattern=r"^[a-z]$")]
    text: Annotated[str, Field(min_length=1)]
    explanation: Annotated[str, Field(min_length=1)]

    _coerce_id = field_validator("id", mode="before")(_id_str)


class YesNoItem(_Strict):
    id: Annotated[str, Field(min_length=1)]
    statement: Annotated[str, Field(min_length=1)]
    answer: bool
    explanation: Annotated[str, Field(min_length=1)]

    _coerce_id = field_validator("id", mode="before")(_id_str)


class Blank(_Strict):
    id: Annotated[str, Field(pattern=r"^\d+$")]
    choices: Annotated[list[Option], Field(min_length=2)]
    answer: str

    _coerce_id = field_validator("id", mode="before")(_id_str)

    @model_validator(mode="after")
    def _check(self) -> "Blank":
        ids = [c.id for c in self.choices]
        _unique(ids, f"blank {self.id} choice")
        if self.answer not in ids:
            raise PydanticCustomError(
                "answer_key",
                "blank {blank}: answer {answer!r} is not among its choice ids {ids}",
                {"blank": self.id, "answer": self.answer, "ids": ", ".join(ids)},
            )
        return self

    def choice(self, choice_id: str) -> Option | None:
        return next((c for c in self.choices if c.id == choice_id), None)


# --------------------------------------------------------------------------------------------------------------
# Bodies per type (shared by top-level questions and case-study parts)
# --------------------------------------------------------------------------------------------------------------


class _Body(_Strict):
    id: Annotated[str, Field(min_length=1)]
    stem: Annotated[str, Field(min_length=1)]

    _coerce_id = field_validator("id", mode="before")(_id_str)

    @model_validator(mode="after")
    def _check_stem_code(self) -> "_Body":
        _check_stem(self.stem)
        return self

    def option(self, option_id: str) -> Option | None:
        for o in getattr(self, "options", ()):
            if o.id == option_id:
                return o
        return None


def _check_options_and_keys(options: list[Option], keys: list[str]) -> None:
    ids = [o.id for o in options]
    _unique(ids, "option")
    bad = [k for k in keys if k not in ids]
    if bad:
        raise PydanticCustomError(
            "answer_key",
            "answer {bad} is not among the option ids {ids}",
            {"bad": ", ".join(repr(b) for b in bad), "ids": ", ".join(ids)},
        )


class SingleBody(_Body):
    type: Literal["single"]
    options: Annotated[list[Option], Field(min_length=2, max_length=6)]
    answer: str

    _coerce_answer = field_validator("answer", mode="before")(_id_str)

    @model_validator(mode="after")
    def _check_keys(self) -> "SingleBody":
        _check_options_and_keys(self.options, [self.answer])
        return self


class MultiBody(_Body):
    type: Literal["multi"]
    options: Annotated[list[Option], Field(min_length=2, max_length=6)]
    answer: Annotated[list[str], Field(min_length=2)]

    @model_validator(mode="after")
    def _check_keys(self) -> "MultiBody":
        _check_options_and_keys(self.options, self.answer)
        if len(set(self.answer)) != len(self.answer):
            raise PydanticCustomError("answer_key", "answer lists the same option twice", {})
        return self


class YesNoBody(_Body):
    type: Literal["yesno"]
    items: Annotated[list[YesNoItem], Field(min_length=2, max_length=4)]

    @model_validator(mode="after")
    def _check_items(self) -> "YesNoBody":
        _unique([i.id for i in self.items], "item")
        return self


class OrderBody(_Body):
    type: Literal["order"]
    options: Annotated[list[Option], Field(min_length=2)]
    answer: Annotated[list[str], Field(min_length=2)]

    @model_validator(mode="after")
    def _check_keys(self) -> "OrderBody":
        _check_options_and_keys(self.options, self.answer)
        if len(set(self.answer)) != len(self.answer):
            raise PydanticCustomError("answer_key", "answer lists the same option twice", {})
        return self


class CodeBody(_Body):
    type: Literal["code"]
    code: Annotated[str, Field(min_length=1)]
    blanks: Annotated[list[Blank], Field(min_length=1)]

    @model_validator(mode="after")
    def _check_code(self) -> "CodeBody":
        ids = [b.id for b in self.blanks]
        _unique(ids, "blank")
        found = PLACEHOLDER_RE.findall(self.code)
        missing = [i for i in ids if i not in found]
        extra = sorted({f for f in found if f not in ids}, key=int)
        if missing or extra:
            parts = []
            if missing:
                parts.append("no placeholder for blank " + ", ".join(f"__{m}__" for m in missing))
            if extra:
                parts.append("placeholder " + ", ".join(f"__{e}__" for e in extra) + " has no blank")
            raise PydanticCustomError("placeholder", "code: {msg}", {"msg": "; ".join(parts)})
        err = _syntax_error_text(self.code)
        if err:
            raise PydanticCustomError(
                "code_parse",
                "code with placeholders does not parse ({err}); put each __N__ where an identifier, attribute "
                "name or string content goes",
                {"err": err},
            )
        filled = self.filled_code()
        err = _syntax_error_text(filled)
        if err:
            raise PydanticCustomError(
                "code_fill",
                "code filled with the answers does not parse ({err}); check the answer choices' text",
                {"err": err},
            )
        return self

    def filled_code(self, answers: dict[str, str] | None = None) -> str:
        """The snippet with each placeholder replaced by a choice's text (default: the correct answers)."""
        by_id = {b.id: b for b in self.blanks}

        def repl(m: re.Match[str]) -> str:
            blank = by_id.get(m.group(1))
            if blank is None:
                return m.group(0)
            cid = answers.get(blank.id) if answers is not None else blank.answer
            choice = blank.choice(cid) if cid else None
            return choice.text if choice else m.group(0)

        return PLACEHOLDER_RE.sub(repl, self.code)


# --------------------------------------------------------------------------------------------------------------
# Case-study parts and top-level questions
# --------------------------------------------------------------------------------------------------------------


# Case-study parts carry only the fields of their type: the bodies themselves.
SinglePart = SingleBody
MultiPart = MultiBody
YesNoPart = YesNoBody
OrderPart = OrderBody
CodePart = CodeBody


Part = Annotated[Union[SinglePart, MultiPart, YesNoPart, OrderPart, CodePart], Field(discriminator="type")]


SkillId = Annotated[str, Field(pattern=SKILL_ID_RE.pattern)]
LESSON_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class _Meta(BaseModel):
    """The fields every top-level question carries."""

    model_config = ConfigDict(defer_build=True)

    topic: Topic
    #: skill ids of the home blueprint (DP-100). Empty only for a question that belongs to other exams alone
    #: (then `blueprint_skills` names them).
    skills: list[SkillId]
    difficulty: Annotated[int, Field(ge=1, le=3)]
    sdk: Literal["v1", "v2", "none"]
    #: the id of the lesson to read (a lesson in course/lessons, or one of the planned lessons in quizzes.validate)
    lesson: Annotated[str, Field(pattern=LESSON_ID_RE.pattern, max_length=80)]
    #: skill ids in other blueprints, by blueprint id, e.g. {ai300: [d2.g1.s4]}. They replace what that
    #: blueprint's `skill_map` would derive from `skills`; an empty list means "not on that exam".
    blueprint_skills: dict[Annotated[str, Field(pattern=r"^[a-z0-9-]+$")], list[SkillId]] = {}

    @model_validator(mode="after")
    def _check_some_skill(self) -> "_Meta":
        if not self.skills and not any(self.blueprint_skills.values()):
            raise PydanticCustomError(
                "no_skill",
                "skills: give at least one skill id (or, for a question that is on another exam only, "
                "blueprint_skills: {<blueprint>: [ids]})",
                {},
            )
        return self

    @property
    def domain(self) -> str:
        """The exam domain (`dN`) the question belongs to: the domain of its first skill.

        A question belongs to exactly one domain, so every count per domain (validator, exam sampling, progress
        bars, practice filters) adds up to the number of questions. Its other skills still count for themselves.
        """
        return self.skills[0].split(".")[0] if self.skills else ""

    @property
    def domains(self) -> list[str]:
        """The question's domain as a list (one domain: see `domain`)."""
        return [self.domain] if self.skills else []


class SingleQuestion(SingleBody, _Meta):
    pass


class MultiQuestion(MultiBody, _Meta):
    pass


class YesNoQuestion(YesNoBody, _Meta):
    pass


class OrderQuestion(OrderBody, _Meta):
    pass


class CodeQuestion(CodeBody, _Meta):
    pass


class CaseQuestion(_Body, _Meta):
    type: Literal["case"]
    parts: Annotated[list[Part], Field(min_length=2, max_length=5)]

    @model_validator(mode="after")
    def _check_parts(self) -> "CaseQuestion":
        _unique([p.id for p in self.parts], "part")
        return self

    def part(self, part_id: str) -> Any:
        return next((p for p in self.parts if p.id == part_id), None)


Question = Annotated[
    Union[SingleQuestion, MultiQuestion, YesNoQuestion, OrderQuestion, CodeQuestion, CaseQuestion],
    Field(discriminator="type"),
]
AnyQuestion = Union[SingleQuestion, MultiQuestion, YesNoQuestion, OrderQuestion, CodeQuestion, CaseQuestion]
#: Something that can be answered and scored: a top-level question or a case-study part.
Answerable = Union[
    SingleQuestion, MultiQuestion, YesNoQuestion, OrderQuestion, CodeQuestion, CaseQuestion,
    SinglePart, MultiPart, YesNoPart, OrderPart, CodePart,
]


class BankFile(BaseModel):
    """The shape of one `quizzes/bank/<topic>.yaml` file (questions are validated one by one by the loader)."""

    model_config = ConfigDict(extra="forbid")
    questions: list[Any]


# --------------------------------------------------------------------------------------------------------------
# Blueprint
# --------------------------------------------------------------------------------------------------------------


class Skill(_Strict):
    id: Annotated[str, Field(pattern=SKILL_ID_RE.pattern)]
    title: Annotated[str, Field(min_length=1)]


class SkillGroup(_Strict):
    id: Annotated[str, Field(pattern=r"^d\d+\.g\d+$")]
    title: Annotated[str, Field(min_length=1)]
    skills: Annotated[list[Skill], Field(min_length=1)]


class Domain(_Strict):
    id: Annotated[str, Field(pattern=r"^d\d+$")]
    title: Annotated[str, Field(min_length=1)]
    weight: tuple[Annotated[float, Field(ge=0, le=100)], Annotated[float, Field(ge=0, le=100)]]
    groups: Annotated[list[SkillGroup], Field(min_length=1)]

    @property
    def weight_mid(self) -> float:
        return (self.weight[0] + self.weight[1]) / 2

    @property
    def skills(self) -> list[Skill]:
        return [s for g in self.groups for s in g.skills]


class ExamSettings(_Strict):
    questions: Annotated[int, Field(ge=1)] = 50
    minutes: Annotated[int, Field(ge=1)] = 100
    pass_score: Annotated[int, Field(ge=1)] = 700
    scale_min: int = 1
    scale_max: int = 1000

    @model_validator(mode="after")
    def _check(self) -> "ExamSettings":
        if not (self.scale_min < self.pass_score <= self.scale_max):
            raise ValueError("pass_score must lie within (scale_min, scale_max]")
        return self


class Blueprint(_Strict):
    """An exam outline. Questions carry skill ids of the home blueprint (DP-100) in `skills`; a blueprint with
    `maps_from` reads them through its `skill_map` (and a question's `blueprint_skills[<this id>]`, which wins)."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    title: Annotated[str, Field(min_length=1)]
    skills_measured: str
    #: where the outline was taken from, and anything a learner should know about it (shown by the validator)
    source: str | None = None
    note: str | None = None
    exam: ExamSettings = ExamSettings()
    #: the blueprint whose skill ids the questions' `skills` use, when it is not this one (e.g. ai300 -> dp100)
    maps_from: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")] | None = None
    #: home skill id -> this blueprint's skill ids (a home skill not listed here is not on this exam)
    skill_map: dict[Annotated[str, Field(pattern=SKILL_ID_RE.pattern)], list[Annotated[str, Field(pattern=SKILL_ID_RE.pattern)]]] = {}
    #: whether `dp100 quiz validate` fails when a domain's share of the bank is outside its weight band
    #: (False for a blueprint whose questions mostly come through `skill_map` and cannot be balanced by hand)
    enforce_bands: bool = True
    domains: Annotated[list[Domain], Field(min_length=1)]

    @model_validator(mode="after")
    def _check_ids(self) -> "Blueprint":
        """Ids are 1-based and follow the nesting: d2 holds d2.g1.., d2.g1 holds d2.g1.s1.. in order."""
        for di, d in enumerate(self.domains, 1):
            if d.id != f"d{di}":
                raise ValueError(f"domain {di} must have id d{di}, not {d.id}")
            if d.weight[0] > d.weight[1]:
                raise ValueError(f"{d.id}: weight range must be [low, high]")
            for gi, g in enumerate(d.groups, 1):
                if g.id != f"{d.id}.g{gi}":
                    raise ValueError(f"group {gi} of {d.id} must have id {d.id}.g{gi}, not {g.id}")
                for si, s in enumerate(g.skills, 1):
                    if s.id != f"{g.id}.s{si}":
                        raise ValueError(f"skill {si} of {g.id} must have id {g.id}.s{si}, not {s.id}")
        if self.skill_map and not self.maps_from:
            raise ValueError("skill_map needs maps_from: the id of the blueprint whose skill ids it maps")
        own = {s.id for d in self.domains for s in d.skills}
        for home, mapped in self.skill_map.items():
            bad = [m for m in mapped if m not in own]
            if bad:
                raise ValueError(f"skill_map[{home}] names {', '.join(bad)}, which are not skills of {self.id}")
        return self

    # lookups --------------------------------------------------------------------------------------------------
    def domain(self, domain_id: str) -> Domain:
        for d in self.domains:
            if d.id == domain_id:
                return d
        raise KeyError(domain_id)

    @property
    def skills(self) -> list[Skill]:
        return [s for d in self.domains for s in d.skills]

    @property
    def skill_ids(self) -> frozenset[str]:
        return frozenset(s.id for s in self.skills)

    def skill(self, skill_id: str) -> Skill:
        for s in self.skills:
            if s.id == skill_id:
                return s
        raise KeyError(skill_id)

    def skills_of(self, question: Any) -> list[str]:
        """A question's skill ids in this blueprint (empty: the question is not on this exam).

        Native blueprint: the question's `skills`. Mapped blueprint: `blueprint_skills[<id>]` when the question
        gives it, else its `skills` through `skill_map` (order kept, duplicates dropped).
        """
        if not self.maps_from:
            return list(question.skills)
        explicit = question.blueprint_skills.get(self.id)
        if explicit is not None:
            return list(dict.fromkeys(explicit))
        out: dict[str, None] = {}
        for s in question.skills:
            for m in self.skill_map.get(s, ()):
                out[m] = None
        return list(out)

    def domain_shares(self) -> dict[str, float]:
        """Each domain's share of the exam: midpoint of its weight range, normalised to sum to 1."""
        total = sum(d.weight_mid for d in self.domains)
        return {d.id: d.weight_mid / total for d in self.domains}
