"""What an earlier session hands to the next one: open actions, plans, and the coachee's goals.

When a coach prepares a session, the actions still open from earlier sessions come back to be
reviewed (done, carry on, drop, with a note), and what they planned last time (the answers to
the prompts the template flags ``carry``: the brief's next steps, Kolb's experiment...) comes
back as a question: how did it go? In the session
overview the coach scores each active goal from 0 to 10.

Every review and score is stored against the session where it was made, so the history of an
action (carried twice, then done) can be read session by session.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.prompts.definition import Prompt

# Which prompts come back is the template's choice (each prompt's ``carry`` flag); these two,
# flagged in the brief's template, keep the wording they always had.
WORDING: dict[str, tuple[str, str]] = {
    "coachee_next_steps": (
        "Last time you planned these next steps with {name}:",
        "How did it go?",
    ),
    "improvement_steps": (
        "Last time you planned to enhance your sessions by:",
        "How did it go? Did you manage it this time?",
    ),
}
GENERIC = ("Last time, to “{text}”, you wrote:", "How did it go?")
LOOK_BACK = 6  # earlier sessions searched for a written plan, newest first
LAST_TIME_PREFIX = "lt."  # Answer.prompt_key of the "how did it go?" answers


@dataclass(frozen=True)
class LastTime:
    """One plan from the previous session, and the key its follow-up answer is stored under."""

    key: str  # the prompt key in the previous reflection
    intro: str
    question: str
    plan: str
    previous: CoachingSession

    @property
    def answer_key(self) -> str:
        return f"{LAST_TIME_PREFIX}{self.key}"


def _earlier(session: CoachingSession, via: str = "session__") -> Q:
    """Rows (reached ``via`` a session) from sessions before this one: by date, then number."""
    return Q(**{f"{via}date__lt": session.date}) | Q(
        **{f"{via}date": session.date, f"{via}number__lt": session.number}
    )


def carried_actions(session: CoachingSession) -> tuple[list[ActionItem], dict[str, ActionReview]]:
    """Open actions from earlier sessions, and those already reviewed in this one (by code)."""
    reviews = {
        str(r.action.code): r
        for r in ActionReview.objects.filter(session=session).select_related("action__session")
    }
    reviewed_ids = [r.action_id for r in reviews.values()]
    open_earlier = (
        ActionItem.objects.filter(coachee_id=session.coachee_id)
        .filter(_earlier(session))
        .filter(Q(status=ActionItem.Status.OPEN) | Q(pk__in=reviewed_ids))
        .select_related("session", "coachee")
        .order_by("session__date", "session__number", "created")
    )
    return list(open_earlier), reviews


def previous_session(session: CoachingSession) -> CoachingSession | None:
    return (
        CoachingSession.objects.filter(coachee_id=session.coachee_id)
        .filter(_earlier(session, via=""))
        .order_by("-date", "-number")
        .first()
    )


def _plans(reflection: Reflection, answers: dict[str, str]) -> list[tuple[Prompt, str]]:
    found = []
    for prompt in reflection.template_version.parsed.carried():
        plan = answers.get(prompt.key, "").strip()
        if plan:
            found.append((prompt, plan))
    return found


def last_time(session: CoachingSession, coachee_name: str) -> list[LastTime]:
    """The plans written in the latest earlier session that has any (flagged ``carry``).

    When the previous session has no plan written (a quick reflection, a cancelled meeting),
    the sessions before it are searched, up to ``LOOK_BACK`` of them: two queries in all.
    """
    earlier = list(
        Reflection.objects.filter(session__coachee_id=session.coachee_id)
        .filter(_earlier(session))
        .select_related("session", "template_version")
        .order_by("-session__date", "-session__number")[:LOOK_BACK]
    )
    keys = {p.key for r in earlier for p in r.template_version.parsed.carried()}
    if not keys:
        return []
    texts: dict[int, dict[str, str]] = {}
    for answer in Answer.objects.filter(reflection__in=earlier, prompt_key__in=keys):
        texts.setdefault(answer.reflection_id, {})[answer.prompt_key] = answer.text
    for reflection in earlier:
        plans = _plans(reflection, texts.get(reflection.pk, {}))
        if plans:
            previous = reflection.session
            return [_asked(prompt, plan, previous, coachee_name) for prompt, plan in plans]
    return []


def _asked(prompt: Prompt, plan: str, previous: CoachingSession, name: str) -> LastTime:
    intro, question = WORDING.get(prompt.key, GENERIC)
    return LastTime(
        prompt.key, intro.format(name=name, text=prompt.text.rstrip("?.")), question, plan, previous
    )


def goals_for(session: CoachingSession) -> tuple[list[Goal], dict[str, GoalProgress]]:
    """The coachee's active goals and any goal scored in this session (by goal code)."""
    progress = {
        str(p.goal.code): p
        for p in GoalProgress.objects.filter(session=session).select_related("goal", "session")
    }
    scored_ids = [p.goal_id for p in progress.values()]
    goals = (
        Goal.objects.filter(coachee_id=session.coachee_id)
        .filter(Q(status=Goal.Status.ACTIVE) | Q(pk__in=scored_ids))
        .select_related("coachee")
        .order_by("created")
    )
    return list(goals), progress


def apply_review(
    action: ActionItem,
    review: ActionReview | None,
    reflection: Reflection,
    choice: str,
    note: str,
) -> ActionReview | None:
    """Record (or clear) the review of an action in this session; the review now stored."""
    session = reflection.session
    if not choice and not note:
        if review is not None:
            review.delete()
            _set_action_status(action, ActionItem.Status.OPEN)
        return None
    if review is None:
        review = ActionReview(coach_id=reflection.coach_id, action=action, session=session)
    review.choice = choice or ActionReview.Choice.CARRY
    review.note = note
    review.save()
    status = {
        ActionReview.Choice.DONE: ActionItem.Status.DONE,
        ActionReview.Choice.DROP: ActionItem.Status.DROPPED,
    }.get(ActionReview.Choice(review.choice), ActionItem.Status.OPEN)
    _set_action_status(action, status)
    return review


def _set_action_status(action: ActionItem, status: str) -> None:
    if action.status != status:
        action.set_status(status)
        action.save(update_fields=["status", "closed_at"])


def previous_scores(session: CoachingSession, goals: list[Goal]) -> dict[str, int]:
    """The latest score of each goal in a session before this one (by goal code)."""
    earlier = (
        GoalProgress.objects.filter(goal__in=goals, score__isnull=False)
        .filter(_earlier(session))
        .order_by("session__date", "session__number")
        .values_list("goal__code", "score")
    )
    return {str(code): score for code, score in earlier if score is not None}
