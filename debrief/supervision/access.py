"""The choke points: a coach's own share by code, and a share open to the supervisor asking.

Anyone else, a share past its end, revoked, or not started, gets the same 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from debrief.audit.denied import get_owned_or_404
from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.firm.roles import membership_of
from debrief.lib.http import AuthedRequest
from debrief.practice.models import SupervisionEntry
from debrief.supervision.models import Share
from debrief.supervision.sharing import open_for, session_count

View = Callable[..., HttpResponse]


def supervisor_required(view: View) -> View:
    """Signed in, active and holding the supervisor role; everyone else gets a 404."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not membership_of(request.user, request).supervisor:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def get_share_for_coach(request: AuthedRequest, code: UUID) -> Share:
    qs = Share.objects.for_coach(request.user).select_related("supervisor", "pack")
    share: Share = get_owned_or_404(request, qs, Share, code)
    return share


def get_share_for_supervisor(request: AuthedRequest, code: UUID) -> Share:
    found = (
        open_for(request.user)
        .select_related("coach", "pack", "pack__coach")
        .filter(code=code)
        .first()
    )
    if found is None or not session_count(found):  # nothing left: erased or deleted since
        if Share.objects.filter(code=code).exists():
            # Revoked, ended, not theirs...: a plain 404, and a note in the visitor's trail.
            record(
                AuditEvent.Action.ACCESS_DENIED,
                coach=request.user,
                request=request,
                subject=str(code),
                detail={"kind": "share", "path": request.path},
            )
        raise Http404
    return found


def get_recorded_entry(request: AuthedRequest, code: UUID) -> SupervisionEntry:
    """A supervision session this supervisor recorded, for a coach still active."""
    found = (
        SupervisionEntry.objects.filter(recorded_by=request.user, coach__is_active=True)
        .filter(code=code)
        .first()
    )
    if found is None:
        raise Http404
    return found
