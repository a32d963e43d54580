"""Erase one coachee: every row about them, their data key, and their codes in the audit trail.

Everything happens in one transaction. Deleting the coachee cascades to their sessions,
reflections, answers and action items; once the deletion is committed their data key file
is destroyed (``coachees.models._shred_data_key``), so copies of their text in old backups
can no longer be read. What any process keeps in memory about them goes too: this one forgets
them once the erasure commits, and every other process at its next request, because the
erasure moves the memory generation on inside its transaction (``privacy/memory.py``).
Audit events keep what happened, but the coachee's codes in them (their own and those of
their sessions, reflections and action items) are replaced by one pseudonym, ``erased-`` and
a hash of the code with a random salt that is then thrown away: it links the events with each
other, never with the coachee.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.http import HttpRequest

from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.coachees.models import Coachee
from debrief.exchange.holdings import Holdings, holdings_of
from debrief.followup.models import ActionItem
from debrief.journal.models import CoachingSession, Reflection
from debrief.privacy import memory

# Codes searched for in audit details per query: SQLite limits how deep an expression nests.
_CHUNK = 100


@dataclass(frozen=True)
class Erasure:
    pseudonym: str
    held: Holdings


def new_pseudonym(code: UUID) -> str:
    return "erased-" + hashlib.sha256(secrets.token_bytes(16) + code.bytes).hexdigest()[:12]


def _codes_about(coachee: Coachee) -> list[UUID]:
    sessions = CoachingSession.objects.filter(coachee=coachee)
    return [
        coachee.code,
        *sessions.values_list("code", flat=True),
        *Reflection.objects.filter(session__in=sessions).values_list("code", flat=True),
        *ActionItem.objects.filter(coachee=coachee).values_list("code", flat=True),
    ]


def _scrub(value: Any, codes: re.Pattern[str], pseudonym: str) -> Any:
    if isinstance(value, str):
        return codes.sub(pseudonym, value)
    if isinstance(value, list):
        return [_scrub(v, codes, pseudonym) for v in value]
    if isinstance(value, dict):
        return {codes.sub(pseudonym, k): _scrub(v, codes, pseudonym) for k, v in value.items()}
    return value


def _pseudonymise_audit(codes: list[UUID], pseudonym: str) -> None:
    """Replace the codes in every coach's events (a refused visit is in the visitor's trail)."""
    needles = [form for code in codes for form in (str(code), code.hex)]
    # Events are append-only for the application; erasure is the one sanctioned rewrite.
    AuditEvent.objects.filter(subject__in=needles).update(subject=pseudonym)
    events = AuditEvent.objects.annotate(detail_text=Cast("detail", models.TextField()))
    for start in range(0, len(needles), _CHUNK):
        chunk = needles[start : start + _CHUNK]
        mentions = Q()
        for needle in chunk:
            mentions |= Q(detail_text__icontains=needle)
        pattern = re.compile("|".join(re.escape(n) for n in chunk), re.IGNORECASE)
        for pk, detail in events.filter(mentions).values_list("pk", "detail"):
            scrubbed = _scrub(detail, pattern, pseudonym)
            AuditEvent.objects.filter(pk=pk).update(detail=scrubbed)


def erase_coachee(
    coachee: Coachee, *, request: HttpRequest | None = None, reason: str = ""
) -> Erasure:
    """Erase ``coachee`` (already checked to be the coach's own) and record it."""
    with transaction.atomic():
        coachee = (
            Coachee.objects.select_for_update(of=("self",))
            .select_related("coach")
            .get(pk=coachee.pk)
        )
        held = holdings_of(coachee)
        pseudonym = new_pseudonym(coachee.code)
        _pseudonymise_audit(_codes_about(coachee), pseudonym)
        coach = coachee.coach
        memory.coachee_erased(memory.Coachee(coach.pk, coachee.pk, coachee.code))
        coachee.delete()  # cascades; the data key goes when this transaction commits
        detail: dict[str, Any] = held.as_dict()
        if reason:
            detail["reason"] = reason
        record(
            AuditEvent.Action.COACHEE_ERASED,
            coach=coach,
            request=request,
            subject=pseudonym,
            detail=detail,
        )
    return Erasure(pseudonym=pseudonym, held=held)
