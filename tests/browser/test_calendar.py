"""The calendar import as a coach goes: upload a file, review it on one screen, confirm.

Screenshots at 1280 and 390 px land in screenshots/ (calendar-*, calendar-review-*,
calendar-link-*, reminders-*).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import FilePayload, expect

from debrief.journal.models import CoachingSession
from tests.browser.conftest import log_in
from tests.browser.test_screenshots import WIDTHS, Camera
from tests.conftest import make_coach, make_coachee


def _calendar() -> bytes:
    """A Google-style export of the coming fortnight, dated from today."""
    start = datetime.combine(timezone.localdate() + timedelta(days=2), datetime.min.time())
    rows = [
        ("g1", "Coaching – Priya", 0, 10, "priya.shah@example.org"),
        ("g2", "Tom Okafor – chemistry session", 1, 14, ""),
        ("g3", "Dentist", 2, 9, ""),
        ("g4", "Leadership circle: Harbour Health cohort 3, second module", 3, 16, ""),
    ]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Google Inc//Google Calendar 70.9054//EN"]
    lines.append("X-WR-TIMEZONE:Europe/London")
    for uid, title, day, hour, email in rows:
        at = start + timedelta(days=day, hours=hour)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@google.com",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART;TZID=Europe/London:{at:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/London:{at + timedelta(minutes=60):%Y%m%dT%H%M%S}",
            f"SUMMARY:{title}",
            *([f"ATTENDEE;CN=Priya Shah:mailto:{email}"] if email else []),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_import_review_and_confirm_at_desktop_and_phone_width(
    new_context: Any, live_server: Any, width: int
) -> None:
    alice = make_coach("alice@example.com")
    make_coachee(alice, "Priya Shah", email="priya.shah@example.org")
    make_coachee(alice, "Tom Okafor")
    context = new_context(viewport={"width": width, "height": WIDTHS[width]})
    log_in(context, alice, live_server.url)
    camera = Camera(context, width)
    page = camera.shoot("calendar", "Sessions from your calendar", "/calendar/")
    page.get_by_label("Calendar file (.ics)").set_input_files(
        FilePayload(name="coaching.ics", mimeType="text/calendar", buffer=_calendar())
    )
    page.get_by_role("button", name="Read the file").click()
    camera.shoot("calendar-review", "Review events from your calendar")
    expect(page.get_by_text("4 new events to review.")).to_be_visible()
    rows = page.locator(".review-row")
    expect(rows).to_have_count(4)
    # Matched rows are ready to confirm; the others wait for a choice.
    expect(rows.nth(0).get_by_label("Confirm")).to_be_checked()
    expect(rows.nth(0).get_by_text("matched by email address")).to_be_visible()
    expect(rows.nth(2).get_by_label("Later")).to_be_checked()
    rows.nth(2).get_by_label("Skip").check()
    page.get_by_role("button", name="Save these choices").click()
    expect(page.get_by_text("2 planned sessions added, 1 skipped.")).to_be_visible()
    assert CoachingSession.objects.filter(coach=alice).count() == 2
    page.goto("/")
    expect(page.get_by_text("1 event from your calendar to review")).to_be_visible()
    expect(page.get_by_role("heading", name="Coming up")).to_be_visible()
    expect(page.locator(".session-row", has_text="Priya Shah")).to_be_visible()
    # Nothing on the review page is cut off or wider than the window.
    page.goto("/calendar/review/")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the review page scrolls sideways at {width} px ({scroll})"
    camera.shoot("calendar-review-one-left", "Review events from your calendar")
    page.goto("/calendar/link/")
    page.get_by_role("button", name="Make my link").click()
    link = page.get_by_label("Your private calendar link").input_value()
    assert re.fullmatch(r"http://.+/calendar/feed/[\w-]{43}\.ics", link)
    camera.shoot("calendar-link", "Your sessions in your calendar")
    camera.shoot("reminders", "Reminders", "/reminders/")
    assert not camera.broken
