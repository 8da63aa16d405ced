"""Snapshots of the main screens at 80×24 and 160×48 (fixed bank, lessons, lab, clock and explorer data).

Update after an intended change of the look with `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from course.tui.services.explorer import Detail, Node
from course.tui.screens.exam import ExamScreen
from course.tui.screens.quiz import PracticeScreen
from tests.tui.conftest import every_type_bank, settle

LABS = Path(__file__).resolve().parent / "labs"
SMALL = (80, 24)
LARGE = (160, 48)


class FixedExplorer:
    """Explorer data that never changes (the real one reads the sandbox, whose curated lists grow)."""

    def sections(self):
        runs = (Node(("run", "r1"), "first-run", status="Completed"), Node(("run", "r2"), "second-run", status="Running"))
        return [
            Node(("section", "datastores"), "Datastores (2)", (Node(("datastore", "workspaceblobstore"), "workspaceblobstore (default)"),
                                                                Node(("datastore", "workspacefilestore"), "workspacefilestore")), leaf=False),
            Node(("section", "assets"), "Data assets, v2 (0)", (), leaf=False),
            Node(("section", "datasets"), "Datasets, v1 (1)", (Node(("dataset", "diabetes"), "diabetes (1 version)", (
                Node(("dataset", "diabetes", "1"), "v1 · tabular"),), leaf=False),), leaf=False),
            Node(("section", "experiments"), "Experiments (1)", (Node(("experiment", "demo"), "demo (2)", runs, leaf=False),), leaf=False),
            Node(("section", "models"), "Models (0)", (), leaf=False),
        ]

    def active_runs(self):
        return []

    def detail(self, key):
        if key == ("run", "r1"):
            return Detail("Run first-run", [("Status", "Completed"), ("Kind", "interactive (v1)"), ("param reg", "0.1"),
                                            ("metric accuracy", "0.91"), ("metric loss", "0.125 (last of 8)")],
                          table=(["Artifact"], [["outputs/model.pkl"], ["user_logs/std_log.txt"]]),
                          series={"loss": [1.0, 0.5, 0.333, 0.25, 0.2, 0.167, 0.143, 0.125]},
                          log="Training with reg 0.1\naccuracy 0.91\n")
        return Detail("Datastores", [("", "Pick an item on the left to see its details.")])

    def close(self):
        pass


def app_with(make_app, **kw):
    return make_app(labs_root=LABS, **kw)


async def _settled(pilot):
    await settle(pilot)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])
def test_home(snap_compare, make_app, size):
    assert snap_compare(app_with(make_app), terminal_size=size, run_before=_settled)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])
def test_course_tree(snap_compare, make_app, size):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("enter", "down")
        await settle(pilot)

    assert snap_compare(app_with(make_app), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])
def test_lesson_with_snippet_bar(snap_compare, make_app, size):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.app.run_action("open_lesson('workspace-1')")
        await settle(pilot)

    assert snap_compare(app_with(make_app), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("qtype", ["single", "multi", "yesno", "order", "code", "case"])
def test_practice_question_types(snap_compare, make_app, bank, qtype):
    bank(every_type_bank())

    async def run_before(pilot):
        await settle(pilot)
        q = next(q for q in pilot.app.quiz.bank.questions if q.type == qtype)
        await pilot.app.push_screen(PracticeScreen(questions=[q]))
        await settle(pilot)
        first = {"single": "b", "multi": "a", "yesno": "y", "order": "c", "code": "b", "case": "b"}[qtype]
        await pilot.press(first)
        await settle(pilot)

    assert snap_compare(app_with(make_app), terminal_size=SMALL, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])
def test_practice_feedback(snap_compare, make_app, bank, size):
    bank(every_type_bank())

    async def run_before(pilot):
        await settle(pilot)
        q = next(q for q in pilot.app.quiz.bank.questions if q.type == "multi")
        await pilot.app.push_screen(PracticeScreen(questions=[q]))
        await settle(pilot)
        await pilot.press("a", "b", "enter")
        await settle(pilot)

    assert snap_compare(app_with(make_app), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])
def test_exam_in_progress(snap_compare, make_app, bank, size):
    bank(every_type_bank())

    async def run_before(pilot):
        await settle(pilot)
        session = pilot.app.quiz.start_exam(6, 20, seed=3)
        await pilot.app.push_screen(ExamScreen(session))
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)

    assert snap_compare(app_with(make_app), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])
def test_exam_result(snap_compare, make_app, bank, size):
    bank(every_type_bank())

    async def run_before(pilot):
        await settle(pilot)
        session = pilot.app.quiz.start_exam(6, 20, seed=3)
        await pilot.app.push_screen(ExamScreen(session))
        await settle(pilot)
        await pilot.press("ctrl+e", "y")
        await settle(pilot)

    assert snap_compare(app_with(make_app), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])
def test_explorer_run_with_chart(snap_compare, make_app, size):
    app = app_with(make_app)
    app._explorer = FixedExplorer()

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        tree = pilot.app.screen.query_one("#explorer-tree")
        node = next(n for n in tree.root.children[3].children[0].children if n.data == ("run", "r1"))
        tree.root.children[3].children[0].expand()
        await pilot.pause()
        tree.move_cursor(node)
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])
def test_lab_workbench(snap_compare, make_app, size):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.app.run_action("open_lab('demo-lab')")
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)

    assert snap_compare(app_with(make_app), terminal_size=size, run_before=run_before)


def test_lab_list(snap_compare, make_app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)

    assert snap_compare(app_with(make_app), terminal_size=SMALL, run_before=run_before)


def test_help(snap_compare, make_app, monkeypatch):
    monkeypatch.setenv("DP100_CONFIG_DIR", "/dp100-config")

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(app_with(make_app), terminal_size=(100, 30), run_before=run_before)
