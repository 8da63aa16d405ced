"""Lab progress: attempts, best scores and hints live in lab_* tables beside the quiz tables."""
import sqlite3

from labs.progress import LabProgress
from labs.results import CheckResult, LabResult


def result(score: int, status: str = "fail") -> LabResult:
    checks = [CheckResult("a", "A", "pass" if score else "fail", score, 4)]
    return LabResult("datasets-v1", status, score, 4, checks)


def test_attempts_and_best_score(tmp_path):
    with LabProgress(tmp_path / "progress.db") as progress:
        progress.record(result(1))
        progress.record(result(4, "pass"))
        progress.record(result(2))
        standing = progress.standing("datasets-v1")
    assert standing.attempts == 3 and standing.best_score == 4 and standing.passed and standing.best_percent == 100
    with LabProgress(tmp_path / "progress.db") as again:  # survives restarts
        assert [a.score for a in again.attempts("datasets-v1")] == [1, 4, 2]


def test_hints_come_one_at_a_time_and_reset(tmp_path):
    with LabProgress(tmp_path / "progress.db") as progress:
        assert [progress.next_hint("x", 2) for _ in range(3)] == [0, 1, None]
        progress.reset_hints("x")
        assert progress.next_hint("x", 2) == 0
        progress.solution_seen("x")
        assert progress.standing("x").solution_seen


def test_other_tables_are_left_alone(tmp_path):
    path = tmp_path / "progress.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE quiz_attempts (id INTEGER PRIMARY KEY, question_id TEXT)")
    conn.execute("INSERT INTO quiz_attempts (question_id) VALUES ('dst-001')")
    conn.commit()
    conn.close()
    with LabProgress(path) as progress:
        progress.record(result(3))
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT question_id FROM quiz_attempts").fetchall() == [("dst-001",)]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {t for t in tables if not t.startswith("sqlite_")} == {"quiz_attempts", "lab_meta", "lab_attempts", "lab_state"}
