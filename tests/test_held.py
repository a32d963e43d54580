"""One definition of a held session: on or before today, and not cancelled in the calendar.

A session the calendar import marked cancelled stays in the journal (it may hold a plan), but
it was never coached: the ICF log, the hours on home and on the coachee's page, practice
progress and the reflection habit all leave it out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.insights.rhythm import rhythm
from debrief.insights.scope import Scope
from debrief.journal.models import CoachingSession, Reflection
from debrief.journal.practice import summarise
from debrief.practice.gather import gather
from tests.conftest import make_coachee, make_session

TODAY = date(2026, 11, 25)
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 11, 25, 12, 0, tzinfo=LONDON), tick=False):
        yield


def _practice(alice: User) -> tuple[CoachingSession, CoachingSession]:
    """One held session of 60 minutes and one cancelled of 600, both reflected on in time."""
    coachee = make_coachee(alice, "Priya Shah", icf_log_listing=True)
    held = make_session(coachee, 1, date=date(2026, 11, 10), start_time=time(9, 0))
    cancelled = make_session(
        coachee, 2, date=date(2026, 11, 17), start_time=time(9, 0), duration_minutes=600
    )
    CoachingSession.objects.filter(pk=cancelled.pk).update(cancelled=True)
    for session in (held, cancelled):
        Reflection.objects.filter(session=session).update(
            status="complete",
            completed_at=datetime.combine(session.date, time(12, 0), tzinfo=LONDON),
        )
    return held, cancelled


def test_the_queryset_and_the_q_agree(alice: User) -> None:
    held, _ = _practice(alice)
    assert list(CoachingSession.objects.for_coach(alice).held(TODAY)) == [held]


def test_the_icf_log_leaves_out_cancelled_sessions(alice: User, alice_client: Client) -> None:
    _practice(alice)
    log = alice_client.get(reverse("icf_log")).context["log"]
    assert log.total_hours == Decimal("1.0")
    csv = alice_client.get(reverse("icf_log_csv")).content.decode()
    assert "2026-11-10,2026-11-10,1.0" in csv and "2026-11-17" not in csv


def test_home_hours_and_the_habit_leave_out_cancelled_sessions(alice: User) -> None:
    _practice(alice)
    summary = summarise(alice, TODAY)
    assert (summary.month_hours, summary.year_hours) == (1.0, 1.0)
    assert (summary.habit_on_time, summary.habit_sessions) == (1, 1)


def test_practice_progress_leaves_out_cancelled_sessions(alice: User) -> None:
    _practice(alice)
    facts = gather(alice, TODAY)
    assert facts.all_hours == Decimal(1)
    assert [s.date for s in facts.sessions] == [date(2026, 11, 10)]


def test_insights_rhythm_leaves_out_cancelled_sessions(alice: User) -> None:
    _practice(alice)
    [month] = rhythm(Scope(coach=alice, today=TODAY)).months
    assert (month.sessions, month.minutes, month.counted) == (1, 60, 1)


def test_the_coachee_page_and_list_count_held_sessions_only(
    alice: User, alice_client: Client
) -> None:
    held, _ = _practice(alice)
    page = alice_client.get(reverse("coachee_detail", args=[held.coachee.code]))
    assert (page.context["held_count"], page.context["total_hours"]) == (1, 1.0)
    [row] = alice_client.get(reverse("coachee_list")).context["coachees"]
    assert (row.session_count, row.last_session) == (1, date(2026, 11, 10))
