"""The home page's view of a coach's practice: hours coached and the reflection habit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import NamedTuple, Protocol

from django.db.models import Q, Sum
from django.utils import timezone

from debrief.journal.models import CoachingSession

HABIT_DAYS = 30
HABIT_HOURS = 48


@dataclass(frozen=True)
class PracticeSummary:
    month_hours: float
    year_hours: float
    habit_sessions: int  # sessions of the last 30 days whose 48 hours are up (or reflected)
    habit_on_time: int  # of those, reflected (marked complete) within 48 hours

    @property
    def habit_percent(self) -> int | None:
        if not self.habit_sessions:
            return None
        return round(100 * self.habit_on_time / self.habit_sessions)


class Timed(Protocol):
    """What the deadline reads of a session: a model row or plain values alike."""

    @property
    def date(self) -> date: ...
    @property
    def start_time(self) -> time | None: ...
    @property
    def duration_minutes(self) -> int: ...


class _Held(NamedTuple):
    date: date
    start_time: time | None
    duration_minutes: int
    completed_at: datetime | None
    created: datetime


def reflection_deadline(session: Timed, zone: tzinfo | None = None) -> datetime:
    """48 hours after the session ended (from the end of its day when no time was recorded).

    ``zone``: the current time zone, when the caller asks for thousands of deadlines and has
    looked it up once (the look-up is half the cost of a call).
    """
    if session.start_time is None:
        ended = datetime.combine(session.date + timedelta(days=1), time(0))
    else:
        ended = datetime.combine(session.date, session.start_time) + timedelta(
            minutes=session.duration_minutes
        )
    return timezone.make_aware(ended, zone) + timedelta(hours=HABIT_HOURS)


def first_day(coach: object) -> date | None:
    """The day the coach's account was made (sessions entered that day may be back-filled)."""
    joined = getattr(coach, "date_joined", None)
    return timezone.localdate(joined) if joined is not None else None


class Habitual(Timed, Protocol):
    @property
    def completed_at(self) -> datetime | None: ...
    @property
    def created(self) -> datetime: ...


def habit_verdict(
    session: Habitual, now: datetime, first: date | None, zone: tzinfo | None = None
) -> tuple[bool, bool]:
    """(counted, on time) for the reflection habit: the one definition, home and insights.

    A session counts once its 48 hours are up or it was reflected on in time; one back-filled
    on the coach's first day, and not reflected in time, does not count at all.
    """
    deadline = reflection_deadline(session, zone)
    done = session.completed_at
    in_time = done is not None and done <= deadline
    if not in_time and _back_filled(session, deadline, first):
        return False, False
    return in_time or deadline <= now, in_time


def _back_filled(session: Habitual, deadline: datetime, first_day: date | None) -> bool:
    """Entered on the coach's first day, after its 48 hours were already up.

    A coach who starts with Debrief types in (or imports) the weeks before: those sessions
    could never have been reflected on in time, so the habit does not count them as late.
    """
    return (
        first_day is not None
        and timezone.localdate(session.created) == first_day
        and session.created > deadline
    )


def summarise(coach: object, today: date) -> PracticeSummary:
    held = CoachingSession.objects.for_coach(coach).held(today)
    minutes = held.filter(date__gte=today.replace(month=1, day=1)).aggregate(
        year=Sum("duration_minutes"),
        month=Sum("duration_minutes", filter=Q(date__gte=today.replace(day=1))),
    )
    recent = held.filter(date__gt=today - timedelta(days=HABIT_DAYS)).values_list(
        "date", "start_time", "duration_minutes", "reflection__completed_at", "created"
    )
    now = timezone.now()
    first = first_day(coach)
    counted = on_time = 0
    for session in (_Held(*row) for row in recent):  # plain values: no model per session
        counts, in_time = habit_verdict(session, now, first)
        counted += counts
        on_time += in_time
    return PracticeSummary(
        month_hours=round((minutes["month"] or 0) / 60, 1),
        year_hours=round((minutes["year"] or 0) / 60, 1),
        habit_sessions=counted,
        habit_on_time=on_time,
    )
