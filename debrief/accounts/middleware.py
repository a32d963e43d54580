from __future__ import annotations

import time
from collections.abc import Callable

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_USER_KEY
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

Handler = Callable[[HttpRequest], HttpResponse]

# When a signed-in session last had its expiry pushed back (seconds since the epoch).
SEEN_AT_KEY = "debrief_seen_at"


def first_run_middleware(get_response: Handler) -> Handler:
    """On a fresh install with no account yet, the home page leads straight to sign-up."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if (
            request.path == "/"
            and not request.user.is_authenticated
            and not get_user_model().objects.exists()
        ):
            return redirect(reverse("account_signup"))
        return get_response(request)

    return middleware


def idle_expiry_middleware(get_response: Handler) -> Handler:
    """A signed-in session ends after SESSION_COOKIE_AGE without use (DEBRIEF_IDLE_HOURS).

    Django pushes a session's expiry back only when the session is saved. Saving it on every
    request would be a database write per page and per autosave, so this saves it at most once
    every DEBRIEF_IDLE_REFRESH_SECONDS while the coach is active: the session then ends between
    the idle time less that interval and the idle time after the last request.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        _keep_alive_if_due(request)
        return response

    return middleware


def _keep_alive_if_due(request: HttpRequest) -> None:
    session = getattr(request, "session", None)
    # A request that never read the session (a static file, a bare page) has nothing to renew.
    if session is None or not session.accessed or AUTH_USER_KEY not in session:
        return
    now = int(time.time())
    if now - int(session.get(SEEN_AT_KEY, 0)) < settings.DEBRIEF_IDLE_REFRESH_SECONDS:
        return
    session[SEEN_AT_KEY] = now  # marks the session modified: saved with a new expiry
    if session.session_key:
        UserSession.objects.filter(session_key=session.session_key).update(
            last_seen_at=timezone.now()
        )
