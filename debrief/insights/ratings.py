"""Self-assessment over time: the coach's own 1-5 ratings, per rating prompt of their templates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from debrief.insights.scope import Scope
from debrief.insights.stats import ROLLING_WINDOW, day_labels, month_label, rolling, trend_word
from debrief.journal.answers.base import kind_of
from debrief.lib import charts
from debrief.prompts.definition import Prompt
from debrief.prompts.models import TemplateVersion

# Up to this many sessions a chart shows each one; past it, one point per month.
MAX_POINTS = 60
# The built-in template's questions read oddly as chart titles out of context ("How effective
# were they...?"): plain titles for those; a coach's own prompts keep their own words.
TITLES = {
    "techniques_effectiveness": "How well your techniques worked",
    "communication_clear": "How clear and effective your communication was",
    "listening": "How well you listened and responded",
}
# Prompts about the coachee rather than the coach: shown under coachee progress.
ABOUT_THE_COACHEE = frozenset({"coachee_engagement"})


@dataclass
class Point:
    label: str
    value: float
    count: int  # ratings behind the value (1 per session, more for a month)


@dataclass
class RatingTrend:
    key: str
    text: str
    scale: tuple[int, int]
    by_month: bool = False
    points: list[Point] = field(default_factory=list)
    question: str = ""  # the prompt as the reflection asks it

    @cached_property
    def count(self) -> int:
        return sum(p.count for p in self.points)

    @property
    def mean(self) -> float | None:
        if not self.count:
            return None
        return round(sum(p.value * p.count for p in self.points) / self.count, 1)

    @cached_property
    def trend(self) -> str:
        return trend_word([p.value for p in self.points])

    @property
    def first_and_last(self) -> tuple[float, float] | None:
        """The mean of the first and of the last few ratings (a plain before-and-after)."""
        values = [p.value for p in self.points]
        if self.by_month or len(values) < 2 * ROLLING_WINDOW:
            return None
        first, last = values[:ROLLING_WINDOW], values[-ROLLING_WINDOW:]
        return round(sum(first) / ROLLING_WINDOW, 1), round(sum(last) / ROLLING_WINDOW, 1)

    def chart(self) -> str:
        values: list[float | None] = [p.value for p in self.points]
        unit = "Monthly average" if self.by_month else "Each session"
        description = (
            f"{self.question} Rated {self.count} time{'s' if self.count != 1 else ''} from "
            f"{self.scale[0]} to {self.scale[1]}"
            + (f", average {self.mean}." if self.mean is not None else ".")
        )
        return charts.line_chart(
            self.text,
            [p.label for p in self.points],
            [
                charts.Series(unit, values, style="dots"),
                charts.Series(
                    f"Average of the last {ROLLING_WINDOW}", rolling(values), style="line"
                ),
            ],
            y_range=self.scale,
            description=description,
        )


def _rating_prompts(version_ids: set[int]) -> dict[str, tuple[Prompt, tuple[int, int]]]:
    """Prompts charted over time (ratings) of the template versions used, with their scale;
    the first wording wins for a shared key."""
    prompts: dict[str, tuple[Prompt, tuple[int, int]]] = {}
    for version in TemplateVersion.objects.filter(pk__in=version_ids).order_by("pk"):
        for prompt in version.parsed.prompts():
            scale = kind_of(prompt).chart_scale(prompt)
            if scale is not None:
                prompts.setdefault(prompt.key, (prompt, scale))
    return prompts


Found = tuple[dict[str, list[Point]], set[int]]  # points per prompt key, versions seen


def _per_session(scope: Scope) -> Found:
    """One point per session and rating prompt, in session order: for a short history."""
    labels = day_labels([s.date for s in scope.held])
    points: dict[str, list[Point]] = defaultdict(list)
    versions: set[int] = set()
    for session, label in zip(scope.held, labels, strict=True):
        for key, rating in scope.ratings.get(session.reflection_id, ()):
            versions.add(session.template_version_id)
            points[key].append(Point(label, rating, 1))
    return points, versions


def _per_month(scope: Scope) -> Found:
    """Monthly averages: a long history is thousands of ratings, one point per month.

    From the scope's months (``months.py``), each with the sum and count of every rating.
    """
    points: dict[str, list[Point]] = defaultdict(list)
    for month, figures in scope.totals.months:
        for key, (total, n) in figures.ratings.items():
            points[key].append(Point(month_label(month), round(total / n, 2), n))
    return points, scope.totals.versions


def rating_trends(scope: Scope) -> list[RatingTrend]:
    """One trend per rating prompt answered in scope, in the template's order."""
    by_month = scope.totals.sessions > MAX_POINTS
    points, versions = _per_month(scope) if by_month else _per_session(scope)
    trends = []
    for key, (prompt, scale) in _rating_prompts(versions).items():
        if points.get(key):
            title = TITLES.get(key, prompt.text)
            trend = RatingTrend(key, title, scale)
            trend.by_month, trend.points, trend.question = by_month, points[key], prompt.text
            trends.append(trend)
    return trends
