"""Open actions and last time's plans come back when the next session is prepared."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, ActionReview
from debrief.journal.models import Answer, CoachingSession
from debrief.journal.reflection import field_hash
from tests.conftest import make_coachee, make_session
from tests.follow_helpers import save


def _action(session: CoachingSession, text: str, owner: str = "coachee") -> ActionItem:
    return ActionItem.objects.create(
        coach=session.coach, coachee=session.coachee, session=session, owner=owner, text=text
    )


def _edit_html(client: Client, session: CoachingSession) -> str:
    response = client.get(reverse("reflection_edit", args=[session.code]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_action_carried_twice_then_done(alice_client: Client, coachee: Coachee) -> None:
    s1 = make_session(coachee, 1, date=date(2026, 3, 2))
    s2 = make_session(coachee, 2, date=date(2026, 3, 16))
    s3 = make_session(coachee, 3, date=date(2026, 3, 30))
    s4 = make_session(coachee, 4, date=date(2026, 4, 13))
    s5 = make_session(coachee, 5, date=date(2026, 4, 27))
    action = _action(s1, "Draft the team charter")
    field = f"r-{action.code}-choice"

    carried = f'id="carry-{action.code}"'
    assert carried not in _edit_html(alice_client, s1)  # its own session lists it as its own
    for session, note in ((s2, "First draft started"), (s3, "Waiting on HR")):
        assert carried in _edit_html(alice_client, session)
        response = save(alice_client, session, **{field: "carry", f"r-{action.code}-note": note})
        assert response.status_code == 200, response.content
        action.refresh_from_db()
        assert action.status == "open"
    assert save(alice_client, s4, **{field: "done"}).status_code == 200

    action.refresh_from_db()
    assert action.status == "done" and action.closed_at is not None
    history = ActionReview.objects.filter(action=action).order_by("session__number")
    assert [(r.session.number, r.choice, r.note) for r in history] == [
        (2, "carry", "First draft started"),
        (3, "carry", "Waiting on HR"),
        (4, "done", ""),
    ]
    assert carried not in _edit_html(alice_client, s5)  # done: not carried on
    # Each session still shows the choice made in it.
    read = alice_client.get(reverse("reflection_view", args=[s3.code])).content.decode()
    assert "Carry on" in read and "Waiting on HR" in read and "Draft the team charter" in read
    assert carried in _edit_html(alice_client, s4)


def test_dropping_and_undoing_a_review(alice_client: Client, coachee: Coachee) -> None:
    s1 = make_session(coachee, 1, date=date(2026, 3, 2))
    s2 = make_session(coachee, 2, date=date(2026, 3, 16))
    action = _action(s1, "Book the 360 review", owner="coach")
    field = f"r-{action.code}-choice"
    assert save(alice_client, s2, **{field: "drop"}).status_code == 200
    action.refresh_from_db()
    assert action.status == "dropped"
    assert save(alice_client, s2, **{field: ""}).status_code == 200
    action.refresh_from_db()
    assert action.status == "open" and action.closed_at is None
    assert not ActionReview.objects.filter(action=action).exists()


def test_a_bad_choice_is_refused_with_a_message(alice_client: Client, coachee: Coachee) -> None:
    s1 = make_session(coachee, 1, date=date(2026, 3, 2))
    s2 = make_session(coachee, 2, date=date(2026, 3, 16))
    action = _action(s1, "Read the chapter")
    response = save(alice_client, s2, **{f"r-{action.code}-choice": "maybe"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        f"r-{action.code}-choice": "Choose done, carry on or drop."
    }
    action.refresh_from_db()
    assert action.status == "open" and not action.reviews.exists()


def test_another_coachs_action_cannot_be_reviewed(
    alice_client: Client, bob_client: Client, coachee: Coachee, bob: User
) -> None:
    s1 = make_session(coachee, 1, date=date(2026, 3, 2))
    action = _action(s1, "Alice's coachee's action")
    bobs_session = make_session(make_coachee(bob, "Bob's coachee"), 2, date=date(2026, 3, 16))
    response = save(bob_client, bobs_session, **{f"r-{action.code}-choice": "done"})
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.status == "open" and not action.reviews.exists()


def test_last_time_plans_are_asked_about(alice_client: Client, coachee: Coachee) -> None:
    s1 = make_session(coachee, 1, date=date(2026, 3, 2))
    s2 = make_session(coachee, 2, date=date(2026, 3, 16))
    assert "Last time you planned" not in _edit_html(alice_client, s1)
    assert (
        save(
            alice_client,
            s1,
            **{
                "p-coachee_next_steps": "Talk to her manager about the promotion",
                "p-improvement_steps": "Leave more silence after big questions",
            },
        ).status_code
        == 200
    )
    html = _edit_html(alice_client, s2)
    assert "Last time you planned these next steps with Priya Shah:" in html
    assert "Talk to her manager about the promotion" in html
    assert "Last time you planned to enhance your sessions by:" in html
    assert "Leave more silence after big questions" in html

    assert (
        save(alice_client, s2, **{"lt-coachee_next_steps": "She did; it went well"}).status_code
        == 200
    )
    stored = Answer.objects.get(reflection__session=s2, prompt_key="lt.coachee_next_steps")
    assert stored.text == "She did; it went well"
    read = alice_client.get(reverse("reflection_view", args=[s2.code])).content.decode()
    assert "From last time" in read and "She did; it went well" in read


def test_a_no_javascript_post_keeps_the_reviews(alice_client: Client, coachee: Coachee) -> None:
    """The whole form posted without JavaScript saves a review and redirects back."""
    s1 = make_session(coachee, 1, date=date(2026, 3, 2))
    s2 = make_session(coachee, 2, date=date(2026, 3, 16))
    action = _action(s1, "Try the journaling prompt")
    html = _edit_html(alice_client, s2)
    assert f'name="r-{action.code}-choice" value="carry"' in html
    empty = field_hash("")
    response = alice_client.post(
        reverse("reflection_edit", args=[s2.code]),
        {
            f"r-{action.code}-choice": "carry",
            f"base:r-{action.code}-choice": empty,
            f"r-{action.code}-note": "Next week",
            f"base:r-{action.code}-note": empty,
            "op": "save",
        },
    )
    assert response.status_code == 302
    review = ActionReview.objects.get(action=action, session=s2)
    assert (review.choice, review.note) == ("carry", "Next week")
    # Shown as chosen when the page is opened again.
    assert f'name="r-{action.code}-choice" value="carry" checked' in _edit_html(alice_client, s2)


def test_the_page_costs_the_same_queries_for_one_or_many_earlier_actions(
    alice_client: Client, coachee: Coachee
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = make_session(coachee, 1, date=date(2026, 3, 2))
    later = make_session(coachee, 2, date=date(2026, 3, 16))
    url = reverse("reflection_edit", args=[later.code])
    _action(first, "One")
    alice_client.get(url)
    with CaptureQueriesContext(connection) as one:
        alice_client.get(url)
    for n in range(12):
        action = _action(first, f"Action {n}", owner="coach" if n % 2 else "coachee")
        if n % 3 == 0:
            save(alice_client, later, **{f"r-{action.code}-choice": "carry"})
    with CaptureQueriesContext(connection) as many:
        alice_client.get(url)
    assert len(many) == len(one)
