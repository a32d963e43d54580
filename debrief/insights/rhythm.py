"""The practice month by month: sessions, hours, the reflection habit and active coachees."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from debrief.insights.scope import Scope
from debrief.insights.stats import month_label, month_start, months_between
from debrief.journal.practice import HABIT_HOURS, first_day, habit_verdict
from debrief.lib import charts


@dataclass
class Month:
    month: date
    sessions: int = 0
    minutes: int = 0
    counted: int = 0  # sessions whose 48 hours are up (or that were reflected)
    on_time: int = 0  # of those, reflected within 48 hours
    coachee_ids: set[int] = field(default_factory=set)

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def habit_percent(self) -> int | None:
        return round(100 * self.on_time / self.counted) if self.counted else None

    @property
    def active_coachees(self) -> int:
        return len(self.coachee_ids)


@dataclass
class Rhythm:
    months: list[Month]
    habit_hours: int = HABIT_HOURS

    @property
    def sessions(self) -> int:
        return sum(m.sessions for m in self.months)

    @property
    def hours(self) -> float:
        return round(sum(m.minutes for m in self.months) / 60, 1)

    def hours_chart(self) -> str:
        return charts.bar_chart(
            "Hours coached per month",
            [m.label for m in self.months],
            [charts.Series("Hours", [m.hours for m in self.months])],
            whole=True,
            description=f"{self.hours} hours in {self.sessions} sessions held.",
        )

    def habit_chart(self) -> str:
        return charts.line_chart(
            f"Reflections written within {self.habit_hours} hours (%)",
            [m.label for m in self.months],
            [charts.Series("Reflected in time", [m.habit_percent for m in self.months])],
            y_range=(0, 100),
            description="Share of each month's sessions reflected on within 48 hours of the end.",
        )

    def coachees_chart(self) -> str:
        return charts.bar_chart(
            "Coachees seen per month",
            [m.label for m in self.months],
            [charts.Series("Coachees", [m.active_coachees for m in self.months])],
            description="How many different people you coached each month.",
            whole=True,
        )


def rhythm(scope: Scope) -> Rhythm:
    now, zone = timezone.now(), timezone.get_current_timezone()
    first = first_day(scope.coach)
    months: dict[date, Month] = {}
    for held in scope.held:
        key = month_start(held.date)
        month = months.get(key) or months.setdefault(key, Month(key))
        month.sessions += 1
        month.minutes += held.duration_minutes
        month.coachee_ids.add(held.coachee_id)
        # The home page's definition of the habit, applied to each month. A HeldSession has
        # the fields it reads (date, start_time, duration_minutes...), without a model's cost.
        counts, in_time = habit_verdict(held, now, first, zone)
        month.counted += counts
        month.on_time += in_time
    if not months:
        return Rhythm([])
    # Every month in between, so a quiet month shows as nought rather than vanishing.
    span = months_between(min(months), max(months))
    return Rhythm([months.get(m) or Month(m) for m in span])
