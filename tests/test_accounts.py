"""First run and accounts: no default credentials, the first coach creates theirs."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from debrief.accounts.models import User
from tests.conftest import make_coach


@pytest.mark.django_db
def test_a_fresh_install_sends_visitors_to_sign_up() -> None:
    response = Client().get("/")
    assert response["Location"] == reverse("account_signup")


@pytest.mark.django_db
def test_the_first_coach_signs_up_with_email_and_a_long_password() -> None:
    client = Client()
    short = client.post(
        reverse("account_signup"),
        {"email": "coach@example.com", "password1": "short", "password2": "short"},
    )
    assert "at least 12 characters" in short.content.decode()
    client.post(
        reverse("account_signup"),
        {
            "email": "coach@example.com",
            "password1": "a quiet river at dawn",
            "password2": "a quiet river at dawn",
        },
    )
    assert User.objects.get().email == "coach@example.com"
    home = client.get("/")
    assert home.status_code == 200
    assert "Welcome to Debrief" in home.content.decode()


@pytest.mark.django_db
def test_sign_up_closes_after_the_first_account() -> None:
    make_coach("first@example.com")
    response = Client().get(reverse("account_signup"))
    assert "New accounts are closed here" in response.content.decode()
    assert Client().get("/")["Location"].startswith(reverse("account_login"))
    login = Client().get(reverse("account_login")).content.decode()
    assert "Create an account" not in login


@pytest.mark.django_db
@override_settings(DEBRIEF_OPEN_SIGNUP=True)
def test_the_operator_can_open_sign_up() -> None:
    make_coach("first@example.com")
    response = Client().get(reverse("account_signup"))
    assert 'name="password1"' in response.content.decode()
    assert "Create an account" in Client().get(reverse("account_login")).content.decode()


@pytest.mark.django_db
def test_coaches_sign_in_with_email() -> None:
    make_coach("coach@example.com")
    client = Client()
    response = client.post(
        reverse("account_login"),
        {"login": "coach@example.com", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_password_reset_mail_is_sent(mailoutbox: list) -> None:
    make_coach("coach@example.com")
    response = Client().post(reverse("account_reset_password"), {"email": "coach@example.com"})
    assert response.status_code == 302
    [mail] = mailoutbox
    assert mail.to == ["coach@example.com"]
    assert "/accounts/password/reset/key/" in mail.body
