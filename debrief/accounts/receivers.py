"""Security events on a coach's account, written to the audit trail.

Connected in ``AccountsConfig.ready``. Sign-ins are taken from allauth's signal, which fires
for every real sign-in (password, then the two-factor code when it is on), and not for the
test client's ``force_login``. A failed sign-in never stores the address that was typed.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.http import HttpRequest

from debrief.audit.log import record
from debrief.audit.models import AuditEvent

Action = AuditEvent.Action


def _coach_for_typed_login(credentials: dict[str, Any]) -> Any:
    typed = credentials.get("email") or credentials.get("username") or ""
    if not typed:
        return None
    return get_user_model().objects.filter(email__iexact=str(typed)).first()


def on_signed_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(Action.SIGN_IN, coach=user, request=request)


def on_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    coach = _coach_for_typed_login(credentials)
    reason = "wrong password" if coach is not None else "unknown email address"
    record(Action.SIGN_IN_FAILED, coach=coach, request=request, detail={"reason": reason})


def on_wrong_code(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    reason = "wrong two-factor code"
    if kwargs.get("reauthentication"):
        reason += " when confirming it was you"
    record(Action.SIGN_IN_FAILED, coach=user, request=request, detail={"reason": reason})


def on_signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(Action.SIGN_OUT, coach=user, request=request)


def on_password_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(Action.PASSWORD_CHANGED, coach=user, request=request)


def on_password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(Action.PASSWORD_RESET, coach=user, request=request)


def _email_event(reason: str) -> Any:
    # The addresses themselves stay out of the trail: the reason says what happened.
    def receiver(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        record(Action.EMAIL_CHANGED, coach=user, request=request, detail={"reason": reason})

    return receiver


on_email_changed = _email_event("new main address")
on_email_added = _email_event("address added")
on_email_removed = _email_event("address removed")


_METHOD_NAMES = {Authenticator.Type.TOTP: "authenticator app", "webauthn": "security key"}


def _authenticator_event(totp_action: str, codes_reason: str) -> Any:
    def receiver(
        sender: Any, request: HttpRequest, user: Any, authenticator: Authenticator, **kwargs: Any
    ) -> None:
        action: str = totp_action
        reason = _METHOD_NAMES.get(authenticator.type, "")
        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            action, reason = Action.RECOVERY_CODES, codes_reason
        record(action, coach=user, request=request, detail={"reason": reason})

    return receiver


on_authenticator_added = _authenticator_event(Action.MFA_ADDED, "created")
on_authenticator_removed = _authenticator_event(Action.MFA_REMOVED, "deleted")


def on_recovery_codes_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(Action.RECOVERY_CODES, coach=user, request=request, detail={"reason": "new set"})


def connect() -> None:
    uid = "debrief.accounts"
    account_signals.user_logged_in.connect(on_signed_in, dispatch_uid=f"{uid}.in")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid=f"{uid}.failed")
    user_logged_out.connect(on_signed_out, dispatch_uid=f"{uid}.out")
    account_signals.password_changed.connect(on_password_changed, dispatch_uid=f"{uid}.pw")
    account_signals.password_set.connect(on_password_changed, dispatch_uid=f"{uid}.pw_set")
    account_signals.password_reset.connect(on_password_reset, dispatch_uid=f"{uid}.reset")
    account_signals.email_changed.connect(on_email_changed, dispatch_uid=f"{uid}.email")
    account_signals.email_added.connect(on_email_added, dispatch_uid=f"{uid}.email_add")
    account_signals.email_removed.connect(on_email_removed, dispatch_uid=f"{uid}.email_rm")
    mfa_signals.authentication_failed.connect(on_wrong_code, dispatch_uid=f"{uid}.code")
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid=f"{uid}.mfa+")
    mfa_signals.authenticator_removed.connect(on_authenticator_removed, dispatch_uid=f"{uid}.mfa-")
    mfa_signals.authenticator_reset.connect(on_recovery_codes_reset, dispatch_uid=f"{uid}.rc")
