"""The ownership choke point for a personal access token on the API tokens page."""

from __future__ import annotations

from uuid import UUID

from debrief.api.models import ApiToken
from debrief.audit.denied import get_owned_or_404
from debrief.lib.http import AuthedRequest


def get_token_for_user(request: AuthedRequest, code: UUID) -> ApiToken:
    """One of the coach's tokens: another coach's code is a 404."""
    return get_owned_or_404(request, ApiToken.objects.for_coach(request.user), ApiToken, code)
