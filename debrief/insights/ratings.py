"""Self-assessment over time: the coach's own 1-5 ratings, per rating prompt of their templates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from debrief.insights import charts
from debrief.insights.scope import Scope
from debrief.insights.stats import (
    ROLLING_WINDOW,
    day_labels,
    mean,
    month_label,
    month_start,
    rolling,
    trend_word,
)
from debrief.journal.models import Answer
from debrief.prompts.definition import Prompt
from debrief.prompts.models import TemplateVersion

# Up to this many sessions a chart shows each one; past it, one point per month.
MAX_POINTS = 60
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
    ratings: list[tuple[date, int]] = field(default_factory=list)
    by_month: bool = False
    points: list[Point] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ratings)

    @property
    def mean(self) -> float | None:
        value = mean([r for _, r in self.ratings])
        return None if value is None else round(value, 1)

    @property
    def trend(self) -> str:
        return trend_word([p.value for p in self.points])

    @property
    def first_and_last(self) -> tuple[float, float] | None:
        """The mean of the first and of the last few ratings (a plain before-and-after)."""
        values = [r for _, r in self.ratings]
        if len(values) < 2 * ROLLING_WINDOW:
            return None
        first, last = values[:ROLLING_WINDOW], values[-ROLLING_WINDOW:]
        return round(sum(first) / ROLLING_WINDOW, 1), round(sum(last) / ROLLING_WINDOW, 1)

    def chart(self) -> str:
        values: list[float | None] = [p.value for p in self.points]
        unit = "Monthly average" if self.by_month else "Each session"
        description = (
            f"{self.text} Rated {self.count} time{'s' if self.count != 1 else ''} from "
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


def _rating_prompts(version_ids: set[int]) -> dict[str, Prompt]:
    """Rating prompts of the template versions used, first wording wins for a shared key."""
    prompts: dict[str, Prompt] = {}
    for version in TemplateVersion.objects.filter(pk__in=version_ids).order_by("pk"):
        for prompt in version.parsed.prompts():
            if prompt.kind == "rating":
                prompts.setdefault(prompt.key, prompt)
    return prompts


def _points(trend: RatingTrend) -> None:
    if trend.count <= MAX_POINTS:
        labels = day_labels([d for d, _ in trend.ratings])
        trend.points = [
            Point(label, r, 1) for label, (_, r) in zip(labels, trend.ratings, strict=True)
        ]
        return
    months: dict[date, list[int]] = defaultdict(list)
    for day, rating in trend.ratings:
        months[month_start(day)].append(rating)
    trend.by_month = True
    trend.points = [
        Point(month_label(m), round(sum(v) / len(v), 2), len(v)) for m, v in sorted(months.items())
    ]


def rating_trends(scope: Scope) -> list[RatingTrend]:
    """One trend per rating prompt answered in scope, in the template's order."""
    rows = (
        Answer.objects.filter(**scope.session_filter("reflection__session__"), rating__isnull=False)
        .order_by("reflection__session__date", "reflection__session__number")
        # values_list: the private text column is never read for a number.
        .values_list(
            "prompt_key", "rating", "reflection__session__date", "reflection__template_version_id"
        )
    )
    data = list(rows)
    prompts = _rating_prompts({version for *_, version in data})
    trends = {
        key: RatingTrend(key, p.text, (p.scale_min, p.scale_max)) for key, p in prompts.items()
    }
    for key, rating, day, _ in data:
        if key in trends:
            trends[key].ratings.append((day, rating))
    for trend in trends.values():
        _points(trend)
    return [t for t in trends.values() if t.count]
