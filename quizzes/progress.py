"""The learner's quiz progress in one SQLite file (shared with labs and the TUI, which add their own tables).

- Tables are prefixed `quiz_`; other tables in the file are never touched or dropped.
- WAL journal, a `busy_timeout`, and writes in `BEGIN IMMEDIATE` transactions, so several dp100 processes can
  use the file at once.
- Schema version of this table set is kept in `quiz_meta` (`schema_version`); `_MIGRATIONS` upgrades in order.
- A corrupt file is detected on open (`sqlite3.DatabaseError` or `PRAGMA quick_check` not "ok"), moved aside to
  `<name>.corrupt-<timestamp>` (with its -wal/-shm files) and a fresh file is started; `ProgressStore.recovered`
  then holds the path of the old file so the app can tell the learner. A missing file is simply created.

What is stored: every attempt (question id, mode, answer as JSON, points, max, seconds, time, session, exam id),
exam results, and one FSRS card per question (`quiz_cards`, `fsrs.Card.to_dict()` as JSON) plus a review log.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 10_000

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE IF NOT EXISTS quiz_attempts (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        question_id   TEXT    NOT NULL,
        mode          TEXT    NOT NULL,            -- practice | retry | review | exam
        session_id    TEXT,
        exam_id       TEXT,
        answer_json   TEXT,                        -- NULL when unanswered
        answered      INTEGER NOT NULL DEFAULT 1,  -- 0: left blank (exam time-out / end)
        points        INTEGER NOT NULL,
        max_points    INTEGER NOT NULL,
        seconds       REAL,
        answered_at   TEXT    NOT NULL             -- ISO 8601, UTC
    );
    CREATE INDEX IF NOT EXISTS quiz_attempts_question ON quiz_attempts (question_id, answered_at);
    CREATE INDEX IF NOT EXISTS quiz_attempts_exam ON quiz_attempts (exam_id);

    CREATE TABLE IF NOT EXISTS quiz_exams (
        id             TEXT PRIMARY KEY,
        blueprint      TEXT    NOT NULL,
        seed           INTEGER,
        started_at     TEXT    NOT NULL,
        finished_at    TEXT    NOT NULL,
        minutes        REAL    NOT NULL,
        reason         TEXT    NOT NULL,           -- submitted | time_up | ended
        question_count INTEGER NOT NULL,
        answered_count INTEGER NOT NULL,
        points         INTEGER NOT NULL,
        max_points     INTEGER NOT NULL,
        scaled_score   INTEGER NOT NULL,
        pass_score     INTEGER NOT NULL,
        passed         INTEGER NOT NULL,
        domains_json   TEXT    NOT NULL
    );

    CREATE TABLE IF NOT EXISTS quiz_cards (
        question_id TEXT PRIMARY KEY,
        card_json   TEXT NOT NULL,
        due         TEXT NOT NULL,                 -- ISO 8601, UTC (copy of card.due, for queries)
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS quiz_cards_due ON quiz_cards (due);

    CREATE TABLE IF NOT EXISTS quiz_review_log (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        question_id TEXT    NOT NULL,
        rating      INTEGER NOT NULL,
        reviewed_at TEXT    NOT NULL,
        seconds     REAL
    );
    """,
}


class ProgressError(RuntimeError):
    """The progress file cannot be used (e.g. no permission); the message says what to do."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat(timespec="microseconds")


def parse_iso(text: str) -> datetime:
    dt = datetime.fromisoformat(text)
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Attempt:
    id: int
    question_id: str
    mode: str
    session_id: str | None
    exam_id: str | None
    answer: Any
    answered: bool
    points: int
    max_points: int
    seconds: float | None
    answered_at: datetime

    @property
    def correct(self) -> bool:
        return self.answered and self.max_points > 0 and self.points == self.max_points


@dataclass(frozen=True)
class ExamRecord:
    id: str
    blueprint: str
    seed: int | None
    started_at: datetime
    finished_at: datetime
    minutes: float
    reason: str
    question_count: int
    answered_count: int
    points: int
    max_points: int
    scaled_score: int
    pass_score: int
    passed: bool
    domains: list[dict[str, Any]]


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return True
    if isinstance(exc, sqlite3.OperationalError):  # locked, busy, cannot open, read-only, ...
        return False
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or not name


def _quick_check(path: Path) -> str | None:
    """None when the file is a healthy SQLite database, else a short reason."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if _is_corruption(exc):
            return str(exc)
        raise
    finally:
        conn.close()
    if not rows or rows[0][0] != "ok":
        first = str(rows[0][0]).splitlines()[0] if rows else "no result"
        return f"integrity check failed ({first})"
    return None


def _move_aside(path: Path, when: datetime) -> Path:
    stamp = when.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    path.replace(target)
    for suffix in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    return target


class ProgressStore:
    """Quiz progress in the SQLite file at `path` (created if missing, recovered if corrupt).

    `now` gives the current time (UTC, injectable for tests). Safe to share between threads.
    """

    def __init__(self, path: str | Path, *, now: Callable[[], datetime] = utcnow) -> None:
        self.path = Path(path).expanduser()
        self.now = now
        self.recovered: Path | None = None
        self.recovery_reason: str | None = None
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProgressError(f"Cannot create the folder for the progress file {self.path}: {exc.strerror}. "
                                f"Set DP100_HOME to a folder you can write to.") from exc
        self._conn = self._open()

    # -- opening -------------------------------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        if self.path.exists() and self.path.stat().st_size > 0:
            try:
                reason = _quick_check(self.path)
            except sqlite3.OperationalError as exc:
                raise ProgressError(f"Cannot open the progress file {self.path}: {exc}. "
                                    f"Close other dp100 windows or check the file's permissions.") from exc
            if reason:
                self.recovered = _move_aside(self.path, self.now())
                self.recovery_reason = reason
        try:
            conn = self._connect()
            self._migrate(conn)
        except sqlite3.DatabaseError as exc:
            if not _is_corruption(exc) or self.recovered is not None:
                raise ProgressError(f"Cannot use the progress file {self.path}: {exc}.") from exc
            # corruption that quick_check did not see (e.g. in the WAL): move aside once and start fresh
            self.recovered = _move_aside(self.path, self.now())
            self.recovery_reason = str(exc)
            conn = self._connect()
            self._migrate(conn)
        return conn

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("CREATE TABLE IF NOT EXISTS quiz_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            row = conn.execute("SELECT value FROM quiz_meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise ProgressError(f"The progress file {self.path} was written by a newer dp100 (quiz schema "
                                    f"{version}); upgrade dp100 to use it.")
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for stmt in _MIGRATIONS[v].split(";"):
                    if stmt.strip():
                        conn.execute(stmt)
            conn.execute("INSERT OR REPLACE INTO quiz_meta (key, value) VALUES ('schema_version', ?)",
                         (str(SCHEMA_VERSION),))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @property
    def recovery_message(self) -> str | None:
        """What to tell the learner when the file had to be replaced."""
        if self.recovered is None:
            return None
        return (f"Your progress file was damaged ({self.recovery_reason}). It was moved to {self.recovered} and a "
                f"fresh one was started at {self.path}. Nothing was deleted; keep the old file if you want to "
                f"try to recover it with the sqlite3 tool (.recover).")

    def schema_version(self) -> int:
        row = self._conn.execute("SELECT value FROM quiz_meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "ProgressStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT), rolled back on error."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # -- attempts --------------------------------------------------------------------------------------------------
    def add_attempt(
        self,
        conn: sqlite3.Connection | None = None,
        *,
        question_id: str,
        mode: str,
        answer: Any,
        points: int,
        max_points: int,
        seconds: float | None,
        session_id: str | None = None,
        exam_id: str | None = None,
        answered: bool = True,
        when: datetime | None = None,
    ) -> int:
        """Store one attempt. Pass `conn` from `transaction()` to group it with other writes."""
        if conn is None:
            with self.transaction() as c:
                return self.add_attempt(c, question_id=question_id, mode=mode, answer=answer, points=points,
                                        max_points=max_points, seconds=seconds, session_id=session_id,
                                        exam_id=exam_id, answered=answered, when=when)
        cur = conn.execute(
            "INSERT INTO quiz_attempts (question_id, mode, session_id, exam_id, answer_json, answered, points,"
            " max_points, seconds, answered_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (question_id, mode, session_id, exam_id, None if answer is None else json.dumps(answer),
             int(answered), int(points), int(max_points), seconds, iso(when or self.now())),
        )
        return int(cur.lastrowid or 0)

    def _attempt(self, row: Sequence[Any]) -> Attempt:
        return Attempt(row[0], row[1], row[2], row[3], row[4], None if row[5] is None else json.loads(row[5]),
                       bool(row[6]), row[7], row[8], row[9], parse_iso(row[10]))

    _ATTEMPT_COLS = ("id, question_id, mode, session_id, exam_id, answer_json, answered, points, max_points, "
                     "seconds, answered_at")

    def attempts(self, question_id: str | None = None, *, exam_id: str | None = None,
                 session_id: str | None = None) -> list[Attempt]:
        """Attempts in the order they were made, optionally for one question, exam or session."""
        where, args = [], []
        for col, val in (("question_id", question_id), ("exam_id", exam_id), ("session_id", session_id)):
            if val is not None:
                where.append(f"{col} = ?")
                args.append(val)
        sql = f"SELECT {self._ATTEMPT_COLS} FROM quiz_attempts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY id", args).fetchall()
        return [self._attempt(r) for r in rows]

    def latest_attempts(self, *, answered_only: bool = True) -> dict[str, Attempt]:
        """The most recent attempt per question (by default ignoring questions left blank in an exam)."""
        cond = "WHERE answered = 1" if answered_only else ""
        sql = (f"SELECT {self._ATTEMPT_COLS} FROM quiz_attempts WHERE id IN "
               f"(SELECT MAX(id) FROM quiz_attempts {cond} GROUP BY question_id)")
        with self._lock:
            rows = self._conn.execute(sql).fetchall()
        return {r[1]: self._attempt(r) for r in rows}

    def attempt_counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT question_id, COUNT(*) FROM quiz_attempts WHERE answered = 1 GROUP BY question_id").fetchall()
        return {r[0]: r[1] for r in rows}

    # -- exams -----------------------------------------------------------------------------------------------------
    def add_exam(self, conn: sqlite3.Connection, record: ExamRecord) -> None:
        conn.execute(
            "INSERT INTO quiz_exams (id, blueprint, seed, started_at, finished_at, minutes, reason, question_count,"
            " answered_count, points, max_points, scaled_score, pass_score, passed, domains_json)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (record.id, record.blueprint, record.seed, iso(record.started_at), iso(record.finished_at),
             record.minutes, record.reason, record.question_count, record.answered_count, record.points,
             record.max_points, record.scaled_score, record.pass_score, int(record.passed),
             json.dumps(record.domains)),
        )

    def exams(self) -> list[ExamRecord]:
        """Every saved exam, oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, blueprint, seed, started_at, finished_at, minutes, reason, question_count, answered_count,"
                " points, max_points, scaled_score, pass_score, passed, domains_json FROM quiz_exams"
                " ORDER BY finished_at, rowid").fetchall()
        return [ExamRecord(r[0], r[1], r[2], parse_iso(r[3]), parse_iso(r[4]), r[5], r[6], r[7], r[8], r[9], r[10],
                           r[11], r[12], bool(r[13]), json.loads(r[14])) for r in rows]

    # -- FSRS cards ------------------------------------------------------------------------------------------------
    def card_dict(self, question_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute("SELECT card_json FROM quiz_cards WHERE question_id = ?",
                                     (question_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def put_card(self, conn: sqlite3.Connection, question_id: str, card: dict[str, Any], due: datetime) -> None:
        conn.execute(
            "INSERT INTO quiz_cards (question_id, card_json, due, updated_at) VALUES (?,?,?,?)"
            " ON CONFLICT(question_id) DO UPDATE SET card_json = excluded.card_json, due = excluded.due,"
            " updated_at = excluded.updated_at",
            (question_id, json.dumps(card), iso(due), iso(self.now())),
        )

    def add_review_log(self, conn: sqlite3.Connection, question_id: str, rating: int, when: datetime,
                       seconds: float | None) -> None:
        conn.execute("INSERT INTO quiz_review_log (question_id, rating, reviewed_at, seconds) VALUES (?,?,?,?)",
                     (question_id, rating, iso(when), seconds))

    def due_cards(self, at: datetime | None = None) -> list[tuple[str, datetime]]:
        """(question id, due time) of every card due at `at` (default now), most overdue first."""
        with self._lock:
            rows = self._conn.execute("SELECT question_id, due FROM quiz_cards WHERE due <= ? ORDER BY due, question_id",
                                      (iso(at or self.now()),)).fetchall()
        return [(r[0], parse_iso(r[1])) for r in rows]

    def next_due(self) -> datetime | None:
        with self._lock:
            row = self._conn.execute("SELECT MIN(due) FROM quiz_cards").fetchone()
        return parse_iso(row[0]) if row and row[0] else None

    def card_count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM quiz_cards").fetchone()[0])


# ----------------------------------------------------------------------------------------------------------------
# Statistics (need the bank and blueprint to know each question's skills)
# ----------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaStats:
    """How the learner does in one domain or skill.

    `points`/`max_points` add up each question's *latest* answered attempt (what the learner knows now);
    `attempts` counts every answered attempt. A question counts for each of its skills and (once) for each
    domain those skills belong to.
    """

    id: str
    title: str
    questions: int      # questions in the bank for this area
    seen: int           # of those, answered at least once
    attempts: int
    points: int
    max_points: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.points / self.max_points if self.max_points else None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "questions": self.questions, "seen": self.seen,
                "attempts": self.attempts, "points": self.points, "max_points": self.max_points,
                "percent": None if self.percent is None else round(self.percent, 1)}


@dataclass(frozen=True)
class Stats:
    domains: list[AreaStats]
    skills: list[AreaStats]
    answered_questions: int
    attempts: int
    due: int
    cards: int
    exams: int

    def weakest(self, k: int = 5) -> list[AreaStats]:
        """Skills with answers, lowest percentage first (ties: fewer questions seen first)."""
        seen = [s for s in self.skills if s.max_points]
        return sorted(seen, key=lambda s: (s.percent or 0.0, s.seen, s.id))[:k]

    def to_dict(self) -> dict[str, Any]:
        return {
            "answered_questions": self.answered_questions,
            "attempts": self.attempts,
            "due_reviews": self.due,
            "cards": self.cards,
            "exams": self.exams,
            "domains": [d.to_dict() for d in self.domains],
            "skills": [s.to_dict() for s in self.skills],
            "weakest_skills": [s.id for s in self.weakest()],
        }


def compute_stats(store: ProgressStore, bank: Any, blueprint: Any, at: datetime | None = None) -> Stats:
    """Per-domain and per-skill statistics. `bank` is a `quizzes.bank.Bank`, `blueprint` a `Blueprint`."""
    latest = store.latest_attempts()
    counts = store.attempt_counts()
    q_by_skill: dict[str, list[str]] = {s.id: [] for s in blueprint.skills}
    q_by_domain: dict[str, list[str]] = {d.id: [] for d in blueprint.domains}
    for q in bank.questions:
        for s in dict.fromkeys(q.skills):
            q_by_skill.setdefault(s, []).append(q.id)
        for d in q.domains:
            q_by_domain.setdefault(d, []).append(q.id)

    def area(aid: str, title: str, qids: list[str]) -> AreaStats:
        seen = [qid for qid in qids if qid in latest]
        return AreaStats(aid, title, len(qids), len(seen), sum(counts.get(q, 0) for q in qids),
                         sum(latest[q].points for q in seen), sum(latest[q].max_points for q in seen))

    domains = [area(d.id, d.title, q_by_domain.get(d.id, [])) for d in blueprint.domains]
    skills = [area(s.id, s.title, q_by_skill.get(s.id, [])) for s in blueprint.skills]
    in_bank = [qid for qid in latest if bank.get(qid) is not None]
    due = [qid for qid, _ in store.due_cards(at) if bank.get(qid) is not None]
    return Stats(domains, skills, len(in_bank), sum(counts.values()), len(due), store.card_count(),
                 len(store.exams()))
