"""Reminder emails: opt-in, counts and links only by default, a quiet time, once per period."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.followup.models import ActionItem
from debrief.journal.models import Reflection
from debrief.reminders.models import ReminderSent, ReminderSettings
from debrief.reminders.send import send_due
from tests.conftest import make_coachee, make_session

LONDON = ZoneInfo("Europe/London")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.fixture
def practice(alice: User, bob: User) -> None:
    priya = make_coachee(alice, "Priya Shah")
    make_session(priya, 1, date=date(2026, 11, 27))  # waiting for a reflection
    done = make_session(priya, 2, date=date(2026, 11, 28))
    Reflection.objects.filter(session=done).update(status="complete")
    tomorrow = make_session(priya, 3, date=date(2026, 12, 2), start_time=time(10, 0))
    make_session(priya, 4, date=date(2026, 12, 2), start_time=time(15, 0), cancelled=True)
    ActionItem.objects.create(
        coach=alice,
        coachee=priya,
        session=tomorrow,
        owner="coach",
        text="Book the room",
        due=date(2026, 11, 30),
    )
    bobs = make_coachee(bob, "Bob's client")
    make_session(bobs, 1, date=date(2026, 11, 20))


def turn_on(coach: User, **extra: Any) -> ReminderSettings:
    values: dict[str, Any] = {"frequency": "daily", "send_hour": 7, "quiet_start": 21}
    values.update(extra)
    values.setdefault("quiet_end", 7)
    return ReminderSettings.objects.create(coach=coach, **values)


def test_reminders_are_off_until_the_coach_turns_them_on(practice: None) -> None:
    assert str(send_due(at("2026-12-01T08:00"))) == "0 due, 0 sent, 0 with nothing to say, 0 failed"
    assert mail.outbox == []


def test_a_daily_email_at_the_chosen_hour_once(alice: User, practice: None) -> None:
    turn_on(alice)
    with time_machine.travel(at("2026-12-01T06:59"), tick=False):
        send_due(at("2026-12-01T06:59"))
    assert mail.outbox == []
    with time_machine.travel(at("2026-12-01T07:05"), tick=False):
        send_due(at("2026-12-01T07:05"))
        send_due(at("2026-12-01T07:15"))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject == "Debrief: 1 to reflect on, 1 to prepare, 1 action due"
    assert "Waiting for your reflection: 1 session (the oldest from 4 days ago)." in message.body
    assert "Wed 2 Dec, 10:00: session 3. Prepare: http://127.0.0.1:8000/sessions/" in message.body
    assert "Actions due by Wednesday 2 December: 1 (1 overdue)." in message.body
    # No coachee content by default: no names, no action text, nothing of bob's.
    for secret in ("Priya", "Shah", "Book the room", "Bob"):
        assert secret not in message.body and secret not in message.subject
    assert "session 4" not in message.body  # cancelled in the calendar
    with time_machine.travel(at("2026-12-02T07:05"), tick=False):
        send_due(at("2026-12-02T07:05"))
    assert len(mail.outbox) == 2  # the next day's


def test_names_only_when_the_coach_opted_in(alice: User, practice: None) -> None:
    turn_on(alice, include_names=True)
    with time_machine.travel(at("2026-12-01T07:05"), tick=False):
        send_due(at("2026-12-01T07:05"))
    assert "session 3 with Priya Shah" in mail.outbox[0].body
    assert "Book the room" not in mail.outbox[0].body


def test_the_quiet_time_holds_the_email_until_it_ends(alice: User, practice: None) -> None:
    turn_on(alice, send_hour=6, quiet_start=22, quiet_end=8)
    with time_machine.travel(at("2026-12-01T07:30"), tick=False):
        send_due(at("2026-12-01T07:30"))
    assert mail.outbox == []
    with time_machine.travel(at("2026-12-01T08:00"), tick=False):
        send_due(at("2026-12-01T08:00"))
    assert len(mail.outbox) == 1


def test_a_weekly_email_only_on_its_day(alice: User, practice: None) -> None:
    turn_on(alice, frequency="weekly", weekday=2)  # Wednesdays
    with time_machine.travel(at("2026-12-01T09:00"), tick=False):  # a Tuesday
        send_due(at("2026-12-01T09:00"))
    assert mail.outbox == []
    with time_machine.travel(at("2026-12-02T09:00"), tick=False):
        send_due(at("2026-12-02T09:00"))
    assert (
        len(mail.outbox) == 1 and "To prepare in the next 7 days: 1 session." in mail.outbox[0].body
    )
    assert ReminderSent.objects.get().period == "weekly:2026-W49"


def test_a_failed_send_is_tried_again(
    alice: User, practice: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    turn_on(alice)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("mail server away")

    monkeypatch.setattr("debrief.reminders.send.send_mail", broken)
    with time_machine.travel(at("2026-12-01T07:05"), tick=False):
        assert send_due(at("2026-12-01T07:05")).failed == 1
    monkeypatch.undo()
    with time_machine.travel(at("2026-12-01T07:15"), tick=False):
        assert send_due(at("2026-12-01T07:15")).sent == 1
    assert len(mail.outbox) == 1


def test_nothing_to_say_sends_nothing(alice: User) -> None:
    turn_on(alice)
    with time_machine.travel(at("2026-12-01T07:05"), tick=False):
        assert send_due(at("2026-12-01T07:05")).empty == 1
    assert mail.outbox == []


def test_the_coach_sees_what_would_be_sent_and_saves_settings(
    alice_client: Client, alice: User, practice: None
) -> None:
    with time_machine.travel(at("2026-12-01T09:00"), tick=False):
        alice_client.force_login(alice)
        page = alice_client.get(reverse("reminders")).content.decode()
        assert "What would be sent now" in page
        assert "Debrief: 1 to reflect on, 1 to prepare, 1 action due" in page
        assert "session 3." in page and "Priya" not in page.split("What would be sent")[1]
        response = alice_client.post(
            reverse("reminders"),
            {
                "frequency": "weekly",
                "weekday": "4",
                "send_hour": "8",
                "quiet_start": "20",
                "quiet_end": "7",
                "include_names": "on",
            },
        )
        assert response.status_code == 302
        prefs = ReminderSettings.objects.get(coach=alice)
        assert (prefs.frequency, prefs.weekday, prefs.send_hour, prefs.include_names) == (
            "weekly",
            4,
            8,
            True,
        )
        page = alice_client.get(reverse("reminders")).content.decode()
        assert "with Priya Shah" in page
        bad = alice_client.post(reverse("reminders"), {"frequency": "hourly", "send_hour": "99"})
        assert bad.status_code == 200 and "Nothing was changed" in bad.content.decode()
