"""Validate a question bank and report its coverage, for DP-100 and for every other exam blueprint.

    python -m quizzes.validate [BANK_DIR] [--blueprint dp100|ai300|all] [--course-rules] [--targets] [--strict]
                               [--quiet]

Prints every problem as `file [question-id]: error rule: message`, then a coverage report per blueprint
(questions per domain against the blueprint's weight bands, per topic, type and skill; skills with fewer than 3
questions). Exit status 1 when there are errors (or, with `--targets`, when the bank misses a coverage target;
with `--strict`, when there are warnings).

Rules for every bank: yaml, file, schema, duplicate-id, duplicate-option, answer-key, unknown-skill, stem-code
(python blocks in stems must `ast.parse`), code-parse (code snippets with placeholders must parse), code-fill
(snippets filled with the answers must parse), placeholder (placeholders and blanks must match),
blueprint-skills (keys of `blueprint_skills` must be blueprints that map from the home one); warning id-prefix.

Course rules (errors for the course's own bank, the default folder; warnings for another folder unless
`--course-rules`):
- unknown-lesson: a question's `lesson` must be the id of a lesson in course/lessons (front matter `id:`) or one
  of `PLANNED_LESSONS`, lessons other engineers are writing along with their sandbox features.
- balance: each domain's share of the questions (a question counts once, for the domain of its first skill) must
  lie inside the blueprint's weight band (for blueprints with `enforce_bands: true`), and every skill needs at
  least 3 questions (a question counts for each of its skills).
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from quizzes.bank import PACKAGE_BANK_DIR, Bank, Issue, default_bank_dir, load_bank
from quizzes.blueprint import DEFAULT_BLUEPRINT, available_blueprints, load_blueprint
from quizzes.models import QUESTION_TYPES, TOPICS, Blueprint

#: Lessons being written by other engineers together with the sandbox features they teach. A question may point
#: at one of these before the file exists; once a lesson with that id lands in course/lessons it is found there
#: and its entry here may be removed. (pipelines, schedules, deployment, security, sweeps, AutoML, responsible
#: AI, distributed training.)
PLANNED_LESSONS: frozenset[str] = frozenset({
    "pipelines-01-v1-pipelines",
    "pipelines-02-reuse-and-publishing",
    "pipelines-03-components-and-dsl",
    "schedules-01-schedules-and-clock",
    "pipelines-04-parallel",
    "deployment-01-v1-services",
    "deployment-02-online-endpoints",
    "deployment-03-batch-endpoints",
    "deployment-04-consuming",
    "security-01-identities",
    "security-02-rbac",
    "security-03-keyvault",
    "security-04-managed-identities",
    "security-05-network-isolation",
    "sweeps-01-sweep-jobs",
    "sweeps-02-hyperdrive-v1",
    "automl-01-tabular",
    "automl-02-vision-nlp-forecasting",
    "responsible-ai-01-insights",
    "training-01-distributed",
})

LESSONS_ENV = "DP100_LESSONS_DIR"
#: The course's lessons, read as data (quizzes imports no other dp100 package): <root>/course/lessons.
PACKAGE_LESSONS_DIR = Path(__file__).resolve().parent.parent / "course" / "lessons"
_LESSON_ID = re.compile(r"^id:\s*['\"]?([a-z0-9][a-z0-9-]*)['\"]?\s*(?:#.*)?$", re.M)

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


# ----------------------------------------------------------------------------------------------------------------
# Course rules: lesson links and blueprint balance
# ----------------------------------------------------------------------------------------------------------------


def default_lessons_dir() -> Path:
    env = os.environ.get(LESSONS_ENV)
    return Path(env).expanduser() if env else PACKAGE_LESSONS_DIR


def lesson_ids(lessons_dir: Path | None = None) -> frozenset[str]:
    """The `id:` of every lesson file (`*.md` front matter) in `lessons_dir` (default: the course's lessons)."""
    folder = Path(lessons_dir) if lessons_dir is not None else default_lessons_dir()
    found: set[str] = set()
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        text = path.read_text(encoding="utf-8", errors="replace")
        if not text.startswith("---"):
            continue
        end = text.find("\n---", 3)
        m = _LESSON_ID.search(text[3:end if end > 0 else len(text)])
        if m:
            found.add(m.group(1))
    return frozenset(found)


def lesson_issues(bank: Bank, known: frozenset[str], level: str = "error") -> list[Issue]:
    """unknown-lesson: questions whose `lesson` is neither a written lesson nor a planned one."""
    out: list[Issue] = []
    for q in bank.questions:
        if q.lesson not in known and q.lesson not in PLANNED_LESSONS:
            out.append(Issue(bank.file_of.get(q.id, "?"), q.id, "unknown-lesson",
                             f"lesson {q.lesson!r} is not a lesson id in course/lessons nor a planned lesson "
                             "(quizzes.validate.PLANNED_LESSONS); use the id: of the lesson to read", level))  # type: ignore[arg-type]
    return out


def blueprint_skill_issues(bank: Bank, home: Blueprint) -> list[Issue]:
    """blueprint-skills: each key of `blueprint_skills` must be a blueprint that maps from the home blueprint."""
    mapped = set()
    for name in available_blueprints():
        try:
            if load_blueprint(name).maps_from == home.id:
                mapped.add(name)
        except Exception:  # a broken blueprint file is reported when it is validated itself
            continue
    out: list[Issue] = []
    for q in bank.questions:
        bad = [k for k in q.blueprint_skills if k not in mapped]
        if bad:
            out.append(Issue(bank.file_of.get(q.id, "?"), q.id, "blueprint-skills",
                             f"blueprint_skills names {', '.join(bad)}; use one of {', '.join(sorted(mapped)) or 'none'} "
                             f"(skills of {home.id} go in skills:)"))
    return out


def balance_failures(cov: Coverage, blueprint: Blueprint) -> list[str]:
    """Domains outside their weight band (when the blueprint enforces bands) and skills with fewer than 3."""
    out: list[str] = []
    if cov.total and blueprint.enforce_bands:
        for d in blueprint.domains:
            n = cov.per_domain.get(d.id, 0)
            share = 100.0 * n / cov.total
            low, high = d.weight
            if not low - 1e-9 <= share <= high + 1e-9:
                out.append(f"{blueprint.id} {d.id} has {n} of {cov.total} questions = {share:.1f}%; "
                           f"the blueprint weighs it {low:g}-{high:g}%")
    for s in cov.thin_skills:
        out.append(f"{blueprint.id} skill {s} has {cov.per_skill[s]} questions; at least {MIN_PER_SKILL} are needed")
    return out


def format_balance(cov: Coverage, blueprint: Blueprint) -> str:
    lines = [f"Balance against {blueprint.id} ({blueprint.skills_measured}): {cov.total} questions"]
    for d in blueprint.domains:
        n = cov.per_domain.get(d.id, 0)
        share = 100.0 * n / cov.total if cov.total else 0.0
        inside = d.weight[0] - 1e-9 <= share <= d.weight[1] + 1e-9
        mark = "ok" if inside else ("outside the band" if blueprint.enforce_bands else "outside the band (reported only)")
        lines.append(f"  {d.id} {d.title[:44]:<44} {n:>4}  {share:5.1f}%  band {d.weight[0]:g}-{d.weight[1]:g}%  {mark}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------------------------------


@dataclass
class Report:
    bank: Bank
    coverage: Coverage
    targets: list[str]
    blueprint: Blueprint | None = None
    #: issues found beyond the bank's own (lesson links, blueprint_skills keys)
    issues: list[Issue] = field(default_factory=list)
    #: balance failures (domain bands, thin skills); they fail validation when `course_rules` is on
    balance: list[str] = field(default_factory=list)
    course_rules: bool = False

    @property
    def errors(self) -> list[Issue]:
        return [*self.bank.errors, *(i for i in self.issues if i.level == "error")]

    @property
    def warnings(self) -> list[Issue]:
        return [*self.bank.warnings, *(i for i in self.issues if i.level == "warning")]

    @property
    def ok(self) -> bool:
        return not self.errors and not (self.course_rules and self.balance)


def is_course_bank(bank_dir: str | Path | None) -> bool:
    folder = Path(bank_dir).expanduser() if bank_dir is not None else default_bank_dir()
    return folder.resolve() == PACKAGE_BANK_DIR.resolve()


def validate(bank_dir: str | Path | None = None, blueprint: str = DEFAULT_BLUEPRINT, *,
             course_rules: bool | None = None, lessons_dir: Path | None = None) -> Report:
    """Load the bank fresh (no cache) and compute issues, coverage, balance and missed targets.

    `course_rules` (default: on for the course's own bank) makes lesson links and balance count as errors;
    off, unknown lessons are warnings and the balance is reported only.
    """
    bp = load_blueprint(blueprint)
    if course_rules is None:
        course_rules = is_course_bank(bank_dir)
    bank = load_bank(bank_dir, bp)  # passing the Blueprint object bypasses the cache
    cov = coverage(bank, bp)
    issues = lesson_issues(bank, lesson_ids(lessons_dir), "error" if course_rules else "warning")
    if not bp.maps_from:
        issues.extend(blueprint_skill_issues(bank, bp))
    return Report(bank, cov, target_failures(cov), bp, issues, balance_failures(cov, bp), course_rules)


def _blueprints_for(choice: str) -> list[str]:
    if choice != "all":
        return [choice]
    names = available_blueprints()
    return [DEFAULT_BLUEPRINT] + [n for n in names if n != DEFAULT_BLUEPRINT]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quizzes.validate", description="Validate a dp100 question bank.")
    ap.add_argument("bank_dir", nargs="?", default=None, help="folder of *.yaml question files (default: the bank)")
    ap.add_argument("--blueprint", default="all",
                    help="exam blueprint id or YAML path, or 'all' (default): dp100 first, then every other blueprint")
    ap.add_argument("--course-rules", action="store_true",
                    help="lesson links and balance are errors for this folder too (always on for the course's bank)")
    ap.add_argument("--targets", action="store_true", help="also fail when DP-100 coverage targets are missed")
    ap.add_argument("--strict", action="store_true", help="treat warnings as errors")
    ap.add_argument("--quiet", action="store_true", help="print problems only, no coverage report")
    args = ap.parse_args(argv)

    bank_dir = Path(args.bank_dir) if args.bank_dir else default_bank_dir()
    course_rules = True if args.course_rules else None
    failed = False
    seen: set[tuple[str, str | None, str, str]] = set()
    for n, name in enumerate(_blueprints_for(args.blueprint)):
        report = validate(bank_dir, name, course_rules=course_rules)
        bank, bp = report.bank, report.blueprint
        assert bp is not None
        issues = [i for i in (*bank.issues, *report.issues) if (i.file, i.question, i.rule, i.message) not in seen]
        seen.update((i.file, i.question, i.rule, i.message) for i in issues)
        if n:
            print("=" * 100)
            print(f"{bp.title}")
            if bp.source:
                print(f"Source: {bp.source}")
            print()
        if issues:
            print(format_issues(issues))
            print()
        if not args.quiet:
            if n == 0:
                print(format_coverage(report.coverage, bp))
            else:
                print(format_skills(report.coverage, bp))
            print()
        print(format_balance(report.coverage, bp))
        if report.balance:
            verdict = "fails validation" if report.course_rules else "reported only (not the course's bank)"
            print(f"Balance problems ({verdict}):")
            for b in report.balance:
                print(f"  - {b}")
        print()
        if n == 0:
            if report.targets and args.targets:
                print("Coverage targets not met:")
                for t in report.targets:
                    print(f"  - {t}")
                print()
            elif report.targets:
                print(f"{len(report.targets)} coverage targets not met (run with --targets to list them).")
        n_err, n_warn = len(report.errors), len(report.warnings)
        print(f"{bp.id}: {len(bank.files)} files, {len(bank.questions)} valid questions, {n_err} errors, "
              f"{n_warn} warnings.")
        failed = failed or not report.ok or (args.strict and n_warn > 0) or (n == 0 and args.targets and bool(report.targets))
        if n_err:
            print("Fix the errors above (each names the file and question id), then run this again.")
    return 1 if failed else 0


def format_skills(cov: Coverage, blueprint: Blueprint) -> str:
    lines = ["Per skill"]
    for s in blueprint.skills:
        n = cov.per_skill.get(s.id, 0)
        mark = "  <- fewer than 3" if n < MIN_PER_SKILL else ""
        lines.append(f"  {s.id:<10} {n:>4}  {s.title[:60]}{mark}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
