"""The practice month by month: sessions, hours, the reflection habit and active coachees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from debrief.insights.scope import Scope
from debrief.insights.stats import month_label, months_between
from debrief.journal.practice import HABIT_HOURS
from debrief.lib import charts


@dataclass
class Month:
    month: date
    sessions: int = 0
    minutes: int = 0
    counted: int = 0  # sessions whose 48 hours are up (or that were reflected)
    on_time: int = 0  # of those, reflected within 48 hours
    active_coachees: int = 0  # different coachees seen

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def habit_percent(self) -> int | None:
        return round(100 * self.on_time / self.counted) if self.counted else None


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
    """Each month's sessions, hours, habit and coachees, from the scope's months."""
    found = {
        m: Month(m, f.sessions, f.minutes, f.counted, f.on_time, f.seen)
        for m, f in scope.totals.months
    }
    if not found:
        return Rhythm([])
    # Every month in between, so a quiet month shows as nought rather than vanishing.
    span = months_between(min(found), max(found))
    return Rhythm([found.get(m) or Month(m) for m in span])
