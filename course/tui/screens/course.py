"""Course: the topics and their lessons (a tree) with a preview of the highlighted lesson."""
from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, Tree

from course.tui.bindings import B


class CourseScreen(Screen):
    HELP = """\
## Course
Topics and their lessons. ↑↓ move, → / ← open and close a topic, **Enter** opens the lesson.
A ✓ marks lessons you have read to the end. In a lesson you can run its code against your sandbox.
"""
    BINDINGS = [
        B("escape", "app.go_home", "Back", "course.back"),
        B("q", "quiz", "Quiz topic", "course.quiz"),
    ]

    def __init__(self, select: str | None = None) -> None:
        super().__init__(id="course")
        self.select = select
        self.catalog: Any = None
        self.read: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static("Course", classes="title-bar")
        with Horizontal(id="course-main"):
            tree: Tree[Any] = Tree("Topics", id="course-tree")
            tree.show_root = False
            yield tree
            with VerticalScroll(id="course-preview"):
                yield Static("Loading lessons…", id="course-info")
        yield Footer()

    def on_mount(self) -> None:
        self.app.remember("course")
        self.load()

    def on_screen_resume(self) -> None:
        if self.catalog is not None:
            self.load()

    @work(thread=True, exclusive=True, group="course")
    def load(self) -> None:
        catalog = self.app.catalog
        read = set(self.app.state.lessons_read)
        self.app.call_from_thread(self.show, catalog, read)

    def show(self, catalog: Any, read: set[str]) -> None:
        self.catalog = catalog
        self.read = read
        tree = self.query_one("#course-tree", Tree)
        cursor_data = tree.cursor_node.data if tree.cursor_node is not None else None
        expanded = {n.data for n in _walk(tree.root) if n.is_expanded and n.data}
        tree.clear()
        target = None
        want = cursor_data or self.select
        for t in catalog.topics:
            done = sum(1 for lesson in t.lessons if lesson.id in read)
            node = tree.root.add(f"{t.title}  ({done}/{len(t.lessons)})", data=("topic", t.id))
            open_it = ("topic", t.id) in expanded or want in (t.id, ("topic", t.id)) or \
                any(want in (lesson.id, ("lesson", lesson.id)) for lesson in t.lessons)
            if want in (t.id, ("topic", t.id)):
                target = node
            for lesson in t.lessons:
                mark = "✓ " if lesson.id in read else "  "
                leaf = node.add_leaf(f"{mark}{lesson.title}", data=("lesson", lesson.id))
                if want in (lesson.id, ("lesson", lesson.id)):
                    target = leaf
            if open_it:
                node.expand()
        if not catalog.topics:
            self.query_one("#course-info", Static).update(
                Text(catalog.problem or "No lessons yet.", style="yellow"))
            return
        tree.focus()

        def move() -> None:
            if target is not None:
                tree.move_cursor(target)
            elif tree.cursor_line < 0:
                tree.cursor_line = 0
            self._preview(tree.cursor_node.data if tree.cursor_node else None)

        self.call_after_refresh(move)

    @on(Tree.NodeHighlighted, "#course-tree")
    def highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._preview(event.node.data)

    @on(Tree.NodeSelected, "#course-tree")
    def selected(self, event: Tree.NodeSelected) -> None:
        data = event.node.data
        if data and data[0] == "lesson":
            from course.tui.screens.lesson import LessonScreen

            self.app.push_screen(LessonScreen(data[1]))

    def _preview(self, data: Any) -> None:
        info = self.query_one("#course-info", Static)
        if not data or self.catalog is None:
            return
        if data[0] == "topic":
            topic = next((t for t in self.catalog.topics if t.id == data[1]), None)
            if topic is None:
                return
            t = Text()
            t.append(f"{topic.title}\n\n", style="bold")
            for lesson in topic.lessons:
                t.append(("✓ " if lesson.id in self.read else "· ") + f"{lesson.title}", style="")
                t.append(f"  {lesson.minutes} min\n" if lesson.minutes else "\n", style="dim")
            t.append("\n→ opens the topic · q practises its questions", style="dim")
            info.update(t)
            return
        lesson = self.catalog.lesson(data[1])
        if lesson is None:
            return
        head = Text()
        head.append(f"{lesson.title}\n", style="bold")
        bits = [f"{lesson.minutes} min" if lesson.minutes else "", f"{len(lesson.snippets)} runnable snippet(s)"]
        head.append(" · ".join(b for b in bits if b) + "\n", style="dim")
        if lesson.skills:
            head.append("Exam skills: " + ", ".join(lesson.skills) + "\n", style="dim")
        if lesson.labs:
            head.append("Labs: " + ", ".join(lesson.labs) + "\n", style="dim")
        if lesson.quiz_topics:
            head.append("Quiz: " + ", ".join(lesson.quiz_topics) + "\n", style="dim")
        para = _first_paragraph(lesson.body)
        info.update(Group(head, Text(para), Text("\nEnter opens the lesson.", style="dim")))

    def action_quiz(self) -> None:
        tree = self.query_one("#course-tree", Tree)
        data = tree.cursor_node.data if tree.cursor_node else None
        if not data or self.catalog is None:
            return
        if data[0] == "lesson":
            lesson = self.catalog.lesson(data[1])
            topics = list(lesson.quiz_topics or (lesson.topic,)) if lesson else []
        else:
            topics = [data[1]]
        args = ", ".join(repr(t) for t in topics)
        self.app.run_step(f"practise_topics({args})")


def _walk(node: Any):
    yield node
    for child in node.children:
        yield from _walk(child)


def _first_paragraph(body: str) -> str:
    lines: list[str] = []
    for line in body.splitlines():
        s = line.strip()
        if not s:
            if lines:
                break
            continue
        if s.startswith("#") or s.startswith("```"):
            if lines:
                break
            continue
        lines.append(s)
    return " ".join(lines)[:600]
