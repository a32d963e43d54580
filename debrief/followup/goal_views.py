"""Goals per coachee: add and edit. Progress is scored in each session's reflection."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from debrief.coachees.access import get_coachee_for_user
from debrief.coachees.models import Coachee
from debrief.followup.access import get_goal_for_user
from debrief.followup.forms import GoalForm, save_goal
from debrief.followup.models import Goal
from debrief.lib.http import AuthedRequest


def _render(
    request: AuthedRequest, form: GoalForm, coachee: Coachee, goal: Goal | None
) -> HttpResponse:
    ctx = {"form": form, "coachee": coachee, "goal": goal}
    return render(request, "followup/goal_form.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: AuthedRequest, coachee_code: UUID) -> HttpResponse:
    coachee = get_coachee_for_user(request, coachee_code)
    form = GoalForm(request.POST or None, initial={"status": Goal.Status.ACTIVE})
    if request.method == "POST" and form.is_valid():
        save_goal(form, Goal(coach=request.user, coachee=coachee))
        messages.success(request, "Goal added. You can score progress on it in each reflection.")
        return redirect("coachee_detail", code=coachee.code)
    return _render(request, form, coachee, None)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthedRequest, code: UUID) -> HttpResponse:
    goal = get_goal_for_user(request, code)
    form = GoalForm(request.POST or None, initial=GoalForm.initial_for(goal))
    if request.method == "POST" and form.is_valid():
        save_goal(form, goal)
        messages.success(request, "Goal saved.")
        return redirect("coachee_detail", code=goal.coachee.code)
    return _render(request, form, goal.coachee, goal)
