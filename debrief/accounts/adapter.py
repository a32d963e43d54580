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
from django.urls import reverse

from debrief.accounts.browsers import describe_browser
from debrief.accounts.secrets import open_secret, seal_secret
from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.firm import invitations

# allauth reports some rate limits as a form error; every limited request gets our 429 page.
RATE_LIMIT_ERRORS = {"too_many_login_attempts", "rate_limited"}


def signup_is_open() -> bool:
    """The first coach on a fresh install may always sign up; later ones if the operator allows."""
    if settings.DEBRIEF_OPEN_SIGNUP:
        return True
    return not get_user_model().objects.exists()


def signup_context(request: HttpRequest) -> dict[str, object]:
    """Template context: whether to offer sign-up (only on the pages that use it), and the
    invitation the visitor followed a link for (debrief/firm)."""
    if request.path.startswith("/accounts/"):
        return {"signup_open": signup_is_open(), "invitation": invitations.from_session(request)}
    return {}


def _closed(request: HttpRequest) -> ImmediateHttpResponse:
    return ImmediateHttpResponse(render(request, "account/signup_closed.html", status=403))


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # An invitation link opens sign-up for its own address (checked in clean_email).
        return signup_is_open() or invitations.from_session(request) is not None

    def clean_email(self, email: str) -> str:
        request = context.request
        invitation = invitations.from_session(request)
        on_signup = request is not None and request.path == reverse("account_signup")
        wrong = invitation is not None and email.lower() != invitation.email.lower()
        if on_signup and wrong and not signup_is_open():
            raise ValidationError(
                f"This invitation is for {invitation.email}. Use that address, or ask "  # type: ignore[union-attr]
                "your administrator to invite the address you would rather use."
            )
        return super().clean_email(email)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        invitation = invitations.from_session(request)
        if invitation is not None and invitation.email.lower() == user.email.lower():
            if commit:
                self._accept(request, user, invitation)
            return user
        if not settings.DEBRIEF_OPEN_SIGNUP:
            # Open only because no account exists yet: the database admits one first account.
            user.first_account = True
        if commit:
            try:
                with transaction.atomic():
                    user.save()
            except IntegrityError:
                # Someone else's sign-up won the race (or took this address a moment ago).
                raise _closed(request) from None
        return user

    def _accept(self, request: HttpRequest, user: Any, invitation: Any) -> None:
        """The invited account, with the invitation's roles; the invitation used once."""
        user._firm_roles = set(invitation.roles)
        try:
            with transaction.atomic():
                if not invitations.claim(invitation):
                    raise _closed(request)
                user.save()
                invitations.accepted(invitation, user, request)
        except IntegrityError:
            raise _closed(request) from None

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
