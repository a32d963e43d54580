"""Plain statistics for insights: means, trends, rolling averages and months. No Django here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction

# Fewer values than this and a trend or a line would be telling a story the data cannot carry.
MIN_FOR_TREND = 4
ROLLING_WINDOW = 5
# A change in the mean of less than this (on a 1-5 scale) is "steady".
STEADY_BAND = 0.25


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def slope(values: Sequence[float]) -> float | None:
    """Least-squares change per step of ``values`` taken in order (None under MIN_FOR_TREND)."""
    n = len(values)
    if n < MIN_FOR_TREND:
        return None
    x_mean, y_mean = (n - 1) / 2, sum(values) / n
    spread = sum((x - x_mean) ** 2 for x in range(n))
    return sum((x - x_mean) * (y - y_mean) for x, y in enumerate(values)) / spread


def trend_word(values: Sequence[float]) -> str:
    """ "rising", "falling", "steady" or "too few to tell", judged over the whole run of values.

    The slope times the run's length is the change the fitted line makes from first to last.
    """
    change = slope(values)
    if change is None:
        return "too few to tell"
    total = change * (len(values) - 1)
    if total >= STEADY_BAND:
        return "rising"
    if total <= -STEADY_BAND:
        return "falling"
    return "steady"


def trend_from_sums(n: int, total: int, weighted: int) -> str:
    """``trend_word`` of ``n`` whole numbers in order, from their sum and ``weighted``, the sum
    of each value times its place (0, 1, ...): the database's totals, without the values.

    Worked out exactly (in fractions): the least-squares change from first to last is
    ``12 * (weighted - (n - 1) / 2 * total) / (n * (n + 1))``.
    """
    if n < MIN_FOR_TREND:
        return "too few to tell"
    change = Fraction(12 * weighted - 6 * (n - 1) * total, n * (n + 1))
    if change >= Fraction(STEADY_BAND):
        return "rising"
    if change <= -Fraction(STEADY_BAND):
        return "falling"
    return "steady"


def rolling(values: Sequence[float | None], window: int = ROLLING_WINDOW) -> list[float | None]:
    """The mean of the last ``window`` values at each point, once there are that many."""
    out: list[float | None] = []
    seen: list[float] = []
    for value in values:
        if value is not None:
            seen.append(value)
        enough = len(seen) >= window and value is not None
        out.append(round(sum(seen[-window:]) / window, 2) if enough else None)
    return out


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    """The first day of every month from ``first``'s to ``last``'s, inclusive."""
    months, current = [], month_start(first)
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def month_label(day: date) -> str:
    """ "Mar 2026" for any day of March 2026."""
    return day.strftime("%b %Y")


def day_label(day: date, with_year: bool = True) -> str:
    """ "3 Mar 26", or "3 Mar" where every date shown falls within one year."""
    return f"{day.day} {day.strftime('%b %y' if with_year else '%b')}"


def day_labels(days: Sequence[date]) -> list[str]:
    with_year = bool(days) and (max(days) - min(days)).days > 300
    return [day_label(d, with_year) for d in days]
