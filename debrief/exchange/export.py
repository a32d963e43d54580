"""Everything Debrief holds about one coachee, as one plain structure.

The JSON download is this structure as it is; the readable download renders the same
structure, so the two never disagree. Values stay Python dates and times here and are
written as ISO 8601 by the JSON encoder. Raise ``FORMAT_VERSION`` when a key changes meaning
or goes away; adding a key does not need a new version.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from debrief.coachees.models import Coachee
from debrief.followup.carry import LAST_TIME_PREFIX
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.journal import kinds
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.journal.presenters import session_fact
from debrief.practice.exchange import export_for as practice_export_for
from debrief.prompts.definition import Prompt

FORMAT = "debrief-coachee-export"
FORMAT_VERSION = 1

Data = dict[str, Any]


def _coachee(coachee: Coachee) -> Data:
    return {
        "code": coachee.code,
        "name": coachee.name,
        "preferred_name": coachee.preferred_name,
        "pronouns": coachee.pronouns,
        "email": coachee.email,
        "organisation": coachee.organisation,
        "engagement_start": coachee.engagement_start,
        "status": coachee.status,
        "status_label": coachee.get_status_display(),
        "background": coachee.background,
        "created": coachee.created,
        "updated": coachee.updated,
        "consent": {
            "notes_kept_agreed_on": coachee.notes_consent_on,
            "icf_log_listing": coachee.icf_log_listing,
        },
    }


def _action(action: ActionItem) -> Data:
    return {
        "code": action.code,
        "owner": action.owner,
        "text": action.text,
        "due": action.due,
        "status": action.status,
        "created": action.created,
        "closed_at": action.closed_at,
    }


def _goals(coachee: Coachee) -> list[Data]:
    progress: dict[int, list[Data]] = defaultdict(list)
    rows = (
        GoalProgress.objects.filter(goal__coachee=coachee)
        .select_related("session")
        .order_by("session__date", "session__number")
    )
    for row in rows:
        progress[row.goal_id].append(
            {
                "session": row.session.code,
                "session_number": row.session.number,
                "score": row.score,
                "note": row.note,
            }
        )
    goals = Goal.objects.filter(coachee=coachee).order_by("created")
    return [
        {
            "code": goal.code,
            "title": goal.title,
            "description": goal.description,
            "target_date": goal.target_date,
            "status": goal.status,
            "created": goal.created,
            "closed_at": goal.closed_at,
            "progress": progress[goal.pk],
        }
        for goal in goals
    ]


def _reviews(coachee: Coachee) -> dict[int, list[Data]]:
    """Reviews of earlier actions, by the session they were made in."""
    found: dict[int, list[Data]] = defaultdict(list)
    rows = ActionReview.objects.filter(session__coachee=coachee).select_related("action", "session")
    for review in rows.order_by("updated"):
        found[review.session_id].append(
            {
                "action": review.action.code,
                "action_text": review.action.text,
                "choice": review.choice,
                "note": review.note,
            }
        )
    return found


def _prompt(prompt: Prompt, answer: Answer | None, session: CoachingSession) -> Data:
    data: Data = {"key": prompt.key, "text": prompt.text, "kind": prompt.kind}
    if prompt.kind == "session":
        data["answer"] = session_fact(session, prompt.fact)
    elif prompt.kind == "actions":
        data["owner"] = prompt.owner  # the session's action items with this owner answer it
    elif prompt.kind == "goal_progress":
        pass  # the scores are under each goal's "progress", by session
    elif prompt.kind in kinds.VALUE_KINDS:
        data.update(_value_answer(prompt, answer))
    elif prompt.kind == "techniques":
        data["techniques"] = []  # filled from the reflection's technique uses
    else:
        data["answer"] = answer.text if answer else ""
    if prompt.kind == "rating":
        data["rating"] = answer.rating if answer else None
        data["scale"] = [prompt.scale_min, prompt.scale_max]
    return data


def _value_answer(prompt: Prompt, answer: Answer | None) -> Data:
    value = kinds.stored_value(prompt, answer)
    if prompt.kind == "multiple_choice":
        return {"answer": value.split("\n") if value else [], "options": list(prompt.options)}
    if prompt.kind == "single_choice":
        return {"answer": value, "options": list(prompt.options)}
    return {"answer": value}


def _technique_uses(reflection: Reflection) -> dict[str, list[Data]]:
    found: dict[str, list[Data]] = defaultdict(list)
    uses = sorted(reflection.technique_uses.all(), key=lambda u: u.technique.name.casefold())
    for use in uses:
        found[use.prompt_key].append(
            {
                "technique": use.technique.name,
                "technique_slug": use.technique.slug,
                "effectiveness": use.effectiveness,
                "note": use.note,
            }
        )
    return found


def _add_techniques(sections: list[Data], reflection: Reflection) -> None:
    uses = _technique_uses(reflection)
    for section in sections:
        for prompt in section["prompts"]:
            if prompt["kind"] == "techniques":
                prompt["techniques"] = uses.get(prompt["key"], [])


def _reflection(reflection: Reflection, session: CoachingSession) -> Data:
    version = reflection.template_version
    definition = version.parsed
    answers = {a.prompt_key: a for a in reflection.answers.all()}
    sections = [
        {
            "key": section.key,
            "title": section.title,
            "prompts": [_prompt(p, answers.get(p.key), session) for p in section.prompts],
        }
        for section in definition.sections
    ]
    _add_techniques(sections, reflection)
    # Answers to prompts the template no longer has are still theirs: export them too.
    others = [
        {"key": a.prompt_key, "answer": a.text, "rating": a.rating}
        for key, a in sorted(answers.items())
        if key not in definition.by_key and not key.startswith(LAST_TIME_PREFIX)
    ]
    last_time = [
        {"plan": key.removeprefix(LAST_TIME_PREFIX), "how_it_went": a.text}
        for key, a in sorted(answers.items())
        if key.startswith(LAST_TIME_PREFIX)
    ]
    return {
        "code": reflection.code,
        "status": reflection.status,
        "created": reflection.created,
        "updated": reflection.updated,
        "completed_at": reflection.completed_at,
        "template": {
            "name": version.template.name,
            "slug": version.template.slug,
            "version": version.number,
        },
        "sections": sections,
        "other_answers": others,
        "last_time_plans_followed_up": last_time,
    }


def _session(session: CoachingSession, actions: list[ActionItem], reviews: list[Data]) -> Data:
    reflection = getattr(session, "reflection", None)
    return {
        "code": session.code,
        "number": session.number,
        "date": session.date,
        "start_time": session.start_time,
        "duration_minutes": session.duration_minutes,
        "format": session.format,
        "format_label": session.get_format_display(),
        "payment": session.payment,
        "payment_label": session.get_payment_display(),
        "kind": session.kind,
        "kind_label": session.get_kind_display(),
        "group_size": session.group_size,
        "created": session.created,
        "updated": session.updated,
        "reflection": _reflection(reflection, session) if reflection else None,
        "action_items": [_action(a) for a in actions],
        "earlier_actions_reviewed": reviews,
    }


def _with_coachee(sessions: Any, coachee: Coachee) -> list[CoachingSession]:
    found = list(sessions)
    for session in found:
        session.coachee = coachee  # a session fact names the coachee: no query per session
    return found


def build_export(coachee: Coachee) -> Data:
    """Everything about ``coachee``; the caller has already checked it is the coach's own."""
    coach = coachee.coach
    sessions = (
        CoachingSession.objects.for_coach(coach)
        .filter(coachee=coachee)
        .select_related("reflection__template_version__template")
        .prefetch_related("reflection__answers", "reflection__technique_uses__technique")
        .order_by("date", "number")
    )
    actions: dict[int, list[ActionItem]] = defaultdict(list)
    for action in ActionItem.objects.for_coach(coach).filter(coachee=coachee).order_by("created"):
        action.coachee = coachee  # saves a query per item when its text is opened
        actions[action.session_id].append(action)
    reviews = _reviews(coachee)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "coachee": _coachee(coachee),
        "goals": _goals(coachee),
        "sessions": [
            _session(s, actions[s.pk], reviews[s.pk]) for s in _with_coachee(sessions, coachee)
        ],
        "practice": practice_export_for(coachee),
    }


def to_json(data: Data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n"
