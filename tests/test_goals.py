"""Goals per coachee, scored 0-10 in each reflection, shown with their progress."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from debrief.coachees.models import Coachee
from debrief.followup.models import Goal, GoalProgress
from debrief.followup.progress import goal_tracks
from debrief.journal.models import CoachingSession, Reflection
from tests.conftest import make_session
from tests.follow_helpers import goal_template_version, save, use_template


def _goal(coachee: Coachee, title: str, **extra: object) -> Goal:
    return Goal.objects.create(coach=coachee.coach, coachee=coachee, title=title, **extra)


def _goal_session(coachee: Coachee, number: int, day: date) -> CoachingSession:
    session = make_session(coachee, number, date=day)
    use_template(session, goal_template_version())
    return session


def test_adding_a_goal(alice_client: Client, coachee: Coachee) -> None:
    url = reverse("goal_new", args=[coachee.code])
    response = alice_client.post(url, {"title": "", "status": "active"})
    assert response.status_code == 200
    assert "Write the goal in a few words." in response.content.decode()
    response = alice_client.post(
        url,
        {"title": "Lead meetings with confidence", "target_date": "2026-09-30", "status": "active"},
    )
    assert response.status_code == 302
    goal = Goal.objects.get(coachee=coachee)
    assert goal.title == "Lead meetings with confidence"
    assert goal.target_date == date(2026, 9, 30)
    page = alice_client.get(reverse("coachee_detail", args=[coachee.code])).content.decode()
    assert "Lead meetings with confidence" in page and "Not scored yet" in page


def test_marking_a_goal_achieved_records_when(alice_client: Client, coachee: Coachee) -> None:
    goal = _goal(coachee, "Run a retro")
    response = alice_client.post(
        reverse("goal_edit", args=[goal.code]), {"title": "Run a retro", "status": "achieved"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "achieved" and goal.closed_at is not None


def test_progress_over_sessions_is_the_charts_data(alice_client: Client, coachee: Coachee) -> None:
    speak = _goal(coachee, "Speak up in board meetings")
    delegate = _goal(coachee, "Delegate the weekly report")
    s1 = _goal_session(coachee, 1, date(2026, 3, 2))
    s2 = _goal_session(coachee, 2, date(2026, 3, 16))
    s3 = _goal_session(coachee, 3, date(2026, 3, 30))
    assert save(alice_client, s1, **{f"g-{speak.code}-score": "3"}).status_code == 200
    assert (
        save(
            alice_client,
            s2,
            **{f"g-{speak.code}-score": "5", f"g-{delegate.code}-score": "2"},
        ).status_code
        == 200
    )
    assert (
        save(
            alice_client,
            s3,
            **{f"g-{speak.code}-score": "8", f"g-{speak.code}-note": "Led Q1 review"},
        ).status_code
        == 200
    )

    tracks = {t.goal.pk: t for t in goal_tracks(coachee)}
    assert [(p.session_number, p.score) for p in tracks[speak.pk].points] == [
        (1, 3),
        (2, 5),
        (3, 8),
    ]
    assert [(p.session_number, p.score) for p in tracks[delegate.pk].points] == [(2, 2)]
    assert tracks[speak.pk].summary == (
        "From 3 of 10 at session 1 to 8 of 10 at session 3 (up 5, 3 scores)."
    )
    assert tracks[delegate.pk].summary == "Scored once: 2 of 10 at session 2."
    page = alice_client.get(reverse("coachee_detail", args=[coachee.code])).content.decode()
    assert "Now 8 of 10" in page and "Now 2 of 10" in page
    # The reflection shows where the goal was last time.
    edit = alice_client.get(reverse("reflection_edit", args=[s3.code])).content.decode()
    assert "Last score: 5 of 10" in edit
    read = alice_client.get(reverse("reflection_view", args=[s3.code])).content.decode()
    assert "Speak up in board meetings" in read and "Led Q1 review" in read
    # Scoring is written after the session: the reflection became a draft.
    assert Reflection.objects.get(session=s1).status == "draft"


@pytest.mark.parametrize("score", ["11", "-1", "seven", "٣", "3.5"])
def test_a_score_outside_0_to_10_is_refused(
    alice_client: Client, coachee: Coachee, score: str
) -> None:
    goal = _goal(coachee, "Sleep eight hours")
    session = _goal_session(coachee, 1, date(2026, 3, 2))
    response = save(alice_client, session, **{f"g-{goal.code}-score": score})
    assert response.status_code == 400
    assert (
        "from 0 (not started) to 10 (achieved)" in response.json()["errors"][f"g-{goal.code}-score"]
    )
    assert not GoalProgress.objects.exists()


def test_clearing_score_and_note_removes_the_progress(
    alice_client: Client, coachee: Coachee
) -> None:
    goal = _goal(coachee, "Say no more often")
    session = _goal_session(coachee, 1, date(2026, 3, 2))
    save(alice_client, session, **{f"g-{goal.code}-score": "4", f"g-{goal.code}-note": "Better"})
    assert GoalProgress.objects.get().score == 4
    assert save(alice_client, session, **{f"g-{goal.code}-score": ""}).status_code == 200
    assert GoalProgress.objects.get().note == "Better"
    assert save(alice_client, session, **{f"g-{goal.code}-note": ""}).status_code == 200
    assert not GoalProgress.objects.exists()


def test_a_goal_from_another_coachee_cannot_be_scored(
    alice_client: Client, coachee: Coachee
) -> None:
    other = Coachee.objects.create(coach=coachee.coach, name="Someone else")
    goal = _goal(other, "Not this coachee's goal")
    session = _goal_session(coachee, 1, date(2026, 3, 2))
    response = save(alice_client, session, **{f"g-{goal.code}-score": "5"})
    assert response.status_code == 400
    assert not GoalProgress.objects.exists()


def test_the_reflection_offers_to_add_a_goal_when_there_is_none(
    alice_client: Client, coachee: Coachee
) -> None:
    session = _goal_session(coachee, 1, date(2026, 3, 2))
    html = alice_client.get(reverse("reflection_edit", args=[session.code])).content.decode()
    assert "has no active goals yet" in html
    assert reverse("goal_new", args=[coachee.code]) in html


def test_breakthroughs_are_listed_on_the_coachee_page(
    alice_client: Client, coachee: Coachee
) -> None:
    s1 = make_session(coachee, 1, date=date(2026, 3, 2))
    save(alice_client, s1, **{"p-breakthroughs": "Named the fear behind the procrastination"})
    page = alice_client.get(reverse("coachee_detail", args=[coachee.code])).content.decode()
    assert "Breakthroughs along the way" in page
    assert "Named the fear behind the procrastination" in page


def test_goal_text_is_escaped_on_the_page_and_in_the_chart(
    alice_client: Client, coachee: Coachee
) -> None:
    payload = '<script>alert("goal")</script><img src=x onerror=alert(1)>'
    goal = _goal(coachee, payload)
    session = _goal_session(coachee, 1, date(2026, 3, 2))
    save(alice_client, session, **{f"g-{goal.code}-score": "4"})
    for url in (
        reverse("coachee_detail", args=[coachee.code]),
        reverse("reflection_edit", args=[session.code]),
        reverse("reflection_view", args=[session.code]),
    ):
        html = alice_client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert(" in html, url


def test_a_long_engagement_lists_the_latest_scores_under_the_chart(
    alice_client: Client, coachee: Coachee
) -> None:
    goal = _goal(coachee, "Lead the weekly stand-up")
    for n in range(1, 16):
        session = make_session(coachee, n, date=date(2026, 1, 1) + timedelta(days=7 * n))
        GoalProgress.objects.create(coach=coachee.coach, goal=goal, session=session, score=n % 11)
    [track] = goal_tracks(coachee)
    assert len(track.points) == 15 and track.older_count == 3
    assert [p.session_number for p in track.recent_points] == [str(n) for n in range(4, 16)]
    page = alice_client.get(reverse("coachee_detail", args=[coachee.code])).content.decode()
    assert "The latest 12 of 15 scores." in page
    assert f"{reverse('insights')}?coachee={coachee.code}" in page
