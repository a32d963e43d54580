"""The ownership choke point for a coachee: every page, API operation and export starts here."""

from __future__ import annotations

from uuid import UUID

from debrief.audit.denied import get_owned_or_404
from debrief.coachees.models import Coachee
from debrief.lib.http import AuthedRequest


def get_coachee_for_user(request: AuthedRequest, code: UUID) -> Coachee:
    """The choke point for a coachee in a URL: another coach's code is a 404 (and a note)."""
    return get_owned_or_404(request, Coachee.objects.for_coach(request.user), Coachee, code)
