"""The preparation sheet and previous / next session links."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, Goal, GoalProgress
from debrief.journal.models import Answer, CoachingSession
from tests.conftest import make_coachee, make_session

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 20, 12, 0, tzinfo=LONDON), tick=False):
        yield


def _answer(session: CoachingSession, **texts: str) -> None:
    for key, text in texts.items():
        Answer.objects.create(reflection=session.reflection, prompt_key=key, text=text)


def _sheet(client: Client, session: CoachingSession) -> str:
    response = client.get(reverse("session_prepare", args=[session.code]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_sheet_gathers_what_the_coach_needs(alice_client: Client, coachee: Coachee) -> None:
    s1 = make_session(coachee, 1, date=date(2026, 3, 2))
    s2 = make_session(coachee, 2, date=date(2026, 3, 9))
    upcoming = make_session(coachee, 3, date=date(2026, 3, 23))
    _answer(s1, main_topics="Her first month as a manager.")
    _answer(
        s2,
        main_topics="Feedback to a former peer.",
        key_insights="She fears being disliked.",
        coachee_next_steps="Hold the conversation with Sam.",
    )
    ActionItem.objects.create(
        coach=coachee.coach, coachee=coachee, session=s2, owner="coachee", text="Book the talk"
    )
    goal = Goal.objects.create(coach=coachee.coach, coachee=coachee, title="Lead former peers")
    GoalProgress.objects.create(coach=coachee.coach, goal=goal, session=s1, score=3)
    GoalProgress.objects.create(coach=coachee.coach, goal=goal, session=s2, score=5)

    html = _sheet(alice_client, upcoming)
    assert "<h1>Prepare session 3 with <bdi>Priya Shah</bdi></h1>" in html
    # Last session's summary (not the one before), its insight, and its plan as "last time".
    assert "Feedback to a former peer." in html and "She fears being disliked." in html
    assert "Her first month as a manager." not in html
    assert "Last time you planned these next steps with Priya Shah:" in html
    assert "Hold the conversation with Sam." in html
    assert "Book the talk" in html  # the open action, to review
    assert "Lead former peers" in html and "<strong>5/10</strong>" in html
    # The pre-session prompts in the future tense, as fields that autosave.
    assert "What are the primary goals for this session?" in html
    assert "What were the primary goals" not in html
    assert 'name="p-primary_goals"' in html and "data-autosave" in html
    for earlier in (s1, s2):
        assert reverse("reflection_view", args=[earlier.code]) in html


def test_a_cancelled_last_session_is_skipped(alice_client: Client, coachee: Coachee) -> None:
    s1 = make_session(coachee, 1, date=date(2026, 3, 2))
    s2 = make_session(coachee, 2, date=date(2026, 3, 9))
    CoachingSession.objects.filter(pk=s2.pk).update(cancelled=True)
    upcoming = make_session(coachee, 3, date=date(2026, 3, 23))
    _answer(s1, main_topics="Her first month as a manager.")
    html = _sheet(alice_client, upcoming)
    assert "Her first month as a manager." in html
    assert "Session 1, 2 March 2026</a>" in html


def test_the_first_session_says_so(alice_client: Client, coachee: Coachee) -> None:
    html = _sheet(alice_client, make_session(coachee, 1, date=date(2026, 3, 23)))
    assert "This is the first session with <bdi>Priya Shah</bdi>." in html
    assert "No active goals." in html


def test_every_session_page_links_previous_and_next(alice_client: Client, coachee: Coachee) -> None:
    s1 = make_session(coachee, 1, date=date(2026, 3, 2))
    s2 = make_session(coachee, 2, date=date(2026, 3, 9))
    s3 = make_session(coachee, 3, date=date(2026, 3, 16))
    other = make_session(make_coachee(coachee.coach, "Tom Okafor"), 1, date=date(2026, 3, 5))
    for name in ("reflection_view", "reflection_edit", "session_prepare"):
        html = alice_client.get(reverse(name, args=[s2.code])).content.decode()
        assert f'rel="prev" href="{reverse("reflection_view", args=[s1.code])}"' in html, name
        assert f'rel="next" href="{reverse("reflection_view", args=[s3.code])}"' in html, name
        assert str(other.code) not in html
    first = alice_client.get(reverse("reflection_view", args=[s1.code])).content.decode()
    assert 'rel="prev"' not in first and 'rel="next"' in first


def test_home_prepare_links_open_the_sheet(alice_client: Client, coachee: Coachee) -> None:
    upcoming = make_session(coachee, 1, date=date(2026, 3, 23))
    html = alice_client.get(reverse("home")).content.decode()
    assert reverse("session_prepare", args=[upcoming.code]) in html


def test_another_coachs_sheet_is_a_404(bob_client: Client, coachee: Coachee) -> None:
    session = make_session(coachee, 1, date=date(2026, 3, 23))
    assert bob_client.get(reverse("session_prepare", args=[session.code])).status_code == 404
