"""Fixtures for driving the TUI with Pilot: a temp dp100 home, a small question bank, a fixed clock and lessons."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pytest

from quizzes.bank import clear_cache
from quizzes.blueprint import load_blueprint
from quizzes.samples import sample_question, write_bank

BP = load_blueprint("dp100")
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


class FakeNow:
    def __init__(self) -> None:
        self.at = NOW

    def __call__(self) -> datetime:
        return self.at


# -- a small fixed catalog of lessons (the real lessons change as they are written) -------------------------------
@dataclass
class FakeSnippet:
    index: int
    code: str

    @property
    def title(self) -> str:
        return self.code.splitlines()[0].lstrip("# ").strip()


@dataclass
class FakeLesson:
    id: str
    title: str
    topic: str
    body: str
    snippets: tuple = ()
    minutes: int = 5
    skills: tuple = ("d1.g2.s1",)
    labs: tuple = ()
    quiz_topics: tuple = ("workspace",)
    fixtures: tuple = ()


@dataclass
class FakeTopic:
    id: str
    title: str
    lessons: tuple = ()


@dataclass
class FakeCatalog:
    topics: tuple
    problems: tuple = ()

    @property
    def lessons(self) -> list:
        return [lesson for t in self.topics for lesson in t.lessons]


SNIPPET = ("# Connect and list the datastores\n"
           "from azureml.core import Workspace\n"
           "ws = Workspace.from_config()\n"
           "print('workspace', ws.name)\n"
           "print(sorted(ws.datastores))\n")


def fake_catalog() -> FakeCatalog:
    first = FakeLesson("workspace-1", "The workspace", "workspace",
                       "# The workspace\n\nEverything in Azure ML lives in a **workspace**.\n\n"
                       "```python\n" + SNIPPET + "```\n\nThat is all for now.\n",
                       snippets=(FakeSnippet(0, SNIPPET), FakeSnippet(1, "# Say hello\nprint('hello', 6 * 7)\n")))
    second = FakeLesson("datastores-1", "Datastores", "datastores",
                        "# Datastores\n\nA datastore points at storage.\n", quiz_topics=("datastores",))
    return FakeCatalog((FakeTopic("workspace", "Workspace and tools", (first,)),
                        FakeTopic("datastores", "Datastores", (second,))))


# -- banks ---------------------------------------------------------------------------------------------------------
TYPES = ("single", "multi", "yesno", "order", "code", "case")


def every_type_bank() -> list[dict[str, Any]]:
    """One question of each type, in the four domains, ids ordered by type."""
    skills = ["d1.g2.s1", "d2.g1.s1", "d3.g1.s1", "d4.g1.s1"]
    return [sample_question(t, f"wks-{i + 1:03d}", [skills[i % 4]]) for i, t in enumerate(TYPES)]


def single_bank(n: int = 4) -> list[dict[str, Any]]:
    """`n` single-choice questions whose right answer is always b."""
    skills = ["d1.g2.s1", "d2.g1.s1", "d3.g1.s1", "d4.g1.s1"]
    return [sample_question("single", f"wks-{i:03d}", [skills[(i - 1) % 4]]) for i in range(1, n + 1)]


@pytest.fixture
def tui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("DP100_HOME", str(home))
    monkeypatch.setenv("DP100_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("DP100_WORKSPACE", raising=False)
    monkeypatch.delenv("DP100_ACTIVE", raising=False)
    monkeypatch.delenv("DP100_TUI_READY_FD", raising=False)
    return home


@pytest.fixture
def bank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[list[dict[str, Any]]], Path]:
    folder = tmp_path / "bank"

    def make(questions: list[dict[str, Any]]) -> Path:
        for f in folder.glob("*.yaml"):
            f.unlink()
        write_bank(folder, questions)
        clear_cache()
        monkeypatch.setenv("DP100_QUIZ_BANK", str(folder))
        return folder

    make(single_bank())
    return make


@pytest.fixture
def make_app(tui_home: Path, bank: Any) -> Callable[..., Any]:
    from course.tui.app import Dp100App

    def make(**kw: Any) -> Any:
        kw.setdefault("clock", FakeClock())
        kw.setdefault("now", FakeNow())
        kw.setdefault("catalog_loader", fake_catalog)
        app = Dp100App(**kw)
        app.seed = 7
        return app

    return make


async def settle(pilot: Any, rounds: int = 3) -> None:
    """Let workers finish and the screen repaint."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app: Any) -> str:
    """The visible screen as plain text (for assertions)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(s.text.rstrip() for s in strips)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: Any) -> bool | None:
    """Run `async def` tests in this folder with asyncio (no plugin needed)."""
    import asyncio
    import inspect

    func = pyfuncitem.obj
    if not inspect.iscoroutinefunction(func):
        return None
    args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(func(**args))
    return True
