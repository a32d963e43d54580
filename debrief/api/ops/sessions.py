"""Sessions: list, read, record, change, delete. The session form and choke point of the pages."""

from __future__ import annotations

from uuid import UUID

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status

from debrief.api import auth
from debrief.api.common import Paging, Refused, coach_request, form_data, valid
from debrief.api.schemas import (
    ERRORS,
    WRITE_ERRORS,
    Day,
    SessionChange,
    SessionNew,
    SessionOut,
    SessionPage,
)
from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.coachees.access import get_coachee_for_user
from debrief.coachees.models import Coachee
from debrief.journal.access import get_session_for_user
from debrief.journal.forms import SessionForm
from debrief.journal.models import CoachingSession, Reflection
from debrief.journal.sessions import coachee_choices, free_number, save_session_form
from debrief.lib.http import AuthedRequest
from debrief.prompts.models import TemplateVersion, default_template_version, usable_templates

router = Router(tags=["sessions"])

UNKNOWN_TEMPLATE = "That is not one of your templates: use a code from your template library."


def session_out(session: CoachingSession) -> dict[str, object]:
    reflection = session.reflection
    version = reflection.template_version
    fields = {name: getattr(session, name) for name in (*SessionForm.FIELDS, "group_size")}
    fields["start_time"] = f"{session.start_time:%H:%M}" if session.start_time else None
    return {
        **fields,
        "code": session.code,
        "coachee": session.coachee.code,
        "cancelled": session.cancelled,
        "reflection": {
            "status": reflection.status,
            "template": version.template.name,
            "template_version": version.number,
        },
        "created": session.created,
        "updated": session.updated,
    }


def _template_version(
    request: AuthedRequest, body: SessionNew, coachee: Coachee
) -> TemplateVersion:
    if body.template is None:
        return default_template_version(request.user, coachee)
    by_code = {t.code: t for t in usable_templates(request.user)}
    chosen = by_code.get(body.template)
    if chosen is None:
        raise Refused({"template": [UNKNOWN_TEMPLATE]})
    return chosen.latest_version()


def _saved_or_refused(request: AuthedRequest, form: SessionForm, session: CoachingSession) -> None:
    if not save_session_form(request, form, session):  # a taken number: a field error
        valid(form)


@router.get("/sessions", response={200: SessionPage, **ERRORS}, auth=auth.read)
def list_sessions(
    request: HttpRequest,
    paging: Query[Paging],
    coachee: UUID | None = None,
    date_from: Day | None = None,
    date_to: Day | None = None,
) -> dict[str, object]:
    """Your sessions, latest first; optionally one coachee's, between two dates (inclusive)."""
    coach = coach_request(request)
    qs = CoachingSession.objects.for_coach(coach.user)
    if coachee is not None:
        qs = qs.filter(coachee=get_coachee_for_user(coach, coachee))
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(date__lte=date_to)
    qs = qs.select_related("coachee", "reflection__template_version__template")
    shown = qs.order_by("-date", "-number", "-pk")[paging.offset : paging.offset + paging.limit]
    return {"count": qs.count(), "items": [session_out(s) for s in shown]}


@router.post("/sessions", response={201: SessionOut, **WRITE_ERRORS}, auth=auth.write)
def add_session(request: HttpRequest, body: SessionNew) -> Status[dict[str, object]]:
    """Record a session (and start its reflection), as the "new session" page does."""
    coach = coach_request(request)
    coachee = get_coachee_for_user(coach, body.coachee)
    initial = {
        "coachee": str(coachee.code),
        "number": free_number(coachee),
        "duration_minutes": 60,
        "format": CoachingSession.Format.VIDEO,
        "payment": CoachingSession.Payment.PAID,
        "kind": CoachingSession.Kind.INDIVIDUAL,
    }
    data = form_data(initial, body)
    data["coachee"] = str(coachee.code)
    if body.number is None:
        data["number"] = str(initial["number"])
    form = valid(SessionForm(data, coachee_choices=coachee_choices(coach)))
    version = _template_version(coach, body, coachee)
    session = CoachingSession(coach=coach.user)
    with transaction.atomic():
        _saved_or_refused(coach, form, session)
        Reflection.objects.create(coach=coach.user, session=session, template_version=version)
    return Status(201, session_out(get_session_for_user(coach, session.code)))


@router.get("/sessions/{code}", response={200: SessionOut, **ERRORS}, auth=auth.read)
def get_session(request: HttpRequest, code: UUID) -> dict[str, object]:
    return session_out(get_session_for_user(coach_request(request), code))


@router.patch("/sessions/{code}", response={200: SessionOut, **WRITE_ERRORS}, auth=auth.write)
def change_session(request: HttpRequest, code: UUID, body: SessionChange) -> dict[str, object]:
    coach = coach_request(request)
    session = get_session_for_user(coach, code)
    choices = [(str(session.coachee.code), session.coachee.display_name)]
    data = form_data(SessionForm.initial_for(session), body)
    form = valid(SessionForm(data, coachee_choices=choices))
    _saved_or_refused(coach, form, session)
    return session_out(session)


@router.delete("/sessions/{code}", response={204: None, **WRITE_ERRORS}, auth=auth.write)
def delete_session(request: HttpRequest, code: UUID) -> Status[None]:
    """Delete a session with its reflection and action items (kept in your security activity)."""
    coach = coach_request(request)
    session = get_session_for_user(coach, code)
    session.delete()
    record(AuditEvent.Action.SESSION_DELETED, coach=coach.user, request=request, subject=str(code))
    return Status(204, None)
