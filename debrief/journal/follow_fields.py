"""The reflection page's follow-through fields, outside the template: see ``reflection``.

- ``r-<code>-choice`` / ``-note``: the review of an action still open from an earlier session;
- ``lt-<key>``: how last session's plan went (the answer ``lt.<key>``);
- ``g-<code>-score`` / ``-note``: a goal's progress in this session, 0-10 with a note.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from debrief.followup import carry
from debrief.followup.models import ActionReview, GoalProgress
from debrief.journal.models import Answer
from debrief.privacy.fields import LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT

if TYPE_CHECKING:
    from debrief.journal.reflection import Snapshot

KINDS = ("review-choice", "review-note", "lasttime", "goal-score", "goal-note")
REVIEW_CHOICES = {"", *(c.value for c in ActionReview.Choice)}
GOAL_SCALE = range(0, 11)
Cleaner = Callable[[str, int], tuple[str, "str | None"]]


def load(snap: Snapshot) -> None:
    """Carried actions, last time's plans and goal progress: fields outside the template."""
    session = snap.reflection.session
    carried, snap.reviews = carry.carried_actions(session)
    snap.carried = {str(a.code): a for a in carried}
    for code in snap.carried:
        review = snap.reviews.get(code)
        snap.values[f"r-{code}-choice"] = review.choice if review else ""
        snap.values[f"r-{code}-note"] = review.note if review else ""
    snap.last_time = carry.last_time(session, session.coachee.display_name)
    for item in snap.last_time:
        answer = snap.answers.get(item.answer_key)
        snap.values[f"lt-{item.key}"] = answer.text if answer else ""
    if snap.goal_prompt() is None:
        return
    goals, snap.progress = carry.goals_for(session)
    snap.goals = {str(g.code): g for g in goals}
    snap.previous_scores = carry.previous_scores(session, goals)
    for code in snap.goals:
        row = snap.progress.get(code)
        score = row.score if row else None
        snap.values[f"g-{code}-score"] = "" if score is None else str(score)
        snap.values[f"g-{code}-note"] = row.note if row else ""


def kind_of(name: str) -> tuple[str, Any]:
    """What a follow-through field name refers to, or ("", None)."""
    if name.startswith("r-"):
        code, _, part = name[2:].rpartition("-")
        if part in ("choice", "note"):
            return f"review-{part}", code
    if name.startswith("lt-"):
        key = name[3:]
        return ("lasttime", key) if key in carry.CARRY_PROMPTS else ("", None)
    if name.startswith("g-"):
        code, _, part = name[2:].rpartition("-")
        if part in ("score", "note"):
            return f"goal-{part}", code
    return "", None


def _clean_goal_score(value: str) -> tuple[str, str | None]:
    value = value.strip()
    if value == "":
        return value, None
    score = int(value) if value.isascii() and value.isdigit() else None
    if score is None or score not in GOAL_SCALE:
        return value, "Choose a score from 0 (not started) to 10 (achieved)."
    return str(score), None


def clean(kind: str, raw: str, clean_text: Cleaner) -> tuple[str, str | None]:
    if kind == "review-choice":
        value = raw.strip()
        return value, None if value in REVIEW_CHOICES else "Choose done, carry on or drop."
    if kind == "review-note":
        return clean_text(raw.strip(), SHORT_TEXT_LIMIT)
    if kind == "goal-score":
        return _clean_goal_score(raw)
    return clean_text(raw, LONG_TEXT_LIMIT)


def label(snap: Snapshot, kind: str, target: str) -> str:
    if kind.startswith("review-"):
        carried = snap.carried.get(target)
        return f"Earlier action: {carried.text}" if carried else "Earlier action"
    if kind == "lasttime":
        return carry.CARRY_PROMPTS[target][1]
    goal = snap.goals.get(target)
    return f"Goal: {goal.title}" if goal else "Goal"


def missing(snap: Snapshot, kind: str, target: str) -> str | None:
    """Why a field refers to something no longer there, or None when it is there."""
    if kind.startswith("review-") and target not in snap.carried:
        return "This earlier action is no longer open. Reload the page to see the current list."
    if kind.startswith("goal-") and target not in snap.goals:
        return "This goal is no longer active. Reload the page to see the current goals."
    if kind == "lasttime" and not any(t.key == target for t in snap.last_time):
        return "Last session's plan has changed. Reload the page to see it."
    return None


def write(snap: Snapshot, kind: str, target: str, name: str, value: str) -> None:
    snap.values[name] = value
    session = snap.reflection.session
    if kind.startswith("review-"):
        choice, note = snap.values[f"r-{target}-choice"], snap.values[f"r-{target}-note"]
        stored = carry.apply_review(
            snap.carried[target], snap.reviews.get(target), snap.reflection, choice, note
        )
        if stored is None:
            snap.reviews.pop(target, None)
        else:
            snap.reviews[target] = stored
        return
    if kind == "lasttime":
        key = f"{carry.LAST_TIME_PREFIX}{target}"
        answer = snap.answers.get(key) or Answer(reflection=snap.reflection, prompt_key=key)
        snap.answers[key] = answer
        answer.text = value
        answer.save()
        return
    score, note = snap.values[f"g-{target}-score"], snap.values[f"g-{target}-note"]
    row = snap.progress.get(target)
    if score == "" and note == "":
        if row is not None:
            row.delete()
            del snap.progress[target]
        return
    if row is None:
        goal = snap.goals[target]
        row = GoalProgress(coach_id=snap.reflection.coach_id, goal=goal, session=session)
        snap.progress[target] = row
    row.score = int(score) if score else None
    row.note = note
    row.save()
