"""Roles: an administrator manages accounts but never sees a coachee; deactivation ends every
sign-in at once and keeps the journal; two-factor can be required for everyone."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.coachees.models import Coachee
from debrief.firm.models import Membership
from tests.api_helpers import Api, make_token
from tests.conftest import PASSWORD, make_coach, make_coachee
from tests.test_access import CANARY, MATRIX, _url, make_world
from tests.test_mfa import enrol, sign_in

# Pages about the person's own account, open to every role (nothing about coachees on them).
OWN_ACCOUNT = {"account_security", "audit_trail", "mfa_view_recovery_codes"}
OWN_ACCOUNT |= {"mfa_download_recovery_codes"}


def _only(user: User, *roles: str) -> User:
    Membership.objects.filter(user=user).update(
        administrator="administrator" in roles,
        coach="coach" in roles,
        supervisor="supervisor" in roles,
    )
    return user


@pytest.fixture
def access_world(alice: User, bob: User) -> dict[str, Any]:
    return make_world(alice, bob)


@pytest.fixture
def olive(alice: User) -> User:
    """An administrator who is not a coach (alice, the first account, is both)."""
    return _only(make_coach("olive@example.com"), "administrator")


def _signed_in(user: User) -> Client:
    client = Client()
    sign_in(client, user.email)
    return client


def test_the_first_account_is_administrator_and_coach_and_later_ones_coaches(
    alice: User, bob: User
) -> None:
    assert alice.membership.roles == ["administrator", "coach"]
    assert bob.membership.roles == ["coach"]


@pytest.mark.parametrize("name", sorted(n for n in MATRIX if not n.startswith("firm_")))
def test_an_administrator_who_is_not_a_coach_sees_no_journal_page(
    name: str,
    access_world: dict[str, Any],
    olive: User,
) -> None:
    client = Client()
    client.force_login(olive)
    route = MATRIX[name]
    url = _url(name, access_world)
    for method in ("get", "post"):
        if getattr(route, method) is None:
            continue
        response = getattr(client, method)(url, dict(route.post_data))
        body = response.content.decode(errors="replace")
        assert CANARY not in body, (name, method)
        if name == "home":  # home leads to the firm's pages instead
            assert response["Location"] == reverse("firm_home")
        elif name not in OWN_ACCOUNT:
            assert response.status_code == 404, (name, method, response.status_code)
    # Nothing of alice's changed.
    assert Coachee.objects.get(pk=access_world["coachee"].pk).status == "active"


@pytest.mark.parametrize("name", sorted(n for n in MATRIX if n.startswith("firm_")))
def test_the_firm_pages_never_show_coachee_content(
    name: str,
    access_world: dict[str, Any],
    alice: User,
) -> None:
    client = Client()
    client.force_login(alice)
    response = client.get(_url(name, access_world), follow=True)
    assert CANARY not in response.content.decode(errors="replace")


def test_an_administrator_only_home_is_the_people_page(olive: User) -> None:
    client = _signed_in(olive)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("firm_people")
    page = response.content.decode()
    assert "olive@example.com" in page and "alice@example.com" in page
    assert 'href="/coachees/"' not in page  # no journal in the menu


def test_a_non_coach_token_opens_no_journal_by_api(
    access_world: dict[str, Any], alice: User
) -> None:
    token = make_token(alice, "read")
    assert Api(token).get("/coachees").status_code == 200
    _only(alice, "administrator")
    assert Api(token).get("/coachees").status_code == 401


def test_deactivating_ends_every_sign_in_at_once_and_keeps_the_journal(
    alice: User, bob: User
) -> None:
    coachee = make_coachee(bob, name="Imogen Castellane", background="her private background")
    sealed = Coachee.objects.filter(pk=coachee.pk).values_list("background", flat=True)
    before = list(sealed)
    laptop, phone = _signed_in(bob), _signed_in(bob)
    assert laptop.get(reverse("coachee_list")).status_code == 200
    admin = _signed_in(alice)
    member = bob.membership
    response = admin.post(reverse("firm_person_deactivate", args=[member.code]))
    assert response.status_code == 302
    for client in (laptop, phone):
        page = client.get(reverse("coachee_list"))
        assert page.status_code == 302 and page["Location"].startswith(reverse("account_login"))
    refused = Client().post(reverse("account_login"), {"login": bob.email, "password": PASSWORD})
    assert "This account is switched off" in Client().get(refused["Location"]).content.decode()
    event = AuditEvent.objects.get(action="account_deactivated", coach=bob)
    assert event.detail["by"] == alice.pk and event.detail["sign_ins_ended"] >= 2
    # The journal is intact and still sealed; reactivating gives it back.
    assert list(sealed) == before and Coachee.objects.filter(coach=bob).count() == 1
    assert admin.post(reverse("firm_person_reactivate", args=[member.code])).status_code == 302
    back = _signed_in(User.objects.get(pk=bob.pk))
    assert "Imogen Castellane" in back.get(reverse("coachee_list")).content.decode()
    assert AuditEvent.objects.filter(action="account_reactivated", coach=bob).exists()


def test_an_administrator_cannot_deactivate_themselves_or_drop_the_last_admin_role(
    alice: User,
) -> None:
    admin = _signed_in(alice)
    code = alice.membership.code
    response = admin.post(reverse("firm_person_deactivate", args=[code]), follow=True)
    assert "cannot deactivate your own account" in response.content.decode()
    response = admin.post(reverse("firm_person", args=[code]), {"roles": ["coach"]})
    assert response.status_code == 200
    assert "at least one active administrator" in response.content.decode()
    response = admin.post(reverse("firm_person", args=[code]), {})
    assert "Choose at least one role" in response.content.decode()
    assert User.objects.get(pk=alice.pk).is_active
    assert Membership.objects.get(user=alice).roles == ["administrator", "coach"]


def test_a_role_change_is_audited_and_takes_effect_at_once(alice: User, bob: User) -> None:
    admin, coach = _signed_in(alice), _signed_in(bob)
    assert coach.get(reverse("firm_people")).status_code == 404
    data = {"roles": ["administrator", "coach", "supervisor"]}
    assert admin.post(reverse("firm_person", args=[bob.membership.code]), data).status_code == 302
    assert coach.get(reverse("firm_people")).status_code == 200
    event = AuditEvent.objects.get(action="roles_changed", coach=bob)
    assert event.detail == {"by": alice.pk, "added": ["administrator", "supervisor"], "removed": []}
    admin.post(reverse("firm_person", args=[bob.membership.code]), {"roles": ["supervisor"]})
    assert coach.get(reverse("coachee_list")).status_code == 404
    assert coach.get(reverse("firm_people")).status_code == 404


def test_the_people_page_shows_roles_status_last_sign_in_and_two_factor(
    alice: User, bob: User
) -> None:
    admin = _signed_in(alice)
    enrol(admin)
    page = admin.get(reverse("firm_people")).content.decode()
    rows = {row.split("</td>")[0]: row for row in page.split('<tr class="person-row">')[1:]}
    alice_row = next(r for k, r in rows.items() if "alice@example.com" in k)
    bob_row = next(r for k, r in rows.items() if "bob@example.com" in k)
    assert "Administrator, Coach" in alice_row and ">On</td>" in alice_row
    assert "Never" in bob_row and "Off" in bob_row and "Active" in bob_row


def test_required_two_factor_sends_people_without_it_to_set_it_up(alice: User, bob: User) -> None:
    admin = _signed_in(alice)
    enrol(admin)
    response = admin.post(reverse("firm_settings"), {"require_two_factor": "on", "name": "Acme"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="firm_settings", coach=alice).exists()
    coach = _signed_in(bob)
    for path in ("/", reverse("coachee_list"), reverse("account_security")):
        response = coach.get(path)
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    page = coach.get(reverse("mfa_activate_totp"), follow=True).content.decode()
    assert "Your organisation asks everyone to use two-factor authentication" in page
    enrol(coach)
    assert coach.get("/").status_code == 200
    # Someone who already has it is not stopped.
    assert admin.get(reverse("firm_people")).status_code == 200
