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


_TOO_MANY = (
    f"This file has more than {MAX_COMPONENTS:,} events. Export a shorter date range (the last "
    "three months and the next six are all Debrief uses)."
)
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


CHUNK = timedelta(days=30)  # the window is expanded a month at a time, checking the bounds
MAX_RDATES = 1_000  # extra dates listed on one event
FAST = {"SECONDLY", "MINUTELY", "HOURLY"}


def _too_often(rule: Any) -> bool:
    """A rule repeating more than daily (a session never does), which would make thousands;
    or one that is not a rule at all (icalendar keeps a broken value as it was)."""
    if not hasattr(rule, "get") or type(rule).__name__ == "vBroken":
        return True
    freq = [str(f).upper() for f in rule.get("FREQ", [])]
    if any(f in FAST for f in freq):
        return True
    return any(len(rule.get(part, [])) > 1 for part in ("BYHOUR", "BYMINUTE", "BYSECOND"))


def tame(calendar: Any, result: ReadResult) -> None:
    """Read a rule that repeats more often than daily as its first occurrence only, and keep
    at most ``MAX_RDATES`` extra dates per event: the expansion then stays bounded."""
    tamed = 0
    usable = []
    for component in calendar.subcomponents:
        if component.name == "VEVENT" and not hasattr(component.get("DTSTART"), "dt"):
            result.unreadable += 1  # no start time: nothing to place in the diary
            continue
        usable.append(component)
    calendar.subcomponents[:] = usable
    for component in calendar.walk("VEVENT"):
        rules = component.get("RRULE")
        rules = rules if isinstance(rules, list) else [rules] if rules is not None else []
        try:
            wild = any(_too_often(rule) for rule in rules)
        except Exception:  # icalendar raises on any use of a broken value
            wild = True
        if wild:
            component.pop("RRULE")
            tamed += 1
        rdates = component.get("RDATE")
        if isinstance(rdates, list) and len(rdates) > MAX_RDATES:
            component["RDATE"] = rdates[:MAX_RDATES]
            tamed += 1
    if tamed:
        result.notes.append(
            f"{tamed} event{' was' if tamed == 1 else 's were'} set to repeat more often than "
            "once a day (or on more than a thousand extra dates): Debrief read "
            f"{'it' if tamed == 1 else 'them'} at the first time only."
        )


def _expand(calendar: Any, start: datetime, end: datetime, result: ReadResult) -> list[Any]:
    import recurring_ical_events

    found: list[Any] = []
    began = time.monotonic()
    chunk_start = start
    try:
        query = recurring_ical_events.of(calendar, skip_bad_series=True)
        while chunk_start < end:
            chunk_end = min(chunk_start + CHUNK, end)
            found += query.between(chunk_start, chunk_end)
            chunk_start = chunk_end
            if len(found) > MAX_OCCURRENCES:
                del found[MAX_OCCURRENCES:]
                result.notes.append(
                    f"This calendar has more than {MAX_OCCURRENCES:,} events between "
                    f"{result.window_start:%-d %B %Y} and {result.window_end:%-d %B %Y}; "
                    f"Debrief read the first {MAX_OCCURRENCES:,}."
                )
                break
            if time.monotonic() - began > MAX_SECONDS and chunk_start < end:
                result.notes.append(
                    "Working out this calendar's repeating events took too long; Debrief "
                    f"read the events up to {chunk_start:%-d %B %Y}. Export a shorter date "
                    "range for the rest."
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
    # Counted in the text first: parsing 20,000 events only to refuse them takes seconds.
    if text.upper().count("BEGIN:VEVENT") > MAX_COMPONENTS:
        raise CalendarFileError(_TOO_MANY)
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
            raise CalendarFileError(_TOO_MANY)
    try:
        _read_events(calendars, start, end, zone, result)
    except CalendarFileError:
        raise
    except Exception:  # whatever else a file can do to the libraries: one message
        raise CalendarFileError(
            "This calendar file could not be read: some of its events are malformed. Export "
            "it again from your calendar app, or export a shorter date range."
        ) from None
    result.occurrences = _unique(result.occurrences)
    return result


def _read_events(
    calendars: list[Any], start: datetime, end: datetime, zone: tzinfo, result: ReadResult
) -> None:
    for calendar in calendars:
        cancel_all = str(calendar.get("METHOD", "")).upper() == "CANCEL"
        calendar = _standard(calendar)
        tame(calendar, result)
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


def _unique(found: list[Occurrence]) -> list[Occurrence]:
    """One occurrence per key (a file may list the same event twice)."""
    seen: dict[str, Occurrence] = {}
    for occurrence in found:
        seen.setdefault(occurrence.key, occurrence)
    return sorted(seen.values(), key=lambda o: o.starts_at)
