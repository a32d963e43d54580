"""The ownership choke point for a practice record (supervision, mentoring, CPD, feedback)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from debrief.audit.denied import get_owned_or_404
from debrief.lib.http import AuthedRequest

if TYPE_CHECKING:
    from debrief.practice.entries import Kind


def get_entry_for_user(request: AuthedRequest, kind: Kind, code: UUID) -> Any:
    """The choke point for a practice entry in a URL: another coach's code is a 404."""
    qs = kind.model.objects.for_coach(request.user)  # type: ignore[attr-defined]
    return get_owned_or_404(request, qs, kind.model, code)
