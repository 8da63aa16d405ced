"""Small, valid sample questions of every type, for tests, benchmarks and authors who want a template.

`sample_question("code", "dst-001", ["d1.g2.s2"])` returns a dict in the bank format; `write_bank(folder, ...)`
writes a whole synthetic bank. Nothing here is exam content.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import yaml

from quizzes.models import QUESTION_TYPES, TOPICS


def _opts(n: int, prefix: str = "Option") -> list[dict[str, str]]:
    return [{"id": chr(97 + i), "text": f"{prefix} {chr(65 + i)}", "explanation": f"Why {prefix.lower()} {chr(65 + i)} is or is not right."}
            for i in range(n)]


def _body(qtype: str) -> dict[str, Any]:
    if qtype == "single":
        return {"stem": "Which option is right?\n\n```python\nfrom azure.ai.ml import MLClient\n```\n",
                "options": _opts(4), "answer": "b"}
    if qtype == "multi":
        return {"stem": "Which two options are right? Select two.", "options": _opts(4), "answer": ["a", "c"]}
    if qtype == "yesno":
        return {"stem": "You need to do something. Does the solution meet the goal?",
                "items": [{"id": str(i + 1), "statement": f"Solution: approach {i + 1}.", "answer": i % 2 == 0,
                           "explanation": f"Approach {i + 1} explained."} for i in range(3)]}
    if qtype == "order":
        return {"stem": "Put the steps in order.", "options": _opts(5, "Step"), "answer": ["c", "a", "d"]}
    if qtype == "code":
        return {"stem": "Complete the code.",
                "code": "job = command(code='./src', command='python train.py', __1__='azureml:env:1')\n"
                        "ml_client.__2__.create_or_update(job)\n",
                "blanks": [
                    {"id": "1", "choices": [{"id": "a", "text": "compute", "explanation": "Not an environment."},
                                            {"id": "b", "text": "environment", "explanation": "Right."}],
                     "answer": "b"},
                    {"id": "2", "choices": [{"id": "a", "text": "jobs", "explanation": "Right."},
                                            {"id": "b", "text": "models", "explanation": "Wrong collection."},
                                            {"id": "c", "text": "data", "explanation": "Wrong collection."}],
                     "answer": "a"},
                ]}
    raise ValueError(qtype)


def sample_question(qtype: str, qid: str, skills: list[str], topic: str = "workspace") -> dict[str, Any]:
    """A valid question dict of type `qtype` (one of `QUESTION_TYPES`)."""
    if qtype not in QUESTION_TYPES:
        raise ValueError(f"unknown type {qtype}")
    q: dict[str, Any] = {"id": qid, "type": qtype, "topic": topic, "skills": list(skills), "difficulty": 2,
                         "sdk": "v2", "lesson": topic}
    if qtype == "case":
        q["stem"] = "Contoso runs a machine learning team. They need a few things done."
        parts = []
        for i, pt in enumerate(("single", "yesno", "code")):
            part = {"id": f"p{i + 1}", "type": pt}
            part.update(_body(pt))
            parts.append(part)
        q["parts"] = parts
    else:
        q.update(_body(qtype))
    return q


def skills_by_domain(blueprint: Any) -> dict[str, list[str]]:
    return {d.id: [s.id for s in d.skills] for d in blueprint.domains}


def build_bank(blueprint: Any, per_domain: int = 20, types: Iterable[str] = QUESTION_TYPES,
               topic: str = "workspace") -> list[dict[str, Any]]:
    """`per_domain` questions for each domain, cycling through `types` and the domain's skills."""
    types = list(types)
    prefix = TOPICS[topic]
    out = []
    n = 0
    for d, skills in skills_by_domain(blueprint).items():
        for i in range(per_domain):
            n += 1
            out.append(sample_question(types[i % len(types)], f"{prefix}-{n:03d}", [skills[i % len(skills)]], topic))
    return out


def write_bank(folder: str | Path, questions: list[dict[str, Any]], file_name: str = "workspace.yaml") -> Path:
    """Write `questions` as one bank file in `folder` (created) and return the file's path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    path.write_text(yaml.safe_dump({"questions": questions}, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
