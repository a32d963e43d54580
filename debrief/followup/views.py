from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from debrief.audit.denied import get_owned_or_404
from debrief.followup.models import ActionItem
from debrief.lib.http import AuthedRequest

STATUS_MESSAGES = {
    ActionItem.Status.DONE: "Marked done.",
    ActionItem.Status.OPEN: "Opened again.",
    ActionItem.Status.DROPPED: "Dropped.",
}


def get_action_for_user(request: AuthedRequest, code: UUID) -> ActionItem:
    """The choke point for an action item in a URL: another coach's code is a 404."""
    qs = ActionItem.objects.for_coach(request.user).select_related("coachee")
    return get_owned_or_404(request, qs, ActionItem, code)


@login_required
@require_POST
def action_status(request: AuthedRequest, code: UUID) -> HttpResponse:
    action = get_action_for_user(request, code)
    status = request.POST.get("status", "")
    if status in STATUS_MESSAGES:
        action.set_status(status)
        action.save(update_fields=["status", "closed_at"])
        messages.success(request, STATUS_MESSAGES[ActionItem.Status(status)])
    else:
        messages.error(request, "Choose open, done or dropped.")
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("coachee_detail", code=action.coachee.code)
