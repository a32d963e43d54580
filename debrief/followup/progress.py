"""A coachee's goals with their progress over the sessions, and breakthroughs along the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape
from uuid import UUID

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from debrief.coachees.models import Coachee
from debrief.followup.models import Goal, GoalProgress
from debrief.journal.models import Answer
from debrief.lib.charts import Series, line_chart

BREAKTHROUGH_KEYS = ("breakthroughs",)
BREAKTHROUGH_LIMIT = 8
TABLE_ROWS = 12  # scores listed under a goal's chart; a long engagement has one per session


@dataclass(frozen=True)
class Point:
    session_number: int
    session_date: date
    session_code: UUID
    score: int


@dataclass(frozen=True)
class Figure:
    """One row of a goal's figures table, formatted in Python (cheaper than in the template;
    numbers as text, which a template would localise at a cost per row)."""

    session_number: str
    url: str
    when: str
    score: str


def _summary(points: list[Point]) -> str:
    """A chart's text alternative: where the goal started and where it is now."""
    if not points:
        return "Not scored yet."
    first, last = points[0], points[-1]
    if len(points) == 1:
        return f"Scored once: {last.score} of 10 at session {last.session_number}."
    change = last.score - first.score
    trend = "up" if change > 0 else "down" if change < 0 else "no change"
    return (
        f"From {first.score} of 10 at session {first.session_number} to {last.score} of 10 "
        f"at session {last.session_number} ({trend}{f' {abs(change)}' if change else ''}, "
        f"{len(points)} scores)."
    )


def _chart(title: str, points: list[Point], summary: str) -> str:
    """A small line chart of the scores (SVG, safe to inline), or "" before any score."""
    if not points:
        return ""
    labels = [f"S{p.session_number}" for p in points]
    scores = [Series("Score (0-10)", [p.score for p in points])]
    return line_chart(title, labels, scores, y_range=(0, 10), description=summary)


def _figures(points: list[Point]) -> list[Figure]:
    view = reverse("reflection_view", args=[UUID(int=0)]).replace(str(UUID(int=0)), "{}")
    return [
        Figure(
            str(p.session_number),
            view.format(p.session_code),
            p.session_date.strftime("%-d %b %Y"),
            str(p.score),
        )
        for p in points
    ]


def _figure_rows(figures: list[Figure]) -> SafeString:
    """The figures table's rows, with the markup its template loop wrote, byte for byte
    (``tests/test_coachee_lists.py`` compares): a lookup and an escape per cell cost more."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<tr><td><a href="{escape(f.url)}">{escape(f.session_number)}</a></td>'
            f"<td>{escape(f.when)}</td><td>{escape(f.score)} / 10</td></tr>"
            for f in figures
        )
    )


@dataclass
class GoalTrack:
    """A goal with its scores in session order, and what the pages show of it, worked out
    when the track is made: a template only prints them (``bench.template_time``)."""

    goal: Goal
    points: list[Point]
    summary: str = field(init=False)
    chart: str = field(init=False)
    recent_points: list[Figure] = field(init=False)  # the latest few (the chart shows all)
    figure_rows: SafeString = field(init=False)  # the table of ``recent_points``

    def __post_init__(self) -> None:
        self.summary = _summary(self.points)
        self.chart = _chart(str(self.goal.title), self.points, self.summary)
        self.recent_points = _figures(self.points[-TABLE_ROWS:])
        self.figure_rows = _figure_rows(self.recent_points)

    @property
    def older_count(self) -> int:
        return max(0, len(self.points) - TABLE_ROWS)

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None


@dataclass(frozen=True)
class Breakthrough:
    """One breakthrough on the coachee's page, formatted once in Python."""

    url: str  # to the answer in the session's reflection
    when: str  # "Session 12, 3 Mar 2026"
    text: str  # its first 30 words


def goal_tracks(
    coachee: Coachee, *, date_from: date | None = None, date_to: date | None = None
) -> list[GoalTrack]:
    """Every goal of the coachee (active first), each with its scores in session order.

    ``date_from`` and ``date_to`` (either may be left out) keep only the scores of sessions
    on those days or between them, as a dossier of a date range shows.
    """
    goals = list(Goal.objects.filter(coachee=coachee).select_related("coachee").order_by("created"))
    points: dict[int, list[Point]] = {g.pk: [] for g in goals}
    # Plain values: the scores are facts, so no note needs opening to draw the chart.
    scores = GoalProgress.objects.filter(goal__coachee=coachee, score__isnull=False)
    if date_from is not None:
        scores = scores.filter(session__date__gte=date_from)
    if date_to is not None:
        scores = scores.filter(session__date__lte=date_to)
    rows = scores.order_by("session__date", "session__number").values_list(
        "goal_id", "session__number", "session__date", "session__code", "score"
    )
    for goal_id, number, day, code, score in rows:
        if score is not None:  # never, by the filter; for the type checker
            points[goal_id].append(Point(number, day, code, score))
    order = {Goal.Status.ACTIVE: 0, Goal.Status.ACHIEVED: 1, Goal.Status.DROPPED: 2}
    goals.sort(key=lambda g: order[Goal.Status(g.status)])
    return [GoalTrack(g, points[g.pk]) for g in goals]


def breakthroughs(coachee: Coachee) -> list[Breakthrough]:
    """What the coach recorded as breakthroughs, newest first."""
    answers = (
        Answer.objects.filter(
            reflection__session__coachee=coachee, prompt_key__in=BREAKTHROUGH_KEYS
        )
        .exclude(text="")
        .select_related("reflection__session")
        .order_by("-reflection__session__date", "-reflection__session__number")
    )[:BREAKTHROUGH_LIMIT]
    view = reverse("reflection_view", args=[UUID(int=0)]).replace(str(UUID(int=0)), "{}")
    found = []
    for answer in answers:
        session = answer.reflection.session
        url = f"{view.format(session.code)}#prompt-{answer.prompt_key}"
        when = f"Session {session.number}, {session.date:%-d %b %Y}"
        found.append(Breakthrough(url, when, Truncator(answer.text).words(30, truncate=" …")))
    return found
