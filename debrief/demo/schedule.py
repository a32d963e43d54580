"""When a demo coachee's sessions fall, and in what form: the plan the text is written to."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from debrief.coachees.models import Coachee
from debrief.demo.personas import Persona
from debrief.journal.models import CoachingSession, Reflection


@dataclass
class SessionPlan:
    number: int
    date: date
    start_time: time
    duration: int
    format: str
    state: str  # the reflection's status
    group_size: int | None = None
    closing: bool = False


def _weekday_back(day: date) -> date:
    return day - timedelta(days=max(0, day.weekday() - 4))


def _past_dates(rng: random.Random, persona: Persona, count: int, last: date) -> list[date]:
    day = _weekday_back(last)
    dates = []
    for _ in range(count):
        dates.append(day)
        jitter = rng.randint(-3, 3) if persona.cadence >= 14 else 0
        day = _weekday_back(day - timedelta(days=persona.cadence + jitter))
    return dates[::-1]


def _next_week(rng: random.Random, today: date) -> date:
    day = _weekday_back(today + timedelta(days=rng.randint(1, 6)))
    if day <= today:
        day = today + timedelta(days=1)
        while day.weekday() > 4:
            day += timedelta(days=1)
    return day


def _dates(
    rng: random.Random, persona: Persona, past: int, upcoming: int, today: date
) -> list[date]:
    """Session dates at the persona's cadence: ending recently, next week or long ago."""
    if persona.ends_days_ago is not None:
        return _past_dates(rng, persona, past, today - timedelta(days=persona.ends_days_ago))
    if not upcoming:
        last = today - timedelta(days=rng.randint(1, min(8, persona.cadence)))
        return _past_dates(rng, persona, past, last)
    following = _next_week(rng, today)
    last = min(following - timedelta(days=persona.cadence), today - timedelta(days=1))
    return [*_past_dates(rng, persona, past, last), following]


def plan_sessions(
    rng: random.Random, persona: Persona, count: int, today: date
) -> list[SessionPlan]:
    """``count`` sessions for ``persona``: dates, times, formats and reflection states."""
    upcoming = 1 if persona.upcoming and count > 1 else 0
    past = count - upcoming
    dates = _dates(rng, persona, past, upcoming, today)
    draft_at = past - 1 if persona.draft and past > 1 else None
    group_at = None
    if persona.group_at is not None and past >= 3:
        group_at = min(round(persona.group_at * (past - 1)), past - 2)
    finished = persona.status in (Coachee.Status.COMPLETED, Coachee.Status.ARCHIVED)
    plans = []
    for i, day in enumerate(dates):
        state = Reflection.Status.COMPLETE
        if i >= past:
            state = Reflection.Status.PLANNED
        elif i == draft_at:
            state = Reflection.Status.DRAFT
        plan = SessionPlan(
            number=i + 1,
            date=day,
            start_time=rng.choice(persona.times),
            duration=max(persona.durations) if i == 0 else rng.choice(persona.durations),
            format=rng.choice(persona.formats),
            state=state,
            closing=finished and i == count - 1 and i > 0,
        )
        if i == group_at:
            plan.group_size, plan.duration = rng.randint(4, 7), 90
            plan.format = CoachingSession.Format.IN_PERSON.value
        plans.append(plan)
    return plans
