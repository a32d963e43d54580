from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.shortcuts import render

from debrief.accounts.browsers import describe_browser
from debrief.accounts.secrets import open_secret, seal_secret
from debrief.audit.log import record
from debrief.audit.models import AuditEvent

# allauth reports some rate limits as a form error; every limited request gets our 429 page.
RATE_LIMIT_ERRORS = {"too_many_login_attempts", "rate_limited"}


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

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        if not settings.DEBRIEF_OPEN_SIGNUP:
            # Open only because no account exists yet: the database admits one first account.
            user.first_account = True
        if commit:
            try:
                with transaction.atomic():
                    user.save()
            except IntegrityError:
                # Someone else's sign-up won the race (or took this address a moment ago).
                closed = render(request, "account/signup_closed.html", status=403)
                raise ImmediateHttpResponse(closed) from None
        return user

    def validation_error(self, code: str, *args: Any) -> ValidationError:
        # allauth builds every form error here, rate limits on passwords and codes included:
        # those become a 429 page that says how long to wait, not an error beside a field.
        if code in RATE_LIMIT_ERRORS and context.request is not None:
            raise ImmediateHttpResponse(respond_429(context.request))
        return super().validation_error(code, *args)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": (
            "That code did not work. Enter the newest code your authenticator app shows, "
            "and check that your phone sets its clock automatically."
        ),
    }

    def encrypt(self, text: str) -> str:
        return seal_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return open_secret(encrypted_text)


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions: Iterable[Any]) -> None:
        request = context.request
        for session in sessions:
            session.end()
            record(
                AuditEvent.Action.SIGN_IN_ENDED,
                coach=session.user,
                request=request,
                detail={"reason": f"{describe_browser(session.user_agent)}, {session.ip}"},
            )
