"""The firm's reports: counts per coach and per month, with no coachee's name or note in them.

Every figure is a count or a sum over a group of coachees. A group smaller than
``DEBRIEF_REPORT_MIN_GROUP`` (a coach's month with fewer coachees than that, or a coach with
fewer coachees in all) is never shown on its own: its figures are pooled as "other coaches",
shown only when the pool is large enough, and the firm's line is exactly the sum of what is
shown, so no hidden figure can be worked out by subtracting one line from another.

Each session counts for the coach who held it: after a hand-over, the previous coach keeps
the sessions they held (``icflog.PreviousSession``, as their ICF log does) and the receiving
coach counts the ones held since, so the firm's line counts every session once.

The whole firm is read in a handful of queries: coachees, actions, and this month's sessions,
always live. Each coach's earlier months and credential progress are the costly part (every
session's 48-hour deadline; the accreditation rules over the whole practice), so they are kept
in the cache for an hour: a change to an earlier month (a session entered late, a reflection
finished after the month ended) or to credential progress shows within the hour.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem
from debrief.icflog.models import PreviousSession
from debrief.journal.models import CoachingSession, held_q
from debrief.journal.practice import first_day, habit_verdict
from debrief.practice.gather import progress_of
from debrief.practice.models import BodyChoice

MONTHS = 12
CACHE_PREFIX = "debrief:firm-report:v1"
CACHE_SECONDS = 3600


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class Cell:
    """One group's figures for one month (or, for actions, today)."""

    sessions: int = 0
    minutes: int = 0
    counted: int = 0  # sessions whose 48 hours are up, or reflected in time
    on_time: int = 0  # of those, reflected within 48 hours
    coachee_ids: set[int] = field(default_factory=set)
    hidden: bool = False

    @property
    def coachees(self) -> int:
        return len(self.coachee_ids)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def habit_percent(self) -> int | None:
        return round(100 * self.on_time / self.counted) if self.counted else None

    def add(self, other: Cell) -> None:
        self.sessions += other.sessions
        self.minutes += other.minutes
        self.counted += other.counted
        self.on_time += other.on_time
        self.coachee_ids |= other.coachee_ids


@dataclass
class Actions:
    open: int = 0
    overdue: int = 0

    def add(self, other: Actions) -> None:
        self.open += other.open
        self.overdue += other.overdue


@dataclass
class CoachLine:
    coach: Any
    coachees: int  # every coachee the coach has, whatever their status
    hidden: bool  # fewer coachees in all than the threshold: not shown on its own
    months: dict[date, Cell] = field(default_factory=dict)
    actions: Actions = field(default_factory=Actions)
    credentials: list[str] = field(default_factory=list)

    def month(self, month: date) -> Cell:
        return self.months.get(month) or Cell()


@dataclass
class Report:
    today: date
    months: list[date]  # oldest first
    min_group: int
    coaches: list[CoachLine]
    firm: dict[date, Cell]
    other: dict[date, Cell]  # the pool of hidden groups, when it is large enough to show
    firm_actions: Actions
    other_actions: Actions | None

    def firm_month(self, month: date) -> Cell:
        return self.firm.get(month) or Cell()

    @property
    def hidden_coaches(self) -> int:
        return sum(1 for line in self.coaches if line.hidden)


def _coaches() -> list[Any]:
    users = get_user_model().objects.filter(membership__coach=True)
    return list(users.order_by("display_name", "email"))


def _held_by(start: date) -> dict[int, int]:
    """Handed-over sessions from ``start`` on: session id -> the coach who held it.

    A hand-over leaves the previous coach one ``PreviousSession`` per session they held (what
    their ICF log counts); the session itself now belongs to the receiving coach. Every such
    session, whoever is in this report: the receiving coach must never count one of them.
    """
    rows = PreviousSession.objects.filter(
        session__isnull=False, session__date__gte=start
    ).values_list("session_id", "client__coach_id")
    return {session_id: coach_id for session_id, coach_id in rows if session_id is not None}


def _cells(
    coaches: dict[int, Any], start: date, today: date, before: date | None = None
) -> dict[int, dict[date, Cell]]:
    """Each coach's months: the sessions the coach held, whoever holds the coachee now."""
    previous = _held_by(start)
    theirs = [pk for pk, coach_id in previous.items() if coach_id in coaches]
    span = CoachingSession.objects.filter(held_q(today), date__gte=start)
    if before is not None:
        span = span.filter(date__lt=before)
    # Two reads, not one with an OR: the coaches' own sessions by the coach index, then those
    # they held and another coach holds now by primary key (an OR of both scanned them all).
    own = span.filter(coach_id__in=coaches)
    handed = span.filter(pk__in=theirs).exclude(coach_id__in=coaches)
    rows = chain(
        *(
            part.values_list(
                "pk",
                "coach_id",
                "coachee_id",
                "date",
                "start_time",
                "duration_minutes",
                "reflection__completed_at",
                "created",
            ).iterator(chunk_size=5000)
            for part in ((own, handed) if theirs else (own,))
        )
    )
    now, zone = timezone.now(), timezone.get_current_timezone()
    firsts = {pk: first_day(user) for pk, user in coaches.items()}
    cells: dict[int, dict[date, Cell]] = defaultdict(dict)
    for pk, holder, coachee_id, day, start_time, minutes, completed_at, created in rows:
        # A session another coach held before a hand-over is theirs, and only theirs: a
        # session the current holder held after one is not in ``previous``.
        coach_id = previous.get(pk, holder)
        if coach_id not in coaches:
            continue  # held by a coach not worked out this time, or not in the report
        month = day.replace(day=1)
        per = cells[coach_id]
        cell = per.get(month) or per.setdefault(month, Cell())
        cell.sessions += 1
        cell.minutes += minutes
        cell.coachee_ids.add(coachee_id)
        held = _Held(day, start_time, minutes, completed_at, created)
        counts, in_time = habit_verdict(held, now, firsts[coach_id], zone)
        cell.counted += counts
        cell.on_time += in_time
    return cells


@dataclass(frozen=True)
class _Held:
    date: date
    start_time: Any
    duration_minutes: int
    completed_at: Any
    created: Any


def _actions(today: date) -> dict[int, Actions]:
    rows = (
        ActionItem.objects.filter(status=ActionItem.Status.OPEN)
        .values("coach_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due__lt=today)))
    )
    return {r["coach_id"]: Actions(r["open"], r["overdue"]) for r in rows}


def _credentials(coach: Any) -> list[str]:
    lines = []
    for progress in progress_of(coach):
        for goal in progress.goals:
            lines.append(f"{progress.body.name} {goal.summary}")
    return lines


def _cache_key(pk: int, start: date, today: date) -> str:
    return f"{CACHE_PREFIX}:{pk}:{start}:{today}"


@dataclass
class _Worked:
    """What the cache keeps of one coach: counts and internal ids only, never content."""

    months: dict[date, Cell]
    credentials: list[str]


def _work_out(
    coaches: dict[int, Any], start: date, today: date, following: set[int], refresh: bool
) -> dict[int, _Worked]:
    """Each coach's months and credential progress: this month's read now, the earlier months
    and the progress from the cache (worked out again when missing, at most an hour old)."""
    this_month = month_start(today)
    keys = {pk: _cache_key(pk, start, today) for pk in coaches}
    kept = {} if refresh else cache.get_many(list(keys.values()))
    worked = {pk: kept[key] for pk, key in keys.items() if key in kept}
    missing = {pk: user for pk, user in coaches.items() if pk not in worked}
    if missing:
        earlier = _cells(missing, start, today, before=this_month)
        fresh = {}
        for pk, user in missing.items():
            credentials = _credentials(user) if pk in following else []
            worked[pk] = _Worked(dict(earlier.get(pk, {})), credentials)
            fresh[keys[pk]] = worked[pk]
        cache.set_many(fresh, CACHE_SECONDS)
    now = _cells(coaches, this_month, today)
    return {
        pk: _Worked({**found.months, **now.get(pk, {})}, found.credentials)
        for pk, found in worked.items()
    }


def build(today: date | None = None, months: int = MONTHS, refresh: bool = False) -> Report:
    """The report; ``refresh`` works every coach out again and renews the cache (the job)."""
    today = today or timezone.localdate()
    minimum = settings.DEBRIEF_REPORT_MIN_GROUP
    span = [add_months(month_start(today), -k) for k in range(months - 1, -1, -1)]
    coaches = {user.pk: user for user in _coaches()}
    totals = dict(
        Coachee.objects.filter(coach_id__in=coaches)
        .values_list("coach_id")
        .annotate(n=Count("id"))
        .values_list("coach_id", "n")
    )
    actions = _actions(today)
    following = set(BodyChoice.objects.values_list("coach_id", flat=True).distinct())
    worked = _work_out(coaches, span[0], today, following, refresh)
    lines = []
    for pk, user in coaches.items():
        count = totals.get(pk, 0)
        # Copies: hiding marks cells, and the cached ones must stay as they were.
        cells = {
            m: replace(c, coachee_ids=set(c.coachee_ids)) for m, c in worked[pk].months.items()
        }
        line = CoachLine(user, count, hidden=count < minimum, months=cells)
        line.actions = actions.get(pk, Actions())
        if not line.hidden:
            line.credentials = list(worked[pk].credentials)
        lines.append(line)
    return _pool(Report(today, span, minimum, lines, {}, {}, Actions(), None))


def _pool(report: Report) -> Report:
    """Hide the small groups, pool them, and add up what is shown into the firm's line."""
    minimum = report.min_group
    pooled_coachees = 0
    pooled_actions = Actions()
    for month in report.months:
        firm, pool = Cell(), Cell()
        for line in report.coaches:
            cell = line.months.get(month)
            if cell is None:
                continue
            if line.hidden or cell.coachees < minimum:
                cell.hidden = True
                pool.add(cell)
            else:
                firm.add(cell)
        if pool.coachees >= minimum:
            firm.add(pool)
            report.other[month] = pool
        report.firm[month] = firm
    for line in report.coaches:
        if line.hidden:
            pooled_coachees += line.coachees
            pooled_actions.add(line.actions)
        else:
            report.firm_actions.add(line.actions)
    if pooled_coachees >= minimum:
        report.firm_actions.add(pooled_actions)
        report.other_actions = pooled_actions
    return report
