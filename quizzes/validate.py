"""Validate a question bank and report its coverage.

    python -m quizzes.validate [BANK_DIR] [--blueprint dp100] [--targets] [--strict] [--quiet]

Prints every problem as `file [question-id]: error rule: message`, then a coverage report (questions per domain,
topic, type and skill; skills with fewer than 3 questions). Exit status 1 when there are errors (or, with
`--targets`, when the bank misses a coverage target; with `--strict`, when there are warnings).

Rules: yaml, file, schema, duplicate-id, duplicate-option, answer-key, unknown-skill, stem-code (python blocks in
stems must `ast.parse`), code-parse (code snippets with placeholders must parse), code-fill (snippets filled with
the answers must parse), placeholder (placeholders and blanks must match); warning id-prefix.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from quizzes.bank import Bank, Issue, default_bank_dir, load_bank
from quizzes.blueprint import DEFAULT_BLUEPRINT, load_blueprint
from quizzes.models import QUESTION_TYPES, TOPICS, Blueprint

MIN_PER_SKILL = 3

#: Coverage targets for the DP-100 bank (checked with --targets and by the real-bank test).
TARGET_TOTAL = 240
TARGET_CORE_TOPICS: tuple[str, ...] = (
    "datastores", "data", "experiments", "environments", "compute", "pipelines", "schedules", "deployment", "security",
)
TARGET_PER_CORE_TOPIC = 15
TARGET_TYPE_SHARE: dict[str, float] = {"code": 0.15, "yesno": 0.15}


@dataclass
class Coverage:
    total: int
    per_domain: dict[str, int]
    per_topic: dict[str, int]
    per_type: dict[str, int]
    per_skill: dict[str, int]
    thin_skills: list[str] = field(default_factory=list)  # fewer than MIN_PER_SKILL questions

    def to_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "per_domain": self.per_domain,
            "per_topic": self.per_topic,
            "per_type": self.per_type,
            "per_skill": self.per_skill,
            "thin_skills": self.thin_skills,
        }


def coverage(bank: Bank, blueprint: Blueprint) -> Coverage:
    """Counts per domain (primary domain), topic, type and skill (a question counts for each of its skills)."""
    per_domain = {d.id: 0 for d in blueprint.domains}
    per_topic = {t: 0 for t in TOPICS}
    per_type = {t: 0 for t in QUESTION_TYPES}
    per_skill = {s.id: 0 for s in blueprint.skills}
    for q in bank.questions:
        per_domain[q.domain] = per_domain.get(q.domain, 0) + 1
        per_topic[q.topic] += 1
        per_type[q.type] += 1
        for s in dict.fromkeys(q.skills):
            per_skill[s] = per_skill.get(s, 0) + 1
    thin = [s for s, n in per_skill.items() if n < MIN_PER_SKILL]
    return Coverage(len(bank.questions), per_domain, per_topic, per_type, per_skill, thin)


def target_failures(cov: Coverage) -> list[str]:
    """Which DP-100 coverage targets the bank misses (empty list = all met)."""
    out: list[str] = []
    if cov.total < TARGET_TOTAL:
        out.append(f"bank has {cov.total} questions; target is at least {TARGET_TOTAL}")
    for t in TARGET_CORE_TOPICS:
        if cov.per_topic.get(t, 0) < TARGET_PER_CORE_TOPIC:
            out.append(f"topic {t} has {cov.per_topic.get(t, 0)} questions; target is at least {TARGET_PER_CORE_TOPIC}")
    for s in cov.thin_skills:
        out.append(f"skill {s} has {cov.per_skill[s]} questions; target is at least {MIN_PER_SKILL}")
    for t in QUESTION_TYPES:
        if cov.per_type.get(t, 0) == 0:
            out.append(f"no question of type {t}")
    for t, share in TARGET_TYPE_SHARE.items():
        have = cov.per_type.get(t, 0)
        if cov.total and have / cov.total < share:
            out.append(f"type {t} is {have}/{cov.total} = {have / cov.total:.0%} of the bank; target is at least {share:.0%}")
    return out


def format_issues(issues: list[Issue] | tuple[Issue, ...]) -> str:
    return "\n".join(str(i) for i in issues)


def format_coverage(cov: Coverage, blueprint: Blueprint) -> str:
    lines: list[str] = [f"Coverage: {cov.total} valid questions"]
    lines.append("")
    lines.append("Per domain (primary skill)      questions  share  blueprint")
    shares = blueprint.domain_shares()
    for d in blueprint.domains:
        n = cov.per_domain.get(d.id, 0)
        share = n / cov.total if cov.total else 0.0
        lines.append(f"  {d.id} {d.title[:26]:<26} {n:>9}  {share:>5.0%}  {d.weight[0]:g}-{d.weight[1]:g}% (mid {shares[d.id]:.0%})")
    lines.append("")
    lines.append("Per type")
    for t, n in cov.per_type.items():
        share = n / cov.total if cov.total else 0.0
        lines.append(f"  {t:<8} {n:>5}  {share:>5.0%}")
    lines.append("")
    lines.append("Per topic")
    for t, n in cov.per_topic.items():
        lines.append(f"  {t:<16} {n:>5}")
    lines.append("")
    lines.append("Per skill")
    for s in blueprint.skills:
        n = cov.per_skill.get(s.id, 0)
        mark = "  <- fewer than 3" if n < MIN_PER_SKILL else ""
        lines.append(f"  {s.id:<10} {n:>4}  {s.title[:60]}{mark}")
    lines.append("")
    if cov.thin_skills:
        lines.append(f"Skills with fewer than {MIN_PER_SKILL} questions ({len(cov.thin_skills)}): {', '.join(cov.thin_skills)}")
    else:
        lines.append(f"Every skill has at least {MIN_PER_SKILL} questions.")
    return "\n".join(lines)


@dataclass
class Report:
    bank: Bank
    coverage: Coverage
    targets: list[str]

    @property
    def ok(self) -> bool:
        return not self.bank.errors


def validate(bank_dir: str | Path | None = None, blueprint: str = DEFAULT_BLUEPRINT) -> Report:
    """Load the bank fresh (no cache) and compute issues, coverage and missed targets."""
    bp = load_blueprint(blueprint)
    bank = load_bank(bank_dir, bp)  # passing the Blueprint object bypasses the cache
    cov = coverage(bank, bp)
    return Report(bank, cov, target_failures(cov))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quizzes.validate", description="Validate a dp100 question bank.")
    ap.add_argument("bank_dir", nargs="?", default=None, help="folder of *.yaml question files (default: the bank)")
    ap.add_argument("--blueprint", default=DEFAULT_BLUEPRINT, help="exam blueprint id or YAML path")
    ap.add_argument("--targets", action="store_true", help="also fail when DP-100 coverage targets are missed")
    ap.add_argument("--strict", action="store_true", help="treat warnings as errors")
    ap.add_argument("--quiet", action="store_true", help="print problems only, no coverage report")
    args = ap.parse_args(argv)

    bank_dir = Path(args.bank_dir) if args.bank_dir else default_bank_dir()
    report = validate(bank_dir, args.blueprint)
    bank = report.bank
    bp = load_blueprint(args.blueprint)
    if bank.issues:
        print(format_issues(bank.issues))
        print()
    if not args.quiet:
        print(format_coverage(report.coverage, bp))
        print()
    if report.targets and args.targets:
        print("Coverage targets not met:")
        for t in report.targets:
            print(f"  - {t}")
        print()
    elif report.targets:
        print(f"{len(report.targets)} coverage targets not met (run with --targets to list them).")
    n_err, n_warn = len(bank.errors), len(bank.warnings)
    print(f"{len(bank.files)} files, {len(bank.questions)} valid questions, {n_err} errors, {n_warn} warnings.")
    failed = n_err > 0 or (args.strict and n_warn > 0) or (args.targets and report.targets)
    if n_err:
        print("Fix the errors above (each names the file and question id), then run this again.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
