"""The main journeys through the TUI, driven with Pilot against a temp dp100 home and a small question bank."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from course.tui.screens.course import CourseScreen
from course.tui.screens.exam import ExamResultScreen, ExamScreen
from course.tui.screens.home import HomeScreen
from course.tui.screens.lesson import LessonScreen
from course.tui.screens.quiz import PracticeScreen, QuizSetupScreen
from course.tui.screens.review import ReviewScreen
from tests.tui.conftest import every_type_bank, screen_text, settle


def rows(home: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(home / "progress.db")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


async def test_opening_a_lesson_and_running_a_snippet_prints_the_sandbox_output(make_app, tui_home):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CourseScreen)
        await pilot.press("enter", "down", "enter")  # open the topic, move to its lesson, open it
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson_id == "workspace-1"
        await pilot.press("r")
        for _ in range(200):
            await settle(pilot, 1)
            if not app.screen.running:
                break
        text = screen_text(app)
        assert "workspace dp100-workspace" in text
        assert "workspacefilestore" in text
        assert "✓ finished" in text
        await pilot.press("right_square_bracket", "r")
        for _ in range(200):
            await settle(pilot, 1)
            if not app.screen.running:
                break
        assert "hello 42" in screen_text(app)
    assert (tui_home / "lessons" / "workspace-1" / "config.json").is_file()


async def test_a_short_lesson_read_to_the_end_is_marked_read_and_home_continues_there(make_app, tui_home):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await app.run_action("open_lesson('datastores-1')")
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
    assert app.state.lessons_read == ["datastores-1"]

    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Continue  Lesson “Datastores”" in screen_text(again)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(again.screen, LessonScreen) and again.screen.lesson_id == "datastores-1"


async def test_practice_round_gives_feedback_and_saves_each_answer(make_app, tui_home):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, QuizSetupScreen)
        await pilot.press("enter")  # all topics
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PracticeScreen) and len(screen.questions) == 4
        await pilot.press("b", "enter")
        await settle(pilot)
        assert "✓ Correct (1/1)" in screen_text(app)
        await pilot.press("enter", "a", "enter")
        await settle(pilot)
        assert "✗ Not right (0/1)" in screen_text(app)
        assert "wrong, you picked it" in screen_text(app)
        await pilot.press("enter", "down", "enter")  # arrow + Enter picks the option under the cursor
        await settle(pilot)
        assert "your answer: b" in screen_text(app)
        await pilot.press("enter", "b", "enter", "enter")
        await settle(pilot)
        assert "Round finished" in screen_text(app)
        assert "4 answered, 3 fully right, 3/4 points" in screen_text(app)
    saved = rows(tui_home, "SELECT question_id, points, mode FROM quiz_attempts ORDER BY id")
    assert [(p, m) for _q, p, m in saved] == [(1, "practice"), (0, "practice"), (1, "practice"), (1, "practice")]


async def test_every_question_type_can_be_answered_with_the_keyboard(make_app, bank, tui_home):
    bank(every_type_bank())
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        quiz = app.quiz
        questions = sorted(quiz.bank.questions, key=lambda q: q.id)
        await app.push_screen(PracticeScreen(questions=questions))
        await settle(pilot)
        keys = {
            "single": ["b"],
            "multi": ["a", "c"],
            "yesno": ["y", "n", "y"],
            "order": ["c", "a", "d"],
            "code": ["b", "a"],
            # case: part 1 single (b) -> Enter moves to part 2; yes/no; Enter -> part 3 code; Enter submits
            "case": ["b", "enter", "y", "n", "y", "enter", "b", "a"],
        }
        for q in questions:
            assert app.screen.question.id == q.id
            await pilot.press(*keys[q.type], "enter")
            await settle(pilot)
            assert app.screen.feedback is not None, q.type
            assert app.screen.feedback.result.correct, (q.type, app.screen.feedback.answer)
            await pilot.press("enter")
            await settle(pilot)
        assert "6 answered, 6 fully right" in screen_text(app)


async def test_order_steps_can_be_reordered_and_undone(make_app, bank):
    bank(every_type_bank())
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        order = next(q for q in app.quiz.bank.questions if q.type == "order")
        await app.push_screen(PracticeScreen(questions=[order]))
        await settle(pilot)
        await pilot.press("a", "c", "d", "e", "backspace")   # a, c, d (e undone)
        await pilot.press("up", "up", "up", "up")             # cursor back on option a
        await pilot.press("shift+down")                       # a moves after c: c, a, d
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.feedback.answer == ["c", "a", "d"]
        assert app.screen.feedback.result.correct


async def test_a_short_exam_can_be_finished_and_is_saved(make_app, bank, tui_home):
    bank(every_type_bank())
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # quick exam
        await settle(pilot)
        assert isinstance(app.screen, ExamScreen)
        session = app.screen.session
        assert len(session) == 6
        first = session.current.question
        if first.type == "single":
            await pilot.press("b")
        await pilot.press("m")  # flag
        assert session.current.flagged
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert "End the exam?" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ExamResultScreen)
        text = screen_text(app)
        assert "/ 1000 (pass 700)" in text and "FAIL" in text
    exams = rows(tui_home, "SELECT question_count, passed FROM quiz_exams")
    assert exams == [(6, 0)]
    assert len(rows(tui_home, "SELECT * FROM quiz_attempts WHERE mode = 'exam'")) == 6


async def test_leaving_a_yes_no_series_in_the_exam_asks_and_then_locks_it(make_app, bank):
    bank(every_type_bank())
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        session = app.quiz.start_exam(6, 20, seed=7)
        await app.push_screen(ExamScreen(session))
        await settle(pilot)
        n = next(it.number for it in session.items if it.question.type == "yesno")
        session.go(n)
        await app.screen.show_item()
        await pilot.press("y", "n", "y", "enter")
        await settle(pilot)
        assert "Leave this question?" in screen_text(app)
        await pilot.press("escape")  # stay
        await settle(pilot)
        assert session.current.number == n and not session.items[n - 1].locked
        await pilot.press("right_square_bracket", "y")
        await settle(pilot)
        assert session.items[n - 1].locked
        assert session.items[n - 1].answer == {"1": True, "2": False, "3": True}
        assert not session.can_visit(n)


async def test_the_exam_ends_by_itself_when_time_is_up(make_app, bank, tui_home):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        session = app.quiz.start_exam(4, 1, seed=7)
        await app.push_screen(ExamScreen(session))
        await settle(pilot)
        await pilot.press("b")
        app.clock.advance(61)
        await pilot.pause(1.2)
        await settle(pilot)
        assert isinstance(app.screen, ExamResultScreen)
        assert app.screen.result.reason == "time_up"
    assert rows(tui_home, "SELECT reason FROM quiz_exams") == [("time_up",)]


async def test_home_progress_changes_after_answering(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = {a.id: a.percent for a in app.screen.summary.domains}
        assert set(before.values()) == {None}
        await app.run_action("practise_topics('workspace')")
        await settle(pilot)
        for _ in range(4):
            await pilot.press("b", "enter")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        after = {a.id: a.percent for a in app.screen.summary.domains}
        assert after == {"d1": 100.0, "d2": 100.0, "d3": 100.0, "d4": 100.0}
        topics = {a.id: a.percent for a in app.screen.summary.topics}
        assert topics["workspace"] == 50.0  # quiz 100 %, lesson not read
        assert app.screen.summary.readiness.estimate == 1000


async def test_review_shows_due_questions_and_reschedules_them(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("open_review")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert "Nothing is due for review" in screen_text(app)
        await app.run_action("practise_topics('workspace')")
        await settle(pilot)
        await pilot.press("a", "enter")  # wrong: due again soon
        await settle(pilot)
        app.now.at = app.now.at.replace(day=app.now.at.day + 2)
        await app.run_action("open_review")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert len(app.screen.questions) == 1
        await pilot.press("b", "enter")
        await settle(pilot)
        assert app.screen.feedback.result.correct


async def test_f1_help_lists_the_screen_keys_with_their_ids(make_app):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        text = screen_text(app)
        assert "home.practice" in text and "Practice" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_a_keymap_file_remaps_a_binding_by_id(make_app, tmp_path):
    config = tmp_path / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "keymap.toml").write_text('[keymap]\n"home.practice" = "k"\n')
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, QuizSetupScreen)


async def test_command_palette_opens_the_explorer(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"sandbox explorer")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        from course.tui.screens.explorer import ExplorerScreen

        assert isinstance(app.screen, ExplorerScreen)
