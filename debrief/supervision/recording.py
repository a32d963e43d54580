"""A supervision session recorded by the supervisor: a practice entry in the coach's records.

It is an ordinary ``SupervisionEntry`` of the coach (so it counts in the coach's supervision
hours for ICF, EMCC and the AC like one they added), with ``recorded_by`` the supervisor and,
once they sign it off, ``signed_off_at``. Its themes are sealed under the entry's own key, as
every supervision entry's are. The coach cannot change what the supervisor recorded, only add
what they took from it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.journal.models import CoachingSession
from debrief.practice.models import SupervisionEntry
from debrief.supervision.models import Share


def shared_sessions(share: Share) -> list[CoachingSession]:
    source = share.pack.sessions if share.pack is not None else share.sessions
    return list(CoachingSession.objects.for_coach(share.coach).filter(pk__in=source.all()))


def record_session(
    share: Share, supervisor: Any, data: dict[str, Any], request: HttpRequest
) -> SupervisionEntry:
    with transaction.atomic():
        entry = SupervisionEntry(
            coach=share.coach,
            date=data["date"],
            hours=data["hours"],
            mode=data["mode"],
            supervisor=str(supervisor)[:200],
            recorded_by=supervisor,
            signed_off_at=timezone.now() if data["sign_off"] else None,
        )
        entry.themes = data["themes"]
        entry.save()
        entry.sessions.set(shared_sessions(share))
        _audit(entry, AuditEvent.Action.SUPERVISION_RECORDED, request)
    return entry


def sign_off(entry: SupervisionEntry, request: HttpRequest) -> bool:
    changed = SupervisionEntry.objects.filter(pk=entry.pk, signed_off_at__isnull=True).update(
        signed_off_at=timezone.now()
    )
    if changed:
        _audit(entry, AuditEvent.Action.SUPERVISION_SIGNED_OFF, request)
    return bool(changed)


def _audit(entry: SupervisionEntry, action: str, request: HttpRequest) -> None:
    record(
        action,
        coach=entry.coach,
        request=request,
        subject=str(entry.code),
        detail={"supervisor": entry.recorded_by_id, "hours": str(entry.hours)},
    )
