"""The feed out: a private, revocable .ics link of planned sessions and action due dates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, time
from typing import Any

import icalendar
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.diary.feed import hash_token
from debrief.diary.models import FeedToken
from debrief.followup.models import ActionItem
from tests.conftest import make_coachee, make_session


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel("2026-12-01 09:00:00+00:00", tick=False):
        yield


def make_link(client: Client, detail: str = "number", **extra: str) -> str:
    page = client.post(
        reverse("calendar_feed_out"), {"detail": detail, "action": "new", **extra}
    ).content.decode()
    found = re.search(r'value="(http://testserver/calendar/feed/[^"]+\.ics)"', page)
    assert found, page
    return found.group(1).removeprefix("http://testserver")


@pytest.fixture
def planned(alice: User) -> None:
    priya = make_coachee(alice, "Priya Shah")
    session = make_session(priya, 7, date=date(2026, 12, 3), start_time=time(10, 0))
    make_session(priya, 6, date=date(2026, 11, 20), start_time=time(10, 0), cancelled=True)
    ActionItem.objects.create(
        coach=alice,
        coachee=priya,
        session=session,
        owner="coach",
        text="Send the article",
        due=date(2026, 12, 8),
    )


def events(body: bytes) -> list[Any]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def test_the_feed_says_coaching_session_and_nothing_about_the_coachee(
    alice_client: Client, planned: None
) -> None:
    url = make_link(alice_client)
    response = Client().get(url)  # a calendar app: no sign-in
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert b"Priya" not in body and b"Shah" not in body and b"article" not in body
    found = {str(e["SUMMARY"]): e for e in events(body)}
    assert set(found) == {"Coaching session 7", "1 action due"}
    session = found["Coaching session 7"]
    assert session["DTSTART"].dt.isoformat() == "2026-12-03T10:00:00+00:00"
    assert "/sessions/" in str(session["DESCRIPTION"])
    assert found["1 action due"]["DTSTART"].dt == date(2026, 12, 8)


def test_initials_or_names_only_when_chosen_and_names_need_the_warning_ticked(
    alice_client: Client, planned: None
) -> None:
    assert b"P.S." in Client().get(make_link(alice_client, "initials")).content
    refused = alice_client.post(reverse("calendar_feed_out"), {"detail": "names", "action": "new"})
    assert "Tick this to put names in your calendar" in refused.content.decode()
    url = make_link(alice_client, "names", names_understood="on")
    assert "Coaching session 7 · Priya Shah" in Client().get(url).content.decode()


def test_the_token_is_stored_hashed_and_a_new_link_revokes_the_old(
    alice_client: Client, alice: User, planned: None
) -> None:
    first = make_link(alice_client)
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    stored = FeedToken.objects.get(coach=alice)
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    second = make_link(alice_client)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    alice_client.post(reverse("calendar_feed_out"), {"action": "revoke"})
    assert Client().get(second).status_code == 404
    trail = AuditEvent.objects.for_coach(alice).values_list("action", flat=True)
    assert sorted(trail) == ["calendar_link_made", "calendar_link_made", "calendar_link_off"]
    page = alice_client.get(reverse("calendar_feed_out")).content.decode()
    assert "Make my link" in page and token not in page


@pytest.mark.parametrize("token", ["x", "a" * 43, "a" * 500, "../../etc/passwd", "%00"])
def test_wrong_tokens_give_404(token: str, alice_client: Client, planned: None) -> None:
    make_link(alice_client)
    assert Client().get(f"/calendar/feed/{token}.ics").status_code == 404


def test_another_coachs_feed_shows_only_their_sessions(
    alice_client: Client, bob_client: Client, bob: User, planned: None
) -> None:
    make_link(alice_client)
    bobs = make_coachee(bob, "Bob's client")
    make_session(bobs, 1, date=date(2026, 12, 4))
    url = make_link(bob_client, "names", names_understood="on")
    body = Client().get(url).content.decode()
    assert "Bob's client" in body and "Priya" not in body and "session 7" not in body
