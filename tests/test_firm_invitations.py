"""Invitations: an administrator invites, the mail carries a single-use, expiring link, and that
link (and only it) opens sign-up for its one address."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.coachees.models import Coachee
from debrief.firm import invitations
from debrief.firm.models import Invitation, Membership
from tests.conftest import make_coachee

LINK = re.compile(r"https?://\S+/firm/join/[\w-]+/")
NEW_PASSWORD = "a quiet river at dawn"


def _invite(client: Client, email: str, *roles: str) -> str:
    """Invite through the page; returns the link from the mail that was sent."""
    mail.outbox.clear()
    response = client.post(reverse("firm_invite"), {"email": email, "roles": list(roles)})
    assert response.status_code == 200
    assert f"Invitation sent to {email}" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    found = LINK.search(str(mail.outbox[0].body))
    assert found is not None, mail.outbox[0].body
    return found.group(0)


def _path(link: str) -> str:
    return link[link.index("/firm/join/") :]


def _sign_up(client: Client, email: str) -> Any:
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


@pytest.fixture
def admin_client(db: None) -> Client:
    """The first account, made by the sign-up page of a fresh install: administrator and coach."""
    client = Client()
    _sign_up(client, "owner@example.com")
    owner = User.objects.get(email="owner@example.com")
    assert owner.membership.roles == ["administrator", "coach"]
    return client


def test_invite_mail_link_sign_up_and_sign_in_as_the_new_coach(admin_client: Client) -> None:
    link = _invite(admin_client, "new.coach@example.com", "coach")
    body = mail.outbox[0].body
    assert "as coach" in body and "works once" in body
    # Sign-up is closed to everyone else...
    assert (
        "New accounts are closed here" in Client().get(reverse("account_signup")).content.decode()
    )
    # ...and the link opens it, with the address filled in, in the browser that followed it.
    visitor = Client()
    followed = visitor.get(_path(link))
    assert followed.status_code == 302
    page = visitor.get(followed["Location"]).content.decode()
    assert "You were invited as coach" in page
    assert 'value="new.coach@example.com"' in page
    response = _sign_up(visitor, "new.coach@example.com")
    assert response.status_code == 302
    coach = User.objects.get(email="new.coach@example.com")
    assert coach.membership.roles == ["coach"]
    assert coach.first_account is None
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == coach and invitation.state == "accepted"
    assert AuditEvent.objects.filter(action="invitation_accepted", coach=coach).exists()
    assert AuditEvent.objects.filter(
        action="invitation_sent", subject=str(invitation.code)
    ).exists()
    # The new coach signs out, then signs in with the password they chose, to their own journal.
    visitor.post(reverse("account_logout"))
    fresh = Client()
    signed_in = fresh.post(
        reverse("account_login"), {"login": "new.coach@example.com", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    home = fresh.get("/")
    assert home.status_code == 200
    assert "Welcome to Debrief" in home.content.decode()
    assert fresh.get(reverse("coachee_list")).status_code == 200
    # A coach is not an administrator.
    assert fresh.get(reverse("firm_people")).status_code == 404


def test_a_link_works_once(admin_client: Client) -> None:
    link = _invite(admin_client, "once@example.com", "coach")
    first = Client()
    first.get(_path(link))
    assert _sign_up(first, "once@example.com").status_code == 302
    again = Client().get(_path(link))
    assert again.status_code == 404
    assert "This invitation link does not work" in again.content.decode()


def test_a_second_browser_racing_with_the_same_link_is_refused(admin_client: Client) -> None:
    link = _invite(admin_client, "race@example.com", "coach")
    one, two = Client(), Client()
    one.get(_path(link))
    two.get(_path(link))
    assert _sign_up(one, "race@example.com").status_code == 302
    response = _sign_up(two, "race@example.com")
    assert User.objects.filter(email="race@example.com").count() == 1
    assert response.status_code in (200, 403)  # the address is taken, or sign-up is closed


def test_the_link_opens_sign_up_for_its_own_address_only(admin_client: Client) -> None:
    link = _invite(admin_client, "invited@example.com", "coach")
    visitor = Client()
    visitor.get(_path(link))
    response = _sign_up(visitor, "someone.else@example.com")
    assert response.status_code == 200
    assert "This invitation is for invited@example.com" in response.content.decode()
    assert not User.objects.filter(email="someone.else@example.com").exists()
    assert Invitation.objects.get().is_pending


def test_an_expired_link_does_not_open_sign_up(admin_client: Client) -> None:
    link = _invite(admin_client, "late@example.com", "coach")
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = Client().get(_path(link))
        assert response.status_code == 404
        assert "has expired" in response.content.decode()


def test_a_link_followed_then_expired_before_signing_up_is_refused(admin_client: Client) -> None:
    link = _invite(admin_client, "slow@example.com", "coach")
    visitor = Client()
    visitor.get(_path(link))
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = _sign_up(visitor, "slow@example.com")
    assert not User.objects.filter(email="slow@example.com").exists()
    assert "New accounts are closed here" in response.content.decode()


def test_a_revoked_link_does_not_work(admin_client: Client) -> None:
    link = _invite(admin_client, "revoked@example.com", "supervisor")
    invitation = Invitation.objects.get()
    response = admin_client.post(reverse("firm_invitation_revoke", args=[invitation.code]))
    assert response.status_code == 302
    assert Client().get(_path(link)).status_code == 404
    assert AuditEvent.objects.filter(action="invitation_revoked").count() == 1
    # Revoking twice changes nothing and says so.
    admin_client.post(reverse("firm_invitation_revoke", args=[invitation.code]))
    assert AuditEvent.objects.filter(action="invitation_revoked").count() == 1


def test_made_up_and_overlong_tokens_are_404(db: None) -> None:
    for token in ("x", "a" * 43, "b" * 500):
        assert Client().get(reverse("firm_join", args=[token])).status_code == 404


def test_only_the_hash_of_the_link_is_stored(admin_client: Client) -> None:
    link = _invite(admin_client, "hash@example.com", "coach")
    token = _path(link).rstrip("/").rsplit("/", 1)[1]
    row = Invitation.objects.get()
    assert row.token_hash == invitations.token_hash(token)
    assert token not in str(list(Invitation.objects.values()))


def test_a_supervisor_and_administrator_invitation_gives_those_roles(admin_client: Client) -> None:
    link = _invite(admin_client, "sup@example.com", "supervisor", "administrator")
    visitor = Client()
    visitor.get(_path(link))
    _sign_up(visitor, "sup@example.com")
    member = Membership.objects.get(user__email="sup@example.com")
    assert member.roles == ["administrator", "supervisor"]
    # Not a coach: no journal pages at all, and home leads to the firm's pages.
    assert visitor.get("/")["Location"] == reverse("firm_home")
    assert visitor.get(reverse("coachee_list")).status_code == 404


def test_bad_invitations_are_refused_with_a_reason(admin_client: Client) -> None:
    cases = [
        ({"email": "", "roles": ["coach"]}, "Enter the email address"),
        ({"email": "not-an-address", "roles": ["coach"]}, "Enter a whole email address"),
        ({"email": "x@example.com"}, "Choose at least one role"),
        ({"email": "x@example.com", "roles": ["owner"]}, "Choose from the roles listed"),
        ({"email": "owner@example.com", "roles": ["coach"]}, "already has an account"),
        ({"email": "a" * 300 + "@example.com", "roles": ["coach"]}, "at most 254"),
    ]
    for data, message in cases:
        response = admin_client.post(reverse("firm_invite"), data)
        assert response.status_code == 200
        assert message in response.content.decode(), data
    _invite(admin_client, "twice@example.com", "coach")
    response = admin_client.post(
        reverse("firm_invite"), {"email": "twice@example.com", "roles": ["coach"]}
    )
    assert "still waiting" in response.content.decode()
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_mail_holds_no_coachee_content(admin_client: Client) -> None:
    owner = User.objects.get(email="owner@example.com")
    make_coachee(owner, name="Zebedee Quartermain", background="Zebedee's private story")
    _invite(admin_client, "clean@example.com", "coach")
    message = mail.outbox[0]
    assert "Zebedee" not in f"{message.body} {message.subject}"
    assert Coachee.objects.count() == 1


def test_signed_in_visitors_are_told_to_sign_out_first(admin_client: Client) -> None:
    link = _invite(admin_client, "other@example.com", "coach")
    response = admin_client.get(_path(link))
    assert response.status_code == 200
    assert "You are already signed in" in response.content.decode()
    assert Invitation.objects.get().is_pending


def test_password_is_checked_on_an_invited_sign_up(admin_client: Client) -> None:
    link = _invite(admin_client, "weak@example.com", "coach")
    visitor = Client()
    visitor.get(_path(link))
    response = visitor.post(
        reverse("account_signup"),
        {"email": "weak@example.com", "password1": "short", "password2": "short"},
    )
    assert "at least 12 characters" in response.content.decode()
    assert Invitation.objects.get().is_pending
