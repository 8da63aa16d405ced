"""Lesson files: front matter validation, snippet extraction, and the shipped lessons' links to the blueprint,
the quiz banks and the labs."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from course import lessons as L

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
---
id: good-lesson
title: A good lesson
topic: datastores
order: 2
skills: [d1.g2.s2]
minutes: 6
labs: [workspace-datastores]
quiz_topics: [datastores]
fixtures: [diabetes-csv]
---

# Heading

Shown, not run:

```python
print("shown")
```

Run this:

```python run
# Say hello
print("hello")
```

  ```python run
  x = 1
      print(x)
  ```

~~~python run
print("tilde")
~~~
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def with_front(**changes: object) -> str:
    lines = GOOD.splitlines()
    end = lines.index("---", 1)
    front = dict(line.split(": ", 1) for line in lines[1:end])
    for key, value in changes.items():
        if value is None:
            front.pop(key, None)
        else:
            front[key] = str(value)
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "\n".join(lines[end:]) + "\n"


def test_good_lesson_parses(tmp_path):
    write(tmp_path, "good.md", GOOD)
    catalog = L.load_lessons(tmp_path)
    assert catalog.problems == ()
    lesson = catalog.get("good-lesson")
    assert lesson is not None
    assert (lesson.title, lesson.topic, lesson.order, lesson.minutes) == ("A good lesson", "datastores", 2, 6)
    assert lesson.skills == ("d1.g2.s2",) and lesson.labs == ("workspace-datastores",)
    assert lesson.quiz_topics == ("datastores",) and lesson.fixtures == ("diabetes-csv",)
    assert lesson.source.lstrip().startswith("# Heading")


def test_snippet_extraction_keeps_only_python_run_blocks(tmp_path):
    path = write(tmp_path, "good.md", GOOD)
    lesson = L.parse_lesson(path, skill_ids=None)
    codes = [s.code for s in lesson.snippets]
    assert codes == ['# Say hello\nprint("hello")\n', "x = 1\n    print(x)\n", 'print("tilde")\n']
    assert [s.index for s in lesson.snippets] == [0, 1, 2]
    lines = path.read_text().splitlines()
    for snippet in lesson.snippets:  # `line` is the 1-based file line of the first code line
        assert lines[snippet.line - 1].strip() == snippet.code.splitlines()[0].strip()
    assert lesson.snippets[0].title == "Say hello" and lesson.snippets[1].title == "x = 1"
    assert 'print("shown")' not in "".join(codes)


def test_display_body_labels_runnable_blocks_and_uses_plain_python_fences(tmp_path):
    lesson = L.parse_lesson(write(tmp_path, "good.md", GOOD), skill_ids=None)
    body = lesson.body
    assert "python run" not in body
    assert body.count("▶ Snippet") == 3 and "**▶ Snippet 1**" in body and "**▶ Snippet 3**" in body
    assert body.index("**▶ Snippet 1**") < body.index('print("hello")')


def test_extract_ignores_runnable_looking_text_inside_other_fences():
    text = "````markdown\n```python run\nprint(1)\n```\n````\n\n```python run\nprint(2)\n```\n"
    assert [s.code for s in L.extract_snippets(text)] == ["print(2)\n"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (with_front(colour="blue"), "unknown field 'colour'"),
        (with_front(id=None), "missing field 'id'"),
        (with_front(skills="[d9.g9.s9]"), "skills not in the exam blueprint: d9.g9.s9"),
        (with_front(skills="[not-a-skill]"), "skills.0"),
        (with_front(topic="astrology"), "topic"),
        (with_front(fixtures="[a-lake]"), "fixtures.0"),
        (with_front(quiz_topics="[no-such-bank]"), "quiz_topics without a question bank"),
        (with_front(minutes=0), "minutes"),
        ("---\nid: [unclosed\n---\nbody\n", "not valid YAML"),
        ("# no front matter\n", "no front matter"),
        ("---\nid: x\n", "not closed"),
        ("---\n- a\n- b\n---\n", "must be a YAML mapping"),
        (GOOD + "\n```python run\nprint('never closed')\n", "never closed"),
    ],
)
def test_broken_lessons_are_reported_and_the_others_still_load(tmp_path, text, expected):
    write(tmp_path, "a-good.md", GOOD)
    write(tmp_path, "broken.md", text.replace("good-lesson", "other-lesson"))
    catalog = L.load_lessons(tmp_path)
    assert [lesson.id for lesson in catalog.lessons] == ["good-lesson"]
    assert len(catalog.problems) == 1
    problem = catalog.problems[0]
    assert problem.path.name == "broken.md" and expected in problem.message, problem.message
    assert str(problem).startswith("broken.md: ")


def test_duplicate_ids_are_a_problem(tmp_path):
    write(tmp_path, "a.md", GOOD)
    write(tmp_path, "b.md", GOOD)
    catalog = L.load_lessons(tmp_path)
    assert len(catalog.lessons) == 1
    assert "duplicate lesson id 'good-lesson'" in catalog.problems[0].message


def test_catalog_orders_topics_and_lessons(tmp_path):
    write(tmp_path, "z.md", with_front(id="ds-first", order=1))
    write(tmp_path, "y.md", with_front(id="ds-second", order=5))
    write(tmp_path, "x.md", with_front(id="concept", topic="concepts", order=9, skills="[d1.g1.s3]",
                                       quiz_topics="[workspace]"))
    catalog = L.load_lessons(tmp_path)
    assert [t.id for t in catalog.topics] == list(L.TOPIC_IDS)
    assert [lesson.id for lesson in catalog.lessons] == ["concept", "ds-first", "ds-second"]
    assert [lesson.id for lesson in catalog.topic("datastores").lessons] == ["ds-first", "ds-second"]
    assert catalog.neighbour("ds-first", 1).id == "ds-second"
    assert catalog.neighbour("concept", -1) is None and catalog.get("nope") is None


def test_catalog_is_cached_until_a_file_changes(tmp_path):
    path = write(tmp_path, "good.md", GOOD)
    first = L.load_lessons(tmp_path)
    assert L.load_lessons(tmp_path) is first
    path.write_text(GOOD.replace("A good lesson", "Renamed"), encoding="utf-8")
    import os

    os.utime(path, ns=(path.stat().st_mtime_ns + 10_000_000,) * 2)
    assert L.load_lessons(tmp_path).get("good-lesson").title == "Renamed"


# ---- the shipped lessons --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return L.load_lessons()


def test_shipped_lessons_have_no_problems(shipped):
    assert [str(p) for p in shipped.problems] == []
    assert len(shipped.lessons) >= 18


def test_shipped_lessons_link_to_existing_skills_and_quiz_banks(shipped):
    from quizzes.blueprint import load_blueprint

    skill_ids = {s.id for d in load_blueprint().domains for s in d.skills}
    banks = {p.stem for p in (ROOT / "quizzes" / "bank").glob("*.yaml")}
    for lesson in shipped.lessons:
        assert set(lesson.skills) <= skill_ids, lesson.id
        assert lesson.quiz_topics and set(lesson.quiz_topics) <= banks, lesson.id


def test_shipped_lessons_name_labs_that_exist_or_topics(shipped):
    lab_ids = {p.parent.name for p in (ROOT / "labs").glob("*/lab.yaml")}
    for lesson in shipped.lessons:
        for lab in lesson.labs:
            assert lab in lab_ids or lab in L.TOPIC_IDS, f"{lesson.id}: unknown lab {lab!r}"


def test_shipped_lessons_are_complete(shipped):
    for lesson in shipped.lessons:
        assert lesson.path.name.startswith(lesson.topic + "-"), lesson.path.name
        assert lesson.snippets, f"{lesson.id} has no runnable snippet"
        for snippet in lesson.snippets:
            if snippet.language == "bash":
                import subprocess

                check = subprocess.run(["bash", "-n"], input=snippet.code, capture_output=True, text=True)
                assert check.returncode == 0, f"{lesson.id}#{snippet.index + 1}: {check.stderr}"
            else:
                compile(snippet.code, f"{lesson.id}#{snippet.index + 1}", "exec")
        assert "python run" not in lesson.body and "bash run" not in lesson.body


def test_lessons_module_does_not_import_textual():
    import subprocess
    import sys

    code = "import course.lessons, course.snippets, sys; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
