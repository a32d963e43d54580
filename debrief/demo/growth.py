"""Goals with progress scores, and technique uses with effectiveness, for the demo practice.

Each story arc has two goals whose 0-10 scores climb over the engagement (with the odd
setback); a finished engagement's goals are achieved. The techniques a reflection names in
"techniques used" become technique uses, rated from the session's own effectiveness rating
and the demo coach's profile: strong at questions and listening, learning to hold silence and
to use role play (rising over the practice's history), still uneasy when challenging.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from debrief.coachees.models import Coachee
from debrief.demo.personas import PRONOUNS, Persona
from debrief.followup.models import Goal, GoalProgress
from debrief.journal.models import CoachingSession, Reflection
from debrief.techniques.models import Technique, TechniqueUse

if TYPE_CHECKING:
    from debrief.accounts.models import User
    from debrief.demo.practice import Written

TECHNIQUE_PROMPT = "techniques_used"


@dataclass(frozen=True)
class GoalArc:
    title: str
    description: str
    start: int  # score at the first session
    end: int  # score the arc reaches by the last session
    setback: float | None = None  # fraction of the way through where it dips


GOALS: dict[str, tuple[GoalArc, GoalArc]] = {
    "peer_to_leader": (
        GoalArc(
            "Delegate whole pieces of work to the team leads",
            "Hand over outcomes, not tasks, and stop checking every step.",
            2,
            8,
        ),
        GoalArc(
            "Hold difficult conversations with former peers",
            "Raise performance and behaviour early, kindly and directly.",
            3,
            7,
            setback=0.5,
        ),
    ),
    "expert_to_manager": (
        GoalArc(
            "Step back from rescuing the team's technical work",
            "Coach the engineer with the problem instead of fixing it.",
            2,
            7,
            setback=0.6,
        ),
        GoalArc(
            "Agree priorities with product without avoiding conflict",
            "Say no, or not yet, with reasons, in the meeting itself.",
            3,
            6,
        ),
    ),
    "founder_burnout": (
        GoalArc(
            "Hand day-to-day running to the volunteer leads",
            "The kitchen runs a full week without a call to the founder.",
            1,
            6,
        ),
        GoalArc(
            "Protect one full day off every week",
            "A day with the phone off, kept for a month at a time.",
            2,
            6,
            setback=0.4,
        ),
    ),
    "career_change": (
        GoalArc(
            "Make a well-founded decision about leaving law",
            "Decide on evidence and values, not on a bad week.",
            2,
            9,
        ),
        GoalArc(
            "Test mediation in practice before committing",
            "Shadow mediators and complete a taster course.",
            1,
            8,
        ),
    ),
}
# Every note names the coachee, so no two coachees read the same words.
PROGRESS_NOTES = {
    "up": (
        "A clear step forward for {name} since last time.",
        "{name} gave real examples, not intentions.",
        "Moved because {name} acted on it between sessions.",
    ),
    "down": (
        "A setback: a difficult fortnight pushed this aside for {name}.",
        "{name} scored it lower; honest about slipping back.",
    ),
    "same": (
        "{name} is holding steady.",
        "No movement; {name} and I agreed this needs a different approach.",
    ),
}
# The phrases the demo's "techniques used" answers name, and the built-in technique each is.
NAMED = {
    "grow model": "grow-model",
    "scaling questions": "scaling-questions",
    "clean language": "active-listening",
    "silence": "silence",
    "role-play": "role-play",
    "reframing": "reframing",
    "values work": "values-exploration",
    "summarising": "summarising",
    "empty chair": "role-play",
    "visualisation": "visualisation",
    "tell a friend": "powerful-questions",
    "immunity to change": "challenging",
    "feedforward": "feedback",
    "stakeholder mapping": "goal-setting",
}
# The demo coach: offset from the session's overall rating at the start of the practice and
# at its end (so a technique being practised rises).
PROFILE = {
    "powerful-questions": (0.4, 0.5),
    "active-listening": (0.5, 0.5),
    "summarising": (0.2, 0.3),
    "scaling-questions": (0.3, 0.4),
    "grow-model": (0.0, 0.1),
    "reframing": (0.1, 0.4),
    "values-exploration": (0.2, 0.3),
    "visualisation": (-0.3, -0.1),
    "silence": (-1.3, 0.3),
    "role-play": (-1.0, 0.2),
    "challenging": (-1.2, -0.8),
    "feedback": (-0.2, 0.0),
    "goal-setting": (0.0, 0.2),
}
TECHNIQUE_NOTES = {
    "high": (
        "{name} found {their} own answer; I only had to wait.",
        "Opened things up with {name} straight away.",
        "Landed well: {name} took it further than I expected.",
        "Exactly what the moment needed for {name}.",
    ),
    "low": (
        "Felt forced; I used it before {name} was ready.",
        "I filled the pause too soon and lost {name}'s thread.",
        "Too much too early; {name} went quiet.",
        "Did not land: I should have checked what {name} wanted first.",
    ),
}


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _goals(
    rng: random.Random, coach: User, person: Coachee, persona: Persona, sessions: list[Any]
) -> tuple[list[Goal], list[GoalProgress]]:
    finished = persona.status in (Coachee.Status.COMPLETED, Coachee.Status.ARCHIVED)
    goals, progress = [], []
    scored = [s for s, r in sessions if r.status == Reflection.Status.COMPLETE]
    for arc in GOALS[persona.story]:
        done_at = None
        if finished and scored:
            done_at = timezone.make_aware(datetime.combine(scored[-1].date, time(18, 0)))
        goal = Goal(
            coach=coach,
            coachee=person,
            title=arc.title,
            description=arc.description,
            status=Goal.Status.ACHIEVED if done_at else Goal.Status.ACTIVE,
            closed_at=done_at,
        )
        goals.append(goal)
        previous: int | None = None
        for i, session in enumerate(scored):
            at = i / max(1, len(scored) - 1)
            value = arc.start + (arc.end - arc.start) * at + rng.uniform(-0.7, 0.7)
            if arc.setback is not None and abs(at - arc.setback) < 0.12:
                value -= 2
            score = _clamp(value, 0, 10)
            note = _progress_note(rng, persona, score, previous)
            progress.append(
                GoalProgress(coach=coach, goal=goal, session=session, score=score, note=note)
            )
            previous = score
    return goals, progress


def _progress_note(rng: random.Random, persona: Persona, score: int, previous: int | None) -> str:
    if previous is None or rng.random() > 0.3:
        return ""
    mood = "up" if score > previous else "down" if score < previous else "same"
    return rng.choice(PROGRESS_NOTES[mood]).format(name=persona.call_name)


def _named(text: str) -> list[str]:
    lowered = text.lower()
    slugs = [slug for phrase, slug in NAMED.items() if phrase in lowered]
    return list(dict.fromkeys(slugs))  # two phrases may name the same technique


def _uses(
    rng: random.Random,
    coach: User,
    persona: Persona,
    reflection: Reflection,
    written: Written,
    at: float,
    techniques: dict[str, Technique],
) -> list[TechniqueUse]:
    text, _ = written.answers.get(TECHNIQUE_PROMPT, ("", None))
    overall = written.answers.get("techniques_effectiveness", ("", None))[1] or 3
    hooks = {"name": persona.call_name, "their": PRONOUNS[persona.grammar]["their"]}
    uses = []
    for slug in _named(text):
        early, late = PROFILE.get(slug, (0.0, 0.0))
        score = _clamp(overall + early + (late - early) * at + rng.uniform(-0.6, 0.6), 1, 5)
        note = ""
        if score in (1, 2, 5) and rng.random() < 0.45:
            note = rng.choice(TECHNIQUE_NOTES["high" if score == 5 else "low"]).format(**hooks)
        uses.append(
            TechniqueUse(
                coach=coach,
                reflection=reflection,
                technique=techniques[slug],
                prompt_key=TECHNIQUE_PROMPT,
                effectiveness=score,
                note=note,
            )
        )
    return uses


def add_growth(
    coach: User,
    people: list[Coachee],
    personas: list[Persona],
    entries: list[tuple[CoachingSession, Reflection, Written]],
    rng: random.Random,
) -> tuple[int, int]:
    """Goals, goal progress and technique uses for a practice just saved; their counts."""
    techniques = {t.slug: t for t in Technique.objects.filter(coach__isnull=True)}
    dates = [s.date for s, _, _ in entries]
    first, span = (min(dates), max(1, (max(dates) - min(dates)).days)) if dates else (None, 1)
    by_coachee: dict[int, list[Any]] = {p.pk: [] for p in people}
    persona_of = {p.pk: persona for p, persona in zip(people, personas, strict=True)}
    uses: list[TechniqueUse] = []
    for session, reflection, written in entries:
        by_coachee[session.coachee_id].append((session, reflection))
        if reflection.status == Reflection.Status.COMPLETE and first is not None:
            at = (session.date - first).days / span
            persona = persona_of[session.coachee_id]
            uses += _uses(rng, coach, persona, reflection, written, at, techniques)
    goals: list[Goal] = []
    progress: list[GoalProgress] = []
    for person, persona in zip(people, personas, strict=True):
        made, scores = _goals(rng, coach, person, persona, by_coachee[person.pk])
        goals += made
        progress += scores
    Goal.objects.bulk_create(goals, batch_size=500)
    GoalProgress.objects.bulk_create(progress, batch_size=1000)
    TechniqueUse.objects.bulk_create(uses, batch_size=1000)
    return len(goals), len(uses)
