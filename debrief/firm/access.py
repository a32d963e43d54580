"""The firm pages' choke point: administrators only; everyone else gets the same 404."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from debrief.firm.models import Invitation, Membership
from debrief.firm.roles import is_administrator

View = Callable[..., HttpResponse]


def administrator_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_administrator(request.user, request):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def get_membership_or_404(code: UUID) -> Membership:
    found = Membership.objects.select_related("user").filter(code=code).first()
    if found is None:
        raise Http404
    return found


def get_invitation_or_404(code: UUID) -> Invitation:
    found = Invitation.objects.filter(code=code).first()
    if found is None:
        raise Http404
    return found
