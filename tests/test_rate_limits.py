"""Sign-in, password-reset and two-factor attempts are limited: a 429 page that says what to do."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from tests.conftest import PASSWORD
from tests.test_mfa import enrol, next_period, sign_in, totp_code


def _try_password(client: Client, email: str, password: str, **extra: str) -> int:
    data = {"login": email, "password": password}
    return int(client.post(reverse("account_login"), data, **extra).status_code)  # type: ignore[arg-type]


def test_repeated_wrong_passwords_get_a_429_page_that_says_what_to_do(alice: User) -> None:
    client = Client()
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": alice.email, "password": "not it at all"}
        )
        assert response.status_code == 200
    limited = client.post(reverse("account_login"), {"login": alice.email, "password": "nope"})
    assert limited.status_code == 429
    page = limited.content.decode()
    assert "Too many attempts" in page
    assert "Wait 5 minutes" in page
    assert "paused sign-in attempts" in page
    assert reverse("account_reset_password") in page


def test_the_right_password_also_waits_once_the_limit_is_reached(alice: User) -> None:
    client = Client()
    for _ in range(5):
        _try_password(client, alice.email, "not it at all")
    assert _try_password(client, alice.email, PASSWORD) == 429
    assert client.get(reverse("home")).status_code == 302  # still signed out


def test_many_failures_from_one_address_are_limited_whatever_the_account(db: None) -> None:
    client = Client()
    statuses = [_try_password(client, f"guess{n}@example.com", "guess") for n in range(11)]
    assert statuses == [200] * 10 + [429]


# Behind a reverse proxy each visitor is counted at their own address: test_reverse_proxy.py,
# through real nginx and Caddy (a test client's header would skip waitress, which decides).


def test_password_reset_emails_are_limited_per_address(
    alice: User, mailoutbox: list[object]
) -> None:
    client = Client()
    url = reverse("account_reset_password")
    statuses = [client.post(url, {"email": alice.email}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(mailoutbox) == 3
    page = client.post(url, {"email": alice.email}).content.decode()
    assert "password-reset emails have been asked for" in page


def test_wrong_two_factor_codes_are_limited(alice: User) -> None:
    client = Client()
    client.force_login(alice)
    secret = enrol(client)
    client.logout()
    with next_period():
        sign_in(client)
        for _ in range(5):
            wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
            assert wrong.status_code == 200
        limited = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        assert limited.status_code == 429
        assert "check your phone's clock" in limited.content.decode()


def test_signing_in_normally_is_not_limited(alice: User) -> None:
    for _ in range(12):
        client = Client()
        assert _try_password(client, alice.email, PASSWORD) == 302
