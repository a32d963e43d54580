"""Coachees: list, read, add, change; and their goals. The pages' forms and choke points."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Status

from debrief.api import auth
from debrief.api.common import Paging, coach_request, form_data, valid
from debrief.api.schemas import (
    ERRORS,
    WRITE_ERRORS,
    CoacheeChange,
    CoacheeNew,
    CoacheeOut,
    CoacheePage,
    GoalList,
    GoalNew,
    GoalOut,
)
from debrief.coachees.access import get_coachee_for_user
from debrief.coachees.forms import CoacheeForm
from debrief.coachees.models import Coachee
from debrief.followup.forms import GoalForm, save_goal
from debrief.followup.models import Goal

router = Router(tags=["coachees"])

Show = Literal["current", "all", "active", "paused", "completed", "archived"]


def coachee_out(coachee: Coachee) -> dict[str, object]:
    fields = {name: getattr(coachee, name) for name in CoacheeForm.FIELDS}
    return {**fields, "code": coachee.code, "created": coachee.created, "updated": coachee.updated}


def goal_out(goal: Goal) -> dict[str, object]:
    fields = {name: getattr(goal, name) for name in GoalForm.FIELDS}
    return {
        **fields,
        "code": goal.code,
        "coachee": goal.coachee.code,
        "created": goal.created,
        "closed_at": goal.closed_at,
    }


@router.get("/coachees", response={200: CoacheePage, **ERRORS}, auth=auth.read)
def list_coachees(
    request: HttpRequest, paging: Query[Paging], show: Show = "current"
) -> dict[str, object]:
    """Your coachees by name; ``show`` as the coachee list's filter (current: active and paused)."""
    qs = Coachee.objects.for_coach(coach_request(request).user)
    if show == "current":
        qs = qs.filter(status__in=[Coachee.Status.ACTIVE, Coachee.Status.PAUSED])
    elif show != "all":
        qs = qs.filter(status=show)
    # Names are sealed: sorted in Python, as the page does.
    found = sorted(qs, key=lambda c: (c.display_name.casefold(), c.pk))
    shown = found[paging.offset : paging.offset + paging.limit]
    return {"count": len(found), "items": [coachee_out(c) for c in shown]}


@router.post("/coachees", response={201: CoacheeOut, **WRITE_ERRORS}, auth=auth.write)
def add_coachee(request: HttpRequest, body: CoacheeNew) -> Status[dict[str, object]]:
    initial = {"status": Coachee.Status.ACTIVE, "icf_log_listing": False}
    form = valid(CoacheeForm(form_data(initial, body)))
    coachee = Coachee(coach=coach_request(request).user)
    form.copy_to(coachee)
    coachee.save()
    return Status(201, coachee_out(coachee))


@router.get("/coachees/{code}", response={200: CoacheeOut, **ERRORS}, auth=auth.read)
def get_coachee(request: HttpRequest, code: UUID) -> dict[str, object]:
    return coachee_out(get_coachee_for_user(coach_request(request), code))


@router.patch("/coachees/{code}", response={200: CoacheeOut, **WRITE_ERRORS}, auth=auth.write)
def change_coachee(request: HttpRequest, code: UUID, body: CoacheeChange) -> dict[str, object]:
    coachee = get_coachee_for_user(coach_request(request), code)
    form = valid(CoacheeForm(form_data(CoacheeForm.initial_for(coachee), body)))
    fields = form.copy_to(coachee)
    coachee.save(update_fields=[*fields, "updated"])
    return coachee_out(coachee)


@router.get("/coachees/{code}/goals", response={200: GoalList, **ERRORS}, auth=auth.read)
def list_goals(request: HttpRequest, code: UUID) -> dict[str, object]:
    coachee = get_coachee_for_user(coach_request(request), code)
    goals = Goal.objects.for_coach(coach_request(request).user).filter(coachee=coachee)
    return {"items": [goal_out(g) for g in goals.select_related("coachee").order_by("created")]}


@router.post("/coachees/{code}/goals", response={201: GoalOut, **WRITE_ERRORS}, auth=auth.write)
def add_goal(request: HttpRequest, code: UUID, body: GoalNew) -> Status[dict[str, object]]:
    coachee = get_coachee_for_user(coach_request(request), code)
    form = valid(GoalForm(form_data({"status": Goal.Status.ACTIVE}, body)))
    goal = Goal(coach=coach_request(request).user, coachee=coachee)
    save_goal(form, goal)
    return Status(201, goal_out(goal))
