"""The progress store: creation, corruption recovery, other tables left alone, attempts, stats, retry."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from quizzes.bank import load_bank
from quizzes.blueprint import load_blueprint
from quizzes.models import Question
from quizzes.practice import (
    PracticeSession,
    SelectionError,
    check_filters,
    filter_questions,
    pick_practice,
    study_questions,
    wrong_last_time,
)
from quizzes.progress import SCHEMA_VERSION, ProgressStore, compute_stats
from quizzes.samples import build_bank, sample_question, write_bank
from quizzes.scoring import correct_answer

BP = load_blueprint()
_Q = TypeAdapter(Question)
T0 = datetime(2025, 5, 1, 9, 0, tzinfo=timezone.utc)


def wrong_answer(q):
    """An answer that scores 0 (but is an answer)."""
    t = q.type
    if t == "single":
        return next(o.id for o in q.options if o.id != q.answer)
    if t == "multi":
        return [o.id for o in q.options if o.id not in q.answer]
    if t == "yesno":
        return {i.id: not i.answer for i in q.items}
    if t == "order":
        return list(reversed(q.answer))
    if t == "code":
        return {b.id: next(c.id for c in b.choices if c.id != b.answer) for b in q.blanks}
    return {p.id: wrong_answer(p) for p in q.parts}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DP100_HOME", str(tmp_path))
    return tmp_path / "progress.db"


@pytest.fixture
def bank(tmp_path: Path):
    write_bank(tmp_path / "bank", build_bank(BP, per_domain=6))
    return load_bank(tmp_path / "bank", BP)


def test_missing_file_is_created_with_wal_and_version(db: Path) -> None:
    assert not db.exists()
    store = ProgressStore(db)
    assert db.exists() and store.recovered is None
    assert store.schema_version() == SCHEMA_VERSION
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"quiz_meta", "quiz_attempts", "quiz_exams", "quiz_cards", "quiz_review_log"} <= tables
    assert all(t.startswith(("quiz_", "sqlite_")) for t in tables)
    conn.close()
    store.close()


def test_missing_parent_folder_is_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DP100_HOME", str(tmp_path / "a" / "b"))
    store = ProgressStore(tmp_path / "a" / "b" / "progress.db")
    assert store.path.exists()
    store.close()


def test_other_tables_in_the_file_are_kept(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE lab_results (lab TEXT, score INT)")
    conn.execute("INSERT INTO lab_results VALUES ('datastores-01', 90)")
    conn.commit()
    conn.close()
    store = ProgressStore(db)
    store.add_attempt(question_id="wks-001", mode="practice", answer="b", points=1, max_points=1, seconds=3.0)
    store.close()
    ProgressStore(db).close()  # reopening does not migrate again or drop anything
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT * FROM lab_results").fetchall() == [("datastores-01", 90)]
    assert conn.execute("SELECT COUNT(*) FROM quiz_attempts").fetchone()[0] == 1
    conn.close()


def test_garbage_file_is_moved_aside_and_a_fresh_one_started(db: Path) -> None:
    db.write_bytes(b"this is not a database, just some bytes " * 100)
    store = ProgressStore(db, now=lambda: T0)
    assert store.recovered == db.with_name("progress.db.corrupt-20250501-090000")
    assert store.recovered.read_bytes().startswith(b"this is not a database")
    assert "moved to" in (store.recovery_message or "") and str(store.recovered) in store.recovery_message
    store.add_attempt(question_id="wks-001", mode="practice", answer="b", points=1, max_points=1, seconds=3.0)
    assert len(store.attempts()) == 1
    store.close()
    again = ProgressStore(db, now=lambda: T0)
    assert again.recovered is None and len(again.attempts()) == 1
    again.close()


def test_damaged_pages_are_detected_by_quick_check(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE lab_notes (body TEXT)")
    conn.executemany("INSERT INTO lab_notes VALUES (?)", [("x" * 300,) for _ in range(400)])
    conn.commit()
    conn.close()
    data = bytearray(db.read_bytes())
    for i in range(4096 + 200, min(len(data), 4096 * 6)):
        data[i] = 0x41
    db.write_bytes(bytes(data))
    store = ProgressStore(db, now=lambda: T0)
    assert store.recovered is not None and store.recovered.exists()
    assert store.recovered.stat().st_size == len(data)  # nothing lost: the old file is kept whole
    store.add_attempt(question_id="wks-001", mode="practice", answer="b", points=1, max_points=1, seconds=1.0)
    store.close()


def test_second_corruption_same_second_does_not_overwrite(db: Path) -> None:
    for _ in range(2):
        db.write_bytes(b"garbage" * 500)
        ProgressStore(db, now=lambda: T0).close()
    names = sorted(p.name for p in db.parent.glob("progress.db.corrupt-*"))
    assert names == ["progress.db.corrupt-20250501-090000", "progress.db.corrupt-20250501-090000-2"]


def test_two_stores_on_one_file(db: Path) -> None:
    a, b = ProgressStore(db), ProgressStore(db)
    a.add_attempt(question_id="wks-001", mode="practice", answer="b", points=1, max_points=1, seconds=1.0)
    b.add_attempt(question_id="wks-002", mode="practice", answer="a", points=0, max_points=1, seconds=1.0)
    assert {x.question_id for x in a.attempts()} == {"wks-001", "wks-002"}
    a.close()
    b.close()


def test_attempt_roundtrip_keeps_answer_json(db: Path) -> None:
    store = ProgressStore(db, now=lambda: T0)
    store.add_attempt(question_id="wks-001", mode="exam", answer={"p1": "b", "p2": {"1": True}}, points=2,
                      max_points=4, seconds=12.5, session_id="s1", exam_id="e1")
    (a,) = store.attempts("wks-001")
    assert a.answer == {"p1": "b", "p2": {"1": True}}
    assert (a.mode, a.points, a.max_points, a.seconds, a.exam_id, a.answered_at) == ("exam", 2, 4, 12.5, "e1", T0)
    store.close()


def test_stats_per_domain_and_skill_and_weakest(db: Path, bank) -> None:
    store = ProgressStore(db, now=lambda: T0)
    d1 = [q for q in bank.questions if q.domain == "d1"][:2]
    d3 = [q for q in bank.questions if q.domain == "d3"][:1]
    session = PracticeSession(d1 + d3, store)
    session.submit(d1[0], correct_answer(d1[0]))
    session.submit(d1[1], wrong_answer(d1[1]))
    session.submit(d3[0], correct_answer(d3[0]))
    st = compute_stats(store, bank, BP)
    by_d = {d.id: d for d in st.domains}
    assert by_d["d1"].seen == 2 and by_d["d1"].questions == 6
    assert by_d["d1"].percent == pytest.approx(100 * by_d["d1"].points / by_d["d1"].max_points)
    assert by_d["d1"].percent < 100 and by_d["d3"].percent == 100 and by_d["d2"].percent is None
    weakest = st.weakest(1)[0]
    assert weakest.id in d1[1].skills and weakest.percent == 0
    assert st.answered_questions == 3 and st.attempts == 3
    data = st.to_dict()
    assert data["weakest_skills"][0] == weakest.id and len(data["skills"]) == 64
    store.close()


def test_retry_wrong_uses_the_latest_attempt(db: Path, bank) -> None:
    store = ProgressStore(db)
    a, b = bank.questions[0], bank.questions[1]
    session = PracticeSession([a, b], store)
    session.submit(a, wrong_answer(a))
    session.submit(b, wrong_answer(b))
    session.submit(bank.questions[2], None)  # not an answer: not counted as a miss
    assert [q.id for q in wrong_last_time(store, bank)] == [a.id, b.id]
    PracticeSession([a], store, mode="retry").submit(a, correct_answer(a))
    assert [q.id for q in wrong_last_time(store, bank)] == [b.id]
    store.close()


def test_practice_filters_and_unseen_first(bank) -> None:
    assert {q.topic for q in filter_questions(bank.questions, topic="workspace")} == {"workspace"}
    assert all(q.type == "code" for q in filter_questions(bank.questions, qtype="code"))
    assert all("d2" in q.domains for q in filter_questions(bank.questions, domain="d2"))
    group = filter_questions(bank.questions, skill="d1.g1")
    assert group and all(any(s.startswith("d1.g1.") for s in q.skills) for q in group)
    seen = [q.id for q in bank.questions[:20]]
    picked = pick_practice(bank.questions, 4, seen=seen, seed=1)
    assert len(picked) == 4 and not set(q.id for q in picked) & set(seen)
    assert pick_practice(bank.questions, 4, seed=2) == pick_practice(bank.questions, 4, seed=2)
    assert [q.id for q in study_questions(bank.questions, skill="d4")] == sorted(
        q.id for q in bank.questions if any(s.startswith("d4.") for s in q.skills))


@pytest.mark.parametrize("kw, says", [({"topic": "k8s"}, "Topics:"), ({"domain": "d9"}, "Domains:"),
                                      ({"skill": "x"}, "d1.g2.s3"), ({"qtype": "essay"}, "Types:")])
def test_unknown_filters_list_the_valid_values(kw, says: str) -> None:
    with pytest.raises(SelectionError, match=says):
        check_filters(BP, **kw)


def test_practice_session_times_answers_with_injected_clock(db: Path, bank) -> None:
    t = [100.0]
    store = ProgressStore(db)
    q = _Q.validate_python(sample_question("single", "wks-900", ["d1.g2.s1"]))
    session = PracticeSession([q], store, clock=lambda: t[0])
    session.start(q)
    t[0] += 42.0
    fb = session.submit(q, "b")
    assert fb.seconds == 42.0 and fb.result.correct
    assert store.attempts("wks-900")[0].seconds == 42.0
    assert session.points == 1 and session.fully_correct == 1
    store.close()


def test_due_cards_query(db: Path) -> None:
    store = ProgressStore(db, now=lambda: T0)
    with store.transaction() as c:
        store.put_card(c, "wks-001", {"x": 1}, T0 - timedelta(hours=1))
        store.put_card(c, "wks-002", {"x": 2}, T0 + timedelta(days=2))
    assert [qid for qid, _ in store.due_cards()] == ["wks-001"]
    assert [qid for qid, _ in store.due_cards(T0 + timedelta(days=3))] == ["wks-001", "wks-002"]
    assert store.next_due() == T0 - timedelta(hours=1)
    store.close()
