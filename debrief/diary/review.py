"""The coach's choices on the import review: confirm (as a planned session), skip, or later."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Max
from django.http import Http404, QueryDict
from django.utils import timezone

from debrief.coachees.models import Coachee
from debrief.diary.importer import guess_format
from debrief.diary.models import CalendarEvent
from debrief.journal.models import CoachingSession, Reflection
from debrief.prompts.models import default_template_version

PAGE = 100  # events shown on one review screen
CHOICES = ("confirm", "skip", "later")


@dataclass
class Outcome:
    confirmed: int = 0
    skipped: int = 0
    unassigned: int = 0  # "confirm" without a coachee: left to review

    def sentence(self) -> str:
        parts = []
        if self.confirmed:
            parts.append(
                f"{self.confirmed} planned session{'s' if self.confirmed != 1 else ''} added"
            )
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        if not parts:
            parts.append("Nothing changed")
        text = ", ".join(parts) + "."
        if self.unassigned:
            text += (
                f" {self.unassigned} still need{'s' if self.unassigned == 1 else ''} a coachee "
                "before they can be confirmed."
            )
        return text[0].upper() + text[1:]


def to_review(coach: Any) -> Any:
    return (
        CalendarEvent.objects.for_coach(coach)
        .filter(state=CalendarEvent.State.PROPOSED, cancelled=False)
        .select_related("source", "coachee")
        .order_by("starts_at", "pk")
    )


def _uuid(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise Http404 from None


def _posted(post: QueryDict) -> dict[UUID, tuple[str, str]]:
    """{event code: (choice, coachee code)} from fields ``choice-<code>``, ``coachee-<code>``."""
    found: dict[UUID, tuple[str, str]] = {}
    for name, value in post.items():
        if name.startswith("choice-") and value in CHOICES:
            code = name.removeprefix("choice-")
            found[_uuid(code)] = (value, post.get(f"coachee-{code}", ""))
    return found


def _create_session(coach: Any, event: CalendarEvent, coachee: Coachee) -> CoachingSession:
    local = timezone.localtime(event.starts_at)
    latest = coachee.sessions.aggregate(n=Max("number"))["n"] or 0
    session = CoachingSession.objects.create(
        coach=coach,
        coachee=coachee,
        number=latest + 1,
        date=local.date(),
        start_time=local.time().replace(tzinfo=None),
        duration_minutes=event.duration_minutes,
        format=guess_format(event.location),
    )
    Reflection.objects.create(
        coach=coach, session=session, template_version=default_template_version(coach, coachee)
    )
    return session


def apply_choices(coach: Any, post: QueryDict) -> Outcome:
    """Every event and coachee code goes through the coach's own querysets: another coach's
    code is a 404, and nothing is changed."""
    posted = _posted(post)
    outcome = Outcome()
    with transaction.atomic():
        events = {
            e.code: e
            for e in CalendarEvent.objects.for_coach(coach)
            .select_for_update()
            .filter(code__in=list(posted), state=CalendarEvent.State.PROPOSED)
        }
        wanted = {c for _, c in posted.values() if c}
        coachees = {
            str(c.code): c
            for c in Coachee.objects.for_coach(coach).filter(code__in=[_uuid(c) for c in wanted])
        }
        if any(c not in coachees for c in wanted):
            raise Http404
        known_elsewhere = set(posted) - set(events)
        if (
            known_elsewhere
            and CalendarEvent.objects.filter(code__in=known_elsewhere).exclude(coach=coach).exists()
        ):
            raise Http404
        for code, (choice, coachee_code) in posted.items():
            event = events.get(code)
            if event is None:  # already confirmed in another tab: nothing to do
                continue
            _apply_one(coach, event, choice, coachees.get(coachee_code), outcome)
    return outcome


def _apply_one(
    coach: Any, event: CalendarEvent, choice: str, coachee: Coachee | None, outcome: Outcome
) -> None:
    if coachee is not None and coachee != event.coachee:
        event.coachee, event.matched_by = coachee, "chosen"
    if choice == "skip":
        event.state = CalendarEvent.State.SKIPPED
        outcome.skipped += 1
    elif choice == "confirm":
        if event.coachee is None:
            outcome.unassigned += 1
        else:
            event.session = _create_session(coach, event, event.coachee)
            event.state = CalendarEvent.State.CONFIRMED
            outcome.confirmed += 1
    event.save(update_fields=["coachee", "matched_by", "state", "session", "updated"])
