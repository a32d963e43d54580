"""Recording a session: suggested numbers, validation that keeps what was typed, group sessions."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem
from debrief.journal.models import CoachingSession, Reflection
from debrief.prompts.models import default_template_version
from tests.conftest import make_coachee, make_session


def _form(coachee: Coachee, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "coachee": str(coachee.code),
        "date": "2026-03-09",
        "start_time": "14:30",
        "duration_minutes": "60",
        "number": "1",
        "format": "video",
        "payment": "paid",
        "kind": "individual",
        "group_size": "",
    }
    data.update(overrides)
    return data


def test_new_session_suggests_the_next_number(alice_client: Client, coachee: Coachee) -> None:
    make_session(coachee, number=1)
    make_session(coachee, number=2)
    response = alice_client.get(reverse("session_new") + f"?coachee={coachee.code}")
    assert response.context["form"].initial["number"] == 3


def test_next_number_partial_for_htmx(alice_client: Client, coachee: Coachee) -> None:
    make_session(coachee, number=4)
    response = alice_client.get(
        reverse("session_next_number") + f"?coachee={coachee.code}", HTTP_HX_REQUEST="true"
    )
    assert 'value="5"' in response.content.decode()


def test_recording_a_session_creates_its_reflection(alice_client: Client, coachee: Coachee) -> None:
    response = alice_client.post(reverse("session_new"), _form(coachee))
    session = CoachingSession.objects.get()
    assert response["Location"] == reverse("reflection_edit", args=[session.code])
    assert (session.number, session.duration_minutes) == (1, 60)
    assert session.start_time == time(14, 30)
    assert session.reflection.status == Reflection.Status.PLANNED
    assert session.reflection.template_version == default_template_version()


def test_a_taken_number_is_refused_with_the_next_free_one(
    alice_client: Client, coachee: Coachee
) -> None:
    make_session(coachee, number=1)
    response = alice_client.post(reverse("session_new"), _form(coachee, number="1"))
    assert response.status_code == 200
    errors = response.context["form"].errors["number"]
    assert "already has a session with this number" in errors[0]
    assert "next free number is 2" in errors[0]
    assert CoachingSession.objects.count() == 1


def test_numbers_are_unique_per_coachee_not_per_coach(alice: User, alice_client: Client) -> None:
    first, second = make_coachee(alice, "One"), make_coachee(alice, "Two")
    make_session(first, number=1)
    alice_client.post(reverse("session_new"), _form(second, number="1"))
    assert CoachingSession.objects.filter(coachee=second, number=1).exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("duration_minutes", "0", "at least one minute"),
        ("duration_minutes", "-30", "at least one minute"),
        ("duration_minutes", "5000", "longer than a day"),
        ("duration_minutes", "sixty", "whole minutes"),
        ("date", "2026-02-30", "real date"),
        ("date", "1066-10-14", "after 1900"),
        ("date", "", "Enter the date of the session"),
        ("start_time", "25:99", "time like 14:30"),
        ("number", "0", "start at 1"),
        ("group_size", "1", "at least 2"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(
    alice_client: Client, coachee: Coachee, field: str, value: str, message: str
) -> None:
    data = _form(coachee, **{field: value})
    if field == "group_size":
        data["kind"] = "group"
    response = alice_client.post(reverse("session_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in " ".join(response.context["form"].errors[field])
    assert 'value="14:30"' in html or field == "start_time"
    assert not CoachingSession.objects.exists()


def test_group_sessions_need_a_size(alice_client: Client, coachee: Coachee) -> None:
    response = alice_client.post(reverse("session_new"), _form(coachee, kind="group"))
    assert "how many people" in response.context["form"].errors["group_size"][0]
    alice_client.post(reverse("session_new"), _form(coachee, kind="group", group_size="6"))
    assert CoachingSession.objects.get().group_size == 6


def test_individual_sessions_drop_a_stray_group_size(
    alice_client: Client, coachee: Coachee
) -> None:
    alice_client.post(reverse("session_new"), _form(coachee, group_size="6"))
    assert CoachingSession.objects.get().group_size is None


def test_another_coachs_coachee_cannot_be_chosen(
    alice_client: Client, coachee: Coachee, bob: User
) -> None:
    bobs = make_coachee(bob, "Not yours")
    response = alice_client.post(reverse("session_new"), _form(bobs))
    assert response.status_code == 200
    assert "coachee" in response.context["form"].errors
    assert not CoachingSession.objects.exists()


def test_new_session_without_coachees_leads_to_adding_one(alice_client: Client) -> None:
    response = alice_client.get(reverse("session_new"))
    assert response["Location"] == reverse("coachee_new")


def test_editing_session_details(alice_client: Client, session: CoachingSession) -> None:
    data = _form(session.coachee, number="7", duration_minutes="90", format="phone")
    response = alice_client.post(reverse("session_edit", args=[session.code]), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.number, session.duration_minutes, session.format) == (7, 90, "phone")


def test_deleting_a_session_says_what_goes_then_deletes(
    alice_client: Client, session: CoachingSession
) -> None:
    page = alice_client.get(reverse("session_delete", args=[session.code])).content.decode()
    assert "This deletes the session of 2 March 2026 with its reflection. It cannot" in page
    alice_client.post(reverse("session_delete", args=[session.code]))
    assert not CoachingSession.objects.exists()
    assert not Reflection.objects.exists()


def test_the_delete_page_names_the_actions_that_go_too(
    alice_client: Client, session: CoachingSession
) -> None:
    for text in ("Book the talk", "Send the article"):
        ActionItem.objects.create(
            coach=session.coach, coachee=session.coachee, session=session, text=text
        )
    page = alice_client.get(reverse("session_delete", args=[session.code])).content.decode()
    assert "with its reflection and its 2 action items. It cannot be undone." in page


def test_a_session_cannot_move_to_another_coachee(
    alice: User, alice_client: Client, session: CoachingSession
) -> None:
    other = make_coachee(alice, "Someone else")
    response = alice_client.post(
        reverse("session_edit", args=[session.code]), _form(other, number="1")
    )
    assert response.status_code == 200
    assert "coachee" in response.context["form"].errors
    session.refresh_from_db()
    assert session.coachee_id != other.pk


def test_the_header_new_session_asks_which_coachee(alice_client: Client, alice: User) -> None:
    make_coachee(alice, "Aaron Abbott")
    zoe = make_coachee(alice, "Zoë Quinn")
    html = alice_client.get(reverse("session_new")).content.decode()
    assert '<option value="" selected>Choose a coachee…</option>' in html
    assert f'<option value="{zoe.code}">' in html  # listed, not chosen
    refused = alice_client.post(reverse("session_new"), {**_form(zoe), "coachee": ""})
    assert "Choose who the session is with." in refused.content.decode()
    assert not CoachingSession.objects.exists()


def test_with_one_coachee_it_is_chosen(alice_client: Client, coachee: Coachee) -> None:
    html = alice_client.get(reverse("session_new")).content.decode()
    assert f'<option value="{coachee.code}" selected>' in html
    assert "Choose a coachee" not in html


def test_an_empty_number_takes_the_next_one(alice_client: Client, coachee: Coachee) -> None:
    make_session(coachee, number=3)
    response = alice_client.post(reverse("session_new"), _form(coachee, number=""))
    assert response.status_code == 302
    assert sorted(CoachingSession.objects.values_list("number", flat=True)) == [3, 4]
