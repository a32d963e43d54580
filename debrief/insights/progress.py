"""Coachee progress: goal scores (0-10) and the coachee's engagement (1-5) over their sessions."""

from __future__ import annotations

from collections import defaultdict
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


def progress_table(scope: Scope) -> list[CoacheeRow]:
    """One line per coachee seen in scope: how their goals moved and how engaged they were.

    From the scope's months (``months.py``): sessions, engagement and goal scores added up.
    """
    people = scope.totals.people
    coachees = {c.pk: c for c in scope.coachees}
    scores = scope.totals.goals
    goal_owner = dict(Goal.objects.for_coach(scope.coach).values_list("pk", "coachee_id"))
    changes: dict[int, list[int]] = defaultdict(list)
    goal_counts: dict[int, int] = defaultdict(int)
    for goal_id, (first, latest, n) in scores.items():
        owner = goal_owner[goal_id]
        goal_counts[owner] += 1
        if n >= 2:
            changes[owner].append(latest - first)
    # The same figure as the database's AVG: a sum of whole numbers over their count.
    engagement = {c: total / n for c, (_, total, n) in people.items() if n}
    rows = []
    for coachee_id, (n, _, _) in people.items():
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
