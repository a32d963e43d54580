"""The insights pages' long tables and lists, written row by row here rather than in the template.

At 10,000 sessions the page has about 1,300 table rows (each month's figures, each rating
chart's points, a line per coachee): in the template, every cell was a variable lookup, a
localised number and an escape, 60 of its 115 ms of template time. A coachee's themes link
each session they come up in (about 400 links for the bench's busiest coachee): a ``{% url %}``
each, a third of that page's template time. Written here, with the
same markup, byte for byte: ``tests/test_insights_tables.py`` renders the template loops
these replace and compares. Every value shown goes through ``escape`` (coachee names are
coachee text); numbers are written as Django writes them with the project's settings (no
thousands separator), decimals by the page's ``figure`` filter.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from debrief.insights.progress import CoacheeRow
from debrief.insights.ratings import Point
from debrief.insights.rhythm import Month
from debrief.insights.templatetags.insights_figures import figure
from debrief.insights.themes import Theme

_MUTED = '<span class="muted">{}</span>'


def _safe(rows: Iterable[str]) -> SafeString:
    return mark_safe("".join(rows))  # noqa: S308 - every value is escaped where it is written


def _month(m: Month) -> str:
    habit = m.habit_percent
    reflected = (
        _MUTED.format("none due") if habit is None else f"{habit}% ({m.on_time} of {m.counted})"
    )
    return (
        f'<tr><th scope="row">{escape(m.label)}</th><td>{m.sessions}</td>'
        f"<td>{escape(figure(m.hours, 1))}</td><td>{reflected}</td>"
        f"<td>{m.active_coachees}</td></tr>"
    )


def month_rows(months: Iterable[Month]) -> SafeString:
    """The practice's table of figures: a row a month."""
    return _safe(_month(m) for m in months)


def _point(p: Point) -> str:
    sessions = f' <span class="muted">({p.count} sessions)</span>' if p.count > 1 else ""
    return f"<tr><td>{escape(p.label)}</td><td>{escape(figure(p.value, '-2'))}{sessions}</td></tr>"


def point_rows(points: Iterable[Point]) -> SafeString:
    """A rating chart's table of figures: a row a point (a session, or a month)."""
    return _safe(_point(p) for p in points)


def _change(change: float | None) -> str:
    if change is None:
        return _MUTED.format("not enough scores")
    if change > 0:
        return f"up {escape(figure(change, 1))} on average"
    if change < 0:
        return f"down {escape(figure(change, 1)).replace('-', '')} on average"
    return "no change"


def _coachee(row: CoacheeRow) -> str:
    engagement = (
        _MUTED.format("not rated") if row.engagement is None else escape(figure(row.engagement, 1))
    )
    return (
        "\n    <tr>\n"
        f'      <th scope="row"><a href="?coachee={escape(row.coachee.code)}">'
        f"{escape(row.coachee.display_name)}</a></th>\n"
        f"      <td>{row.sessions}</td>\n"
        f"      <td>{row.goals}</td>\n"
        f"      <td>{_change(row.change)}</td>\n"
        f"      <td>{engagement}</td>\n"
        "    </tr>\n    "
    )


def progress_rows(rows: Iterable[CoacheeRow]) -> SafeString:
    """The coachee progress table: a row a coachee."""
    return _safe(_coachee(r) for r in rows)


def coachee_links(rows: Iterable[CoacheeRow]) -> SafeString:
    """The themes' "or pick one" list: each coachee's name, linking to their themes."""
    return mark_safe(  # noqa: S308 - escaped here
        ", ".join(
            f'<a href="?coachee={escape(r.coachee.code)}#themes">'
            f"{escape(r.coachee.display_name)}</a>"
            for r in rows
        )
    )


_CODE = "00000000-0000-0000-0000-000000000000"  # any session code: where the code goes


def theme_sessions(theme: Theme) -> SafeString:
    """A theme's sessions: each date, linking to that session's reflection."""
    url = escape(reverse("reflection_view", args=[_CODE]))
    return mark_safe(  # noqa: S308 - escaped here
        ", ".join(
            f'<a href="{url.replace(_CODE, escape(code))}">{escape(label)}</a>'
            for code, label in theme.sessions
        )
    )
