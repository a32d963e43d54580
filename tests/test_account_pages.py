"""allauth's stock pages and messages, in Debrief's words (no "We are sorry", no "contact us")."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from tests.conftest import PASSWORD

STOCK = ("We are sorry", "contact us", "Sign Up Closed", "Bad Token", "Successfully signed in")


def _plain(html: str) -> str:
    for phrase in STOCK:
        assert phrase.lower() not in html.lower(), phrase
    return html


def test_sign_up_closed_says_why_and_what_to_do(alice: User) -> None:
    html = _plain(Client().get(reverse("account_signup")).content.decode())
    assert "<h1>New accounts are closed here</h1>" in html
    assert reverse("account_login") in html


def test_the_reset_pages_speak_plainly(alice: User) -> None:
    client = Client()
    response = client.post(
        reverse("account_reset_password"), {"email": "alice@example.com"}, follow=True
    )
    html = _plain(response.content.decode())
    assert "<h1>Check your email</h1>" in html and "The link works once." in html
    [message] = mail.outbox
    link = re.search(r"https?://[^\s]+/password/reset/key/[^\s]+", str(message.body))
    assert link is not None
    key_url = link.group(0).split("testserver", 1)[-1]
    form = client.get(key_url, follow=True)
    assert "<h1>Choose a new password</h1>" in _plain(form.content.decode())
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else key_url,
        {"password1": "a new sentence to remember", "password2": "a new sentence to remember"},
        follow=True,
    )
    assert "<h1>Your password is changed</h1>" in _plain(done.content.decode())
    # The same link again: used up.
    again = _plain(client.get(key_url, follow=True).content.decode())
    assert "<h1>This link no longer works</h1>" in again and "Send me a new link" in again


def test_sign_in_and_out_messages(alice: User) -> None:
    client = Client()
    response = client.post(
        reverse("account_login"),
        {"login": "alice@example.com", "password": PASSWORD},
        follow=True,
    )
    html = _plain(response.content.decode())
    assert "Signed in as" in html
    out = client.post(reverse("account_logout"), follow=True).content.decode()
    assert "You are signed out." in _plain(out)
