"""How much Debrief holds about one coachee: counted in SQL, never by reading their text."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, Goal
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.practice.models import ClientFeedback


@dataclass(frozen=True)
class Holdings:
    sessions: int
    reflections: int
    answers: int
    action_items: int
    goals: int = 0
    feedback: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __add__(self, other: Holdings) -> Holdings:
        return Holdings(
            self.sessions + other.sessions,
            self.reflections + other.reflections,
            self.answers + other.answers,
            self.action_items + other.action_items,
            self.goals + other.goals,
            self.feedback + other.feedback,
        )


NOTHING = Holdings(0, 0, 0, 0)


def holdings_of(coachee: Coachee) -> Holdings:
    coach = coachee.coach
    return Holdings(
        sessions=CoachingSession.objects.for_coach(coach).filter(coachee=coachee).count(),
        reflections=Reflection.objects.for_coach(coach).filter(session__coachee=coachee).count(),
        # Answers belong to a reflection, which is the coach's: reached through it.
        answers=Answer.objects.filter(
            reflection__in=Reflection.objects.for_coach(coach).filter(session__coachee=coachee)
        ).count(),
        action_items=ActionItem.objects.for_coach(coach).filter(coachee=coachee).count(),
        goals=Goal.objects.for_coach(coach).filter(coachee=coachee).count(),
        feedback=ClientFeedback.objects.for_coach(coach).filter(coachee=coachee).count(),
    )
