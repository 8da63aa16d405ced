"""Grading results, shaped like Exercism's results.json with points.

Top level: `status` (`pass` | `fail` | `error`), `score`, `max_score`, `checks`, and `message` when the
submission could not run cleanly (syntax error, crash, timeout). Each check: `name` (stable id, the CSV column),
`title`, `status` (`pass` | `fail` | `error`), `points` (earned), `max_points`, `message` (what to change) and
`hint` (shown when it did not pass).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["pass", "fail", "error"]
SCHEMA_VERSION = 1


@dataclass
class CheckResult:
    name: str
    title: str
    status: Status
    points: int
    max_points: int
    message: str = ""
    hint: str | None = None

    @property
    def passed(self) -> bool:
        return self.status == "pass"


@dataclass
class LabResult:
    lab: str
    status: Status
    score: int
    max_score: int
    checks: list[CheckResult] = field(default_factory=list)
    message: str | None = None
    output: str = ""
    output_truncated: bool = False
    seconds: float = 0.0
    submission: str | None = None
    version: int = SCHEMA_VERSION

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "LabResult":
        checks = [CheckResult(**c) for c in data.get("checks", [])]
        return cls(**{**data, "checks": checks})


def overall_status(checks: list[CheckResult], run_error: bool) -> Status:
    if run_error:
        return "error"
    return "pass" if checks and all(c.passed for c in checks) else "fail"
