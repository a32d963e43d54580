from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

Handler = Callable[[HttpRequest], HttpResponse]


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
