"""Every security event on an account lands in the coach's audit trail, without secrets."""

from __future__ import annotations

import re
import time

import pytest
import time_machine
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from tests.conftest import PASSWORD
from tests.test_mfa import confirm_password, enrol, next_period, sign_in

Action = AuditEvent.Action
NEW_PASSWORD = "a lighthouse keeper's tea"


def _events(user: User | None) -> list[tuple[str, dict[str, object]]]:
    events = AuditEvent.objects.filter(coach=user).order_by("pk")
    return [(e.action, e.detail) for e in events]


def test_a_sign_in_is_recorded_with_the_address(alice: User) -> None:
    sign_in(Client(REMOTE_ADDR="192.0.2.44"))
    [event] = AuditEvent.objects.filter(coach=alice)
    assert event.action == Action.SIGN_IN
    assert event.ip == "192.0.2.44"


def test_a_wrong_password_is_recorded_for_the_coach(alice: User) -> None:
    Client().post(reverse("account_login"), {"login": alice.email, "password": "not mine"})
    assert _events(alice) == [(Action.SIGN_IN_FAILED, {"reason": "wrong password"})]


def test_an_unknown_address_is_recorded_without_the_address(alice: User) -> None:
    typed = "mallory.tries@example.net"
    Client().post(reverse("account_login"), {"login": typed, "password": "guess"})
    [event] = AuditEvent.objects.all()
    assert event.coach is None
    assert event.action == Action.SIGN_IN_FAILED
    assert event.detail == {"reason": "unknown email address"}
    assert "mallory" not in f"{event.subject} {event.detail}"


def test_signing_out_is_recorded(alice: User) -> None:
    client = Client()
    sign_in(client)
    client.post(reverse("account_logout"))
    assert [a for a, _ in _events(alice)] == [Action.SIGN_IN, Action.SIGN_OUT]


def test_a_password_change_is_recorded(alice_client: Client, alice: User) -> None:
    response = alice_client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _events(alice) == [(Action.PASSWORD_CHANGED, {})]


def test_a_password_reset_is_recorded(alice: User) -> None:
    client = Client()
    client.post(reverse("account_reset_password"), {"email": alice.email})
    link = re.search(
        r"http://testserver(/accounts/password/reset/key/\S+/)", str(mail.outbox[0].body)
    )
    assert link is not None
    form_url = client.get(link.group(1))["Location"]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert _events(alice) == [(Action.PASSWORD_RESET, {})]


def test_changing_the_email_address_asks_for_the_password_and_is_recorded(
    alice_client: Client, alice: User
) -> None:
    add = {"action_add": "", "email": "alice@newpractice.example"}
    response = alice_client.post(reverse("account_email"), add)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not _events(alice)
    confirm_password(alice_client)
    alice_client.post(reverse("account_email"), add)
    primary = {"action_primary": "", "email": "alice@newpractice.example"}
    alice_client.post(reverse("account_email"), primary)
    alice.refresh_from_db()
    assert alice.email == "alice@newpractice.example"
    assert _events(alice) == [
        (Action.EMAIL_CHANGED, {"reason": "address added"}),
        (Action.EMAIL_CHANGED, {"reason": "new main address"}),
    ]


def test_two_factor_changes_are_recorded(alice_client: Client, alice: User) -> None:
    enrol(alice_client)
    alice_client.get(reverse("mfa_view_recovery_codes"))
    alice_client.get(reverse("mfa_download_recovery_codes"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        alice_client.post(reverse("mfa_generate_recovery_codes"))
    alice_client.post(reverse("mfa_deactivate_totp"))
    assert _events(alice) == [
        (Action.MFA_ADDED, {"reason": "authenticator app"}),
        (Action.RECOVERY_CODES, {"reason": "created"}),
        (Action.RECOVERY_CODES, {"reason": "viewed"}),
        (Action.RECOVERY_CODES, {"reason": "downloaded"}),
        (Action.RECOVERY_CODES, {"reason": "new set"}),
        (Action.MFA_REMOVED, {"reason": "authenticator app"}),
        (Action.RECOVERY_CODES, {"reason": "deleted"}),
    ]


def test_codes_are_not_recorded_as_viewed_until_the_password_is_confirmed(
    alice_client: Client, alice: User
) -> None:
    enrol(alice_client)
    # Six minutes after the last confirmation, the page asks for the password again first.
    with time_machine.travel(time.time() + 360, tick=False):
        response = alice_client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert (Action.RECOVERY_CODES, {"reason": "viewed"}) not in _events(alice)


def test_a_wrong_two_factor_code_is_recorded(alice: User) -> None:
    client = Client()
    client.force_login(alice)
    enrol(client)
    client.logout()
    with next_period():
        sign_in(client)
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert _events(alice)[-1] == (Action.SIGN_IN_FAILED, {"reason": "wrong two-factor code"})


def test_the_trail_shows_the_events_in_plain_words(alice: User) -> None:
    client = Client()
    client.post(reverse("account_login"), {"login": alice.email, "password": "not mine"})
    sign_in(client)
    page = client.get(reverse("audit_trail")).content.decode()
    assert "Signed in" in page
    assert "Sign-in failed" in page
    assert "(wrong password)" in page


@pytest.mark.parametrize(
    "new_password, reason",
    [
        ("short one", "at least 12 characters"),
        ("ilovemyfamily", "too common"),
        ("462907318845", "entirely numeric"),
        ("alice@example.com", "too similar to the email address"),
    ],
)
def test_a_weak_new_password_is_refused_with_the_reason(
    alice_client: Client, alice: User, new_password: str, reason: str
) -> None:
    response = alice_client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 200
    assert reason in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    assert not _events(alice)
