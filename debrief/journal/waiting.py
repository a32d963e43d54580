"""The home page's "waiting for your reflection" list, formatted once in Python.

A busy practice has fifty rows here; building plain rows (one query for the rows, one for
the coachees' names, each name opened once) keeps the home page quick.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.urls import reverse
from django.utils.timesince import timesince

from debrief.journal.home import coachee_names
from debrief.journal.models import CoachingSession, Reflection

LIMIT = 50
WAITING = [Reflection.Status.PLANNED, Reflection.Status.DRAFT]


@dataclass(frozen=True)
class WaitingRow:
    url: str
    who: str
    meta: str
    status: str
    status_label: str


def _row(
    status: str, code: UUID, number: int, day: date, who: str, today: date, edit: str
) -> WaitingRow:
    ago = "today" if day >= today else f"{timesince(day, today)} ago"
    label = "Not started" if status == Reflection.Status.PLANNED else "Draft"
    meta = f"Session {number} · {day.strftime('%a %-d %b %Y')} · {ago}"
    return WaitingRow(edit.format(code), who, meta, status, label)


def waiting_rows(
    coach: object,
    today: date,
    ended_today: list[CoachingSession],
    who: dict[int, str] | None = None,
) -> tuple[list[WaitingRow], int]:
    """Sessions before today still to reflect on (oldest first), then today's that are over.

    ``who``: coachees' names the page has opened already, by row id (not opened again).
    """
    pending = (
        Reflection.objects.for_coach(coach)
        .filter(status__in=WAITING, session__date__lt=today)
        .exclude(status=Reflection.Status.PLANNED, session__cancelled=True)
    )
    count = pending.count()
    found = list(
        pending.order_by("session__date", "session__start_time").values_list(
            "status", "session__code", "session__number", "session__date", "session__coachee_id"
        )[:LIMIT]
    )
    names = coachee_names(coach, {coachee_id for *_, coachee_id in found}, dict(who or {}))
    edit = reverse("reflection_edit", args=[UUID(int=0)]).replace(str(UUID(int=0)), "{}")
    rows = [
        _row(status, code, number, day, names[coachee_id], today, edit)
        for status, code, number, day, coachee_id in found
    ]
    for session in ended_today:
        rows.append(
            _row(
                session.reflection.status,
                session.code,
                session.number,
                session.date,
                session.coachee.display_name,
                today,
                edit,
            )
        )
    return rows[:LIMIT], count + len(ended_today)
