"""Action items and goals: the coachee page's lists, the action's status and the goal form."""

from __future__ import annotations

from uuid import UUID

from django.db.models import F
from django.http import HttpRequest
from ninja import Query, Router

from debrief.api import auth
from debrief.api.common import Paging, coach_request, form_data, valid
from debrief.api.ops.coachees import goal_out
from debrief.api.schemas import (
    ERRORS,
    WRITE_ERRORS,
    ActionChange,
    ActionOut,
    ActionPage,
    ActionStatus,
    GoalChange,
    GoalOut,
)
from debrief.coachees.access import get_coachee_for_user
from debrief.followup.access import get_action_for_user, get_goal_for_user
from debrief.followup.forms import GoalForm, save_goal
from debrief.followup.models import ActionItem

router = Router(tags=["actions and goals"])


def action_out(action: ActionItem) -> dict[str, object]:
    return {
        "code": action.code,
        "coachee": action.coachee.code,
        "session": action.session.code,
        "owner": action.owner,
        "text": action.text,
        "due": action.due,
        "status": action.status,
        "overdue": action.is_overdue,
        "created": action.created,
        "closed_at": action.closed_at,
    }


@router.get("/actions", response={200: ActionPage, **ERRORS}, auth=auth.read)
def list_actions(
    request: HttpRequest,
    paging: Query[Paging],
    coachee: UUID | None = None,
    status: ActionStatus | None = None,
) -> dict[str, object]:
    """Action items, due first (undated last); optionally one coachee's, or one status."""
    coach = coach_request(request)
    qs = ActionItem.objects.for_coach(coach.user).filter(coachee__coach=coach.user)  # as the page
    qs = qs.select_related("coachee", "session")
    if coachee is not None:
        qs = qs.filter(coachee=get_coachee_for_user(coach, coachee))
    if status is not None:
        qs = qs.filter(status=status)
    ordered = qs.order_by(F("due").asc(nulls_last=True), "created", "pk")
    shown = ordered[paging.offset : paging.offset + paging.limit]
    return {"count": qs.count(), "items": [action_out(a) for a in shown]}


@router.get("/actions/{code}", response={200: ActionOut, **ERRORS}, auth=auth.read)
def get_action(request: HttpRequest, code: UUID) -> dict[str, object]:
    return action_out(get_action_for_user(coach_request(request), code))


@router.patch("/actions/{code}", response={200: ActionOut, **WRITE_ERRORS}, auth=auth.write)
def change_action(request: HttpRequest, code: UUID, body: ActionChange) -> dict[str, object]:
    """Mark an action done, dropped or open again (its text is edited in the reflection)."""
    action = get_action_for_user(coach_request(request), code)
    action.set_status(body.status)
    action.save(update_fields=["status", "closed_at"])
    return action_out(action)


@router.get("/goals/{code}", response={200: GoalOut, **ERRORS}, auth=auth.read)
def get_goal(request: HttpRequest, code: UUID) -> dict[str, object]:
    return goal_out(get_goal_for_user(coach_request(request), code))


@router.patch("/goals/{code}", response={200: GoalOut, **WRITE_ERRORS}, auth=auth.write)
def change_goal(request: HttpRequest, code: UUID, body: GoalChange) -> dict[str, object]:
    goal = get_goal_for_user(coach_request(request), code)
    form = valid(GoalForm(form_data(GoalForm.initial_for(goal), body)))
    save_goal(form, goal)
    return goal_out(goal)
