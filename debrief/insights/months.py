"""The practice's figures month by month: what the whole-practice page adds up.

Every section of the whole-practice page is a sum over months: sessions and hours per month,
the monthly average of each rating, and per technique, coachee and goal totals that add up
month after month. So each month's figures (``MonthFigures``) are worked out once from its
sessions' rows and summaries, and ``combine`` adds any run of months into what the sections show
(``Totals``). For the unfiltered whole practice, a month before this one is kept as one
``PracticeMonth`` row per coach and month (built again once a 48-hour deadline it still waits
on has passed): the page reads a few hundred small rows instead of every session. Any write
that changes what a month shows drops that month's row (``receivers.py``); the next page builds
it again. Filtered pages, one coachee's and this month are worked out from their sessions, by
the same code.

The figures hold numbers and ids (coachees, goals, techniques, uses, session codes), never
coachee text, so they are not sealed; erasing a coachee drops the months their sessions were in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Min
from django.utils import timezone

from debrief.followup.models import GoalProgress
from debrief.insights.models import PracticeMonth, PracticeTotal
from debrief.insights.progress import ENGAGEMENT_KEY
from debrief.insights.scope import HeldSession, Scope
from debrief.insights.stats import month_start, months_between
from debrief.journal.models import CoachingSession
from debrief.journal.practice import first_day, habit_verdict, reflection_deadline

# A noted use at its best or lowest: (effectiveness, place in the month, use id, date, code).
Noted = list[Any]


@dataclass
class MonthFigures:
    """One month (or any run of sessions) as plain JSON values; ids as strings for JSON."""

    sessions: int = 0
    minutes: int = 0
    counted: int = 0  # for the habit: sessions whose 48 hours are up (or reflected)
    on_time: int = 0
    coachees: list[int] = field(default_factory=list)  # seen this month
    seen: int = 0  # how many (all a month's chart needs of them)
    # The first 48-hour deadline still to come, of a session not reflected in time (UTC, ISO):
    # when it passes, the habit counts that session, so the kept month is built again.
    until: str = ""
    ratings: dict[str, list[int]] = field(default_factory=dict)  # key -> [sum, count]
    versions: list[int] = field(default_factory=list)  # template versions rated
    # technique id -> [uses, rated, sum, sum of place x rating, coachee ids, best, lowest]
    techniques: dict[str, list[Any]] = field(default_factory=dict)
    people: dict[str, list[int]] = field(default_factory=dict)  # coachee -> [sessions, eng. sum, n]
    goals: dict[str, list[int]] = field(default_factory=dict)  # goal -> [first, latest, count]

    def as_json(self) -> dict[str, Any]:
        return dict(vars(self))

    def chart_json(self) -> dict[str, Any]:
        """What the month's charts read, once the running total holds the rest."""
        keep = ("sessions", "minutes", "counted", "on_time", "seen", "ratings", "until")
        return {k: v for k, v in vars(self).items() if k in keep}


def _technique_use(
    row: list[Any], use: tuple[int, int, int | None, bool], at: int, session: HeldSession
) -> None:
    use_id, _, effectiveness, noted = use
    row[0] += 1
    if session.coachee_id not in row[4]:
        row[4].append(session.coachee_id)
    if effectiveness is None:
        return
    row[3] += row[1] * effectiveness  # its place among the rated uses so far, times the rating
    row[1] += 1
    row[2] += effectiveness
    if noted:
        here = [effectiveness, at, use_id, session.date.isoformat(), session.code]
        if row[5] is None or (effectiveness, at, use_id) > tuple(row[5][:3]):
            row[5] = here
        if row[6] is None or (-effectiveness, at, use_id) > (-row[6][0], row[6][1], row[6][2]):
            row[6] = here


def figures_of(
    held: Sequence[HeldSession],
    ratings: dict[int, tuple[tuple[str, int], ...]],
    uses: dict[int, tuple[tuple[int, int, int | None, bool], ...]],
    progress: Iterable[tuple[int, int, int]],
    now: datetime,
    first: date | None,
) -> MonthFigures:
    """The figures of ``held`` (in session order), with their goal scores (goal, session, score)."""
    figures = MonthFigures()
    zone = timezone.get_current_timezone()
    seen: set[int] = set()
    versions: set[int] = set()
    for at, session in enumerate(held):
        figures.sessions += 1
        figures.minutes += session.duration_minutes
        seen.add(session.coachee_id)
        # The home page's definition of the habit. A HeldSession has the fields it reads.
        counts, in_time = habit_verdict(session, now, first, zone)
        figures.counted += counts
        figures.on_time += in_time
        if not counts:
            due = _utc(reflection_deadline(session, zone))
            if due > _utc(now) and (not figures.until or due < figures.until):
                figures.until = due
        person = figures.people.setdefault(str(session.coachee_id), [0, 0, 0])
        person[0] += 1
        for key, rating in ratings.get(session.reflection_id, ()):
            versions.add(session.template_version_id)
            cell = figures.ratings.setdefault(key, [0, 0])
            cell[0] += rating
            cell[1] += 1
            if key == ENGAGEMENT_KEY:
                person[1] += rating
                person[2] += 1
        for use in uses.get(session.reflection_id, ()):
            row = figures.techniques.setdefault(str(use[1]), [0, 0, 0, 0, [], None, None])
            _technique_use(row, use, at, session)
    figures.coachees = sorted(seen)
    figures.seen = len(seen)
    figures.versions = sorted(versions)
    place = {s.id: i for i, s in enumerate(held)}
    scores: dict[int, list[tuple[int, int]]] = {}
    for goal_id, session_id, score in progress:
        if session_id in place:
            scores.setdefault(goal_id, []).append((place[session_id], score))
    for goal_id, found in scores.items():
        found.sort()
        figures.goals[str(goal_id)] = [found[0][1], found[-1][1], len(found)]
    return figures


# --- adding months up ----------------------------------------------------------------------


@dataclass
class TechniqueTotal:
    uses: int = 0
    rated: int = 0
    total: int = 0
    weighted: int = 0  # sum of place x rating over its rated uses in session order
    coachee_ids: set[int] = field(default_factory=set)
    best: tuple[Any, ...] | None = None  # (effectiveness, month, place, use id, date, code)
    worst: tuple[Any, ...] | None = None


@dataclass
class Totals:
    months: list[tuple[date, MonthFigures]]  # in order, only months with sessions
    techniques: dict[int, TechniqueTotal]  # in order of first use
    people: dict[int, list[int]]  # coachee id -> [sessions, engagement sum, count]
    goals: dict[int, tuple[int, int, int]]  # goal id -> (first, latest, count)
    versions: set[int]

    @property
    def sessions(self) -> int:
        return sum(f.sessions for _, f in self.months)


def _add_technique(total: TechniqueTotal, row: list[Any], month: int) -> None:
    uses, rated, summed, weighted, coachees, best, worst = row
    total.weighted += weighted + total.rated * summed  # its places follow the earlier months'
    total.uses += uses
    total.rated += rated
    total.total += summed
    total.coachee_ids.update(coachees)
    if best is not None:
        here = (best[0], month, best[1], best[2], best[3], best[4])
        if total.best is None or here[:4] > total.best[:4]:
            total.best = here
    if worst is not None:
        here = (worst[0], month, worst[1], worst[2], worst[3], worst[4])
        if total.worst is None or (-here[0], *here[1:4]) > (-total.worst[0], *total.worst[1:4]):
            total.worst = here


def combine(months: Iterable[tuple[date, MonthFigures]], base: Totals | None = None) -> Totals:
    """The totals of ``months``, after those of ``base`` (earlier months) if given."""
    ordered = sorted((m, f) for m, f in months if f.sessions)
    if base is None:
        base = Totals([], {}, {}, {}, set())
    techniques, people, goals = base.techniques, base.people, base.goals
    for day, figures in ordered:
        base.versions.update(figures.versions)
        for key, row in figures.techniques.items():
            _add_technique(techniques.setdefault(int(key), TechniqueTotal()), row, day.toordinal())
        for key, (n, summed, rated) in figures.people.items():
            cell = people.setdefault(int(key), [0, 0, 0])
            cell[0] += n
            cell[1] += summed
            cell[2] += rated
        for key, (first, latest, n) in figures.goals.items():
            old = goals.get(int(key))
            goals[int(key)] = (first, latest, n) if old is None else (old[0], latest, old[2] + n)
    base.months += ordered
    return base


def _base_json(totals: Totals) -> dict[str, Any]:
    """Everything of ``totals`` but its months, as JSON (the running total's row)."""
    return {
        "techniques": {
            str(t): [r.uses, r.rated, r.total, r.weighted, sorted(r.coachee_ids), r.best, r.worst]
            for t, r in totals.techniques.items()
        },
        "people": {str(c): cell for c, cell in totals.people.items()},
        "goals": {str(g): list(cell) for g, cell in totals.goals.items()},
        "versions": sorted(totals.versions),
    }


def _base(found: dict[str, Any], months: list[tuple[date, MonthFigures]]) -> Totals:
    techniques = {
        int(t): TechniqueTotal(uses, rated, total, weighted, set(ids), _tuple(best), _tuple(worst))
        for t, (uses, rated, total, weighted, ids, best, worst) in found["techniques"].items()
    }
    people = {int(c): cell for c, cell in found["people"].items()}
    goals = {int(g): (a, b, n) for g, (a, b, n) in found["goals"].items()}
    return Totals(months, techniques, people, goals, set(found["versions"]))


def _tuple(value: list[Any] | None) -> tuple[Any, ...] | None:
    return tuple(value) if value is not None else None


# --- reading a scope's months ----------------------------------------------------------------


def _progress(scope: Scope) -> list[tuple[int, int, int]]:
    rows = (
        GoalProgress.objects.for_coach(scope.coach)
        .filter(score__isnull=False, session__in=[s.id for s in scope.held])
        .values_list("goal_id", "session_id", "score")
    )
    return [(g, s, score) for g, s, score in rows if score is not None]


def worked_out(scope: Scope) -> dict[date, MonthFigures]:
    """The figures of each month of the scope, from its sessions (nothing kept)."""
    by_month: dict[date, list[HeldSession]] = {}
    for session in scope.held:
        by_month.setdefault(month_start(session.date), []).append(session)
    progress = _progress(scope) if scope.held else []
    now, first = timezone.now(), first_day(scope.coach)
    return {
        m: figures_of(held, scope.ratings, scope.uses, progress, now, first)
        for m, held in by_month.items()
    }


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _settled_before(today: date) -> date:
    """This month: the months before it are kept (every session of theirs is held by now)."""
    return month_start(today)


def _fresh(figures: MonthFigures, now: str) -> bool:
    """Nothing of the month depends on a deadline that has passed since it was kept."""
    return not figures.until or figures.until > now


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _kept(scope: Scope, before: date) -> Totals:
    """The totals of the coach's months before ``before``, from the rows kept of them.

    The running total (``PracticeTotal``) holds everything but the months' charts: with it, the
    page reads one row and each month's chart figures. Without it (a month changed, or another
    month is over), every month's full row is read, missing months built, and the running total
    kept again. Each month counts its sessions (held or not): when the rows no longer add up to
    the coach's sessions before ``before`` (sessions written in bulk, or moved to or from another
    coach by an update, which send no signals), every row is built again.
    """
    zone = str(timezone.get_current_timezone())
    found = (
        CoachingSession.objects.for_coach(scope.coach)
        .filter(date__lt=before)
        .aggregate(first=Min("date"), n=Count("id"))
    )
    if found["first"] is None:
        return combine([])
    wanted = months_between(month_start(found["first"]), before - timedelta(days=1))
    total = PracticeTotal.objects.filter(coach=scope.coach).first()
    if total is not None and (total.before, total.zone, total.rows) == (before, zone, found["n"]):
        charts = PracticeMonth.objects.filter(coach=scope.coach, month__in=wanted)
        months = [(m, MonthFigures(**c)) for m, c in charts.values_list("month", "chart")]
        now = _utc(timezone.now())
        if len(months) == len(wanted) and all(_fresh(f, now) for _, f in months):
            return _base(total.figures, sorted((m, f) for m, f in months if f.sessions))
    kept = _months(scope, wanted, zone, found["n"])
    totals = combine(kept.items())
    _keep_total(scope, before, zone, found["n"], totals)
    return totals


def _months(scope: Scope, wanted: list[date], zone: str, n: int) -> dict[date, MonthFigures]:
    rows = PracticeMonth.objects.filter(coach=scope.coach, month__in=wanted, zone=zone)
    now = _utc(timezone.now())
    kept = {r.month: (MonthFigures(**r.figures), r.rows) for r in rows}
    kept = {m: (f, n) for m, (f, n) in kept.items() if _fresh(f, now)}
    missing = [m for m in wanted if m not in kept]
    if missing:
        kept.update(_build(scope, missing, zone))
    if sum(rows for _, rows in kept.values()) != n:
        forget(scope.coach.pk)  # not the sessions they were built from: all built again
        kept = _build(scope, wanted, zone)
    return {m: figures for m, (figures, _) in kept.items()}


def _keep_total(scope: Scope, before: date, zone: str, n: int, totals: Totals) -> None:
    PracticeTotal.objects.filter(coach=scope.coach).delete()
    try:
        with transaction.atomic():
            PracticeTotal.objects.create(
                coach=scope.coach, before=before, zone=zone, rows=n, figures=_base_json(totals)
            )
    except IntegrityError:
        pass  # another request kept it first: the same figures


def _build(scope: Scope, months: list[date], zone: str) -> dict[date, tuple[MonthFigures, int]]:
    """``months``' figures from their sessions, kept, with how many sessions each has."""
    start, end = months[0], _next_month(months[-1]) - timedelta(days=1)
    built = worked_out(Scope(scope.coach, scope.today, start=start, end=end))
    written = (
        CoachingSession.objects.for_coach(scope.coach)
        .filter(date__gte=start, date__lte=end)
        .values_list("date", flat=True)
    )
    counts: dict[date, int] = {}
    for day in written:
        counts[month_start(day)] = counts.get(month_start(day), 0) + 1
    made = {m: (built.get(m, MonthFigures()), counts.get(m, 0)) for m in months}
    PracticeMonth.objects.filter(coach=scope.coach, month__in=months).delete()
    rows = [
        PracticeMonth(
            coach=scope.coach,
            month=m,
            figures=f.as_json(),
            chart=f.chart_json(),
            zone=zone,
            rows=n,
        )
        for m, (f, n) in made.items()
    ]
    try:
        with transaction.atomic():
            PracticeMonth.objects.bulk_create(rows, batch_size=500)
    except IntegrityError:
        pass  # another request kept them first: the same figures
    return made


def totals(scope: Scope) -> Totals:
    """The scope's totals: kept months for the whole practice, else from its sessions."""
    if scope.is_filtered:
        return combine(worked_out(scope).items())
    before = _settled_before(scope.today)
    return combine(
        worked_out(Scope(scope.coach, scope.today, start=before)).items(), _kept(scope, before)
    )


def forget(coach_id: int, months: Iterable[date] | None = None) -> None:
    """Drop the coach's kept months (all of them, or those holding these dates) and the
    running total they add up to."""
    PracticeTotal.objects.filter(coach_id=coach_id).delete()
    rows = PracticeMonth.objects.filter(coach_id=coach_id)
    if months is not None:
        rows = rows.filter(month__in=[month_start(m) for m in months])
    rows.delete()
