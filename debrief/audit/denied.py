"""Get a coach's own object by its code, or 404: and note it when the code was someone else's."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from django.db import models
from django.http import Http404, HttpRequest

from debrief.audit.log import record
from debrief.audit.models import AuditEvent

M = TypeVar("M", bound=models.Model)


def get_owned_or_404(request: HttpRequest, queryset: Any, model: type[M], code: UUID) -> M:
    """``queryset`` is already ``for_coach(request.user)``; outsiders get the same 404."""
    try:
        obj: M = queryset.get(code=code)
    except model.DoesNotExist:  # type: ignore[attr-defined]
        if model._default_manager.filter(code=code).exists():
            # Another coach's object: the visitor sees a plain 404, the trail keeps a note.
            record(
                AuditEvent.Action.ACCESS_DENIED,
                coach=request.user,
                request=request,
                subject=str(code),
                detail={"kind": model._meta.model_name, "path": request.path},
            )
        raise Http404 from None
    return obj
