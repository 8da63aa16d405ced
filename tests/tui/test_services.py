"""The TUI's view models (no Textual): readiness, next step, continue, state table, chart, lesson catalog view."""
from __future__ import annotations

import sqlite3
from types import SimpleNamespace

from course.tui.services.home import Step, continue_step, next_step, readiness
from course.tui.services.lessons import view_of
from course.tui.services.state import TuiState
from course.tui.widgets.chart import braille_lines
from tests.tui.conftest import fake_catalog

SHARES = {"d1": 0.225, "d2": 0.225, "d3": 0.275, "d4": 0.275}


def test_readiness_is_unknown_before_any_answer():
    r = readiness({"d1": None, "d2": None, "d3": None, "d4": None}, SHARES, [], [])
    assert r.estimate is None and r.label == "Not started"


def test_readiness_weights_domains_and_blends_recent_exams():
    full = {"d1": 100.0, "d2": 100.0, "d3": 100.0, "d4": 100.0}
    assert readiness(full, SHARES, [], []).estimate == 1000
    assert readiness(full, SHARES, [], []).label == "Close"  # no passed mock exam yet
    r = readiness(full, SHARES, [500, 800, 900], [False, True, True])
    assert r.estimate == round(0.5 * 1000 + 0.5 * (500 + 800 + 900) / 3)
    assert r.label == "Ready"
    half = readiness({"d1": 100.0, "d2": None, "d3": None, "d4": None}, SHARES, [], [])
    assert half.estimate == round(1 + 999 * 0.225) and half.label == "Keep going"
    assert "no answers yet in d2, d3, d4" in half.detail


def test_next_step_prefers_due_reviews_then_unread_lessons_then_weak_skills():
    catalog = view_of(fake_catalog())
    weak = SimpleNamespace(id="d1.g2.s1", title="Connect", percent=20.0)
    assert next_step(due=5, catalog=catalog, lessons_read=set(), weakest=weak, answered=0, exams=0).action == "open_review"
    assert next_step(due=1, catalog=catalog, lessons_read=set(), weakest=weak, answered=0, exams=0).action == \
        "open_lesson('workspace-1')"
    read = {"workspace-1", "datastores-1"}
    assert next_step(due=0, catalog=catalog, lessons_read=read, weakest=weak, answered=0, exams=0).action == \
        "practise_skill('d1.g2.s1')"
    assert next_step(due=0, catalog=catalog, lessons_read=read, weakest=None, answered=40, exams=0).action == "open_exam"


def test_continue_goes_back_to_the_last_lesson_or_lab():
    catalog = view_of(fake_catalog())
    assert continue_step({"screen": "lesson", "lesson": "datastores-1"}, catalog) == \
        Step("Lesson “Datastores”", "open_lesson('datastores-1')")
    assert continue_step({"screen": "lab", "lab": "demo-lab"}, catalog).action == "open_lab('demo-lab')"
    assert continue_step({}, catalog) is None


def test_tui_state_lives_in_its_own_table_beside_the_quiz_tables(tmp_path):
    path = tmp_path / "progress.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE quiz_attempts (id INTEGER PRIMARY KEY, question_id TEXT)")
    conn.execute("INSERT INTO quiz_attempts (question_id) VALUES ('wks-001')")
    conn.commit()
    conn.close()
    state = TuiState(path)
    state.remember("lesson", lesson="datastores-1")
    state.mark_lesson_read("datastores-1")
    state.mark_lesson_read("datastores-1")
    state.close()
    again = TuiState(path)
    assert again.last == {"screen": "lesson", "lesson": "datastores-1"}
    assert again.lessons_read == ["datastores-1"]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT question_id FROM quiz_attempts").fetchall() == [("wks-001",)]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"quiz_attempts", "tui_state"}


def test_braille_chart_draws_a_falling_series_from_top_left_to_bottom_right():
    lines = braille_lines([4.0, 3.0, 2.0, 1.0], width=4, height=2)
    assert len(lines) == 2 and all(len(line) == 4 for line in lines)
    assert lines[0][0] != "⠀" and lines[1][-1] != "⠀"
    assert lines[0][-1] == "⠀" and lines[1][0] == "⠀"


def test_catalog_view_keeps_topic_order_and_finds_neighbours():
    catalog = view_of(fake_catalog())
    assert [t.id for t in catalog.topics] == ["workspace", "datastores"]
    assert catalog.neighbour("workspace-1", 1).id == "datastores-1"
    assert catalog.neighbour("datastores-1", 1) is None
    assert catalog.lesson("workspace-1").snippets[0].title == "Connect and list the datastores"
