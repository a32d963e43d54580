"""Keeping coachees: add, edit, change status, and their timeline."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.coachees.views import TIMELINE_ROWS
from debrief.followup.models import ActionItem
from debrief.journal.models import Reflection
from tests.conftest import make_coachee, make_session


def test_adding_a_coachee_with_only_a_name(alice_client: Client, alice: User) -> None:
    response = alice_client.post(reverse("coachee_new"), {"name": "Tomás Ruiz", "status": "active"})
    coachee = Coachee.objects.get()
    assert response["Location"] == reverse("coachee_detail", args=[coachee.code])
    assert (coachee.name, coachee.coach, coachee.status) == ("Tomás Ruiz", alice, "active")


def test_all_details_are_stored(alice_client: Client) -> None:
    alice_client.post(
        reverse("coachee_new"),
        {
            "name": "Margaret Okafor",
            "preferred_name": "Maggie",
            "pronouns": "she/her",
            "email": "maggie@example.org",
            "organisation": "Northwind Trust",
            "engagement_start": "2026-01-12",
            "status": "active",
            "background": "New head of operations.",
        },
    )
    c = Coachee.objects.get()
    assert (c.display_name, c.pronouns, c.email) == ("Maggie", "she/her", "maggie@example.org")
    assert (c.organisation, c.engagement_start) == ("Northwind Trust", date(2026, 1, 12))


def test_missing_name_and_bad_email_keep_what_was_typed(alice_client: Client) -> None:
    response = alice_client.post(
        reverse("coachee_new"),
        {"name": "", "email": "not-an-email", "background": "Keep me", "status": "active"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Keep me" in html and "not-an-email" in html
    assert "nothing you typed has been lost" in html
    assert not Coachee.objects.exists()


def test_nul_character_in_notes_is_refused_clearly(alice_client: Client) -> None:
    response = alice_client.post(
        reverse("coachee_new"), {"name": "A", "background": "bad\x00", "status": "active"}
    )
    assert "NUL character" in response.content.decode()
    assert not Coachee.objects.exists()


def test_editing_keeps_the_code(alice_client: Client, coachee: Coachee) -> None:
    url = reverse("coachee_edit", args=[coachee.code])
    alice_client.post(url, {"name": "Priya S.", "status": "paused"})
    coachee.refresh_from_db()
    assert (coachee.name, coachee.status) == ("Priya S.", "paused")


def test_status_can_be_changed_from_the_coachee_page(
    alice_client: Client, coachee: Coachee
) -> None:
    for status in ("paused", "completed", "archived", "active"):
        alice_client.post(reverse("coachee_status", args=[coachee.code]), {"status": status})
        coachee.refresh_from_db()
        assert coachee.status == status
    alice_client.post(reverse("coachee_status", args=[coachee.code]), {"status": "deleted"})
    coachee.refresh_from_db()
    assert coachee.status == "active"


def test_list_shows_current_coachees_sorted_by_name(alice: User, alice_client: Client) -> None:
    make_coachee(alice, "Zoe")
    make_coachee(alice, "adam")
    make_coachee(alice, "Old", status="archived")
    html = alice_client.get(reverse("coachee_list")).content.decode()
    assert html.index("adam") < html.index("Zoe")
    assert "Old" not in html
    assert "Old" in alice_client.get(reverse("coachee_list") + "?show=archived").content.decode()


def test_timeline_shows_every_session_with_its_state_and_open_actions(
    alice_client: Client, coachee: Coachee
) -> None:
    first = make_session(coachee, number=1, date=date(2026, 1, 5))
    second = make_session(coachee, number=2, date=date(2026, 2, 2), duration_minutes=90)
    Reflection.objects.filter(session=first).update(status="complete")
    ActionItem.objects.create(
        coach=coachee.coach, coachee=coachee, session=first, owner="coachee", text="Read the book"
    )
    ActionItem.objects.create(
        coach=coachee.coach,
        coachee=coachee,
        session=first,
        owner="coach",
        text="Finished thing",
        status="done",
    )
    html = alice_client.get(reverse("coachee_detail", args=[coachee.code])).content.decode()
    assert html.index("Session 2") < html.index("Session 1")
    assert "90 min" in html and "Complete" in html and "Planned" in html
    assert "Read the book" in html
    assert "Finished thing" not in html
    assert "2.5 hours" in html
    assert reverse("reflection_edit", args=[second.code]) in html


def test_marking_an_action_done_from_the_coachee_page(
    alice_client: Client, coachee: Coachee
) -> None:
    session = make_session(coachee)
    action = ActionItem.objects.create(
        coach=coachee.coach, coachee=coachee, session=session, owner="coachee", text="Read"
    )
    page = reverse("coachee_detail", args=[coachee.code])
    response = alice_client.post(
        reverse("action_status", args=[action.code]), {"status": "done", "next": page}
    )
    assert response["Location"] == page
    action.refresh_from_db()
    assert action.status == "done"


def test_each_open_action_form_on_the_page_carries_its_csrf_field_and_marks_done(
    alice: User, coachee: Coachee
) -> None:
    # The page renders the hidden CSRF field once for all its open-action forms: each form
    # must still carry it, and a browser posting one (CSRF checked) must get it done.
    session = make_session(coachee)
    actions = [
        ActionItem.objects.create(
            coach=alice, coachee=coachee, session=session, owner=owner, text=f"Step {i}"
        )
        for i, owner in enumerate(["coachee", "coach", "coachee"])
    ]
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = reverse("coachee_detail", args=[coachee.code])
    html = client.get(page).content.decode()
    forms = re.findall(
        r'<form method="post" action="([^"]+)" class="inline-form">(.*?)</form>', html, re.S
    )
    assert len(forms) == len(actions)
    for _action, body in forms:
        assert re.search(r'name="csrfmiddlewaretoken" value="[^"]{20,}"', body)
    url, body = forms[-1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token is not None
    response = client.post(
        url, {"csrfmiddlewaretoken": token.group(1), "status": "done", "next": page}
    )
    assert response.status_code == 302 and response["Location"] == page
    assert ActionItem.objects.filter(status="done").count() == 1


def test_action_status_never_redirects_off_site(alice_client: Client, coachee: Coachee) -> None:
    session = make_session(coachee)
    action = ActionItem.objects.create(
        coach=coachee.coach, coachee=coachee, session=session, owner="coachee", text="Read"
    )
    response = alice_client.post(
        reverse("action_status", args=[action.code]),
        {"status": "done", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("coachee_detail", args=[coachee.code])


def test_a_long_engagement_shows_the_latest_sessions_and_offers_all(
    alice_client: Client, alice: User
) -> None:
    coachee = make_coachee(alice, "Long Engagement")
    start = date(2024, 1, 1)
    for n in range(1, TIMELINE_ROWS + 6):
        make_session(coachee, n, date=start + timedelta(days=7 * n), duration_minutes=30)
    url = reverse("coachee_detail", args=[coachee.code])
    html = alice_client.get(url).content.decode()
    total = TIMELINE_ROWS + 5
    assert f"The latest {TIMELINE_ROWS} of {total} sessions." in html
    assert f"Session {total}</span>" in html and "Session 5</span>" not in html
    assert f"{total} sessions held, {total * 30 / 60} hours" in html  # every session counts
    everything = alice_client.get(url, {"sessions": "all"}).content.decode()
    assert "Session 1</span>" in everything and "The latest" not in everything


def test_the_list_searches_names_and_organisations(alice: User, alice_client: Client) -> None:
    make_coachee(alice, "Priya Shah", organisation="Harbour Health")
    make_coachee(alice, "Tom Okafor", organisation="Northwind Logistics")
    make_coachee(alice, "Elena Marsh", preferred_name="Nell", status=Coachee.Status.PAUSED)

    def names(query: str) -> list[str]:
        response = alice_client.get(reverse("coachee_list"), {"q": query})
        return [c.name for c in response.context["coachees"]]

    assert names("harbour") == ["Priya Shah"]
    assert names("NELL") == ["Elena Marsh"]
    assert names("tom north") == ["Tom Okafor"]
    assert names("nobody") == []
    html = alice_client.get(reverse("coachee_list"), {"q": "nobody"}).content.decode()
    assert "No coachee matches “<bdi>nobody</bdi>”" in html


def test_the_list_sorts_by_name_recent_session_or_count(alice: User, alice_client: Client) -> None:
    ann = make_coachee(alice, "Ann Archer")
    bo = make_coachee(alice, "Bo Brown")
    make_coachee(alice, "Cy Cole")  # never seen
    make_session(ann, 1, date=date(2026, 1, 5))
    make_session(ann, 2, date=date(2026, 1, 12))
    make_session(ann, 3, date=date(2026, 1, 19))
    make_session(bo, 1, date=date(2026, 2, 2))

    def order(sort: str) -> list[str]:
        response = alice_client.get(reverse("coachee_list"), {"sort": sort})
        return [c.name for c in response.context["coachees"]]

    assert order("name") == ["Ann Archer", "Bo Brown", "Cy Cole"]
    assert order("recent") == ["Bo Brown", "Ann Archer", "Cy Cole"]
    assert order("sessions") == ["Ann Archer", "Bo Brown", "Cy Cole"]
    assert order("nonsense") == order("name")
