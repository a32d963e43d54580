"""Read one coach's practice from the database as ``Facts`` (a handful of queries)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from debrief.accounts.models import User
from debrief.icflog import log as icf
from debrief.icflog.facts import log_for, session_facts
from debrief.icflog.log import months_before
from debrief.journal.models import Reflection
from debrief.practice.bodies import BODIES, Choice, Progress
from debrief.practice.facts import Dated, Facts
from debrief.practice.models import (
    BodyChoice,
    ClientFeedback,
    ClientFlags,
    CPDEntry,
    MentoringEntry,
    PracticeProfile,
    SupervisionEntry,
)


def gather(
    coach: User, today: date | None = None, *, sessions: bool = True, names: bool = False
) -> Facts:
    """Everything the bodies count; ``sessions=False`` leaves out the client hours (for home).

    Clients' names are opened only with ``names`` (the logs): progress needs none.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    held = session_facts(coach, today, names=names) if sessions else []
    profile = PracticeProfile.objects.for_coach(coach).first()
    cpd = [
        Dated(day, hours, category, training)
        for day, hours, category, training in CPDEntry.objects.for_coach(coach).values_list(
            "date", "hours", "category", "coach_training"
        )
    ]
    training = (profile.training_hours if profile else Decimal(0)) + sum(
        (e.hours for e in cpd if e.flag), start=Decimal(0)
    )
    # Completed reflections: the last year's by day (the rules look back 12 months at most),
    # and how many in all, counted in the database.
    done = Reflection.objects.for_coach(coach).filter(completed_at__isnull=False)
    since = timezone.make_aware(datetime.combine(months_before(today, 13), time(0)))
    recent = done.filter(completed_at__gte=since).values_list("completed_at", flat=True)
    zone = timezone.get_current_timezone()
    reflections = [timezone.localdate(t, zone) for t in recent] if sessions else []
    return Facts(
        today=today,
        log=log_for(coach, held) if sessions else icf.build_log([], icf.Opening(), today),
        sessions=[s for s in held if s.held(today, now)],
        executive=frozenset(
            ClientFlags.objects.for_coach(coach)
            .filter(executive=True)
            .values_list("coachee_id", flat=True)
            if sessions
            else ()
        ),
        supervision=[
            Dated(day, hours, mode)
            for day, hours, mode in SupervisionEntry.objects.for_coach(coach).values_list(
                "date", "hours", "mode"
            )
        ],
        mentoring=[
            Dated(day, hours, mode, mode == "individual", credential)
            for day, hours, mode, credential in MentoringEntry.objects.for_coach(coach).values_list(
                "date", "hours", "mode", "mentor_credential"
            )
        ],
        cpd=cpd,
        feedback=list(
            ClientFeedback.objects.for_coach(coach).values_list("date", flat=True)
            if sessions
            else ()
        ),
        reflections=reflections,
        reflections_total=done.count() if sessions else 0,
        first_practised=profile.first_practised_on if profile else None,
        training_hours=training,
    )


def choices_of(coach: User) -> dict[str, Choice]:
    """The bodies the coach chose, in the registry's order."""
    rows = {c.body: c for c in BodyChoice.objects.for_coach(coach) if c.body in BODIES}
    return {
        key: Choice(rows[key].level_held, rows[key].awarded_on, rows[key].route)
        for key in BODIES
        if key in rows
    }


def progress_of(coach: User, facts: Facts | None = None) -> list[Progress]:
    facts = facts or gather(coach)
    return [BODIES[key].progress(facts, choice) for key, choice in choices_of(coach).items()]
