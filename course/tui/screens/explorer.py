"""Sandbox explorer: what your workspace holds, browsed like Azure ML studio (and refreshed while jobs run)."""
from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, Tree

from course.tui.bindings import B
from course.tui.widgets.chart import MetricChart

REFRESH_SECONDS = 2.0
STATUS_STYLE = {"Completed": "green", "Failed": "red", "Canceled": "yellow", "Running": "cyan",
                "Succeeded": "green", "Stopped": "dim"}


class ExplorerScreen(Screen):
    HELP = """\
## Sandbox explorer
Everything your code created in the sandbox workspace: datastores and their files, v2 data assets and v1
datasets (with versions and a preview of the first rows), experiments and their runs (status, parameters,
metrics with a chart, logs and artifacts), models, environments and compute.

↑↓ move in the tree, → / ← open and close, **Tab** to the details (then ↑↓ / PgUp / PgDn scroll).
**m** shows the next metric's chart. The view refreshes by itself while jobs are running; **f5** refreshes now.
"""
    BINDINGS = [
        B("escape", "app.go_home", "Back", "explorer.back"),
        B("f5", "refresh", "Refresh", "explorer.refresh"),
        B("m", "next_metric", "Next metric", "explorer.metric"),
    ]

    def __init__(self) -> None:
        super().__init__(id="explorer")
        self.current: tuple[str, ...] | None = None
        self.detail: Any = None
        self.metric = 0
        self._busy = False

    def compose(self) -> ComposeResult:
        yield Static("Sandbox explorer", classes="title-bar", id="explorer-title")
        with Horizontal(id="explorer-main"):
            tree: Tree[Any] = Tree("Workspace", id="explorer-tree")
            tree.show_root = False
            yield tree
            with VerticalScroll(id="explorer-detail"):
                yield Static("Loading the workspace…", id="detail-fields")
                yield MetricChart(id="detail-chart")
                yield DataTable(id="detail-table", zebra_stripes=True, cursor_type="row")
                yield Static("", id="detail-note")
                yield Static("", id="detail-log")
        yield Footer()

    def on_mount(self) -> None:
        self.app.remember("explorer")
        for wid in ("#detail-chart", "#detail-table", "#detail-log", "#detail-note"):
            self.query_one(wid).display = False
        self.load_tree()
        self.set_interval(REFRESH_SECONDS, self.auto_refresh)

    # -- tree --------------------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="explorer-tree")
    def load_tree(self) -> None:
        try:
            sections = self.app.explorer.sections()
            active = self.app.explorer.active_runs()
            error = None
        except Exception as exc:
            sections, active, error = [], [], str(exc)
        self.app.call_from_thread(self.show_tree, sections, active, error)

    def show_tree(self, sections: list[Any], active: list[str], error: str | None) -> None:
        self._busy = False
        tree = self.query_one("#explorer-tree", Tree)
        if error:
            self.query_one("#detail-fields", Static).update(Text(f"Could not read the workspace: {error}", style="red"))
            return
        expanded = {n.data for n in _walk(tree.root) if n.is_expanded and n.data}
        first = not tree.root.children
        cursor_key = tree.cursor_node.data if tree.cursor_node is not None else None
        tree.clear()
        target = None

        def add(parent: Any, node: Any) -> None:
            nonlocal target
            label = Text(node.label)
            if node.status:
                label.append(f"  {node.status}", style=STATUS_STYLE.get(node.status, "yellow"))
            if node.leaf:
                child = parent.add_leaf(label, data=node.key)
            else:
                child = parent.add(label, data=node.key)
                for c in node.children:
                    add(child, c)
                if node.key in expanded or (first and node.key[0] == "section" and node.children):
                    child.expand()
            if node.key == cursor_key:
                target = child

        for section in sections:
            add(tree.root, section)
        n_active = len(active)
        title = Text("Sandbox explorer", style="bold")
        title.append(f"  ·  {self.app.workspace_dir}" if self.app.clock is None else "")
        if n_active:
            title.append(f"  ·  {n_active} job(s) running", style="cyan")
        self.query_one("#explorer-title", Static).update(title)
        if first:
            tree.focus()
            self.query_one("#detail-fields", Static).update(
                Text("Pick an item on the left: its details, files, preview and metrics appear here.", style="dim"))

        def move() -> None:
            if target is not None:
                tree.move_cursor(target)
            elif tree.cursor_line < 0 and tree.root.children:
                tree.cursor_line = 0

        self.call_after_refresh(move)

    # -- details -----------------------------------------------------------------------------------------------
    @on(Tree.NodeHighlighted, "#explorer-tree")
    def highlighted(self, event: Tree.NodeHighlighted) -> None:
        key = event.node.data
        if key and key != self.current:
            self.current = key
            self.metric = 0
            self.load_detail(key)

    @work(thread=True, exclusive=True, group="explorer-detail")
    def load_detail(self, key: tuple[str, ...]) -> None:
        try:
            detail = self.app.explorer.detail(key)
            error = None
        except Exception as exc:
            detail, error = None, str(exc)
        self.app.call_from_thread(self.show_detail, key, detail, error)

    def show_detail(self, key: tuple[str, ...], detail: Any, error: str | None) -> None:
        if key != self.current:
            return
        fields = self.query_one("#detail-fields", Static)
        chart = self.query_one("#detail-chart", MetricChart)
        table = self.query_one("#detail-table", DataTable)
        log = self.query_one("#detail-log", Static)
        note = self.query_one("#detail-note", Static)
        if error:
            fields.update(Text(error, style="red"))
            for w in (chart, table, log, note):
                w.display = False
            return
        self.detail = detail
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        for k, v in detail.fields:
            grid.add_row(k, v)
        head = Text(detail.title + "\n", style="bold underline")
        from rich.console import Group

        fields.update(Group(head, grid))
        self._chart()
        note.display = False
        if detail.preview_key is not None:
            table.clear(columns=True)
            table.display = True
            note.update(Text("Loading the first rows…", style="dim"))
            note.display = True
            self.load_preview(detail.preview_key)
        elif detail.table is not None and detail.table[1]:
            cols, rows = detail.table
            table.clear(columns=True)
            table.add_columns(*cols)
            table.add_rows(rows)
            table.display = True
        else:
            table.display = False
        if detail.log is not None:
            log.update(Text.assemble(("Log (user_logs/std_log.txt)\n", "bold"), (detail.log[-6000:], "")))
            log.display = True
        else:
            log.display = False

    def _chart(self) -> None:
        chart = self.query_one("#detail-chart", MetricChart)
        series = self.detail.series if self.detail is not None else {}
        if not series:
            chart.display = False
            return
        names = sorted(series)
        name = names[self.metric % len(names)]
        chart.plot(name + (f"   (m: next of {len(names)})" if len(names) > 1 else ""), series[name])
        chart.display = True

    def action_next_metric(self) -> None:
        self.metric += 1
        self._chart()

    @work(thread=True, exclusive=True, group="explorer-preview")
    def load_preview(self, key: tuple[str, ...]) -> None:
        try:
            cols, rows, note = self.app.explorer.preview(key)
            error = None
        except Exception as exc:
            cols, rows, note, error = [], [], "", str(exc)
        self.app.call_from_thread(self.show_preview, key, cols, rows, note, error)

    def show_preview(self, key: tuple[str, ...], cols: list[str], rows: list[list[str]], note: str,
                     error: str | None) -> None:
        if self.detail is None or self.detail.preview_key != key:
            return
        table = self.query_one("#detail-table", DataTable)
        label = self.query_one("#detail-note", Static)
        if error:
            table.display = False
            label.update(Text(f"Cannot preview: {error}", style="yellow"))
            return
        table.clear(columns=True)
        table.add_columns(*cols)
        table.add_rows(rows)
        label.update(Text(note, style="dim"))

    # -- refresh -----------------------------------------------------------------------------------------------
    def action_refresh(self) -> None:
        self._busy = True
        self.load_tree()
        if self.current is not None:
            self.load_detail(self.current)

    def auto_refresh(self) -> None:
        """While a job runs (or the shown run/compute is busy), keep the tree and details current."""
        if self._busy or self.app.screen is not self:
            return
        self.check_active()

    @work(thread=True, exclusive=True, group="explorer-poll")
    def check_active(self) -> None:
        try:
            active = bool(self.app.explorer.active_runs())
        except Exception:
            active = False
        shown_active = bool(self.detail is not None and self.detail.active)
        if active or shown_active or getattr(self, "_was_active", False):
            self.app.call_from_thread(self.action_refresh)
        self._was_active = active or shown_active


def _walk(node: Any):
    yield node
    for child in node.children:
        yield from _walk(child)
