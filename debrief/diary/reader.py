"""Read a calendar file into the timed events of a window: every bound here is in docs/calendar.md.

Pure functions over bytes, no database: ``read_calendar`` either returns what it found (with
counts of what it left out and why) or raises ``CalendarFileError`` with a message for the
coach. Whatever the file holds, nothing else escapes: the libraries' own errors are caught and
turned into that message, never shown (they can quote the file, i.e. coachee names).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

# The bounds (docs/calendar.md lists them for coaches and operators).
MAX_BYTES = 5 * 1024 * 1024  # a year of a busy calendar exported is well under 1 MB
MAX_COMPONENTS = 20_000  # VEVENTs in the file, before expansion
MAX_OCCURRENCES = 2_000  # events kept in the window after expanding repeats
MAX_SECONDS = 10.0  # time spent expanding repeats
DAYS_BACK = 90
DAYS_AHEAD = 180
MAX_SESSION_MINUTES = 12 * 60  # longer than this is a workshop day or a block, not a session
DEFAULT_MINUTES = 60  # an event with no end or duration
MAX_TEXT = 500  # characters of a title kept


class CalendarFileError(ValueError):
    """The file cannot be read as a calendar; the message says what to do."""


@dataclass(frozen=True)
class Occurrence:
    key: str  # sha256 of UID + RECURRENCE-ID: the same booking on every import
    series: str  # sha256 of the UID: every occurrence of a repeating booking
    summary: str
    starts_at: datetime  # aware
    minutes: int
    attendees: tuple[str, ...]  # lower-case email addresses
    location: str
    cancelled: bool


@dataclass
class ReadResult:
    window_start: date
    window_end: date
    occurrences: list[Occurrence] = field(default_factory=list)
    all_day: int = 0
    too_long: int = 0
    unreadable: int = 0
    notes: list[str] = field(default_factory=list)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def decode(data: bytes) -> tuple[str, list[str]]:
    """Text of the file: UTF-8 (with or without a BOM), UTF-16 with a BOM, else Windows-1252."""
    notes: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), notes
        except UnicodeDecodeError:
            raise CalendarFileError(_NOT_A_CALENDAR) from None
    try:
        return data.decode("utf-8-sig"), notes
    except UnicodeDecodeError:
        pass
    # Older Outlook exports are Windows-1252; every byte but five decodes, the rest replaced.
    notes.append(
        "The file was not in UTF-8, so it was read as Windows-1252 text: check that accented "
        "names look right."
    )
    return data.decode("cp1252", errors="replace"), notes


_NOT_A_CALENDAR = (
    "This file is not a calendar (.ics) file. In your calendar app, export or download the "
    "calendar as .ics (iCalendar) and choose that file."
)


def _parse(text: str) -> list[Any]:
    import icalendar

    if "\x00" in text or "BEGIN:VCALENDAR" not in text.upper():
        raise CalendarFileError(_NOT_A_CALENDAR)
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception:  # any parser failure is the same message to the coach
        raise CalendarFileError(
            "This calendar file is damaged and could not be read. Export it again from your "
            "calendar app; if that does not help, export a shorter date range."
        ) from None
    found = [c for c in calendars if getattr(c, "name", "") == "VCALENDAR"]
    if not found:
        raise CalendarFileError(_NOT_A_CALENDAR)
    return found


def _standard(calendar: Any) -> Any:
    import x_wr_timezone

    try:
        return x_wr_timezone.to_standard(calendar)
    except Exception:  # a bad X-WR-TIMEZONE: read the times as written
        return calendar


def _local(value: Any, zone: tzinfo) -> datetime | None:
    """An aware datetime, or None for a date (an all-day event)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    return None


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    return str(value).replace("\x00", "").strip()[:MAX_TEXT]


def _attendees(component: Any) -> tuple[str, ...]:
    raw = component.get("ATTENDEE")
    if raw is None:
        return ()
    values = raw if isinstance(raw, list) else [raw]
    emails = []
    for value in values[:200]:
        text = str(value).strip()
        if text.lower().startswith("mailto:"):
            text = text[7:]
        if "@" in text and len(text) <= 254:
            emails.append(text.lower())
    return tuple(emails)


def _minutes(component: Any, start: datetime) -> int | None:
    end = component.get("DTEND")
    duration = component.get("DURATION")
    delta: timedelta | None = None
    try:
        if end is not None and isinstance(end.dt, datetime):
            end_dt = end.dt if end.dt.tzinfo else end.dt.replace(tzinfo=start.tzinfo)
            delta = end_dt - start
        elif duration is not None and isinstance(duration.dt, timedelta):
            delta = duration.dt
    except (AttributeError, TypeError, ValueError):
        delta = None
    if delta is None or delta <= timedelta(0):
        return DEFAULT_MINUTES
    minutes = round(delta.total_seconds() / 60)
    return max(minutes, 1) if minutes <= MAX_SESSION_MINUTES else None


def _recurrence(component: Any) -> str:
    rid = component.get("RECURRENCE-ID")
    if rid is None:
        return ""
    value = rid.dt
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(ZoneInfo("UTC"))
    return value.isoformat()


def repeating_uids(calendar: Any) -> set[str]:
    """UIDs with more than one occurrence: only their occurrences are told apart by start.

    The expansion gives every occurrence a RECURRENCE-ID, even a one-off event's; keyed by it,
    a one-off event that moved would look like a new one.
    """
    found = set()
    for component in calendar.walk("VEVENT"):
        if any(component.get(name) is not None for name in ("RRULE", "RDATE", "RECURRENCE-ID")):
            found.add(_text(component, "UID"))
    return found


def _occurrence(
    component: Any, zone: tzinfo, cancel_all: bool, repeating: set[str]
) -> Occurrence | str:
    """The session this event could be, or why not ("all_day", "too_long")."""
    start = _local(component.get("DTSTART").dt, zone)
    if start is None:
        return "all_day"
    minutes = _minutes(component, start)
    if minutes is None:
        return "too_long"
    uid = _text(component, "UID")
    recurrence = _recurrence(component) if uid in repeating else ""
    if not uid:  # not allowed, but seen: the start and title are all that identify it
        uid = f"no-uid|{start.isoformat()}|{_text(component, 'SUMMARY')}"
    status = _text(component, "STATUS").upper()
    return Occurrence(
        key=_hash(f"{uid}|{recurrence}"),
        series=_hash(uid),
        summary=_text(component, "SUMMARY"),
        starts_at=start,
        minutes=minutes,
        attendees=_attendees(component),
        location=_text(component, "LOCATION"),
        cancelled=cancel_all or status == "CANCELLED",
    )


def _expand(calendar: Any, start: datetime, end: datetime, result: ReadResult) -> list[Any]:
    import recurring_ical_events

    found: list[Any] = []
    began = time.monotonic()
    query = recurring_ical_events.of(calendar, skip_bad_series=True)
    try:
        for component in query.after(start):
            value = component.get("DTSTART").dt
            compare = (
                value
                if isinstance(value, datetime)
                else datetime.combine(value, datetime.min.time())
            )
            if compare.tzinfo is None:
                compare = compare.replace(tzinfo=start.tzinfo)
            if compare >= end:
                break
            found.append(component)
            if len(found) >= MAX_OCCURRENCES:
                result.notes.append(
                    f"This calendar has more than {MAX_OCCURRENCES:,} events between "
                    f"{result.window_start:%-d %B %Y} and {result.window_end:%-d %B %Y}; "
                    f"Debrief read the first {MAX_OCCURRENCES:,}."
                )
                break
            if time.monotonic() - began > MAX_SECONDS:
                result.notes.append(
                    "Working out this calendar's repeating events took too long; Debrief "
                    "read the events up to "
                    f"{compare:%-d %B %Y}. Export a shorter date range for the rest."
                )
                break
    except Exception:  # a rule the library cannot expand
        if not found:
            raise CalendarFileError(
                "The repeating events in this calendar could not be worked out. Export it "
                "again from your calendar app, or export a shorter date range."
            ) from None
        result.notes.append("Some repeating events could not be worked out and were left out.")
    return found


def read_calendar(data: bytes, *, today: date, zone: tzinfo) -> ReadResult:
    """The timed events from ``DAYS_BACK`` before ``today`` to ``DAYS_AHEAD`` after."""
    if len(data) > MAX_BYTES:
        raise CalendarFileError(
            f"This file is {len(data) / 1024 / 1024:.1f} MB; Debrief reads calendar files of up "
            f"to {MAX_BYTES // 1024 // 1024} MB. Export a shorter date range (the last three "
            "months and the next six are all Debrief uses)."
        )
    if not data.strip():
        raise CalendarFileError(
            "This file is empty. Choose the .ics file your calendar app exported."
        )
    text, notes = decode(data)
    calendars = _parse(text)
    first = today - timedelta(days=DAYS_BACK)
    last = today + timedelta(days=DAYS_AHEAD)
    result = ReadResult(first, last, notes=notes)
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    events = 0
    for calendar in calendars:
        events += sum(1 for c in calendar.walk("VEVENT"))
        if events > MAX_COMPONENTS:
            raise CalendarFileError(
                f"This file has more than {MAX_COMPONENTS:,} events. Export a shorter date "
                "range (the last three months and the next six are all Debrief uses)."
            )
    for calendar in calendars:
        cancel_all = str(calendar.get("METHOD", "")).upper() == "CANCEL"
        calendar = _standard(calendar)
        repeating = repeating_uids(calendar)
        for component in _expand(calendar, start, end, result):
            try:
                found = _occurrence(component, zone, cancel_all, repeating)
            except Exception:  # one odd event does not spoil the others
                result.unreadable += 1
                continue
            if found == "all_day":
                result.all_day += 1
            elif found == "too_long":
                result.too_long += 1
            elif isinstance(found, Occurrence):
                result.occurrences.append(found)
    result.occurrences = _unique(result.occurrences)
    return result


def _unique(found: list[Occurrence]) -> list[Occurrence]:
    """One occurrence per key (a file may list the same event twice)."""
    seen: dict[str, Occurrence] = {}
    for occurrence in found:
        seen.setdefault(occurrence.key, occurrence)
    return sorted(seen.values(), key=lambda o: o.starts_at)
