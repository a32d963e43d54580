"""Retention: a coach's completed engagements are erased some years after the last session.

Only completed and archived coachees ever qualify. The date that counts is their last
session (a planned future one included), or, without sessions, the engagement start or the
day they were added. The list of who qualifies is shown to the coach before anything goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from debrief.coachees.models import Coachee
from debrief.exchange.erasure import erase_coachee
from debrief.exchange.holdings import NOTHING, Holdings
from debrief.exchange.models import RetentionPolicy

if TYPE_CHECKING:
    from debrief.accounts.models import User

YEAR_CHOICES = tuple(range(1, 11))
ENDED = (Coachee.Status.COMPLETED, Coachee.Status.ARCHIVED)
REASON = "retention period"


@dataclass(frozen=True)
class Due:
    coachee: Coachee
    last: date
    basis: str  # what ``last`` is, for the list shown to the coach


def _last_date(coachee: Coachee) -> tuple[date, str]:
    last_session: date | None = getattr(coachee, "last_session", None)  # an annotation
    if last_session:
        return last_session, "last session"
    if coachee.engagement_start:
        return coachee.engagement_start, "no sessions; engagement started"
    return timezone.localdate(coachee.created), "no sessions; added"


def policy_for(coach: User) -> RetentionPolicy:
    """The coach's policy; an unsaved one that is off if they never set it."""
    found = RetentionPolicy.objects.for_coach(coach).first()
    return found if found is not None else RetentionPolicy(coach=coach, years=None)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year - years, day=28)


def due_for_erasure(coach: User, years: int | None, today: date | None = None) -> list[Due]:
    """Who the policy erases today, sorted by name (names are sorted in Python, never SQL)."""
    if not years:
        return []
    cutoff = years_before(today or timezone.localdate(), years)
    ended = (
        Coachee.objects.for_coach(coach)
        .filter(status__in=ENDED)
        .annotate(last_session=Max("sessions__date"))
    )
    due = []
    for coachee in ended:
        last, basis = _last_date(coachee)
        if last < cutoff:
            due.append(Due(coachee=coachee, last=last, basis=basis))
    return sorted(due, key=lambda d: d.coachee.display_name.casefold())


def erase_due(due: list[Due], *, request: HttpRequest | None = None) -> Holdings:
    """Erase each coachee in ``due``, one transaction each; return what went, in total."""
    total = NOTHING
    for entry in due:
        total += erase_coachee(entry.coachee, request=request, reason=REASON).held
    return total
