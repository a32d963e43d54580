"""The ownership choke point for a technique of the coach's own."""

from __future__ import annotations

from uuid import UUID

from debrief.audit.denied import get_owned_or_404
from debrief.lib.http import AuthedRequest
from debrief.techniques.models import Technique


def get_technique_for_user(request: AuthedRequest, code: UUID) -> Technique:
    """One of the coach's own techniques (built-in ones are never retired): else a 404."""
    return get_owned_or_404(request, Technique.objects.for_coach(request.user), Technique, code)
