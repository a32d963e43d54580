"""The home page's lists (today, overdue actions, coming up, recently completed) as plain rows.

Formatted once in Python, so the template only prints: no URL reversed, date formatted or
relation followed per row, and each coachee's name opened once for the page however many rows
name them (one query for the names, as ``waiting.py`` does for the waiting list).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from uuid import UUID

from django.db.models import F
from django.urls import reverse

from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem
from debrief.journal.models import CoachingSession, Reflection

OVERDUE_LIMIT = 20
UPCOMING_DAYS, UPCOMING_LIMIT = 14, 10
RECENT_LIMIT = 5


@dataclass(frozen=True)
class Row:
    url: str
    who: str  # the coachee's name
    meta: str
    number: int = 0  # the session's
    state: str = ""  # today's rows: "complete", "reflect" or "prepare"
    text: str = ""  # an overdue action's


@dataclass
class Lists:
    who: dict[int, str]  # names opened for these lists, by coachee row id
    today: list[Row] = field(default_factory=list)
    overdue: list[Row] = field(default_factory=list)
    upcoming: list[Row] = field(default_factory=list)
    recent: list[Row] = field(default_factory=list)


def link(name: str) -> str:
    """The URL of ``name`` with ``{}`` for its one code: reversed once, formatted per row."""
    return reverse(name, args=[UUID(int=0)]).replace(str(UUID(int=0)), "{}")


def coachee_names(coach: object, ids: set[int], known: dict[int, str]) -> dict[int, str]:
    """``known`` with the names of ``ids`` added (one query, each name opened once)."""
    missing = ids - known.keys()
    if missing:
        found = Coachee.objects.for_coach(coach).filter(pk__in=missing)
        known.update({c.pk: c.display_name for c in found})
    return known


def _at(start: time | None) -> str:
    return f" at {start:%H:%M}" if start else ""


def _cancelled(cancelled: bool) -> str:
    return " · cancelled in your calendar" if cancelled else ""


def _today(todays: list[tuple[CoachingSession, bool]]) -> list[Row]:
    """Today's sessions, loaded with their coachee (whose name the waiting list shows too)."""
    edit, prepare = link("reflection_edit"), link("session_prepare")
    rows = []
    for s, ended in todays:
        if s.reflection.status == Reflection.Status.COMPLETE:
            state = "complete"
        else:
            state = "reflect" if ended else "prepare"
        meta = f"Session {s.number}{_at(s.start_time)} · {s.duration_minutes} minutes"
        url = (edit if ended else prepare).format(s.code)
        rows.append(
            Row(url, s.coachee.display_name, meta + _cancelled(s.cancelled), s.number, state)
        )
    return rows


def home_lists(coach: object, today: date, todays: list[tuple[CoachingSession, bool]]) -> Lists:
    """Today's sessions (``(session, ended)``) and the other lists, with one query for names."""
    overdue = list(
        ActionItem.objects.for_coach(coach)
        .filter(owner=ActionItem.Owner.COACH, status=ActionItem.Status.OPEN, due__lt=today)
        .annotate(session_number=F("session__number"), coachee_code=F("coachee__code"))
        .order_by("due", "created")[:OVERDUE_LIMIT]
    )
    # Driven from the sessions' (coach, date) index.
    upcoming = list(
        CoachingSession.objects.for_coach(coach)
        .filter(date__gt=today, date__lte=today + timedelta(days=UPCOMING_DAYS))
        .order_by("date", "start_time")
        .values_list("code", "number", "date", "start_time", "cancelled", "coachee_id")[
            :UPCOMING_LIMIT
        ]
    )
    recent = list(
        Reflection.objects.for_coach(coach)
        .filter(status=Reflection.Status.COMPLETE)
        .order_by("-completed_at")
        .values_list("session__code", "session__number", "session__date", "session__coachee_id")[
            :RECENT_LIMIT
        ]
    )
    ids = {a.coachee_id for a in overdue} | {s[-1] for s in upcoming} | {r[-1] for r in recent}
    who = coachee_names(coach, ids, {s.coachee_id: s.coachee.display_name for s, _ in todays})
    page, prepare, view = link("coachee_detail"), link("session_prepare"), link("reflection_view")
    return Lists(
        who=who,
        today=_today(todays),
        overdue=[
            Row(
                page.format(a.coachee_code),
                who[a.coachee_id],
                f"from session {a.session_number} · was due {a.due:%-d %b}",
                text=a.text,
            )
            for a in overdue
        ],
        upcoming=[
            Row(
                prepare.format(code),
                who[coachee_id],
                f"Session {number} · {day:%a %-d %b}{_at(start)}{_cancelled(cancelled)}",
                number,
            )
            for code, number, day, start, cancelled, coachee_id in upcoming
        ],
        recent=[
            Row(view.format(code), who[coachee_id], f"Session {number} · {day:%a %-d %b %Y}")
            for code, number, day, coachee_id in recent
        ],
    )
