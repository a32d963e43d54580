"""Invitations: made and mailed by an administrator, accepted once through the sign-up page.

The link carries 32 random bytes; only their SHA-256 is stored. Following the link keeps the
invitation's id in the visitor's session, which opens sign-up for that one address
(``accounts.adapter``). Accepting claims the invitation with one conditional UPDATE, so two
sign-ups racing with the same link cannot both succeed.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.firm.models import ROLE_LABELS, FirmSettings, Invitation

SESSION_KEY = "debrief_firm_invitation"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_for(token: str) -> str:
    return settings.DEBRIEF_BASE_URL + reverse("firm_join", args=[token])


def invite(
    by: Any, email: str, roles: set[str], request: HttpRequest | None = None
) -> tuple[Invitation, str]:
    """Make an invitation and mail its link. Returns the row and the link (shown once)."""
    token = secrets.token_urlsafe(32)
    days = settings.DEBRIEF_INVITATION_DAYS
    row = Invitation.objects.create(
        email=email,
        token_hash=token_hash(token),
        invited_by=by,
        expires=timezone.now() + timedelta(days=days),
        **{name: name in roles for name in ROLE_LABELS},
    )
    record(
        AuditEvent.Action.INVITATION_SENT,
        coach=by,
        request=request,
        subject=str(row.code),
        detail={"roles": row.roles, "days": days},
    )
    link = link_for(token)
    _mail(row, link, by)
    return row, link


def _mail(row: Invitation, link: str, by: Any) -> None:
    # Who invited you, as what, and until when: nothing about anyone's coachees.
    ctx = {
        "invitation": row,
        "link": link,
        "inviter": str(by),
        "firm_name": FirmSettings.current().name,
        "roles": " and ".join(label.lower() for label in row.role_labels),
    }
    body = render_to_string("firm/invitation_email.txt", ctx)
    subject = "You are invited to Debrief"
    send_mail(subject, body, None, [row.email])


def revoke(row: Invitation, by: Any, request: HttpRequest | None = None) -> bool:
    if not row.is_pending:
        return False
    row.revoked_at = timezone.now()
    row.save(update_fields=["revoked_at"])
    record(AuditEvent.Action.INVITATION_REVOKED, coach=by, request=request, subject=str(row.code))
    return True


def find_pending(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    row = Invitation.objects.filter(token_hash=token_hash(token)).first()
    return row if row is not None and row.is_pending else None


def from_session(request: HttpRequest | None) -> Invitation | None:
    """The invitation this visitor followed a link for, while it is still pending."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return None
    row = Invitation.objects.filter(pk=session[SESSION_KEY]).first()
    return row if row is not None and row.is_pending else None


def remember(request: HttpRequest, row: Invitation) -> None:
    request.session[SESSION_KEY] = row.pk


def claim(row: Invitation) -> bool:
    """Mark the invitation used, if nobody used, revoked or outlived it first. In a transaction."""
    now = timezone.now()
    used = Invitation.objects.filter(
        pk=row.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires__gt=now
    ).update(accepted_at=now)
    return used == 1


def accepted(row: Invitation, user: Any, request: HttpRequest | None) -> None:
    """After the account is saved (same transaction): who accepted, and the audit event."""
    Invitation.objects.filter(pk=row.pk).update(accepted_by=user)
    detail = {"roles": row.roles, "invited_by": row.invited_by_id}
    transaction.on_commit(lambda: _forget(request))
    record(
        AuditEvent.Action.INVITATION_ACCEPTED,
        coach=user,
        request=request,
        subject=str(row.code),
        detail=detail,
    )


def _forget(request: HttpRequest | None) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(SESSION_KEY, None)
