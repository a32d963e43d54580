"""A session's form, shared by the pages and the API: its coachees, its number, its save."""

from __future__ import annotations

from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Max

from debrief.coachees.access import get_coachee_for_user
from debrief.coachees.models import Coachee
from debrief.journal.forms import SessionForm
from debrief.journal.models import CoachingSession
from debrief.lib.http import AuthedRequest


def free_number(coachee: Coachee) -> int:
    """The coachee's next session number: one past their highest."""
    latest = coachee.sessions.aggregate(n=Max("number"))["n"]
    return (latest or 0) + 1


def coachee_choices(
    request: AuthedRequest, include: Coachee | None = None
) -> list[tuple[str, str]]:
    coachees = Coachee.objects.for_coach(request.user).filter(
        status__in=[Coachee.Status.ACTIVE, Coachee.Status.PAUSED]
    )
    found = list(coachees)
    if include is not None and include not in found:
        found.append(include)
    found.sort(key=lambda c: c.display_name.casefold())
    return [(str(c.code), c.display_name) for c in found]


def save_session_form(request: AuthedRequest, form: SessionForm, session: CoachingSession) -> bool:
    """Copy the form onto the session and save; False (with a field error) on a taken number."""
    coachee = get_coachee_for_user(request, UUID(form.cleaned_data["coachee"]))
    session.coachee = coachee
    form.copy_to(session)
    if session.number is None:
        session.number = free_number(coachee)
    taken = coachee.sessions.filter(number=session.number).exclude(pk=session.pk).exists()
    if taken:
        form.add_error("number", _number_taken(coachee))
        return False
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:  # another request took the number between the check and the save
        form.add_error("number", _number_taken(coachee))
        return False
    return True


def _number_taken(coachee: Coachee) -> str:
    return (
        f"{coachee.display_name} already has a session with this number. "
        f"The next free number is {free_number(coachee)}."
    )
