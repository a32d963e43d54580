"""The home page: what needs the coach now, hours coached and the reflection habit."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client
from django.urls import reverse

from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem
from debrief.journal.models import CoachingSession, Reflection
from debrief.journal.practice import summarise
from tests.conftest import make_session

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=LONDON)


def _complete_at(session: CoachingSession, when: datetime) -> None:
    Reflection.objects.filter(session=session).update(status="complete", completed_at=when)


@time_machine.travel(NOW, tick=False)
def test_hours_this_month_and_year_count_held_sessions_only(coachee: Coachee) -> None:
    make_session(coachee, 1, date=date(2025, 12, 30), duration_minutes=600)  # last year
    make_session(coachee, 2, date=date(2026, 10, 5), duration_minutes=90)
    make_session(coachee, 3, date=date(2026, 11, 2), duration_minutes=60)
    make_session(coachee, 4, date=date(2026, 11, 25), duration_minutes=45)  # today
    make_session(coachee, 5, date=date(2026, 11, 30), duration_minutes=60)  # not yet held
    summary = summarise(coachee.coach, date(2026, 11, 25))
    assert summary.month_hours == round((60 + 45) / 60, 1)
    assert summary.year_hours == round((90 + 60 + 45) / 60, 1)


@time_machine.travel(NOW, tick=False)
def test_reflection_habit_counts_reflections_within_48_hours(coachee: Coachee) -> None:
    on_time = make_session(coachee, 1, date=date(2026, 11, 10), start_time=time(9, 0))
    _complete_at(on_time, datetime(2026, 11, 12, 9, 30, tzinfo=LONDON))  # 47.5 h after the end
    late = make_session(coachee, 2, date=date(2026, 11, 12), start_time=time(9, 0))
    _complete_at(late, datetime(2026, 11, 14, 11, 0, tzinfo=LONDON))  # 49 h after the end
    make_session(coachee, 3, date=date(2026, 11, 16))  # never reflected: missed
    make_session(coachee, 4, date=date(2026, 11, 24))  # its 48 hours are not up yet
    make_session(coachee, 5, date=date(2026, 10, 1))  # older than 30 days
    summary = summarise(coachee.coach, date(2026, 11, 25))
    assert (summary.habit_on_time, summary.habit_sessions) == (1, 3)
    assert summary.habit_percent == 33


@time_machine.travel(NOW, tick=False)
def test_home_shows_practice_and_overdue_coach_actions(
    alice_client: Client, coachee: Coachee
) -> None:
    session = make_session(coachee, 1, date=date(2026, 11, 2), duration_minutes=90)
    for owner, text, due, status in [
        ("coach", "Send the reading list", date(2026, 11, 20), "open"),
        ("coachee", "Coachee homework", date(2026, 11, 20), "open"),
        ("coach", "Due next week", date(2026, 12, 2), "open"),
        ("coach", "Already done", date(2026, 11, 3), "done"),
    ]:
        ActionItem.objects.create(
            coach=coachee.coach,
            coachee=coachee,
            session=session,
            owner=owner,
            text=text,
            due=due,
            status=status,
        )
    html = alice_client.get(reverse("home")).content.decode()
    assert "Your overdue actions" in html
    assert "Send the reading list" in html and "was due 20 Nov" in html
    assert "Coachee homework" not in html and "Due next week" not in html
    assert "Already done" not in html
    assert "1.5 this month · 1.5 this year" in html
    assert "0 of 1 session in the last 30 days reflected on within 48 hours (0%)" in html


@time_machine.travel(NOW, tick=False)
def test_home_without_recent_sessions_says_so(alice_client: Client, coachee: Coachee) -> None:
    make_session(coachee, 1, date=NOW.date() - timedelta(days=90))
    html = alice_client.get(reverse("home")).content.decode()
    assert "No sessions in the last 30 days yet." in html
    assert "Your overdue actions" not in html


@time_machine.travel(NOW, tick=False)
def test_today_separates_sessions_to_prepare_from_those_to_reflect_on(
    alice_client: Client, coachee: Coachee
) -> None:
    later = make_session(coachee, 5, date=NOW.date(), start_time=time(15, 0))
    over = make_session(coachee, 4, date=NOW.date(), start_time=time(9, 0))
    old = make_session(coachee, 3, date=date(2026, 11, 20))
    soon = make_session(coachee, 6, date=date(2026, 11, 28), start_time=time(10, 0))
    html = alice_client.get(reverse("home")).content.decode()
    today_panel = html.split('id="today-title"')[1].split("</section>")[0]
    prepare = reverse("session_prepare", args=[later.code])
    assert prepare in today_panel and "Prepare</a>" in today_panel
    assert "Session 5 at 15:00" in today_panel and "Session 4 at 09:00" in today_panel
    waiting = html.split('id="pending-title"')[1].split("</section>")[0]
    assert reverse("reflection_edit", args=[over.code]) in waiting  # over at 10:00
    assert reverse("reflection_edit", args=[old.code]) in waiting
    assert reverse("reflection_edit", args=[later.code]) not in waiting  # not held yet
    assert waiting.index(str(old.code)) < waiting.index(str(over.code))  # oldest first
    assert "Session 3 · Fri 20 Nov 2026 · 5\xa0days ago" in waiting  # kept on one line
    assert "Session 4 · Wed 25 Nov 2026 · today" in waiting
    assert "Priya Shah" in waiting and "Not started" in waiting
    coming = html.split('id="upcoming-title"')[1].split("</section>")[0]
    assert reverse("session_prepare", args=[soon.code]) in coming


@time_machine.travel(NOW, tick=False)
def test_a_new_coach_is_told_what_to_do_first(alice_client: Client) -> None:
    html = alice_client.get(reverse("home")).content.decode()
    assert "Start by adding the first person you coach." in html
    assert reverse("coachee_new") in html
    assert 'id="today-title"' not in html
