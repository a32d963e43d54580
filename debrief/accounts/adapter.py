from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest


def signup_is_open() -> bool:
    """The first coach on a fresh install may always sign up; later ones if the operator allows."""
    if settings.DEBRIEF_OPEN_SIGNUP:
        return True
    return not get_user_model().objects.exists()


def signup_context(request: HttpRequest) -> dict[str, bool]:
    """Template context: whether to offer sign-up (only on the pages that use it)."""
    if request.path.startswith("/accounts/"):
        return {"signup_open": signup_is_open()}
    return {}


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return signup_is_open()
