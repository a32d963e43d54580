"""Record an audit event. Call ``record`` wherever a security event or access happens.

Never pass coachee content: ``subject`` is an opaque code (UUID), ``detail`` holds counts,
ids and reasons only.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest

from debrief.audit.models import AuditEvent

logger = logging.getLogger("debrief.audit")


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    coach: Any = None,
    request: HttpRequest | None = None,
    subject: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    if coach is not None and not getattr(coach, "is_authenticated", False):
        coach = None
    event = AuditEvent.objects.create(
        coach=coach,
        action=action,
        subject=str(subject)[:64],
        detail=detail or {},
        ip=client_ip(request),
    )
    # The log line names the action and opaque ids only, like the event itself.
    logger.info("audit %s coach=%s subject=%s", action, getattr(coach, "pk", None), subject)
    return event
