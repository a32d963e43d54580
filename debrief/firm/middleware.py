"""Roles at the door: a person without the coach role has no journal pages at all, and a firm
that requires two-factor sends anyone without it to set it up first.

Only the coach role opens a journal (and only one's own, through each model's ``for_coach``).
An administrator or supervisor who is not a coach gets a 404 from every journal page, so
nothing about a coachee can be reached even by a page that forgot its own check.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from debrief.firm.models import FirmSettings
from debrief.firm.roles import membership_of

Handler = Callable[[HttpRequest], HttpResponse]

# What a person without the coach role may open: their own account and security pages, the
# firm's pages (each checks its own role), static files, the API (which checks its tokens) and
# the supervisor's pages (debrief/supervision: the role, and a share open to them).
NOT_COACH_PATHS = ("/accounts/", "/security/", "/firm/", "/static/", "/api/", "/supervise/")
COACH_ONLY_PATHS = ("/security/api-tokens/",)
# Open while two-factor is still to be set up: signing in and out, and setting it up.
SETTING_UP_PATHS = ("/accounts/", "/static/")
REQUIRED_MESSAGE = (
    "Your organisation asks everyone to use two-factor authentication. "
    "Set it up with an authenticator app to carry on."
)


def _coach_page(path: str) -> bool:
    return path.startswith(COACH_ONLY_PATHS) or not path.startswith(NOT_COACH_PATHS)


def _needs_two_factor(request: HttpRequest) -> bool:
    if request.path.startswith(SETTING_UP_PATHS):
        return False
    if not FirmSettings.current().require_two_factor:
        return False
    totp = Authenticator.Type.TOTP
    return not Authenticator.objects.filter(user_id=request.user.pk, type=totp).exists()


def roles_middleware(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return get_response(request)
        if _needs_two_factor(request):
            messages.info(request, REQUIRED_MESSAGE)
            return redirect(reverse("mfa_activate_totp"))
        if not membership_of(request.user, request).coach and _coach_page(request.path):
            if request.path == "/":
                return redirect(reverse("firm_home"))
            raise Http404
        return get_response(request)

    return middleware


def firm_context(request: HttpRequest) -> dict[str, object]:
    """``firm_roles`` for the menu: read only when a template asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"firm_roles": SimpleLazyObject(lambda: membership_of(user, request))}
