"""Broken and hostile calendar files: each gets the review or a clear message, never an error.

Counts (printed with -s): the hostile cases below, 400 seeded mutations of real files read
directly, 40 of them through the page, and hypothesis' generated files.
"""

from __future__ import annotations

import random
import time
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debrief.accounts.models import User
from debrief.diary.reader import (
    MAX_BYTES,
    MAX_OCCURRENCES,
    CalendarFileError,
    ReadResult,
    read_calendar,
)

HERE = Path(__file__).resolve().parent / "calendars"
TODAY = date(2026, 12, 1)
LONDON = ZoneInfo("Europe/London")
SEEDS = [
    HERE / "own" / "google.ics",
    HERE / "own" / "outlook.ics",
    HERE / "own" / "thunderbird.ics",
    HERE / "recurring-ical-events" / "issue_62_moved_event.ics",
    HERE / "recurring-ical-events" / "rdate.ics",
    HERE / "x-wr-timezone" / "moved-event-RECURRENCE-ID.in.ics",
]


def event(body: str) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:x1\r\nDTSTAMP:20261101T000000Z\r\n{body}\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    ).encode()


HOSTILE: dict[str, bytes] = {
    "empty": b"",
    "only spaces": b"   \n\n ",
    "a PNG": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "an HTML page": b"<!doctype html><html><body>Sign in to Google</body></html>",
    "NUL bytes": b"BEGIN:VCALENDAR\x00\x00END:VCALENDAR",
    "no END": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\n",
    "END without BEGIN": b"END:VEVENT\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\n",
    "malformed lines": b"BEGIN:VCALENDAR\r\n;;;::::\r\n\x7f\x7f\r\nDTSTART:\r\nEND:VCALENDAR\r\n",
    "30 years daily": event(
        "SUMMARY:Daily\r\nDTSTART:20000101T090000Z\r\nDTEND:20000101T100000Z\r\n"
        "RRULE:FREQ=DAILY;UNTIL=20300101T000000Z"
    ),
    "every second for ever": event(
        "SUMMARY:Tick\r\nDTSTART:20261201T090000Z\r\nDTEND:20261201T090001Z\r\nRRULE:FREQ=SECONDLY"
    ),
    "every minute": event(
        "SUMMARY:Tick\r\nDTSTART:20261201T090000Z\r\nDURATION:PT1M\r\nRRULE:FREQ=MINUTELY"
    ),
    "a rule that never happens": event(
        "SUMMARY:Never\r\nDTSTART:20261201T090000Z\r\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31"
    ),
    "a broken rule": event("SUMMARY:Bad\r\nDTSTART:20261201T090000Z\r\nRRULE:FREQ=SOMETIMES;X=Y"),
    "no DTSTART": event("SUMMARY:No start"),
    "garbage DTSTART": event("SUMMARY:Bad\r\nDTSTART:tomorrow at nine"),
    "end before start": event(
        "SUMMARY:Backwards\r\nDTSTART:20261202T100000Z\r\nDTEND:20261202T090000Z"
    ),
    "unknown time zone": event(
        "SUMMARY:Where\r\nDTSTART;TZID=Mars/Olympus_Mons:20261202T100000\r\n"
        "DTEND;TZID=Mars/Olympus_Mons:20261202T110000"
    ),
    "year 9999": event("SUMMARY:Far\r\nDTSTART:99991231T235959Z"),
    "year 1": event("SUMMARY:Old\r\nDTSTART:00010101T000000Z\r\nRRULE:FREQ=YEARLY"),
    "a week-long event": event(
        "SUMMARY:Retreat\r\nDTSTART:20261202T100000Z\r\nDTEND:20261209T100000Z"
    ),
    "huge title": event("SUMMARY:" + "A" * 100_000 + "\r\nDTSTART:20261202T100000Z"),
    "10,000 attendees": event(
        "SUMMARY:Crowd\r\nDTSTART:20261202T100000Z\r\n"
        + "\r\n".join(f"ATTENDEE:mailto:p{i}@example.org" for i in range(10_000))
    ),
    "Windows-1252 text": event("SUMMARY:Séance with Zoë\r\nDTSTART:20261202T100000Z")
    .decode()
    .encode("cp1252"),
    "UTF-16 with BOM": "\ufeff".encode("utf-16-le")
    + event("SUMMARY:Zoë\r\nDTSTART:20261202T100000Z").decode().encode("utf-16-le"),
    "UTF-16 without BOM": event("SUMMARY:x\r\nDTSTART:20261202T100000Z")
    .decode()
    .encode("utf-16-le"),
    "a VCALENDAR inside a VEVENT": event(
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nDTSTART:20261202T100000Z"
    ),
    "deep nesting": b"BEGIN:VCALENDAR\r\n"
    + b"BEGIN:X\r\n" * 2000
    + b"END:X\r\n" * 2000
    + b"END:VCALENDAR\r\n",
    "over 20,000 events": b"BEGIN:VCALENDAR\r\n"
    + b"".join(
        f"BEGIN:VEVENT\r\nUID:{i}\r\nDTSTART:20261202T100000Z\r\nEND:VEVENT\r\n".encode()
        for i in range(20_001)
    )
    + b"END:VCALENDAR\r\n",
    "3,000 events in the window": b"BEGIN:VCALENDAR\r\n"
    + b"".join(
        f"BEGIN:VEVENT\r\nUID:{i}\r\nDTSTART:20261202T{i % 24:02d}{i % 60:02d}00Z\r\n"
        f"END:VEVENT\r\n".encode()
        for i in range(3_000)
    )
    + b"END:VCALENDAR\r\n",
    "larger than the bound": b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"a" * MAX_BYTES,
}


def read(data: bytes) -> ReadResult | CalendarFileError:
    try:
        return read_calendar(data, today=TODAY, zone=LONDON)
    except CalendarFileError as error:
        assert str(error).endswith("."), str(error)
        assert len(str(error)) < 400
        return error


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_read_or_refused_with_a_message(name: str) -> None:
    began = time.monotonic()
    outcome = read(HOSTILE[name])
    # Not a speed target (the bench has those): a guard that nothing loops without end.
    assert time.monotonic() - began < 60, name
    if isinstance(outcome, ReadResult):
        assert len(outcome.occurrences) <= MAX_OCCURRENCES


def test_specific_messages() -> None:
    assert "is not a calendar" in str(read(HOSTILE["an HTML page"]))
    assert "empty" in str(read(HOSTILE["empty"]))
    assert "reads calendar files of up to 5 MB" in str(read(HOSTILE["larger than the bound"]))
    assert "more than 20,000 events" in str(read(HOSTILE["over 20,000 events"]))
    daily = read(HOSTILE["30 years daily"])
    assert isinstance(daily, ReadResult) and len(daily.occurrences) == 271  # 90 back, 180 ahead
    ticks = read(HOSTILE["every second for ever"])
    assert isinstance(ticks, ReadResult) and len(ticks.occurrences) == 1
    assert "repeat more often than once a day" in ticks.notes[0]
    many = read(HOSTILE["3,000 events in the window"])
    assert isinstance(many, ReadResult) and len(many.occurrences) == MAX_OCCURRENCES
    assert "Debrief read the first 2,000" in many.notes[0]
    no_start = read(HOSTILE["no DTSTART"])
    assert isinstance(no_start, ReadResult) and no_start.unreadable == 1
    latin = read(HOSTILE["Windows-1252 text"])
    assert isinstance(latin, ReadResult) and latin.occurrences[0].summary == "Séance with Zoë"
    assert "Windows-1252" in latin.notes[0]
    wide = read(HOSTILE["UTF-16 with BOM"])
    assert isinstance(wide, ReadResult) and wide.occurrences[0].summary == "Zoë"
    long = read(HOSTILE["a week-long event"])
    assert isinstance(long, ReadResult) and long.too_long == 1 and not long.occurrences
    backwards = read(HOSTILE["end before start"])
    assert isinstance(backwards, ReadResult) and backwards.occurrences[0].minutes == 60


@pytest.mark.parametrize("name", ["a PNG", "larger than the bound", "every second for ever"])
def test_hostile_files_through_the_page(name: str, alice_client: Client, alice: User) -> None:
    file = SimpleUploadedFile("x.ics", HOSTILE[name], content_type="text/calendar")
    with time_machine.travel("2026-12-01 09:00:00+00:00", tick=False):
        alice_client.force_login(alice)
        page = alice_client.post(reverse("calendar_import"), {"file": file}, follow=True)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nothing was imported." in text or "Review events from your calendar" in text


def _mutate(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(8)
        i = rng.randrange(len(lines)) if lines else 0
        if not lines:
            lines = [b""]
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op == 2:
            line = lines[i]
            cut = rng.randrange(len(line) + 1)
            lines[i] = line[:cut]
        elif op == 3:
            lines[i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 40)))
        elif op == 4:
            lines[i] = lines[i].replace(b":", b";", 1)
        elif op == 5:
            lines[i] = rng.choice(
                [
                    b"RRULE:FREQ=SECONDLY",
                    b"DTSTART:2026",
                    b"END:VEVENT",
                    b"BEGIN:VEVENT",
                    b"TZID:Nowhere",
                    b"RECURRENCE-ID:x",
                ]
            )
        elif op == 6:
            lines = lines[: rng.randrange(len(lines) + 1)]
        else:
            rng.shuffle(lines)
    return b"\n".join(lines)


def test_400_mutations_of_real_files_are_read_or_refused() -> None:
    rng = random.Random(16)
    outcomes = {"read": 0, "refused": 0}
    for n in range(400):
        seed = SEEDS[n % len(SEEDS)].read_bytes()
        outcome = read(_mutate(seed, rng))
        outcomes["read" if isinstance(outcome, ReadResult) else "refused"] += 1
    print(f"\nmutations: {outcomes}")
    assert sum(outcomes.values()) == 400 and outcomes["read"] and outcomes["refused"]


def test_40_mutations_through_the_page(alice_client: Client, alice: User) -> None:
    rng = random.Random(1616)
    with time_machine.travel("2026-12-01 09:00:00+00:00", tick=False):
        alice_client.force_login(alice)
        for n in range(40):
            data = _mutate(SEEDS[n % len(SEEDS)].read_bytes(), rng)
            file = SimpleUploadedFile("x.ics", data, content_type="text/calendar")
            page = alice_client.post(reverse("calendar_import"), {"file": file}, follow=True)
            assert page.status_code == 200
            text = page.content.decode()
            assert "Nothing was imported." in text or "Review events from your calendar" in text


LINE = st.one_of(
    st.sampled_from(
        [
            "BEGIN:VEVENT",
            "END:VEVENT",
            "UID:a",
            "DTSTART:20261202T100000Z",
            "DTSTART;VALUE=DATE:20261202",
            "DTEND:20261202T110000Z",
            "RRULE:FREQ=DAILY;COUNT=5",
            "RRULE:FREQ=HOURLY",
            "EXDATE:20261203T100000Z",
            "RDATE:20261210T100000Z",
            "RECURRENCE-ID:20261203T100000Z",
            "STATUS:CANCELLED",
            "DURATION:PT45M",
            "BEGIN:VTIMEZONE",
            "END:VTIMEZONE",
            "TZID:Europe/London",
        ]
    ),
    st.text(min_size=0, max_size=60).map(lambda t: t.replace("\n", " ")),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=40))
def test_generated_calendars_are_read_or_refused(lines: list[str]) -> None:
    body = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *lines, "END:VCALENDAR"])
    read(body.encode("utf-8", "surrogatepass"))
