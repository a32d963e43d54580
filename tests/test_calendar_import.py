"""Sessions from the calendar: a file imported through the page, reviewed, confirmed, again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.diary.models import CalendarEvent
from debrief.journal.models import CoachingSession, Reflection
from tests.conftest import make_coachee, sealed_v3

OWN = Path(__file__).resolve().parent / "calendars" / "own"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel("2026-12-01 09:00:00+00:00", tick=False):
        yield


@pytest.fixture
def people(alice: User) -> dict[str, Coachee]:
    return {
        "priya": make_coachee(alice, "Priya Shah", email="Priya.Shah@example.org"),
        "tom": make_coachee(alice, "Tom Okafor"),
        "sam": make_coachee(alice, "Samuel Lee", preferred_name="Sam Lee"),
        "maya": make_coachee(alice, "Maya Fischer", preferred_name="Maya"),
        "jo": make_coachee(alice, "Joanne Brennan", email="jo@example.net"),
    }


def upload(client: Client, name: str, data: bytes | None = None) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = data if data is not None else (OWN / name).read_bytes()
    file = SimpleUploadedFile(name, content, content_type="text/calendar")
    return client.post(reverse("calendar_import"), {"file": file}, follow=True)


def proposed(coach: User) -> list[CalendarEvent]:
    return list(
        CalendarEvent.objects.for_coach(coach)
        .filter(state="proposed", cancelled=False)
        .select_related("coachee", "source")
        .order_by("starts_at")
    )


def confirm_all(client: Client, coach: User) -> Any:
    data = {}
    for event in proposed(coach):
        data[f"choice-{event.code}"] = "confirm"
        data[f"coachee-{event.coachee.code if event.coachee else ''}"] = ""
        data[f"coachee-{event.code}"] = str(event.coachee.code) if event.coachee else ""
    return client.post(reverse("calendar_review"), data, follow=True)


def test_a_google_export_becomes_proposed_sessions_matched_by_email_and_name(
    alice_client: Client, alice: User, people: dict[str, Coachee]
) -> None:
    page = upload(alice_client, "google.ics")
    text = page.content.decode()
    assert page.redirect_chain[-1][0] == reverse("calendar_review")
    assert "6 new events to review" in text
    assert "Left out, as they are not sessions: 1 all-day." in text
    events = proposed(alice)
    priya = events[0]
    assert priya.coachee == people["priya"] and priya.matched_by == "email"
    assert priya.starts_at.isoformat() == "2026-12-03T10:00:00+00:00"
    assert priya.summary == "Coaching – Priya"
    tom = [e for e in events if e.coachee == people["tom"]]
    # Weekly on Mondays, six from 7 December, the 28th excluded (EXDATE).
    assert [e.starts_at.date() for e in tom] == [
        date(2026, 12, 7),
        date(2026, 12, 14),
        date(2026, 12, 21),
        date(2027, 1, 4),
        date(2027, 1, 11),
    ]
    assert {e.matched_by for e in tom} == {"name"}
    assert "matched by email address" in text and "Coaching – Priya" in text


def test_confirmed_events_are_planned_sessions_on_home_and_the_coachee_page(
    alice_client: Client, alice: User, people: dict[str, Coachee]
) -> None:
    upload(alice_client, "google.ics")
    page = confirm_all(alice_client, alice)
    assert "6 planned sessions added." in page.content.decode()
    sessions = CoachingSession.objects.for_coach(alice).order_by("date")
    assert sessions.count() == 6
    first = sessions.get(coachee=people["priya"])
    assert (first.number, first.date, first.start_time) == (1, date(2026, 12, 3), time(10, 0))
    assert first.duration_minutes == 60 and first.format == "video"
    assert first.reflection.status == Reflection.Status.PLANNED
    assert [s.number for s in sessions.filter(coachee=people["tom"])] == [1, 2, 3, 4, 5]
    home = alice_client.get(reverse("home")).content.decode()
    assert "Coming up" in home and "Priya Shah" in home and "Session 1 · Thu 3 Dec at 10:00" in home
    coachee_page = alice_client.get(reverse("coachee_detail", args=[people["tom"].code]))
    assert coachee_page.content.decode().count("Planned") >= 1


def test_importing_the_same_file_again_changes_nothing(
    alice_client: Client, alice: User, people: dict[str, Coachee]
) -> None:
    upload(alice_client, "google.ics")
    confirm_all(alice_client, alice)
    again = upload(alice_client, "google.ics").content.decode()
    assert "0 new events to review." in again
    assert CalendarEvent.objects.for_coach(alice).count() == 6
    assert CoachingSession.objects.for_coach(alice).count() == 6


def test_outlook_windows_time_zones_moved_occurrence_and_exdate(
    alice_client: Client, alice: User, people: dict[str, Coachee]
) -> None:
    upload(alice_client, "outlook.ics")
    events = proposed(alice)
    sam = [e for e in events if e.coachee == people["sam"]]
    # Every other Wednesday from 9 Dec until 20 Jan, 23 Dec excluded, 6 Jan moved to 7 Jan 16:00.
    assert [e.starts_at.isoformat() for e in sam] == [
        "2026-12-09T09:00:00+00:00",
        "2027-01-07T16:00:00+00:00",
        "2027-01-20T09:00:00+00:00",
    ]
    chemistry = next(e for e in events if e.summary == "Chemistry call")
    # "W. Europe Standard Time" is Windows' name for Central European time: 11:00 is 10:00 here.
    assert chemistry.starts_at.isoformat() == "2026-12-15T10:00:00+00:00"
    assert chemistry.duration_minutes == 30 and chemistry.coachee is None


def test_apple_floating_times_with_x_wr_timezone_and_rdate(
    alice_client: Client, alice: User, people: dict[str, Coachee]
) -> None:
    upload(alice_client, "apple.ics")
    maya = proposed(alice)
    assert [e.starts_at.isoformat() for e in maya] == [
        "2026-12-04T08:45:00+00:00",
        "2026-12-18T08:45:00+00:00",
    ]
    assert {e.coachee for e in maya} == {people["maya"]} and maya[0].duration_minutes == 45
    confirm_all(alice_client, alice)
    session = CoachingSession.objects.for_coach(alice).order_by("date").first()
    assert session is not None and session.format == "in_person"


def test_thunderbird_cancelled_events_are_not_proposed(
    alice_client: Client, alice: User, people: dict[str, Coachee]
) -> None:
    upload(alice_client, "thunderbird.ics")
    events = proposed(alice)
    assert [e.summary for e in events] == ["Session with Jo Brennan"]
    assert events[0].coachee == people["jo"] and events[0].matched_by == "email"
    assert events[0].starts_at.isoformat() == "2026-12-11T16:30:00+00:00"


def test_a_cancellation_flags_the_planned_session_and_deletes_nothing(
    alice_client: Client, alice: User, people: dict[str, Coachee]
) -> None:
    upload(alice_client, "google.ics")
    confirm_all(alice_client, alice)
    page = upload(alice_client, "exchange-cancel.ics").content.decode()
    assert "1 cancelled" in page
    session = CoachingSession.objects.get(coachee=people["priya"])
    assert session.cancelled
    home = alice_client.get(reverse("home")).content.decode()
    assert "cancelled in your calendar" in home
    timeline = alice_client.get(reverse("coachee_detail", args=[people["priya"].code]))
    assert "Cancelled in your calendar" in timeline.content.decode()
    assert CoachingSession.objects.for_coach(alice).count() == 6


def _moved(source: bytes) -> bytes:
    return source.replace(b"DTSTART:20261203T100000Z", b"DTSTART:20261204T150000Z").replace(
        b"DTEND:20261203T110000Z", b"DTEND:20261204T163000Z"
    )


def test_a_moved_event_moves_its_planned_session(
    alice_client: Client, alice: User, people: dict[str, Coachee]
) -> None:
    upload(alice_client, "google.ics")
    confirm_all(alice_client, alice)
    page = upload(alice_client, "moved.ics", _moved((OWN / "google.ics").read_bytes()))
    assert "1 planned session moved" in page.content.decode()
    session = CoachingSession.objects.get(coachee=people["priya"])
    assert (session.date, session.start_time) == (date(2026, 12, 4), time(15, 0))
    assert session.duration_minutes == 90


def test_a_session_with_a_reflection_begun_is_never_moved(
    alice_client: Client, alice: User, people: dict[str, Coachee]
) -> None:
    upload(alice_client, "google.ics")
    confirm_all(alice_client, alice)
    session = CoachingSession.objects.get(coachee=people["priya"])
    Reflection.objects.filter(session=session).update(status=Reflection.Status.DRAFT)
    page = upload(alice_client, "moved.ics", _moved((OWN / "google.ics").read_bytes()))
    assert "already have a reflection, so Debrief left them where they were" in (
        page.content.decode()
    )
    session.refresh_from_db()
    assert (session.date, session.start_time) == (date(2026, 12, 3), time(10, 0))


def test_skip_assign_and_later_in_one_screen(
    alice_client: Client, alice: User, people: dict[str, Coachee]
) -> None:
    upload(alice_client, "outlook.ics")
    events = proposed(alice)
    chemistry = next(e for e in events if e.summary == "Chemistry call")
    first_sam, second_sam, third_sam = (e for e in events if e.coachee == people["sam"])
    data = {
        f"choice-{chemistry.code}": "confirm",
        f"coachee-{chemistry.code}": str(people["jo"].code),
        f"choice-{first_sam.code}": "skip",
        f"coachee-{first_sam.code}": str(people["sam"].code),
        f"choice-{second_sam.code}": "later",
        f"coachee-{second_sam.code}": str(people["sam"].code),
    }
    page = alice_client.post(reverse("calendar_review"), data, follow=True).content.decode()
    assert "1 planned session added, 1 skipped." in page
    assert CoachingSession.objects.get(coachee=people["jo"]).duration_minutes == 30
    assert CoachingSession.objects.get(coachee=people["jo"]).format == "phone"
    states = dict(CalendarEvent.objects.values_list("code", "state"))
    assert states[first_sam.code] == "skipped" and states[second_sam.code] == "proposed"
    assert states[third_sam.code] == "proposed"
    # A skipped event stays skipped when the file comes again, and can be brought back.
    upload(alice_client, "outlook.ics")
    assert CalendarEvent.objects.get(code=first_sam.code).state == "skipped"
    review = alice_client.get(reverse("calendar_review")).content.decode()
    assert "Bring back" in review and "Wed 9 Dec 2026, 09:00" in review
    alice_client.post(reverse("calendar_event_restore", args=[first_sam.code]))
    assert CalendarEvent.objects.get(code=first_sam.code).state == "proposed"


def test_confirm_without_a_coachee_is_kept_to_review(
    alice_client: Client, alice: User, people: dict[str, Coachee]
) -> None:
    upload(alice_client, "outlook.ics")
    chemistry = next(e for e in proposed(alice) if e.summary == "Chemistry call")
    data = {f"choice-{chemistry.code}": "confirm", f"coachee-{chemistry.code}": ""}
    page = alice_client.post(reverse("calendar_review"), data, follow=True).content.decode()
    assert "1 still needs a coachee before they can be confirmed." in page
    assert CalendarEvent.objects.get(code=chemistry.code).state == "proposed"


def test_another_coachs_event_or_coachee_codes_give_404_and_change_nothing(
    alice_client: Client, alice: User, bob_client: Client, bob: User, people: dict[str, Coachee]
) -> None:
    upload(alice_client, "google.ics")
    event = proposed(alice)[0]
    bobs_coachee = make_coachee(bob, "Bob's client")
    steal = {f"choice-{event.code}": "confirm", f"coachee-{event.code}": str(bobs_coachee.code)}
    assert bob_client.post(reverse("calendar_review"), steal).status_code == 404
    assert alice_client.post(reverse("calendar_review"), steal).status_code == 404
    assert bob_client.post(reverse("calendar_event_restore", args=[event.code])).status_code == 404
    assert CalendarEvent.objects.get(pk=event.pk).state == "proposed"
    assert not CoachingSession.objects.exists()
    assert "Coaching – Priya" not in bob_client.get(reverse("calendar_review")).content.decode()


def test_event_titles_and_attendees_are_encrypted_at_rest(
    alice_client: Client, alice: User, people: dict[str, Coachee]
) -> None:
    from django.db import connection

    upload(alice_client, "google.ics")
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary, attendees FROM diary_calendarevent")
        stored = [bytes(value) for row in cursor.fetchall() for value in row]
    assert not any(b"Priya" in v or b"example.org" in v for v in stored)
    assert sealed_v3(stored[0])


def test_the_home_page_says_how_many_events_wait_for_review(
    alice_client: Client, alice: User, people: dict[str, Coachee]
) -> None:
    upload(alice_client, "google.ics")
    home = alice_client.get(reverse("home")).content.decode()
    assert "6 events from your calendar to review" in home
