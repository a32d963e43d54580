"""Writing what a checked spreadsheet plans: past sessions, or the ICF log's opening balance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.icflog.log import Opening
from debrief.icflog.models import OpeningBalance, save_opening
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.lib.sheets import Sheet
from debrief.portable.past import (
    SESSION_COLUMNS,
    OpeningRow,
    PastSession,
    _fold,
    opening_total,
)
from debrief.privacy import owners
from debrief.prompts.models import brief_version

# The brief's "anything else" prompt holds a row's notes.
NOTES_PROMPT = "other_observations"


def known_coachees(coach: User) -> dict[str, int]:
    """Folded names (full and preferred) to coachee ids; -1 where two coachees share one."""
    known: dict[str, int] = {}
    for c in Coachee.objects.for_coach(coach):
        for name in {_fold(c.name), _fold(c.preferred_name)} - {""}:
            known[name] = -1 if known.get(name, c.pk) != c.pk else c.pk
    return known


@dataclass(frozen=True)
class Written:
    sessions: int
    coachees: int


def _order(s: PastSession) -> tuple[date, time]:
    return (s.day, s.start or time(0))


def write_sessions(coach: User, rows: list[PastSession]) -> Written:
    """Create the sessions (and the coachees not yet in the journal) in one transaction.

    Each session gets a reflection on the latest built-in brief, marked complete (there is
    nothing more to write about a session from years ago), with the row's notes as its
    "anything else" answer; its number follows the coachee's sessions already here.
    """
    now = timezone.now()
    version = brief_version()
    with transaction.atomic():
        known = known_coachees(coach)
        people = {pk: c for c in Coachee.objects.for_coach(coach) for pk in [c.pk]}
        made = 0
        by_key: dict[str, Coachee] = {}
        for r in sorted(rows, key=_order):
            pk = known.get(r.coachee_key)
            if pk is not None and pk > 0:
                by_key[r.coachee_key] = people[pk]
            elif r.coachee_key not in by_key:
                by_key[r.coachee_key] = Coachee.objects.create(coach=coach, name=r.coachee)
                made += 1
        last = dict(
            CoachingSession.objects.for_coach(coach)
            .values_list("coachee_id")
            .annotate(n=Max("number"))
            .values_list("coachee_id", "n")
        )
        numbers: dict[int, int] = defaultdict(int)
        sessions = []
        for r in sorted(rows, key=_order):
            person = by_key[r.coachee_key]
            owners.remember(person.pk, person.code)
            numbers[person.pk] += 1
            sessions.append(
                CoachingSession(
                    coach=coach,
                    coachee=person,
                    number=(last.get(person.pk) or 0) + numbers[person.pk],
                    date=r.day,
                    start_time=r.start,
                    duration_minutes=r.minutes,
                    format=r.format,
                    payment=r.payment,
                    kind=r.kind,
                    group_size=r.group_size,
                )
            )
        sessions = CoachingSession.objects.bulk_create(sessions, batch_size=500)
        reflections = Reflection.objects.bulk_create(
            (
                Reflection(
                    coach=coach,
                    session=s,
                    template_version=version,
                    status=Reflection.Status.COMPLETE,
                    completed_at=now,
                )
                for s in sessions
            ),
            batch_size=500,
        )
        ordered = sorted(rows, key=_order)
        for reflection in reflections:
            owners.remember_reflection(reflection.pk, reflection.session.coachee.code)
        Answer.objects.bulk_create(
            (
                Answer(reflection=reflection, prompt_key=NOTES_PROMPT, text=r.notes)
                for reflection, r in zip(reflections, ordered, strict=True)
                if r.notes
            ),
            batch_size=500,
        )
    return Written(len(sessions), made)


def write_opening(coach: User, rows: list[OpeningRow]) -> Opening:
    """The ICF log's rows before Debrief become the sheet's rows (replacing what was there)."""
    with transaction.atomic():
        # One by one, so each row's key is shredded with it (post_delete).
        for old in OpeningBalance.objects.for_coach(coach):
            old.delete()
        save_opening(coach, [r.line for r in rows])
    return opening_total(rows)


def template_sheet() -> Sheet:
    """The downloadable template: the columns, and one example row to overwrite."""
    header = tuple(c.title for c in SESSION_COLUMNS)
    example = tuple(c.example for c in SESSION_COLUMNS)
    widths = tuple(max(len(c.title), 12) + 2 for c in SESSION_COLUMNS)
    return Sheet("Past sessions", header, [example], widths)
