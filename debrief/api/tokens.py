"""Making and checking personal access tokens.

A token is ``dbr_`` and 43 URL-safe characters (32 random bytes). Only its SHA-256 is kept:
with that much randomness a plain hash cannot be reversed or guessed, and a lookup by hash
needs no per-token salt. The token itself is shown once, on the page that made it, and is
never logged, stored in the session or put in a message.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from debrief.api.models import ApiToken
from debrief.audit.log import record
from debrief.audit.models import AuditEvent

PREFIX = "dbr_"
SHOWN_PREFIX = 8  # "dbr_" and 4 characters: enough to tell a coach's tokens apart
LAST_USED_EVERY = timedelta(minutes=5)  # "last used" is written at most this often


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def make_token(
    coach: Any, name: str, scope: str, days: int, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``coach``: the row, and the token to show once."""
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        coach=coach,
        name=name,
        scope=scope,
        token_hash=token_hash(token),
        prefix=token[:SHOWN_PREFIX],
        expires=timezone.now() + timedelta(days=days),
    )
    record(
        AuditEvent.Action.API_TOKEN_MADE,
        coach=coach,
        request=request,
        subject=str(row.code),
        detail={"scope": scope, "days": days},
    )
    return row, token


def revoke(row: ApiToken, request: HttpRequest | None = None) -> None:
    if row.revoked is not None:
        return
    row.revoked = timezone.now()
    row.save(update_fields=["revoked"])
    record(
        AuditEvent.Action.API_TOKEN_REVOKED,
        coach=row.coach,
        request=request,
        subject=str(row.code),
    )


@dataclass(frozen=True)
class Checked:
    """The outcome of presenting a token: the row when it may be used, else why not."""

    token: ApiToken | None
    refusal: str = ""  # "unknown", "revoked" or "expired"


def check(raw: str, request: HttpRequest | None = None) -> Checked:
    """Find the live token ``raw`` names. A known token refused is noted in its coach's trail."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return Checked(None, "unknown")
    row = ApiToken.objects.select_related("coach").filter(token_hash=token_hash(raw)).first()
    if row is None or not row.coach.is_active:
        return Checked(None, "unknown")
    if not row.is_active:
        reason = "revoked" if row.revoked is not None else "expired"
        record(
            AuditEvent.Action.API_TOKEN_REFUSED,
            coach=row.coach,
            request=request,
            subject=str(row.code),
            detail={"reason": reason},
        )
        return Checked(None, reason)
    _note_use(row)
    return Checked(row)


def _note_use(row: ApiToken) -> None:
    now = timezone.now()
    if row.last_used is None or now - row.last_used >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used=now)
        row.last_used = now
