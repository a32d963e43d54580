"""Apply what a calendar file or feed holds to the coach's events and sessions, idempotently.

Each occurrence is known by its key (UID and RECURRENCE-ID). A new key becomes a proposed
event, matched to a coachee by attendee email, then by name in the title, then by the series
the coach already assigned. A known key updates its event; when the coach had confirmed it,
its session moves with it (only while no reflection is begun), and a cancellation flags the
session. Nothing here deletes a session.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from debrief.coachees.models import Coachee
from debrief.diary.models import CalendarEvent, CalendarSource
from debrief.diary.reader import Occurrence, ReadResult
from debrief.journal.models import CoachingSession, Reflection


@dataclass
class ImportSummary:
    new: int = 0
    updated: int = 0
    moved: int = 0
    cancelled: int = 0
    not_moved: int = 0  # a confirmed session with a reflection begun: left where it was
    gone: int = 0  # a feed's events no longer in it (flagged as cancelled)
    read: ReadResult | None = None
    notes: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        parts = [f"{self.new} new event{'s' if self.new != 1 else ''} to review"]
        if self.updated:
            parts.append(f"{self.updated} updated")
        if self.moved:
            parts.append(f"{self.moved} planned session{'s' if self.moved != 1 else ''} moved")
        if self.cancelled or self.gone:
            n = self.cancelled + self.gone
            parts.append(f"{n} cancelled")
        return ", ".join(parts) + "."

    def left_out(self) -> str:
        read = self.read
        if read is None:
            return ""
        bits = []
        if read.all_day:
            bits.append(f"{read.all_day} all-day")
        if read.too_long:
            bits.append(f"{read.too_long} longer than 12 hours")
        if read.unreadable:
            bits.append(f"{read.unreadable} unreadable")
        if not bits:
            return ""
        return "Left out, as they are not sessions: " + ", ".join(bits) + "."


class Matcher:
    """Suggests the coachee of an event: attendee email, then a name in the title, then series."""

    def __init__(self, coach: Any) -> None:
        coachees = list(Coachee.objects.for_coach(coach).exclude(status=Coachee.Status.ARCHIVED))
        self.coach_email = (coach.email or "").lower()
        self.by_email: dict[str, Coachee] = {}
        self.names: list[tuple[re.Pattern[str], Coachee]] = []
        for coachee in coachees:
            if coachee.email:
                self.by_email.setdefault(coachee.email.strip().lower(), coachee)
            for name in sorted({coachee.name, coachee.preferred_name}, key=len, reverse=True):
                if name and len(name.strip()) >= 2:
                    pattern = re.compile(rf"(?<!\w){re.escape(name.strip())}(?!\w)", re.I)
                    self.names.append((pattern, coachee))
        # Longest names first: "Sam Lee" before "Sam".
        self.names.sort(key=lambda pair: len(pair[0].pattern), reverse=True)
        self.by_series: dict[str, Coachee] = {}
        chosen = (
            CalendarEvent.objects.for_coach(coach)
            .filter(coachee__isnull=False, state=CalendarEvent.State.CONFIRMED)
            .select_related("coachee")
            .order_by("updated")
        )
        for event in chosen:
            assert event.coachee is not None
            self.by_series[event.series] = event.coachee

    def match(self, occurrence: Occurrence) -> tuple[Coachee | None, str]:
        for email in occurrence.attendees:
            if email != self.coach_email and email in self.by_email:
                return self.by_email[email], "email"
        for pattern, coachee in self.names:
            if pattern.search(occurrence.summary):
                return coachee, "name"
        if occurrence.series in self.by_series:
            return self.by_series[occurrence.series], "series"
        return None, ""


def guess_format(location: str) -> str:
    lowered = location.lower()
    if any(word in lowered for word in ("zoom", "teams", "meet.", "webex", "http", "video")):
        return CoachingSession.Format.VIDEO
    if "phone" in lowered or "call" in lowered or re.fullmatch(r"[+\d\s()-]{7,}", location):
        return CoachingSession.Format.PHONE
    if location.strip():
        return CoachingSession.Format.IN_PERSON
    return CoachingSession.Format.VIDEO


def _new_event(
    coach: Any, source: CalendarSource, occ: Occurrence, matcher: Matcher, now: datetime
) -> CalendarEvent:
    coachee, how = matcher.match(occ)
    return CalendarEvent(
        coach=coach,
        source=source,
        key=occ.key,
        series=occ.series,
        summary=occ.summary,
        attendees="\n".join(occ.attendees)[:20_000],
        location=occ.location,
        starts_at=occ.starts_at,
        duration_minutes=occ.minutes,
        cancelled=occ.cancelled,
        coachee=coachee,
        matched_by=how,
        seen=now,
    )


def _move_session(event: CalendarEvent, summary: ImportSummary) -> None:
    """The confirmed session follows its booking while nothing is written in it yet."""
    session = event.session
    if session is None:
        return
    local = timezone.localtime(event.starts_at)
    fields: list[str] = []
    if session.cancelled != event.cancelled:
        session.cancelled = event.cancelled
        fields.append("cancelled")
        if event.cancelled:
            summary.cancelled += 1
    same_time = (session.date, session.start_time) == (
        local.date(),
        local.time().replace(tzinfo=None),
    )
    if not same_time or session.duration_minutes != event.duration_minutes:
        reflection = Reflection.objects.filter(session=session).only("status").first()
        if reflection is None or reflection.status == Reflection.Status.PLANNED:
            session.date, session.start_time = local.date(), local.time().replace(tzinfo=None)
            session.duration_minutes = event.duration_minutes
            fields += ["date", "start_time", "duration_minutes"]
            summary.moved += 1
        else:
            summary.not_moved += 1
    if fields:
        session.save(update_fields=[*fields, "updated"])


def _update(event: CalendarEvent, occ: Occurrence, source: CalendarSource, now: datetime) -> bool:
    """Save what changed; False (and nothing written) when the event is as it was."""
    changed = (
        event.starts_at != occ.starts_at
        or event.duration_minutes != occ.minutes
        or event.cancelled != occ.cancelled
        or event.summary != occ.summary
    )
    if not changed and event.source_id == source.pk:
        return False
    event.starts_at, event.duration_minutes = occ.starts_at, occ.minutes
    event.cancelled = occ.cancelled
    event.seen = now
    # Text re-sealed under the source it now comes from.
    event.source = source
    event.summary, event.location = occ.summary, occ.location
    event.attendees = "\n".join(occ.attendees)[:20_000]
    event.save()
    return changed


def apply_import(
    coach: Any, source: CalendarSource, read: ReadResult, *, snapshot: bool = False
) -> ImportSummary:
    """Store what ``read`` holds for ``coach``. ``snapshot``: the source is a whole feed, so its
    events in the window that are no longer there were cancelled."""
    summary = ImportSummary(read=read, notes=list(read.notes))
    now = timezone.now()
    matcher = Matcher(coach)
    with transaction.atomic():
        known = {
            e.key: e
            for e in CalendarEvent.objects.for_coach(coach)
            .filter(key__in=[o.key for o in read.occurrences])
            .select_related("session", "source")
        }
        fresh: list[CalendarEvent] = []
        for occ in read.occurrences:
            event = known.get(occ.key)
            if event is None:
                if not occ.cancelled:
                    fresh.append(_new_event(coach, source, occ, matcher, now))
                continue
            if _update(event, occ, source, now):
                summary.updated += 1
                if event.state == CalendarEvent.State.CONFIRMED:
                    _move_session(event, summary)
        # Seen again, unchanged: one UPDATE for all of them (a feed refetched hourly).
        CalendarEvent.objects.for_coach(coach).filter(
            key__in=[o.key for o in read.occurrences], seen__lt=now
        ).update(seen=now)
        CalendarEvent.objects.bulk_create(fresh, batch_size=500)
        summary.new = len(fresh)
        if snapshot:
            summary.gone = _flag_gone(coach, source, read, now)
    return summary


def _flag_gone(coach: Any, source: CalendarSource, read: ReadResult, now: datetime) -> int:
    zone = timezone.get_current_timezone()
    start = datetime.combine(read.window_start, datetime.min.time(), zone)
    end = datetime.combine(read.window_end + timedelta(days=1), datetime.min.time(), zone)
    gone = (
        CalendarEvent.objects.for_coach(coach)
        .filter(source=source, starts_at__gte=start, starts_at__lt=end, cancelled=False)
        .exclude(seen=now)
        .select_related("session")
    )
    count = 0
    for event in gone:
        event.cancelled = True
        event.save(update_fields=["cancelled", "updated"])
        if event.session is not None and not event.session.cancelled:
            event.session.cancelled = True
            event.session.save(update_fields=["cancelled", "updated"])
        count += 1
    return count


def file_source(coach: Any) -> CalendarSource:
    """The one source every imported file of this coach belongs to."""
    source = CalendarSource.objects.for_coach(coach).filter(kind=CalendarSource.Kind.FILE).first()
    if source is None:
        source = CalendarSource.objects.create(coach=coach, kind=CalendarSource.Kind.FILE)
    return source
