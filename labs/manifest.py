"""Lab manifests (`lab.yaml`) and the catalogue of labs.

A lab is a folder `labs/<lab-id>/` holding:

- `lab.yaml`   — the manifest below (unknown keys are errors),
- `README.md`  — the instructions, in our own words,
- `starter/`   — what the learner starts from (must contain the entry point),
- `solution/`  — a reference answer that scores 100 %,
- `checks.py`  — the checks (see `labs.checks`).

A malformed lab is reported as a `LabProblem` naming the file and the problem; the other labs still load.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

LABS_ROOT = Path(__file__).resolve().parent
MANIFEST = "lab.yaml"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")

#: Topic vocabulary: the quiz topics (docs/question-format.md) plus troubleshooting.
TOPICS = (
    "workspace", "datastores", "data", "experiments", "environments", "compute", "models", "troubleshooting",
    "automl", "sweeps", "notebooks", "pipelines", "schedules", "deployment", "security", "responsible-ai",
    "language-models", "prompt-flow", "rag", "fine-tuning",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _relative(path: str) -> str:
    clean = path.replace("\\", "/").strip()
    if not clean or clean.startswith("/") or ".." in clean.split("/"):
        raise ValueError(f"{path!r} must be a relative path inside the lab folder (no '..', no leading '/')")
    return clean


# -- fixtures: how a lab's workspace (and folder) is prepared --------------------------------------
class DiabetesCsv(_Strict):
    """Write the generated diabetes table (`labs.sample_data`) as a CSV into the learner's folder."""

    kind: Literal["diabetes_csv"]
    path: str = "data/diabetes.csv"
    rows: int = Field(10000, ge=10, le=200_000)
    seed: int = 0

    _path = field_validator("path")(_relative)


class Upload(_Strict):
    """Upload a file or folder of the learner's folder (written by an earlier fixture) to a datastore."""

    kind: Literal["upload"]
    source: str
    target: str
    datastore: str = "workspaceblobstore"

    _source = field_validator("source")(_relative)


class Dataset(_Strict):
    """Register a v1 dataset over datastore paths (`path` may be a glob)."""

    kind: Literal["dataset"]
    name: str
    type: Literal["tabular", "file"] = "tabular"
    path: str
    datastore: str = "workspaceblobstore"
    description: str | None = None


class DataAsset(_Strict):
    """Register a v2 data asset from a path in the learner's folder or an `azureml://` URI."""

    kind: Literal["data_asset"]
    name: str
    type: Literal["uri_file", "uri_folder", "mltable"] = "uri_folder"
    path: str
    version: str | None = None
    description: str | None = None


class Compute(_Strict):
    """Create a compute cluster (needs `sandbox.compute`)."""

    kind: Literal["compute"]
    name: str = "aml-cluster"
    size: str = "Standard_DS11_v2"
    min_nodes: int = Field(0, ge=0)
    max_nodes: int = Field(2, ge=1)


class PythonFixture(_Strict):
    """Call `function(setup)` defined in the lab's checks.py (a `labs.fixtures.Setup` is passed)."""

    kind: Literal["python"]
    function: str


Fixture = Annotated[Union[DiabetesCsv, Upload, Dataset, DataAsset, Compute, PythonFixture], Field(discriminator="kind")]


class Manifest(_Strict):
    id: str
    title: str = Field(min_length=3, max_length=80)
    topic: str
    sdk: Literal["v1", "v2"]
    level: Literal["beginner", "intermediate", "advanced"] = "beginner"
    minutes: int = Field(ge=5, le=60)
    order: int = 100
    skills: list[str] = []
    objectives: list[str] = Field(min_length=1)
    entry: str = "lab.py"
    files: list[str] = []
    fixtures: list[Fixture] = []
    hints: list[str] = Field(min_length=1)
    timeout: float = Field(120.0, gt=0, le=1800)
    memory_mb: int = Field(3072, ge=256)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not ID_RE.match(value):
            raise ValueError("use lowercase letters, digits and '-', e.g. 'command-job-mlflow'")
        return value

    @field_validator("topic")
    @classmethod
    def _topic(cls, value: str) -> str:
        if value not in TOPICS:
            raise ValueError(f"unknown topic {value!r}; use one of: {', '.join(TOPICS)}")
        return value

    @field_validator("entry")
    @classmethod
    def _entry(cls, value: str) -> str:
        value = _relative(value)
        if not value.endswith(".py"):
            raise ValueError("the entry point is a .py script (learners may turn it into a notebook with --notebook)")
        return value

    @field_validator("files")
    @classmethod
    def _files(cls, value: list[str]) -> list[str]:
        return [_relative(v) for v in value]

    @model_validator(mode="after")
    def _default_files(self) -> "Manifest":
        if not self.files:
            object.__setattr__(self, "files", [self.entry])
        return self


@dataclass(frozen=True)
class Lab:
    """A loaded, validated lab folder."""

    manifest: Manifest
    folder: Path

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def title(self) -> str:
        return self.manifest.title

    @property
    def topic(self) -> str:
        return self.manifest.topic

    @property
    def sdk(self) -> str:
        return self.manifest.sdk

    @property
    def starter_dir(self) -> Path:
        return self.folder / "starter"

    @property
    def solution_dir(self) -> Path:
        return self.folder / "solution"

    @property
    def readme(self) -> Path:
        return self.folder / "README.md"

    @property
    def checks_file(self) -> Path:
        return self.folder / "checks.py"

    def instructions(self) -> str:
        return self.readme.read_text(encoding="utf-8")

    def summary(self) -> dict[str, object]:
        """What `dp100 lab list --json` shows for the lab."""
        m = self.manifest
        return {"id": m.id, "title": m.title, "topic": m.topic, "sdk": m.sdk, "level": m.level, "minutes": m.minutes,
                "objectives": list(m.objectives), "skills": list(m.skills), "entry": m.entry, "hints": len(m.hints)}


@dataclass(frozen=True)
class LabProblem:
    """Why a lab folder could not be loaded: the file and what is wrong with it."""

    folder: Path
    file: Path
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


class LabNotFound(LookupError):
    """No lab with that id (the message lists the ids there are)."""


class LabInvalid(ValueError):
    """A lab folder is malformed (`problem` says where and why)."""

    def __init__(self, problem: LabProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Catalog:
    labs: list[Lab] = field(default_factory=list)
    problems: list[LabProblem] = field(default_factory=list)

    def get(self, lab_id: str) -> Lab:
        for lab in self.labs:
            if lab.id == lab_id:
                return lab
        for problem in self.problems:
            if problem.folder.name == lab_id:
                raise LabInvalid(problem)
        known = ", ".join(lab.id for lab in self.labs) or "none"
        raise LabNotFound(f"There is no lab {lab_id!r}. Labs: {known}. See them with `dp100 lab list`.")

    def by_topic(self, topic: str) -> list[Lab]:
        return [lab for lab in self.labs if lab.topic == topic]


def _format_validation(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(top level)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown field (check the spelling; see docs/labs.md for the fields)"
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


def load(folder: Path) -> Lab:
    """Load and validate one lab folder; raise `LabInvalid` naming the file and the problem."""
    folder = Path(folder)
    manifest_file = folder / MANIFEST

    def problem(file: Path, message: str) -> LabInvalid:
        return LabInvalid(LabProblem(folder, file, message))

    if not manifest_file.is_file():
        raise problem(manifest_file, "missing (every lab folder needs a lab.yaml)")
    try:
        data = yaml.safe_load(manifest_file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise problem(manifest_file, f"not valid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise problem(manifest_file, "must be a mapping of fields (id, title, topic, ...)")
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        raise problem(manifest_file, _format_validation(exc)) from None
    if manifest.id != folder.name:
        raise problem(manifest_file, f"id {manifest.id!r} must equal the folder name {folder.name!r}")
    for required in ("README.md", "checks.py"):
        if not (folder / required).is_file():
            raise problem(folder / required, "missing")
    for sub in ("starter", "solution"):
        entry = folder / sub / manifest.entry
        if not entry.is_file():
            raise problem(entry, f"missing: {sub}/ must contain the entry point {manifest.entry!r}")
    for name in manifest.files:
        if not (folder / "solution" / name).is_file():
            raise problem(folder / "solution" / name, "listed in `files` but missing from solution/")
    return Lab(manifest, folder)


def discover(root: Path | None = None) -> Catalog:
    """Every lab under `root` (default: the labs shipped with dp100), sorted by order then id."""
    root = Path(root) if root is not None else LABS_ROOT
    catalog = Catalog()
    if not root.is_dir():
        return catalog
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if not (folder / MANIFEST).exists() and not (folder / "checks.py").exists():
            continue  # not a lab folder (e.g. __pycache__)
        try:
            catalog.labs.append(load(folder))
        except LabInvalid as exc:
            catalog.problems.append(exc.problem)
    catalog.labs.sort(key=lambda lab: (lab.manifest.order, lab.id))
    return catalog
