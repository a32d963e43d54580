"""Coachee progress: goal scores (0-10) and the coachee's engagement (1-5) over their sessions."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from debrief.coachees.models import Coachee
from debrief.followup.models import Goal, GoalProgress
from debrief.insights.scope import Scope, narrowed
from debrief.insights.stats import day_labels, mean
from debrief.lib import charts

ENGAGEMENT_KEY = "coachee_engagement"
MAX_GOALS_CHARTED = 6


@dataclass
class GoalLine:
    goal: Goal
    scores: dict[int, int] = field(default_factory=dict)  # session id -> score

    @property
    def first_and_latest(self) -> tuple[int, int] | None:
        values = list(self.scores.values())
        return (values[0], values[-1]) if values else None


@dataclass
class CoacheeProgress:
    coachee: Coachee
    sessions: list[tuple[int, date]]  # (id, date) of held sessions in scope, in order
    goals: list[GoalLine]
    engagement: dict[int, int]  # session id -> rating

    @property
    def labels(self) -> list[str]:
        return day_labels([d for _, d in self.sessions])

    @property
    def engagement_mean(self) -> float | None:
        value = mean(list(self.engagement.values()))
        return None if value is None else round(value, 1)

    @property
    def has_goal_scores(self) -> bool:
        return any(g.scores for g in self.goals)

    def goals_chart(self) -> str:
        series = [
            charts.Series(g.goal.title, [g.scores.get(sid) for sid, _ in self.sessions])
            for g in self.goals[:MAX_GOALS_CHARTED]
        ]
        return charts.line_chart(
            f"Goal progress: {self.coachee.display_name}",
            self.labels,
            series,
            y_range=(0, 10),
            description="Where each goal stood at each session, from 0 to 10.",
        )

    def engagement_chart(self) -> str:
        values = [self.engagement.get(sid) for sid, _ in self.sessions]
        return charts.line_chart(
            f"Engagement: {self.coachee.display_name}",
            self.labels,
            [charts.Series("Engagement (your rating)", values)],
            y_range=(1, 5),
            description="How engaged and motivated you rated them at each session, 1 to 5.",
        )


def coachee_progress(scope: Scope, coachee: Coachee, *, goals: bool = True) -> CoacheeProgress:
    """One coachee's goals and engagement across their held sessions in scope.

    ``goals=False`` leaves the goals out (the coachee page shows them in its own panel).
    """
    scoped = scope if scope.coachee == coachee else narrowed(scope, coachee)
    rows = [(s.id, s.reflection_id, s.date) for s in scoped.held]
    sessions = [(sid, day) for sid, _, day in rows]
    ids = {sid for sid, _ in sessions}
    wanted = Goal.objects.for_coach(scope.coach).filter(coachee=coachee)
    wanted = wanted if goals else wanted.none()
    lines = {g.pk: GoalLine(g) for g in wanted.order_by("created")}
    # By goal (an index, a couple of ids), then kept to the held sessions in scope.
    progress = (
        GoalProgress.objects.for_coach(scope.coach)
        .filter(goal_id__in=list(lines), score__isnull=False)
        .values_list("goal_id", "session_id", "score")
    )
    for goal_id, session_id, score in progress if lines else ():
        if score is not None and session_id in ids:
            lines[goal_id].scores[session_id] = score
    for line in lines.values():  # in session order, for "first" and "latest"
        line.scores = {sid: line.scores[sid] for sid, _ in sessions if sid in line.scores}
    engagement = {
        sid: rating
        for sid, rid, _ in rows
        for key, rating in scoped.ratings[rid]
        if key == ENGAGEMENT_KEY
    }
    return CoacheeProgress(coachee, sessions, list(lines.values()), engagement)


@dataclass
class CoacheeRow:
    coachee: Coachee
    sessions: int
    goals: int
    change: float | None  # mean change of their goals' scores, first to latest
    engagement: float | None


def _goal_scores(scope: Scope) -> dict[int, tuple[int, int, int]]:
    """Each goal's first and latest score, in session order, and how many it has in scope.

    One pass, no sort: of a goal's scores only the first, the latest and their number show.
    (Two scores at one session, if ever, are ordered by score, as a sort would.)
    """
    position = {s.id: i for i, s in enumerate(scope.held)}
    first: dict[int, tuple[int, int]] = {}  # goal id -> (position, score)
    latest: dict[int, tuple[int, int]] = {}
    counts: dict[int, int] = defaultdict(int)
    rows = (
        GoalProgress.objects.for_coach(scope.coach)
        .filter(score__isnull=False)
        .values_list("goal_id", "session_id", "score")
    )
    for goal_id, session_id, score in rows:
        at = position.get(session_id)
        if at is None or score is None:
            continue
        here = (at, score)
        if goal_id not in first or here < first[goal_id]:
            first[goal_id] = here
        if goal_id not in latest or here > latest[goal_id]:
            latest[goal_id] = here
        counts[goal_id] += 1
    return {g: (first[g][1], latest[g][1], n) for g, n in counts.items()}


def _engagement(scope: Scope) -> dict[int, float]:
    """Mean engagement rating per coachee in scope, from the ratings the page reads anyway.

    The same figure as the database's AVG: a sum of whole numbers over their count.
    """
    coachee_of = {s.reflection_id: s.coachee_id for s in scope.held}
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for reflection_id, key, rating in scope.rating_rows:
        if key == ENGAGEMENT_KEY:
            cell = sums[coachee_of[reflection_id]]
            cell[0] += rating
            cell[1] += 1
    return {coachee_id: total / n for coachee_id, (total, n) in sums.items()}


def progress_table(scope: Scope) -> list[CoacheeRow]:
    """One line per coachee seen in scope: how their goals moved and how engaged they were."""
    held = Counter(s.coachee_id for s in scope.held)
    coachees = {c.pk: c for c in scope.coachees}
    scores = _goal_scores(scope)
    goal_owner = dict(Goal.objects.for_coach(scope.coach).values_list("pk", "coachee_id"))
    changes: dict[int, list[int]] = defaultdict(list)
    goal_counts: dict[int, int] = defaultdict(int)
    for goal_id, (first, latest, n) in scores.items():
        owner = goal_owner[goal_id]
        goal_counts[owner] += 1
        if n >= 2:
            changes[owner].append(latest - first)
    engagement = _engagement(scope)
    rows = []
    for coachee_id, n in held.items():
        change = mean(changes.get(coachee_id, []))
        avg = engagement.get(coachee_id)
        rows.append(
            CoacheeRow(
                coachees[coachee_id],
                n,
                goal_counts.get(coachee_id, 0),
                None if change is None else round(change, 1),
                None if avg is None else round(avg, 1),
            )
        )
    return sorted(rows, key=lambda r: r.coachee.display_name.casefold())
