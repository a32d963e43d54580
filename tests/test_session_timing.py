"""Sessions still to come cannot be marked complete; back-filled sessions are not late."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.journal.models import CoachingSession, Reflection
from debrief.journal.practice import summarise
from tests.conftest import make_session

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _frozen_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("how", ["status", "form"])
def test_a_session_still_to_come_is_not_marked_complete(
    alice_client: Client, coachee: Coachee, how: str
) -> None:
    future = make_session(coachee, 1, date=date(2026, 11, 30))
    if how == "status":
        url, data = reverse("reflection_status", args=[future.code]), {"status": "complete"}
    else:
        url, data = reverse("reflection_edit", args=[future.code]), {"op": "complete"}
    response = alice_client.post(url, data, follow=True)
    html = response.content.decode()
    assert "Not marked complete: this session is on 30 November 2026, still to come." in html
    future.reflection.refresh_from_db()
    assert future.reflection.status == Reflection.Status.PLANNED
    # Home still offers to prepare it.
    home = alice_client.get(reverse("home")).content.decode()
    assert reverse("session_prepare", args=[future.code]) in home


def test_the_edit_page_does_not_offer_to_complete_a_future_session(
    alice_client: Client, coachee: Coachee
) -> None:
    future = make_session(coachee, 1, date=date(2026, 11, 30))
    html = alice_client.get(reverse("reflection_edit", args=[future.code])).content.decode()
    assert "Save and mark complete" not in html
    assert "You can mark it complete once the session has happened." in html
    past = make_session(coachee, 2, date=date(2026, 11, 20))
    html = alice_client.get(reverse("reflection_edit", args=[past.code])).content.decode()
    assert "Save and mark complete" in html


def test_today_and_past_sessions_can_be_completed(alice_client: Client, coachee: Coachee) -> None:
    today = make_session(coachee, 1, date=date(2026, 11, 25))
    alice_client.post(reverse("reflection_status", args=[today.code]), {"status": "complete"})
    today.reflection.refresh_from_db()
    assert today.reflection.status == Reflection.Status.COMPLETE


def test_sessions_back_filled_on_the_first_day_are_not_late(alice: User, coachee: Coachee) -> None:
    User.objects.filter(pk=alice.pk).update(date_joined=NOW.replace(hour=9))
    alice.refresh_from_db()
    # Typed in on the first day, for sessions of the weeks before: never reflected in time.
    old = make_session(coachee, 1, date=date(2026, 11, 3), start_time=time(9, 0))
    older = make_session(coachee, 2, date=date(2026, 11, 10), start_time=time(9, 0))
    assert summarise(alice, date(2026, 11, 25)).habit_sessions == 0
    # The next day's own session, missed, does count; so does a back-filled one done in time.
    with time_machine.travel(datetime(2026, 11, 30, 12, 0, tzinfo=LONDON), tick=False):
        missed = make_session(coachee, 3, date=date(2026, 11, 26), start_time=time(9, 0))
        summary = summarise(alice, date(2026, 11, 30))
    assert (summary.habit_on_time, summary.habit_sessions) == (0, 1)
    assert {old.pk, older.pk, missed.pk} == set(
        CoachingSession.objects.filter(coachee=coachee).values_list("pk", flat=True)
    )


def test_a_session_entered_late_on_a_later_day_still_counts(alice: User, coachee: Coachee) -> None:
    User.objects.filter(pk=alice.pk).update(date_joined=datetime(2026, 10, 1, 9, tzinfo=LONDON))
    alice.refresh_from_db()
    make_session(coachee, 1, date=date(2026, 11, 10), start_time=time(9, 0))
    assert summarise(alice, date(2026, 11, 25)).habit_sessions == 1


def test_insights_habit_leaves_out_back_filled_sessions_too(alice: User, coachee: Coachee) -> None:
    from debrief.insights.rhythm import rhythm
    from debrief.insights.scope import Scope

    User.objects.filter(pk=alice.pk).update(date_joined=NOW.replace(hour=9))
    alice.refresh_from_db()
    make_session(coachee, 1, date=date(2026, 11, 3), start_time=time(9, 0))
    [month] = rhythm(Scope(coach=alice, today=date(2026, 11, 25))).months
    assert (month.sessions, month.counted) == (1, 0)  # held, but not counted as late
