"""The ownership choke points for action items and goals."""

from __future__ import annotations

from uuid import UUID

from debrief.audit.denied import get_owned_or_404
from debrief.followup.models import ActionItem, Goal
from debrief.lib.http import AuthedRequest


def get_action_for_user(request: AuthedRequest, code: UUID) -> ActionItem:
    """The choke point for an action item in a URL: another coach's code is a 404."""
    qs = ActionItem.objects.for_coach(request.user).select_related("coachee")
    return get_owned_or_404(request, qs, ActionItem, code)


def get_goal_for_user(request: AuthedRequest, code: UUID) -> Goal:
    """The choke point for a goal in a URL: another coach's code is a 404."""
    qs = Goal.objects.for_coach(request.user).select_related("coachee")
    return get_owned_or_404(request, qs, Goal, code)
