"""What an administrator does to people's accounts, each step on the audit trail.

The person's own trail holds the event (``coach`` is the person), with the administrator who
acted in ``detail["by"]``; the firm's activity list reads the same rows. Deactivating keeps
every row of the person's journal as it is (sealed, under the same keys): they simply cannot
sign in until an administrator reactivates them.
"""

from __future__ import annotations

from typing import Any

from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest

from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.firm.models import ROLE_NAMES, FirmSettings, Membership
from debrief.firm.roles import active_administrators

Action = AuditEvent.Action

LAST_ADMIN = (
    "The firm needs at least one active administrator. Make someone else an administrator first."
)
NOT_YOURSELF = "You cannot deactivate your own account. Ask another administrator to do it."
NO_ROLE = "Choose at least one role. To stop someone signing in, deactivate their account."


class Refused(Exception):
    """An administrator's change that would leave the firm unmanageable; says what to do."""


def set_roles(membership: Membership, roles: set[str], by: Any, request: HttpRequest) -> bool:
    """Give ``membership`` exactly ``roles``. False when nothing changed."""
    if not roles:
        raise Refused(NO_ROLE)
    before = set(membership.roles)
    if before == roles:
        return False
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        dropped = locked.administrator and "administrator" not in roles
        if dropped and locked.user.is_active and active_administrators() <= 1:
            raise Refused(LAST_ADMIN)
        for name in ROLE_NAMES:
            setattr(locked, name, name in roles)
        locked.save(update_fields=[*ROLE_NAMES, "updated"])
        record(
            Action.ROLES_CHANGED,
            coach=locked.user,
            request=request,
            subject=str(locked.code),
            detail={
                "by": by.pk,
                "added": sorted(roles - before),
                "removed": sorted(before - roles),
            },
        )
    membership.refresh_from_db()
    return True


def end_sign_ins(user: Any) -> int:
    """Every session of ``user`` ends now: the ones allauth lists, and any it does not."""
    ended = 0
    for row in UserSession.objects.filter(user=user):
        row.end()
        ended += 1
    # Sessions made without allauth (an admin shell, force_login in tests) are found by their
    # decoded user id; there are few sessions per installation, and this runs rarely.
    for session in Session.objects.all().iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def deactivate(membership: Membership, by: Any, request: HttpRequest) -> int:
    user = membership.user
    if user.pk == by.pk:
        raise Refused(NOT_YOURSELF)
    if not user.is_active:
        return 0
    with transaction.atomic():
        if membership.administrator and active_administrators() <= 1:
            raise Refused(LAST_ADMIN)
        user.is_active = False
        user.save(update_fields=["is_active"])
        ended = end_sign_ins(user)
        record(
            Action.ACCOUNT_DEACTIVATED,
            coach=user,
            request=request,
            subject=str(membership.code),
            detail={"by": by.pk, "sign_ins_ended": ended},
        )
    return ended


def reactivate(membership: Membership, by: Any, request: HttpRequest) -> bool:
    user = membership.user
    if user.is_active:
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(
        Action.ACCOUNT_REACTIVATED,
        coach=user,
        request=request,
        subject=str(membership.code),
        detail={"by": by.pk},
    )
    return True


def save_settings(name: str, require_two_factor: bool, by: Any, request: HttpRequest) -> bool:
    current = FirmSettings.current()
    if current.name == name and current.require_two_factor == require_two_factor:
        return False
    FirmSettings.objects.update_or_create(
        pk=1, defaults={"name": name, "require_two_factor": require_two_factor}
    )
    record(
        Action.FIRM_SETTINGS,
        coach=by,
        request=request,
        detail={"require_two_factor": require_two_factor, "name_changed": current.name != name},
    )
    return True
