"""Scripted sessions of `dp100 quiz`, `dp100 exam`, `dp100 review` through real subprocesses, answers on stdin."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from quizzes.answers import format_answer
from quizzes.bank import load_bank
from quizzes.blueprint import load_blueprint
from quizzes.exam import sample_exam
from quizzes.samples import build_bank, sample_question, write_bank
from quizzes.scoring import correct_answer

pytestmark = pytest.mark.scenario

ROOT = Path(__file__).resolve().parents[2]
BP = load_blueprint()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    bank = tmp_path / "bank"
    write_bank(bank, build_bank(BP, per_domain=8))
    e = {k: v for k, v in os.environ.items() if not k.startswith("DP100_")}
    e.update({"DP100_HOME": str(home), "DP100_QUIZ_BANK": str(bank), "COLUMNS": "100", "NO_COLOR": "1"})
    return e


def dp100(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "course.cli", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=180)


def rows(env: dict[str, str], sql: str) -> list[tuple]:
    conn = sqlite3.connect(Path(env["DP100_HOME"]) / "progress.db")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def single_bank(env: dict[str, str], n: int = 5) -> None:
    """Replace the bank by `n` single-choice questions whose answer is always b."""
    folder = Path(env["DP100_QUIZ_BANK"])
    for f in folder.glob("*.yaml"):
        f.unlink()
    write_bank(folder, [sample_question("single", f"wks-{i:03d}", ["d1.g2.s1"]) for i in range(1, n + 1)])


def test_practice_session_with_feedback_and_saved_attempts(env: dict[str, str]) -> None:
    single_bank(env)
    proc = dp100(env, "quiz", "--n", "3", "--type", "single", stdin="b\na\nx\nb\n")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.count("Question ") >= 3 and "Question 3/3" in out
    assert out.count("✓ Correct") == 2 and "✗ Not right" in out
    assert "'x' is not an option" in out  # bad input asks again instead of failing
    assert "Why option B is or is not right." in out  # explanations shown after each answer
    assert "Session: 3 answered, 2 fully right, 2/3 points" in out
    assert rows(env, "SELECT mode, points, max_points, answer_json FROM quiz_attempts ORDER BY id") == [
        ("practice", 1, 1, '"b"'), ("practice", 0, 1, '"a"'), ("practice", 1, 1, '"b"')]
    assert rows(env, "SELECT COUNT(*) FROM quiz_cards") == [(3,)]


def test_practice_quit_and_end_of_input_keep_what_was_answered(env: dict[str, str]) -> None:
    single_bank(env)
    quit_run = dp100(env, "quiz", "--n", "3", stdin="b\nq\n")
    assert quit_run.returncode == 0, quit_run.stderr
    assert "Session: 1 answered" in quit_run.stdout
    eof_run = dp100(env, "quiz", "--n", "3", stdin="b\n")
    assert eof_run.returncode == 0, eof_run.stderr
    assert "End of input" in eof_run.stdout and "Session: 1 answered" in eof_run.stdout
    assert rows(env, "SELECT COUNT(*) FROM quiz_attempts") == [(2,)]
    # unseen questions come first: the second run did not repeat the first run's question
    assert len({r[0] for r in rows(env, "SELECT question_id FROM quiz_attempts")}) == 2


def test_practice_every_type_of_answer(env: dict[str, str]) -> None:
    bank = load_bank(Path(env["DP100_QUIZ_BANK"]), BP)
    for qtype, typed in [("multi", "a,c"), ("yesno", "y,n,y"), ("order", "c,a,d"), ("code", "b,a"),
                         ("case", "b\ny,n,y\nb,a")]:
        proc = dp100(env, "quiz", "--n", "1", "--type", qtype, stdin=typed + "\n")
        assert proc.returncode == 0, proc.stderr
        assert "✓ Correct" in proc.stdout, (qtype, proc.stdout)
    assert len(rows(env, "SELECT * FROM quiz_attempts WHERE points = max_points")) == 5
    assert len(bank.questions) == 32


def test_bad_filter_says_what_exists(env: dict[str, str]) -> None:
    proc = dp100(env, "quiz", "--topic", "kubernetes")
    assert proc.returncode == 1
    assert "Topics:" in proc.stderr and "datastores" in proc.stderr


def test_short_exam_scored_saved_and_reviewed(env: dict[str, str]) -> None:
    bank = load_bank(Path(env["DP100_QUIZ_BANK"]), BP)
    seed = 11
    questions = sample_exam(bank.questions, BP, 4, seed)
    lines = ["nav", "f"]  # look at the navigator, flag question 1
    for i, q in enumerate(questions):
        if q.type == "case":
            lines += [format_answer(p, correct_answer(p)) for p in q.parts]
            if i < len(questions) - 1:
                lines.append("n")
        else:
            lines.append(format_answer(q, correct_answer(q)))
    lines.append("end")
    proc = dp100(env, "exam", "--n", "4", "--minutes", "5", "--seed", str(seed), stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "4 questions, 5 minutes" in out and "left" in out  # countdown shown
    assert "Navigator" in out and "Flagged for review." in out
    assert "Score: 1000 / 1000 (pass 700) PASS" in out
    assert "Per domain" in out and "█" in out
    assert "Review of your answers" in out
    (exam,) = rows(env, "SELECT scaled_score, passed, reason, question_count, answered_count, seed FROM quiz_exams")
    assert exam == (1000, 1, "submitted", 4, 4, seed)
    attempts = rows(env, "SELECT question_id, mode, points = max_points FROM quiz_attempts ORDER BY id")
    assert [a[0] for a in attempts] == [q.id for q in questions]
    assert all(a[1] == "exam" and a[2] == 1 for a in attempts)


def test_exam_one_way_question_cannot_be_revisited(env: dict[str, str]) -> None:
    folder = Path(env["DP100_QUIZ_BANK"])
    for f in folder.glob("*.yaml"):
        f.unlink()
    write_bank(folder, [sample_question("yesno", "wks-001", ["d1.g1.s1"]),
                        sample_question("single", "wks-002", ["d1.g1.s2"])])
    bank = load_bank(folder, BP)
    order = [q.id for q in sample_exam(bank.questions, BP, 2, 5)]
    yes_no_number = order.index("wks-001") + 1
    other = 3 - yes_no_number
    script = [f"g {yes_no_number}", "y,n,y", f"g {other}", "b", f"g {yes_no_number}", "end"]
    proc = dp100(env, "exam", "--n", "2", "--minutes", "5", "--seed", "5", "--no-review",
                 stdin="\n".join(script) + "\n")
    assert proc.returncode == 0, proc.stderr
    assert "once you leave it you cannot come back" in proc.stdout
    assert f"Question {yes_no_number} is a yes/no series you have already left; it cannot be revisited." in proc.stdout
    assert "Score: 1000 / 1000" in proc.stdout


def test_exam_end_of_input_saves_the_result(env: dict[str, str]) -> None:
    proc = dp100(env, "exam", "--n", "4", "--minutes", "5", "--seed", "2", "--no-review", stdin="")
    assert proc.returncode == 0, proc.stderr
    assert "Input ended" in proc.stdout and "FAIL" in proc.stdout
    assert rows(env, "SELECT reason, answered_count, scaled_score FROM quiz_exams") == [("ended", 0, 1)]
    assert rows(env, "SELECT COUNT(*), SUM(answered) FROM quiz_attempts") == [(4, 0)]


def test_stats_json_and_retry_and_review(env: dict[str, str]) -> None:
    single_bank(env)
    assert dp100(env, "quiz", "--n", "2", stdin="a\nb\n").returncode == 0
    stats = dp100(env, "quiz", "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    data = json.loads(stats.stdout)
    assert data["answered_questions"] == 2 and data["attempts"] == 2
    d1 = next(d for d in data["domains"] if d["id"] == "d1")
    assert (d1["seen"], d1["points"], d1["max_points"], d1["percent"]) == (2, 1, 2, 50.0)
    assert data["weakest_skills"] == ["d1.g2.s1"]
    table = dp100(env, "quiz", "stats")
    assert "Per exam domain" in table.stdout and "d1.g2.s1" in table.stdout

    retry = dp100(env, "quiz", "retry", stdin="b\n")
    assert retry.returncode == 0, retry.stderr
    assert "Retry what you missed: 1 question(s)" in retry.stdout and "✓ Correct" in retry.stdout
    again = dp100(env, "quiz", "retry")
    assert "Nothing to retry" in again.stdout

    review = dp100(env, "review")
    assert review.returncode == 0, review.stderr
    assert "Nothing is due for review" in review.stdout or "due for review" in review.stdout


def test_study_lists_answers_and_explanations(env: dict[str, str]) -> None:
    proc = dp100(env, "quiz", "study", "--skill", "d1.g1.s1")
    assert proc.returncode == 0, proc.stderr
    assert "✓" in proc.stdout and "Why option B" in proc.stdout and "d1.g1.s1" in proc.stdout


def test_validate_command(env: dict[str, str], tmp_path: Path) -> None:
    ok = dp100(env, "quiz", "validate", env["DP100_QUIZ_BANK"], "--quiet")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = sample_question("single", "wks-001", ["d1.g1.s1"])
    bad["answer"] = "q"
    write_bank(tmp_path / "bad", [bad])
    proc = dp100(env, "quiz", "validate", str(tmp_path / "bad"))
    assert proc.returncode == 1 and "[wks-001]: error answer-key" in proc.stdout


def test_corrupt_progress_file_is_moved_aside(env: dict[str, str]) -> None:
    home = Path(env["DP100_HOME"])
    home.mkdir(parents=True)
    (home / "progress.db").write_bytes(b"definitely not sqlite " * 200)
    proc = dp100(env, "quiz", "stats", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["attempts"] == 0  # the notice does not break --json
    moved = list(home.glob("progress.db.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes().startswith(b"definitely not sqlite")
    assert "moved to" in proc.stderr.replace("\n", " ")
    assert rows(env, "SELECT value FROM quiz_meta WHERE key = 'schema_version'") == [("1",)]


def test_exam_timer_ends_a_waiting_session_and_saves(env: dict[str, str], tmp_path: Path) -> None:
    # stdin stays open and silent: the countdown (6 s) must end the exam by itself, not the end of input
    out_path, err_path = tmp_path / "out.txt", tmp_path / "err.txt"
    with open(out_path, "w") as out_f, open(err_path, "w") as err_f:
        proc = subprocess.Popen([sys.executable, "-m", "course.cli", "exam", "--n", "3", "--minutes", "0.1",
                                 "--seed", "1", "--no-review"], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                                stdout=out_f, stderr=err_f)
        try:
            proc.wait(timeout=120)
        finally:
            if proc.poll() is None:  # only if the timer failed
                proc.kill()
                proc.wait()
            assert proc.stdin is not None
            proc.stdin.close()
    out = out_path.read_text()
    assert proc.returncode == 0, err_path.read_text()
    assert "Time is up." in out and "Time ran out" in out
    assert rows(env, "SELECT reason, answered_count FROM quiz_exams") == [("time_up", 0)]
