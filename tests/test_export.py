"""Export: everything about one coachee, as data (JSON) and as a readable copy, for the owner."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem
from debrief.journal.models import Answer, CoachingSession
from tests.conftest import PASSWORD, make_coachee, make_session

CANARY = "Canary-Persimmon-4417"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    # allauth counts password confirmations per coach in the cache; row ids repeat in tests.
    cache.clear()
    yield
    cache.clear()


def reauthenticate(client: Client, password: str = PASSWORD) -> None:
    """Confirm the password on allauth's page, as a coach does before an export or erasure."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, "re-authentication was refused"


def full_coachee(coach: User, name: str = CANARY) -> Coachee:
    """A coachee with every field filled, one session with answers, a rating and two actions."""
    coachee = make_coachee(
        coach,
        name=name,
        preferred_name=f"{name} P",
        pronouns="they/them",
        email="canary@example.org",
        organisation=f"{name} Trust",
        engagement_start=date(2026, 1, 12),
        status="active",
        background=f"{name} background <b>bold</b>",
        notes_consent_on=date(2026, 1, 10),
        icf_log_listing=True,
    )
    session = make_session(
        coachee, number=1, date=date(2026, 3, 2), start_time=time(9, 30), duration_minutes=75
    )
    Answer.objects.create(
        reflection=session.reflection, prompt_key="main_topics", text=f"{name} topics"
    )
    Answer.objects.create(
        reflection=session.reflection, prompt_key="listening", rating=4, text=f"{name} listened"
    )
    for owner in ("coachee", "coach"):
        ActionItem.objects.create(
            coach=coach,
            coachee=coachee,
            session=session,
            owner=owner,
            text=f"{name} {owner} action",
            due=date(2026, 3, 16),
        )
    return coachee


def _json_url(coachee: Coachee) -> str:
    return reverse("coachee_export_json", args=[coachee.code])


def _html_url(coachee: Coachee) -> str:
    return reverse("coachee_export_html", args=[coachee.code])


def _prompts(reflection: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["key"]: p for s in reflection["sections"] for p in s["prompts"]}


def test_export_asks_for_the_password_first(alice_client: Client, alice: User) -> None:
    coachee = full_coachee(alice)
    response = alice_client.get(_json_url(coachee))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    # After confirming the password, the coach is back on the coachee's page (a download
    # would leave them on the password form), with the download offered at the top.
    response = alice_client.post(response["Location"], {"password": PASSWORD}, follow=True)
    back = reverse("coachee_detail", args=[coachee.code])
    assert response.redirect_chain[-1][0] == f"{back}?export=json#export-ready"
    html = response.content.decode()
    assert f'Password confirmed. <a href="{_json_url(coachee)}">Download everything' in html
    assert alice_client.get(_json_url(coachee)).status_code == 200


def test_a_wrong_password_does_not_open_the_export(alice_client: Client, alice: User) -> None:
    coachee = full_coachee(alice)
    response = alice_client.post(reverse("account_reauthenticate"), {"password": "not it"})
    assert response.status_code == 200
    assert alice_client.get(_json_url(coachee)).status_code == 302


def test_the_confirmation_lapses_after_a_few_minutes(alice_client: Client, alice: User) -> None:
    coachee = full_coachee(alice)
    with time_machine.travel("2026-05-01 10:00", tick=False) as traveller:
        reauthenticate(alice_client)
        assert alice_client.get(_json_url(coachee)).status_code == 200
        traveller.shift(timedelta(minutes=10))
        assert alice_client.get(_json_url(coachee)).status_code == 302


def test_json_holds_everything_about_the_coachee(alice_client: Client, alice: User) -> None:
    coachee = full_coachee(alice)
    reauthenticate(alice_client)
    # With the coach's private self-assessment included (tests/test_coachee_copy.py: without).
    response = alice_client.get(_json_url(coachee) + "?private=1")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert (data["format"], data["format_version"]) == ("debrief-coachee-export", 1)
    c = data["coachee"]
    assert c["code"] == str(coachee.code)
    assert (c["name"], c["preferred_name"], c["pronouns"]) == (CANARY, f"{CANARY} P", "they/them")
    assert (c["email"], c["organisation"]) == ("canary@example.org", f"{CANARY} Trust")
    assert (c["engagement_start"], c["status"]) == ("2026-01-12", "active")
    assert c["background"] == f"{CANARY} background <b>bold</b>"
    assert c["consent"] == {"notes_kept_agreed_on": "2026-01-10", "icf_log_listing": True}
    [s] = data["sessions"]
    assert (s["number"], s["date"], s["start_time"], s["duration_minutes"]) == (
        1,
        "2026-03-02",
        "09:30:00",
        75,
    )
    assert (s["format"], s["payment"], s["kind"], s["group_size"]) == (
        "video",
        "paid",
        "individual",
        None,
    )
    r = s["reflection"]
    assert r["template"] == {
        "name": "Coaching session reflection",
        "slug": "coaching-session-reflection",
        "version": 2,
    }
    prompts = _prompts(r)
    # Every prompt of the template is there with its text, answered or not.
    assert len(prompts) == 31
    assert prompts["main_topics"]["text"] == "Briefly describe the main topics discussed."
    assert prompts["main_topics"]["answer"] == f"{CANARY} topics"
    assert (prompts["listening"]["rating"], prompts["listening"]["answer"]) == (
        4,
        f"{CANARY} listened",
    )
    assert prompts["listening"]["scale"] == [1, 5]
    assert prompts["obstacles"]["answer"] == ""
    assert prompts["coachee_name"]["answer"] == f"{CANARY} P"
    actions = {a["owner"]: a for a in s["action_items"]}
    assert actions["coachee"]["text"] == f"{CANARY} coachee action"
    assert (actions["coach"]["due"], actions["coach"]["status"]) == ("2026-03-16", "open")


def test_downloads_are_attachments_never_cached_and_named_without_the_name(
    alice_client: Client, alice: User
) -> None:
    coachee = full_coachee(alice)
    reauthenticate(alice_client)
    for url, extension in ((_json_url(coachee), "json"), (_html_url(coachee), "html")):
        response = alice_client.get(url)
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment; filename=")
        assert disposition.endswith(f'.{extension}"')
        assert str(coachee.code)[:8] in disposition
        assert CANARY not in disposition
        assert response["Cache-Control"] == "no-store"


def test_readable_copy_shows_the_answers_and_escapes_markup(
    alice_client: Client, alice: User
) -> None:
    coachee = full_coachee(alice)
    reauthenticate(alice_client)
    response = alice_client.get(_html_url(coachee) + "?private=1")
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert html.startswith("<!doctype html>")
    for text in (
        f"{CANARY}: everything held in Debrief",
        "Briefly describe the main topics discussed.",
        f"{CANARY} topics",
        "4 on a scale of 1 to 5",
        f"{CANARY} coach action",
        "Coaching session reflection, version 2",
        "10 January 2026",
        "May be listed by name",
    ):
        assert text in html, text
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_each_export_is_recorded_with_counts_and_no_content(
    alice_client: Client, alice: User
) -> None:
    coachee = full_coachee(alice)
    reauthenticate(alice_client)
    alice_client.get(_json_url(coachee))
    alice_client.get(_html_url(coachee))
    events = AuditEvent.objects.for_coach(alice).filter(action=AuditEvent.Action.EXPORT)
    assert sorted(e.detail["format"] for e in events) == ["html", "json"]
    for event in events:
        assert event.subject == str(coachee.code)
        assert event.detail["sessions"] == 1
        assert event.detail["answers"] == 2
        assert event.detail["action_items"] == 2
        assert CANARY not in json.dumps(event.detail)


@pytest.mark.parametrize("name", ["coachee_export_json", "coachee_export_html", "coachee_erase"])
def test_another_coach_gets_404_and_never_the_canary(
    name: str, bob_client: Client, alice: User, bob: User
) -> None:
    coachee = full_coachee(alice)
    reauthenticate(bob_client)
    url = reverse(name, args=[coachee.code])
    for response in (bob_client.get(url), bob_client.post(url, {"confirm_name": CANARY})):
        assert response.status_code in (404, 405)
        assert CANARY not in response.content.decode()
    assert Coachee.objects.filter(pk=coachee.pk).exists()


def test_what_another_coach_exports_never_holds_the_canary(
    bob_client: Client, alice: User, bob: User
) -> None:
    full_coachee(alice)
    own = full_coachee(bob, name="Bob's own coachee")
    reauthenticate(bob_client)
    for url in (_json_url(own), _html_url(own)):
        response = bob_client.get(url)
        assert response.status_code == 200
        assert CANARY not in response.content.decode()


def test_an_outsider_is_refused_before_being_asked_for_a_password(
    bob_client: Client, alice: User
) -> None:
    coachee = full_coachee(alice)
    assert bob_client.get(_json_url(coachee)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, alice: User) -> None:
    coachee = full_coachee(alice)
    response = client.get(_json_url(coachee))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_session_without_a_reflection_still_exports(alice_client: Client, alice: User) -> None:
    coachee = make_coachee(alice)
    CoachingSession.objects.create(
        coach=alice, coachee=coachee, number=1, date=date(2026, 3, 2), duration_minutes=60
    )
    reauthenticate(alice_client)
    data = json.loads(alice_client.get(_json_url(coachee)).content)
    assert data["sessions"][0]["reflection"] is None
    assert alice_client.get(_html_url(coachee)).status_code == 200


def test_goals_reviews_and_last_time_answers_are_exported(
    alice_client: Client, alice: User
) -> None:
    from debrief.followup.models import ActionReview, Goal, GoalProgress

    coachee = full_coachee(alice)
    first = CoachingSession.objects.get(coachee=coachee)
    second = make_session(coachee, number=2, date=date(2026, 3, 16))
    goal = Goal.objects.create(
        coach=alice, coachee=coachee, title=f"{CANARY} goal", target_date=date(2026, 6, 1)
    )
    GoalProgress.objects.create(coach=alice, goal=goal, session=second, score=6, note="Steady")
    action = ActionItem.objects.filter(session=first, owner="coachee").get()
    ActionReview.objects.create(
        coach=alice, action=action, session=second, choice="carry", note="Half way"
    )
    Answer.objects.create(
        reflection=second.reflection, prompt_key="lt.coachee_next_steps", text="It went well"
    )
    reauthenticate(alice_client)
    data = json.loads(alice_client.get(_json_url(coachee)).content)
    [g] = data["goals"]
    assert (g["title"], g["target_date"], g["status"]) == (f"{CANARY} goal", "2026-06-01", "active")
    assert g["progress"] == [
        {"session": str(second.code), "session_number": 2, "score": 6, "note": "Steady"}
    ]
    later = data["sessions"][1]
    assert later["earlier_actions_reviewed"] == [
        {
            "action": str(action.code),
            "action_text": f"{CANARY} coachee action",
            "choice": "carry",
            "note": "Half way",
        }
    ]
    assert later["reflection"]["last_time_plans_followed_up"] == [
        {"plan": "coachee_next_steps", "how_it_went": "It went well"}
    ]
    assert later["reflection"]["other_answers"] == []
    html = alice_client.get(_html_url(coachee)).content.decode()
    assert f"{CANARY} goal" in html and "Session 2: 6 of 10. Steady" in html
    assert "Earlier actions reviewed in this session" in html and "Half way" in html
    assert "How last session’s plans went" in html and "It went well" in html
