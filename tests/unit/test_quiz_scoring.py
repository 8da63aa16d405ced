"""Scoring of every question type with partial credit, and reading typed answers."""
from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from quizzes.answers import AnswerFormatError, format_answer, parse_answer
from quizzes.models import Question
from quizzes.samples import sample_question
from quizzes.scoring import correct_answer, is_complete, max_points, score

_Q = TypeAdapter(Question)


def q(qtype: str):
    return _Q.validate_python(sample_question(qtype, "wks-001", ["d1.g2.s1"]))


# sample answers: single b; multi [a, c]; yesno {1: T, 2: F, 3: T}; order [c, a, d]; code {1: b, 2: a}


def test_single() -> None:
    s = q("single")
    assert (score(s, "b").points, score(s, "b").max_points) == (1, 1)
    assert score(s, "a").points == 0
    assert score(s, None).points == 0 and not score(s, None).answered


@pytest.mark.parametrize(
    "picked, points",
    [(["a", "c"], 2), (["a"], 1), (["a", "b"], 0), (["a", "c", "b"], 1), (["b", "d"], 0), (["a", "b", "c", "d"], 0),
     ([], 0)],
)
def test_multi_partial_credit_plus_one_minus_one_floor_zero(picked: list[str], points: int) -> None:
    r = score(q("multi"), picked)
    assert (r.points, r.max_points) == (points, 2)


def test_multi_parts_say_which_options_were_right() -> None:
    r = score(q("multi"), ["a", "b"])
    by = {p.id: p for p in r.parts}
    assert by["a"].correct and by["a"].points == 1
    assert not by["b"].correct and by["b"].points == -1
    assert not by["c"].correct and by["c"].points == 0  # missed
    assert by["d"].correct


def test_yesno_one_point_per_item() -> None:
    y = q("yesno")
    assert score(y, {"1": True, "2": False, "3": True}).points == 3
    r = score(y, {"1": True, "2": True, "3": False})
    assert (r.points, r.max_points) == (1, 3)
    assert [p.correct for p in r.parts] == [True, False, False]
    assert score(y, {"1": True}).points == 1 and not is_complete(y, {"1": True})


def test_order_one_point_per_matching_position() -> None:
    o = q("order")
    assert score(o, ["c", "a", "d"]).points == 3
    assert score(o, ["c", "d", "a"]).points == 1
    assert score(o, ["a", "c", "d"]).points == 1
    assert score(o, ["b", "e", "a"]).points == 0
    assert score(o, ["c", "a"]).points == 2  # a missing last step scores 0 for that position
    assert max_points(o) == 3


def test_code_one_point_per_blank() -> None:
    c = q("code")
    assert score(c, {"1": "b", "2": "a"}).points == 2
    r = score(c, {"1": "a", "2": "a"})
    assert (r.points, r.max_points) == (1, 2)
    assert [p.correct for p in r.parts] == [False, True]


def test_case_is_the_sum_of_its_parts() -> None:
    c = q("case")
    assert max_points(c) == 1 + 3 + 2
    full = correct_answer(c)
    assert score(c, full).points == 6 and score(c, full).correct
    partial = {"p1": "a", "p2": {"1": True, "2": False, "3": False}, "p3": {"1": "b", "2": "a"}}
    r = score(c, partial)
    assert (r.points, r.max_points) == (0 + 2 + 2, 6)
    assert [p.correct for p in r.parts] == [False, False, True]
    assert [p.points for p in r.parts[1].children] == [1, 1, 0]
    assert score(c, {"p1": "b"}).points == 1


@pytest.mark.parametrize("qtype", ["single", "multi", "yesno", "order", "code", "case"])
def test_correct_answer_gets_full_marks(qtype: str) -> None:
    question = q(qtype)
    r = score(question, correct_answer(question))
    assert r.correct and r.points == max_points(question)


@pytest.mark.parametrize(
    "qtype, text, expected",
    [
        ("single", "B", "b"),
        ("multi", "a,c", ["a", "c"]),
        ("multi", "a c", ["a", "c"]),
        ("multi", "ac", ["a", "c"]),
        ("yesno", "y,n,y", {"1": True, "2": False, "3": True}),
        ("yesno", "yny", {"1": True, "2": False, "3": True}),
        ("yesno", "yes no yes", {"1": True, "2": False, "3": True}),
        ("order", "c,a,d", ["c", "a", "d"]),
        ("code", "b,a", {"1": "b", "2": "a"}),
    ],
)
def test_parse_answer(qtype: str, text: str, expected) -> None:
    question = q(qtype)
    assert parse_answer(question, text) == expected
    assert parse_answer(question, format_answer(question, expected)) == expected


@pytest.mark.parametrize(
    "qtype, text, says",
    [
        ("single", "e", "not an option"),
        ("single", "a,b", "not an option"),
        ("multi", "a,a", "only once"),
        ("yesno", "y,n", "3 statements"),
        ("yesno", "y,x,n", "not y or n"),
        ("order", "c,a", "3 letters"),
        ("code", "b", "2 blanks"),
        ("code", "b,z", "not a choice for blank 2"),
        ("single", "", "Nothing typed"),
    ],
)
def test_parse_answer_errors_say_what_to_type(qtype: str, text: str, says: str) -> None:
    with pytest.raises(AnswerFormatError, match=says):
        parse_answer(q(qtype), text)
