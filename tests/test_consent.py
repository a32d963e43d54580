"""Consent: when a coachee agreed to notes, and whether they may be named on the ICF log."""

from __future__ import annotations

from datetime import date

import time_machine
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from tests.conftest import make_coachee


def test_consent_is_stored_from_the_form(alice_client: Client) -> None:
    alice_client.post(
        reverse("coachee_new"),
        {
            "name": "Ines Moreau",
            "status": "active",
            "notes_consent_on": "2026-02-03",
            "icf_log_listing": "on",
        },
    )
    coachee = Coachee.objects.get()
    assert (coachee.notes_consent_on, coachee.icf_log_listing) == (date(2026, 2, 3), True)


def test_without_answers_consent_is_not_recorded_and_not_listed(alice_client: Client) -> None:
    alice_client.post(reverse("coachee_new"), {"name": "Ines Moreau", "status": "active"})
    coachee = Coachee.objects.get()
    assert (coachee.notes_consent_on, coachee.icf_log_listing) == (None, False)
    html = alice_client.get(reverse("coachee_detail", args=[coachee.code])).content.decode()
    assert 'Agreed to notes being kept: <span class="muted">not recorded.</span>' in html
    assert "ICF coaching log: not to be listed by name" in html


def test_the_coachee_page_shows_consent_and_the_privacy_actions(
    alice_client: Client, alice: User
) -> None:
    coachee = make_coachee(alice, notes_consent_on=date(2026, 2, 3), icf_log_listing=True)
    html = alice_client.get(reverse("coachee_detail", args=[coachee.code])).content.decode()
    assert "Data and privacy" in html
    assert "Agreed to notes being kept: 3 February 2026" in html
    assert "ICF coaching log: may be listed by name" in html
    for name in ("coachee_export_html", "coachee_export_json", "coachee_erase"):
        assert reverse(name, args=[coachee.code]) in html
    assert reverse("retention") in html


def test_editing_shows_and_can_withdraw_consent(alice_client: Client, alice: User) -> None:
    coachee = make_coachee(alice, notes_consent_on=date(2026, 2, 3), icf_log_listing=True)
    url = reverse("coachee_edit", args=[coachee.code])
    html = alice_client.get(url).content.decode()
    assert 'value="2026-02-03"' in html
    assert 'aria-describedby="id_icf_log_listing_helptext" id="id_icf_log_listing" checked' in html
    assert '<p class="help" id="id_icf_log_listing_helptext">' in html
    alice_client.post(url, {"name": "Priya Shah", "status": "active", "notes_consent_on": ""})
    coachee.refresh_from_db()
    assert (coachee.notes_consent_on, coachee.icf_log_listing) == (None, False)


def test_a_consent_date_in_the_future_is_refused(alice_client: Client, alice: User) -> None:
    coachee = make_coachee(alice)
    with time_machine.travel(date(2026, 5, 1), tick=False):
        response = alice_client.post(
            reverse("coachee_edit", args=[coachee.code]),
            {"name": "Priya Shah", "status": "active", "notes_consent_on": "2026-05-02"},
        )
    assert "cannot be later than today" in response.content.decode()
    coachee.refresh_from_db()
    assert coachee.notes_consent_on is None
