"""The coach's ICF log from the database: sessions as plain facts, the opening balance, the log."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Case, Count, Max, Min, Sum, Value, When
from django.utils import timezone

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.icflog import log as icf
from debrief.icflog.models import PreviousSession, opening_lines
from debrief.journal.models import CoachingSession


def _clients(coach: User, names: bool) -> dict[int, icf.Client]:
    """Each coachee as a log client; only listed coachees' names and contacts are opened."""
    listing = dict(Coachee.objects.for_coach(coach).values_list("pk", "icf_log_listing"))
    opened: dict[int, Coachee] = {}
    if names:
        listed = [pk for pk, on in listing.items() if on]
        opened = {c.pk: c for c in Coachee.objects.for_coach(coach).filter(pk__in=listed)}
    clients = {}
    for pk, on in listing.items():
        c = opened.get(pk)
        clients[pk] = icf.Client(pk, c.name if c else "", c.email if c else "", on)
    return clients


def session_facts(coach: User, today: date, *, names: bool = True) -> list[icf.Session]:
    """The coach's sessions up to ``today`` as plain facts, summed in the database.

    Sessions before today come as bundles: one row per client, kind, payment, group size and
    whether they fall in the recent months (so the log can still tell those apart). Today's
    come one by one with their end time, to tell whether each is held yet. Names are opened
    only with ``names`` (the progress pages need none).
    """
    clients = _clients(coach, names)
    # A session held before a hand-over is on the log of the coach who held it (below).
    earlier = PreviousSession.objects.filter(session__isnull=False).values("session_id")
    sessions = CoachingSession.objects.for_coach(coach).held(today).exclude(pk__in=earlier)
    recent_from = icf.months_before(today, icf.RECENT_MONTHS)
    recent = Case(When(date__gte=recent_from, then=Value(True)), default=Value(False))
    bundles = (
        sessions.filter(date__lt=today)
        .annotate(recent=recent)
        .values("coachee_id", "payment", "kind", "group_size", "recent")
        .annotate(first=Min("date"), last=Max("date"), minutes=Sum("duration_minutes"))
        .annotate(count=Count("id"))
        .order_by()
    )
    facts = []
    for b in bundles:
        group = b["kind"] == CoachingSession.Kind.GROUP
        facts.append(
            icf.Session(
                client=clients[b["coachee_id"]],
                date=b["first"],
                minutes=b["minutes"],
                paid=b["payment"] == CoachingSession.Payment.PAID,
                group=group,
                group_size=b["group_size"] if group else None,
                last=b["last"],
                count=b["count"],
            )
        )
    zone = timezone.get_current_timezone()
    todays = sessions.filter(date=today).values_list(
        "coachee_id", "start_time", "duration_minutes", "payment", "kind", "group_size"
    )
    for coachee_id, start, minutes, payment, kind, size in todays:
        group = kind == CoachingSession.Kind.GROUP
        ends = None
        if start is not None:
            ends = timezone.make_aware(datetime.combine(today, start), zone)
            ends += timedelta(minutes=minutes)
        facts.append(
            icf.Session(
                client=clients[coachee_id],
                date=today,
                minutes=minutes,
                paid=payment == CoachingSession.Payment.PAID,
                group=group,
                group_size=size if group else None,
                ends=ends,
            )
        )
    return facts + previous_facts(coach, today, names=names)


def previous_facts(coach: User, today: date, *, names: bool = True) -> list[icf.Session]:
    """Sessions the coach held with clients since handed over to another coach."""
    rows = PreviousSession.objects.filter(client__coach=coach, date__lte=today).select_related(
        "client"
    )
    if not names:
        rows = rows.defer("client__client", "client__contact")
    facts = []
    for row in rows.order_by("date", "pk"):
        c = row.client
        name, contact = (c.client, c.contact) if names and c.listed else ("", "")
        facts.append(
            icf.Session(
                client=icf.Client(("previous", c.pk), name, contact, c.listed),
                date=row.date,
                minutes=row.minutes,
                paid=row.paid,
                group=row.group,
                group_size=row.group_size if row.group else None,
            )
        )
    return facts


def opening_of(coach: User) -> icf.Opening:
    """The hours before Debrief: rows per client, and clients not listed by name."""
    return icf.opening_of_lines(opening_lines(coach))


def log_for(coach: User, facts: list[icf.Session] | None = None) -> icf.Log:
    """The coach's ICF log as of now: a session later today is not held yet."""
    today = timezone.localdate()
    if facts is None:
        facts = session_facts(coach, today)
    return icf.build_log(facts, opening_of(coach), today, timezone.now())
