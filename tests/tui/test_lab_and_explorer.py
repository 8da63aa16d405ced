"""The lab workbench (edit, autosave, check, hints, reset) and the sandbox explorer, driven with Pilot."""
from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, TextArea, Tree

from course.tui.screens.explorer import ExplorerScreen
from course.tui.screens.lab import LabListScreen, LabScreen
from tests.tui.conftest import screen_text, settle

LAB = "workspace-datastores"


async def wait_idle(pilot, screen, attr="busy", rounds=400):
    for _ in range(rounds):
        await settle(pilot, 1)
        if not getattr(screen, attr):
            return
    raise AssertionError(f"{attr} still set")


async def test_starting_a_lab_editing_and_checking_shows_the_report(make_app, tui_home):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LabListScreen)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LabScreen) and screen.lab_id == LAB
        folder = tui_home / "labs" / LAB
        assert (folder / "lab.py").is_file() and (folder / "config.json").is_file()
        assert (folder / "data" / "diabetes.csv").is_file()

        editor = screen.query_one("#lab-editor", TextArea)
        editor.move_cursor(editor.document.end)
        await pilot.press(*"# my note", "enter")
        await pilot.pause(0.8)  # autosave
        assert "# my note" in (folder / "lab.py").read_text()
        assert not screen.dirty

        await pilot.press("ctrl+t")
        await wait_idle(pilot, screen)
        result = screen.last_result
        assert result is not None and result.status == "fail" and result.score == 0
        text = screen_text(app)
        assert "last check ✗ 0/8" in text and "check(s) to fix" in text

        await pilot.press("f3")
        await settle(pilot)
        assert "Hint 1/4" in screen_text(app)

        solution = Path(__file__).resolve().parents[2] / "labs" / LAB / "solution" / "lab.py"
        editor.load_text(solution.read_text())
        await pilot.pause(0.1)
        await pilot.press("ctrl+s")  # save, and check on save
        await wait_idle(pilot, screen)
        assert screen.last_result.status == "pass", screen.last_result
        assert "last check ✓ 8/8" in screen_text(app)
    from labs.progress import LabProgress

    with LabProgress(tui_home / "progress.db") as progress:
        standing = progress.standing(LAB)
    assert standing.passed and standing.attempts == 2 and standing.hints_shown == 1


async def test_quitting_keeps_the_editor_contents_and_reset_keeps_a_backup(make_app, tui_home):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.run_action(f"open_lab({LAB!r})")
        await settle(pilot)
        editor = app.screen.query_one("#lab-editor", TextArea)
        editor.insert("# typed just before quitting\n", (0, 0))
        await pilot.pause(0)
        await pilot.press("ctrl+q")
    folder = tui_home / "labs" / LAB
    assert (folder / "lab.py").read_text().startswith("# typed just before quitting")

    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Continue  Lab workspace-datastores" in screen_text(again)
        await pilot.press("enter")
        await settle(pilot)
        screen = again.screen
        assert isinstance(screen, LabScreen)
        assert screen.query_one("#lab-editor", TextArea).text.startswith("# typed just before quitting")
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not (folder / "lab.py").read_text().startswith("# typed just before quitting")
        backup = tui_home / "labs" / ".backup" / f"{LAB}-1" / "lab.py"
        assert backup.read_text().startswith("# typed just before quitting")


async def _select(pilot, tree: Tree, key: tuple) -> None:
    def walk(node):
        yield node
        for c in node.children:
            yield from walk(c)

    for node in walk(tree.root):
        if node.data == key:
            parent = node.parent
            while parent is not None:
                parent.expand()
                parent = parent.parent
            await pilot.pause()
            tree.move_cursor(node)
            await settle(pilot)
            return
    raise AssertionError(f"no node {key}")


async def test_explorer_shows_datastores_runs_with_metric_chart_and_a_dataset_preview(make_app, tui_home):
    from course.snippets import prepare_folder, run_snippet
    from sandbox.home import workspace_dir

    folder = prepare_folder(tui_home / "work", ["uploaded-diabetes"], workspace_dir=workspace_dir())
    code = (
        "from azureml.core import Workspace, Experiment, Dataset\n"
        "ws = Workspace.from_config()\n"
        "run = Experiment(ws, 'demo').start_logging(display_name='first-run')\n"
        "for i in range(8):\n"
        "    run.log('loss', 1.0 / (i + 1))\n"
        "run.log('accuracy', 0.91)\n"
        "run.complete()\n"
        "ds = Dataset.Tabular.from_delimited_files(path=(ws.get_default_datastore(), 'diabetes/diabetes.csv'))\n"
        "ds.register(ws, 'diabetes')\n"
    )
    r = run_snippet(code, folder, workspace_dir(), 120)
    assert r.returncode == 0, r.stderr

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExplorerScreen)
        tree = screen.query_one("#explorer-tree", Tree)
        text = screen_text(app)
        assert "workspaceblobstore (default)" in text and "Experiments (1)" in text

        await _select(pilot, tree, ("datastore", "workspaceblobstore"))
        await settle(pilot)
        assert "diabetes/diabetes.csv" in screen_text(app)

        run_key = next(n.data for n in _walk(tree.root) if n.data and n.data[0] == "run")
        await _select(pilot, tree, run_key)
        await settle(pilot)
        text = screen_text(app)
        assert "Completed" in text and "metric loss" in text and "0.125 (last of 8)" in text
        assert screen.query_one("#detail-chart").display
        assert "loss  (8 values, last 0.125)" in text
        assert any(ch in text for ch in "⡀⠁⠂⠄⠈⠐⠠⢀")  # braille plot

        await _select(pilot, tree, ("dataset", "diabetes", "1"))
        await settle(pilot)
        table = screen.query_one("#detail-table", DataTable)
        assert table.row_count == 50 and "PlasmaGlucose" in [str(c.label) for c in table.columns.values()]
        assert "1000 rows × 10 columns" in screen_text(app)


def _walk(node):
    yield node
    for c in node.children:
        yield from _walk(c)
