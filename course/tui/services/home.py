"""What the Home screen shows: progress per topic and exam domain, where to continue, the next step, readiness.

Pure functions over the engines' data, so the rules can be read (and tested) in one place:

- **Topic progress** blends what exists for the topic: lessons read, the latest quiz answer per question of the
  topic, and labs passed (when the lab engine reports them). Each part is a fraction; the topic's percentage is
  their mean.
- **Exam readiness** estimates a score on the 1–1000 scale from the per-domain quiz results weighted by the
  blueprint's domain shares (an unanswered domain counts as 0), and blends it 50/50 with the mean of the last
  three mock exams when there are any. "Ready" needs an estimate ≥ 750 *and* a passed mock exam; "Close" is ≥ 650.
- **Next step**: reviews first when 5 or more are due, then the first unread lesson, then the weakest skill,
  then a mock exam once 30 questions have been answered; otherwise practice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    percent: float | None     # None: nothing to measure yet
    detail: str = ""


@dataclass(frozen=True)
class Step:
    label: str
    action: str               # an app action name, e.g. "open_lesson('datastores-1')"
    why: str = ""


@dataclass(frozen=True)
class Readiness:
    estimate: int | None      # scaled 1..1000, None when nothing answered yet
    label: str
    detail: str
    last_exams: tuple[int, ...] = ()


@dataclass(frozen=True)
class HomeSummary:
    topics: tuple[Area, ...]
    domains: tuple[Area, ...]
    readiness: Readiness
    next_step: Step
    continue_step: Step | None
    due: int = 0
    answered: int = 0
    bank_questions: int = 0
    notices: tuple[str, ...] = field(default_factory=tuple)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def readiness(domain_percents: dict[str, float | None], shares: dict[str, float], exam_scores: list[int],
              exam_passed: list[bool]) -> Readiness:
    answered = [p for p in domain_percents.values() if p is not None]
    if not answered and not exam_scores:
        return Readiness(None, "Not started", "Answer some questions to get an estimate.")
    quiz = 1 + 999 * sum(shares.get(d, 0.0) * (p or 0.0) / 100 for d, p in domain_percents.items())
    recent = exam_scores[-3:]
    est = quiz if not recent else 0.5 * quiz + 0.5 * (sum(recent) / len(recent))
    est_i = int(round(est))
    if est_i >= 750 and any(exam_passed):
        label = "Ready"
    elif est_i >= 650:
        label = "Close"
    else:
        label = "Keep going"
    missing = [d for d, p in domain_percents.items() if p is None]
    bits = []
    if recent:
        bits.append("last exams " + ", ".join(str(s) for s in recent))
    else:
        bits.append("no mock exam yet")
    if missing:
        bits.append("no answers yet in " + ", ".join(missing))
    return Readiness(est_i, label, "; ".join(bits), tuple(recent))


#: Titles for quiz topics that have no lessons yet (lesson topics bring their own titles).
TOPIC_TITLES = {
    "workspace": "Workspace and tools", "datastores": "Datastores", "data": "Datasets and data assets",
    "experiments": "Experiments and runs", "environments": "Environments", "compute": "Compute targets",
    "models": "Models", "automl": "Automated ML", "sweeps": "Hyperparameter sweeps", "notebooks": "Notebooks",
    "pipelines": "Pipelines", "schedules": "Schedules", "deployment": "Deployment", "security": "Security",
    "responsible-ai": "Responsible AI", "language-models": "Language models", "prompt-flow": "Prompt flow",
    "rag": "Retrieval-augmented generation", "fine-tuning": "Fine-tuning", "troubleshooting": "Troubleshooting",
}


def topic_areas(catalog: Any, quiz_by_topic: dict[str, tuple[int, int]], lessons_read: set[str],
                labs_by_topic: dict[str, tuple[int, int]], quiz_topics: list[str]) -> list[Area]:
    """One `Area` per topic: catalog topics first (their titles), then quiz topics without lessons."""
    out: list[Area] = []
    listed: set[str] = set()
    topics = [(t.id, t.title, [lesson.id for lesson in t.lessons]) for t in (catalog.topics if catalog else ())]
    topics += [(t, TOPIC_TITLES.get(t, t.replace("-", " ").capitalize()), []) for t in quiz_topics
               if t not in {x[0] for x in topics}]
    for tid, title, lesson_ids in topics:
        if tid in listed:
            continue
        listed.add(tid)
        parts: list[float] = []
        detail: list[str] = []
        if lesson_ids:
            done = sum(1 for i in lesson_ids if i in lessons_read)
            parts.append(done / len(lesson_ids))
            detail.append(f"lessons {done}/{len(lesson_ids)}")
        pts, mx = quiz_by_topic.get(tid, (0, 0))
        if mx:
            parts.append(pts / mx)
            detail.append(f"quiz {100 * pts / mx:.0f}%")
        passed, total = labs_by_topic.get(tid, (0, 0))
        if total:
            parts.append(passed / total)
            detail.append(f"labs {passed}/{total}")
        mean = _mean(parts)
        out.append(Area(tid, title, None if mean is None else 100 * mean, ", ".join(detail)))
    return out


def next_step(*, due: int, catalog: Any, lessons_read: set[str], weakest: Any, answered: int, exams: int) -> Step:
    if due >= 5:
        return Step(f"Review {due} due questions", "open_review", "spaced repetition keeps what you learned")
    if catalog is not None:
        for lesson in catalog.lessons:
            if lesson.id not in lessons_read:
                return Step(f"Read “{lesson.title}”", f"open_lesson('{lesson.id}')", "the next lesson you have not read")
    if weakest is not None:
        return Step(f"Practise {weakest.id} {weakest.title}", f"practise_skill('{weakest.id}')",
                    f"your weakest skill ({weakest.percent:.0f}%)")
    if answered >= 30 and exams == 0:
        return Step("Take a mock exam", "open_exam", "you have answered enough to see where you stand")
    if due:
        return Step(f"Review {due} due question(s)", "open_review", "they are due today")
    return Step("Practise questions", "open_practice", "feedback and explanations after each answer")


def continue_step(last: dict[str, Any], catalog: Any) -> Step | None:
    screen = last.get("screen")
    if screen == "lesson" and last.get("lesson") and catalog is not None:
        lesson = catalog.lesson(last["lesson"])
        if lesson is not None:
            return Step(f"Lesson “{lesson.title}”", f"open_lesson('{lesson.id}')")
    if screen == "lab" and last.get("lab"):
        return Step(f"Lab {last['lab']}", f"open_lab('{last['lab']}')")
    names = {"practice": ("Practice questions", "open_practice"), "exam": ("Mock exam", "open_exam"),
             "review": ("Review", "open_review"), "explorer": ("Sandbox explorer", "open_explorer"),
             "course": ("Course", "open_course"), "labs": ("Labs", "open_labs")}
    if screen in names:
        label, action = names[screen]
        return Step(label, action)
    return None


def summarise(quiz: Any, catalog: Any, state: Any, labs_progress: dict[str, tuple[int, int]] | None = None
              ) -> HomeSummary:
    """Everything the Home screen needs (call from a worker: it loads the bank)."""
    notices: list[str] = []
    bank_questions = 0
    domains: list[Area] = []
    quiz_by_topic: dict[str, tuple[int, int]] = {}
    quiz_topics: list[str] = []
    due = answered = 0
    weakest = None
    exams: list[Any] = []
    shares: dict[str, float] = {}
    domain_pct: dict[str, float | None] = {}
    try:
        bank = quiz.bank
        bp = quiz.blueprint
        note = quiz.bank_notice()
        if note:
            notices.append(note)
        bank_questions = len(bank.questions)
        st = quiz.stats()
        exams = quiz.exams()
        latest = quiz.store.latest_attempts()
        for q in bank.questions:
            if q.topic not in quiz_topics:
                quiz_topics.append(q.topic)
            a = latest.get(q.id)
            if a is not None:
                p, m = quiz_by_topic.get(q.topic, (0, 0))
                quiz_by_topic[q.topic] = (p + a.points, m + a.max_points)
        shares = bp.domain_shares()
        for d in st.domains:
            domain_pct[d.id] = d.percent
            domains.append(Area(d.id, d.title, d.percent, f"{d.seen}/{d.questions} questions"))
        due, answered = st.due, st.answered_questions
        w = st.weakest(1)
        weakest = w[0] if w else None
    except Exception as exc:  # progress or bank trouble must not hide the rest of Home
        notices.append(f"Quiz progress unavailable: {exc}")
    read = set(state.lessons_read) if state is not None else set()
    topics = topic_areas(catalog, quiz_by_topic, read, labs_progress or {}, quiz_topics)
    rd = readiness(domain_pct, shares, [e.scaled_score for e in exams], [e.passed for e in exams])
    step = next_step(due=due, catalog=catalog, lessons_read=read, weakest=weakest, answered=answered,
                     exams=len(exams))
    cont = continue_step(state.last if state is not None else {}, catalog)
    if catalog is not None and getattr(catalog, "problem", None):
        notices.append(catalog.problem)
    return HomeSummary(tuple(topics), tuple(domains), rd, step, cont, due, answered, bank_questions, tuple(notices))
