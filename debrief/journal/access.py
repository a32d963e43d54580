"""The ownership choke point for a coaching session (and so its reflection)."""

from __future__ import annotations

from uuid import UUID

from debrief.audit.denied import get_owned_or_404
from debrief.journal.models import CoachingSession
from debrief.lib.http import AuthedRequest


def get_session_for_user(request: AuthedRequest, code: UUID) -> CoachingSession:
    """The choke point for a session in a URL: another coach's code is a 404."""
    qs = CoachingSession.objects.for_coach(request.user).select_related(
        "coachee", "reflection", "reflection__template_version__template"
    )
    return get_owned_or_404(request, qs, CoachingSession, code)
