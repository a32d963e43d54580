"""Who holds which role. Every account gets a membership when it is made.

A new account is a coach, as every account was before firms; the first account (when no
administrator exists yet) is also the administrator. An invitation sets the roles it offered
instead (``user._firm_roles``, set by the sign-up adapter just before the account is saved).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.http import HttpRequest

from debrief.firm.models import ROLE_NAMES, Membership

_CACHE = "_firm_membership"


def membership_of(user: Any, request: HttpRequest | None = None) -> Membership:
    """The person's roles (read once per request). An account without a row is a coach."""
    if request is not None and getattr(request, _CACHE, None) is not None:
        return getattr(request, _CACHE)
    found = Membership.objects.filter(user_id=user.pk).first() if user.pk else None
    membership = found if found is not None else Membership(user_id=user.pk, coach=True)
    if request is not None:
        setattr(request, _CACHE, membership)
    return membership


def is_administrator(user: Any, request: HttpRequest | None = None) -> bool:
    return bool(user.is_authenticated and membership_of(user, request).administrator)


def is_coach(user: Any, request: HttpRequest | None = None) -> bool:
    return bool(user.is_authenticated and membership_of(user, request).coach)


def active_administrators() -> int:
    return Membership.objects.filter(administrator=True, user__is_active=True).count()


def _on_user_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kw: Any) -> None:
    if not created or raw:
        return
    roles = getattr(instance, "_firm_roles", None)
    if roles is None:
        first = not Membership.objects.filter(administrator=True).exists()
        roles = {"coach", "administrator"} if first else {"coach"}
    Membership.objects.create(user=instance, **{name: name in roles for name in ROLE_NAMES})


def connect() -> None:
    from django.contrib.auth import get_user_model

    post_save.connect(_on_user_saved, sender=get_user_model(), dispatch_uid="debrief.firm.roles")
