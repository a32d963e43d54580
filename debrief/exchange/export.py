"""Everything Debrief holds about one coachee, as one plain structure.

The JSON download is this structure as it is; the readable download renders the same
structure, so the two never disagree. Values stay Python dates and times here and are
written as ISO 8601 by the JSON encoder. Raise ``FORMAT_VERSION`` when a key changes meaning
or goes away; adding a key does not need a new version.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from debrief.coachees.models import Coachee
from debrief.followup.carry import LAST_TIME_PREFIX
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.journal.answers.base import kind_of
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.practice.exchange import export_for as practice_export_for
from debrief.prompts.definition import Prompt
from debrief.techniques.models import TechniqueUse

FORMAT = "debrief-coachee-export"
FORMAT_VERSION = 1

# The coach's private self-assessment, left out of the coachee's copy unless the coach chooses
# to include it: these sections (the brief's, kept by its copies, and GROW's "Your practice"),
# every prompt whose kind is the coach's own assessment (techniques and how well they worked),
# last session's "steps to enhance future sessions", and what the coach noted to take to
# supervision (the dates a session was taken there are facts, and stay).
SELF_ASSESSMENT_SECTIONS = frozenset({"coach-performance", "reflection-learning", "your-practice"})
SELF_ASSESSMENT_PLANS = frozenset({"improvement_steps"})
SELF_ASSESSMENT_TITLES = (
    "Coach’s performance",
    "Reflection and learning",
    "Your practice",
    "techniques used and how well they worked",
    "how last session’s steps to enhance your sessions went",
    "what you noted to take to supervision",
)

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


@dataclass
class _Held:
    """Rows read once for the whole export: action items and goal scores, by session id."""

    actions: dict[int, list[ActionItem]] = field(default_factory=lambda: defaultdict(list))
    goals: dict[str, Goal] = field(default_factory=dict)  # by code, oldest first
    scored: dict[int, dict[str, GoalProgress]] = field(default_factory=lambda: defaultdict(dict))


def _goals(coachee: Coachee, held: _Held) -> list[Data]:
    goals = list(Goal.objects.filter(coachee=coachee).order_by("created"))
    held.goals = {str(goal.code): goal for goal in goals}
    by_id = {goal.pk: goal for goal in goals}
    progress: dict[int, list[Data]] = defaultdict(list)
    rows = (
        GoalProgress.objects.filter(goal__coachee=coachee)
        .select_related("session")
        .order_by("session__date", "session__number")
    )
    for row in rows:
        row.goal = by_id[row.goal_id]  # already read: no query per score
        held.scored[row.session_id][str(row.goal.code)] = row
        progress[row.goal_id].append(
            {
                "session": row.session.code,
                "session_number": row.session.number,
                "score": row.score,
                "note": row.note,
            }
        )
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


@dataclass
class _Stored:
    """One reflection's stored answers, read in bulk for the export (a ``Record``)."""

    reflection: Reflection
    session: CoachingSession
    answers: dict[str, Answer]
    actions: dict[str, ActionItem]
    uses: dict[tuple[str, str], TechniqueUse]
    goals: dict[str, Goal]
    progress: dict[str, GoalProgress]
    previous_scores: dict[str, int] = field(default_factory=dict)


def _prompt(prompt: Prompt, stored: _Stored) -> Data:
    kind = kind_of(prompt)
    data: Data = {"key": prompt.key, "text": prompt.text, "kind": prompt.kind}
    data.update(kind.as_data(prompt, kind.value(prompt, stored)))
    return data


def _supervision_note(reflection: Reflection) -> str | None:
    """What the coach marked to bring to supervision (``exports``), or None if not marked."""
    flag = getattr(reflection, "supervision_flag", None)
    return None if flag is None else str(flag.note)


def _private(section: Any, prompt: Prompt | None = None) -> bool:
    """Part of the coach's private self-assessment (see ``SELF_ASSESSMENT_SECTIONS``)."""
    if section.key in SELF_ASSESSMENT_SECTIONS:
        return True
    return prompt is not None and kind_of(prompt).self_assessment


def _reflection(
    reflection: Reflection, session: CoachingSession, held: _Held, private: bool
) -> Data:
    version = reflection.template_version
    definition = version.parsed
    answers = {a.prompt_key: a for a in reflection.answers.all()}
    uses = {(u.prompt_key, str(u.technique.code)): u for u in reflection.technique_uses.all()}
    actions = {str(a.code): a for a in held.actions[session.pk]}
    stored = _Stored(
        reflection, session, answers, actions, uses, held.goals, held.scored[session.pk]
    )
    sections = [
        {
            "key": section.key,
            "title": section.title,
            "prompts": [
                _prompt(p, stored) for p in section.prompts if private or not _private(section, p)
            ],
        }
        for section in definition.sections
        if private or not _private(section)
    ]
    left_out = [s.title for s in definition.sections if not private and _private(s)]
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
        and (private or key.removeprefix(LAST_TIME_PREFIX) not in SELF_ASSESSMENT_PLANS)
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
        "sections_left_out": left_out,
        "other_answers": others if private else [],
        "for_supervision": _supervision_note(reflection) if private else None,
        "last_time_plans_followed_up": last_time,
    }


def _session(session: CoachingSession, held: _Held, reviews: list[Data], private: bool) -> Data:
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
        "reflection": _reflection(reflection, session, held, private) if reflection else None,
        "action_items": [_action(a) for a in held.actions[session.pk]],
        "earlier_actions_reviewed": reviews,
    }


def _with_coachee(sessions: Any, coachee: Coachee) -> list[CoachingSession]:
    found = list(sessions)
    for session in found:
        session.coachee = coachee  # a session fact names the coachee: no query per session
    return found


def build_export(coachee: Coachee, *, private: bool = False) -> Data:
    """Everything about ``coachee``; the caller has already checked it is the coach's own.

    ``private``: include the coach's private self-assessment (left out by default).
    """
    coach = coachee.coach
    sessions = (
        CoachingSession.objects.for_coach(coach)
        .filter(coachee=coachee)
        .select_related("reflection__template_version__template", "reflection__supervision_flag")
        .prefetch_related("reflection__answers", "reflection__technique_uses__technique")
        .order_by("date", "number")
    )
    held = _Held()
    for action in ActionItem.objects.for_coach(coach).filter(coachee=coachee).order_by("created"):
        action.coachee = coachee  # saves a query per item when its text is opened
        held.actions[action.session_id].append(action)
    reviews = _reviews(coachee)
    goals = _goals(coachee, held)
    # The dates a session was taken to supervision stay: facts, without the supervision notes.
    practice = practice_export_for(coachee)
    found = _with_coachee(sessions, coachee)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "includes_self_assessment": private,
        "coachee": _coachee(coachee),
        "goals": goals,
        "sessions": [_session(s, held, reviews[s.pk], private) for s in found],
        "practice": practice,
    }


def to_json(data: Data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n"
