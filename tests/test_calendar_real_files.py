"""Real calendar files written by other programs (tests/calendars/NOTICE.md says whose).

Every file, imported through the page with "today" a few days after its first event, gives the
review or a clear message, never an error page. Some files are also checked event by event.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.diary.models import CalendarEvent
from tests.conftest import make_coachee

HERE = Path(__file__).resolve().parent / "calendars"
REAL = sorted([*HERE.glob("recurring-ical-events/*.ics"), *HERE.glob("x-wr-timezone/*.ics")])
EVENT_START = re.compile(rb"BEGIN:VEVENT.*?\nDTSTART[^:\n]*:(\d{8})", re.S)


def _first_event_day(data: bytes) -> date:
    found = EVENT_START.search(data)
    if not found:
        return date(2026, 12, 1)
    text = found.group(1).decode()
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _import(client: Client, path: Path, today: date) -> str:
    file = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/calendar")
    with time_machine.travel(f"{today.isoformat()} 08:00:00+00:00", tick=False):
        # Signed in on that day: a sign-in from the future would count as expired.
        client.force_login(User.objects.get(email="alice@example.com"))
        page = client.post(reverse("calendar_import"), {"file": file}, follow=True)
    assert page.status_code == 200, path.name
    return page.content.decode()


def test_the_real_files_are_here() -> None:
    assert len(REAL) >= 100
    assert (HERE / "recurring-ical-events" / "LICENSE").exists()
    assert (HERE / "x-wr-timezone" / "LICENSE").exists()


@pytest.mark.parametrize("path", REAL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_real_file_gives_the_review_or_a_clear_message(
    path: Path, alice_client: Client, alice: User
) -> None:
    today = _first_event_day(path.read_bytes()) + timedelta(days=7)
    page = _import(alice_client, path, today)
    reviewed = "Review events from your calendar" in page
    refused = "Nothing was imported." in page
    assert reviewed != refused, path.name
    if reviewed:
        assert re.search(r"\d+ new events? to review", page), path.name
    # Re-importing the same file adds nothing.
    count = CalendarEvent.objects.count()
    again = _import(alice_client, path, today)
    assert CalendarEvent.objects.count() == count
    if reviewed:
        assert "0 new events to review." in again


def _starts(coach: User) -> list[str]:
    return [
        e.starts_at.isoformat()
        for e in CalendarEvent.objects.for_coach(coach)
        .filter(cancelled=False)
        .order_by("starts_at")
    ]


def test_google_x_wr_timezone_file(alice_client: Client, alice: User) -> None:
    path = HERE / "recurring-ical-events" / "x_wr_timezone_simple_events_issue_59.ics"
    _import(alice_client, path, date(2021, 12, 20))
    assert _starts(alice) == ["2021-12-22T17:00:00+00:00", "2021-12-23T02:00:00+00:00"]


def test_a_moved_occurrence_keeps_one_event_at_its_new_time(
    alice_client: Client, alice: User
) -> None:
    # Google Calendar: monthly karaoke on the last Friday; the one of 31 Dec moved to 17 Dec.
    path = HERE / "recurring-ical-events" / "issue_62_moved_event.ics"
    _import(alice_client, path, date(2021, 12, 1))
    december = [s for s in _starts(alice) if s.startswith("2021-12")]
    assert december == ["2021-12-17T20:30:00+00:00"]


def test_exdate_removes_one_week(alice_client: Client, alice: User) -> None:
    path = HERE / "recurring-ical-events" / "each_week_but_one_deleted.ics"
    _import(alice_client, path, date(2019, 3, 10))
    starts = _starts(alice)
    assert len(starts) == 7  # COUNT=8, one EXDATE
    assert "2019-03-10T23:30:00+00:00" not in starts


def test_a_cancelled_occurrence_is_not_proposed(alice_client: Client, alice: User) -> None:
    path = HERE / "recurring-ical-events" / "issue_18_cancel_status.ics"
    _import(alice_client, path, date(2020, 1, 28))
    assert _starts(alice) == ["2020-01-28T21:00:00+00:00", "2020-01-30T21:00:00+00:00"]


def test_exchange_and_thunderbird_files_match_attendees(alice_client: Client, alice: User) -> None:
    path = HERE / "recurring-ical-events" / "issue_223_thunderbird.ics"
    data = path.read_bytes()
    emails = sorted(set(re.findall(rb"ATTENDEE[^\n]*?mailto:([^\s;]+)", data, re.I)))
    if emails:
        make_coachee(alice, "Someone", email=emails[0].decode())
    page = _import(alice_client, path, _first_event_day(data) + timedelta(days=7))
    assert "Review events from your calendar" in page or "Nothing was imported." in page


def test_rdate_with_periods(alice_client: Client, alice: User) -> None:
    path = HERE / "recurring-ical-events" / "issue_113_period_rdate_duration.ics"
    _import(alice_client, path, _first_event_day(path.read_bytes()) + timedelta(days=7))
    assert len(_starts(alice)) >= 2
