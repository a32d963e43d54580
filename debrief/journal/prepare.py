"""The preparation sheet: one printable page to read before a session, and its neighbours.

It gathers what the coach wants in front of them when they meet: the last session's summary
(its first written answers after the session), the coachee's goals with their latest scores,
the actions still open, what was planned last time, the pre-session prompts to fill in and
links to the earlier sessions. Previous and next session links appear on every session page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from debrief.followup.carry import goals_for, previous_scores
from debrief.followup.models import Goal
from debrief.journal.models import Answer, CoachingSession
from debrief.journal.presenters import SectionView

SUMMARY_ANSWERS = 4  # the last session's first written answers shown on the sheet
EARLIER_LINKS = 12


@dataclass(frozen=True)
class Neighbours:
    previous: CoachingSession | None
    next: CoachingSession | None


@dataclass(frozen=True)
class Said:
    prompt: str
    text: str


@dataclass(frozen=True)
class GoalLine:
    goal: Goal
    score: int | None


def _before(session: CoachingSession) -> Q:
    return Q(date__lt=session.date) | Q(date=session.date, number__lt=session.number)


def _after(session: CoachingSession) -> Q:
    return Q(date__gt=session.date) | Q(date=session.date, number__gt=session.number)


def neighbours(session: CoachingSession) -> Neighbours:
    """The coachee's sessions just before and after this one (by date, then number)."""
    same = CoachingSession.objects.filter(coach_id=session.coach_id, coachee_id=session.coachee_id)
    return Neighbours(
        previous=same.filter(_before(session)).order_by("-date", "-number").first(),
        next=same.filter(_after(session)).order_by("date", "number").first(),
    )


def earlier_sessions(session: CoachingSession) -> list[CoachingSession]:
    same = CoachingSession.objects.filter(coach_id=session.coach_id, coachee_id=session.coachee_id)
    return list(
        same.filter(_before(session))
        .select_related("reflection")
        .order_by("-date", "-number")[:EARLIER_LINKS]
    )


def last_held(earlier: list[CoachingSession]) -> CoachingSession | None:
    """The latest earlier session that took place (one cancelled in the calendar did not)."""
    return next((s for s in earlier if not s.cancelled), None)


def summary_of(session: CoachingSession) -> list[Said]:
    """The first written answers of a session's reflection after the session: its summary."""
    reflection = session.reflection
    definition = reflection.template_version.parsed
    written = [
        p
        for s in definition.sections
        if s.phase == "post"
        for p in s.prompts
        if p.is_written and not p.carry  # plans are shown as "planned last time"
    ]
    # Model rows, not values_list: the text is sealed at rest and opened by the model field.
    answers = Answer.objects.filter(reflection=reflection, prompt_key__in=[p.key for p in written])
    texts = {a.prompt_key: a.text for a in answers}
    said = [Said(p.text, texts[p.key].strip()) for p in written if texts.get(p.key, "").strip()]
    return said[:SUMMARY_ANSWERS]


def goal_lines(session: CoachingSession) -> list[GoalLine]:
    goals, scored_here = goals_for(session)
    active = [g for g in goals if g.status == Goal.Status.ACTIVE]
    latest = previous_scores(session, active)
    lines = []
    for goal in active:
        here = scored_here.get(str(goal.code))
        score = here.score if here is not None and here.score is not None else None
        lines.append(GoalLine(goal, score if score is not None else latest.get(str(goal.code))))
    return lines


def pre_sections(sections: list[SectionView]) -> list[SectionView]:
    return [s for s in sections if s.section.phase == "pre"]
