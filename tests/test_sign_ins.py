"""The Security page, asking for the password again, and the browsers a coach is signed in on."""

from __future__ import annotations

import pytest
from allauth.account.decorators import reauthentication_required
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse

from debrief.accounts.browsers import describe_browser
from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.urls import urlpatterns as site_urlpatterns
from tests.conftest import PASSWORD

FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0"
)


@reauthentication_required
def _sensitive(request: HttpRequest) -> HttpResponse:
    return HttpResponse("The sensitive page")


# For the re-authentication test: the site's URLs plus one page that another app protects.
urlpatterns = [path("sensitive/", _sensitive), *site_urlpatterns]


def _signed_in_browser(user: User, agent: str, address: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize(
    "agent, expected",
    [
        (FIREFOX_LINUX, "Firefox on Linux"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (EDGE_WINDOWS, "Edge on Windows"),
        ("curl/8.5.0", "Unknown browser"),
    ],
)
def test_browsers_get_a_readable_name(agent: str, expected: str) -> None:
    assert describe_browser(agent) == expected


def test_the_security_page_shows_how_the_account_is_protected(alice_client: Client) -> None:
    page = alice_client.get(reverse("account_security")).content.decode()
    assert "<h1>Security</h1>" in page
    assert "Signing in asks only for your password." in page
    assert reverse("mfa_activate_totp") in page
    assert reverse("account_change_password") in page
    assert reverse("usersessions_list") in page
    assert reverse("audit_trail") in page
    assert "If you are not using Debrief for 8 hours, you are signed out." in page


def test_the_security_page_needs_a_signed_in_coach(db: None) -> None:
    response = Client().get(reverse("account_security"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_sign_ins_page_lists_each_browser(alice: User) -> None:
    laptop = _signed_in_browser(alice, FIREFOX_LINUX, "192.0.2.10")
    _signed_in_browser(alice, SAFARI_IPHONE, "198.51.100.7")
    page = laptop.get(reverse("usersessions_list")).content.decode()
    assert "Where you are signed in" in page
    assert "Firefox on Linux" in page
    assert "Safari on iPhone" in page
    assert "198.51.100.7" in page
    assert page.count("This browser") == 2  # the badge, and the note under the button
    assert "Sign out everywhere else" in page


def test_signing_out_everywhere_else_ends_the_other_browser(alice: User) -> None:
    laptop = _signed_in_browser(alice, FIREFOX_LINUX, "192.0.2.10")
    phone = _signed_in_browser(alice, SAFARI_IPHONE, "198.51.100.7")
    assert phone.get(reverse("home")).status_code == 200
    response = laptop.post(reverse("usersessions_list"), follow=True)
    assert "You are now signed out everywhere else." in response.content.decode()
    assert "You are not signed in anywhere else." in response.content.decode()
    assert laptop.get(reverse("home")).status_code == 200
    ended = phone.get(reverse("home"))
    assert ended.status_code == 302
    assert ended["Location"].startswith(reverse("account_login"))
    [event] = AuditEvent.objects.for_coach(alice).filter(action=AuditEvent.Action.SIGN_IN_ENDED)
    assert event.detail == {"reason": "Safari on iPhone, 198.51.100.7"}
    assert event.ip == "192.0.2.10"


def test_another_coachs_sign_ins_are_not_listed(alice: User, bob: User) -> None:
    laptop = _signed_in_browser(alice, FIREFOX_LINUX, "192.0.2.10")
    _signed_in_browser(bob, SAFARI_IPHONE, "198.51.100.7")
    page = laptop.get(reverse("usersessions_list")).content.decode()
    assert "198.51.100.7" not in page
    laptop.post(reverse("usersessions_list"))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_ENDED).count() == 0


@pytest.mark.urls("tests.test_sign_ins")
def test_other_apps_can_ask_for_the_password_again(alice_client: Client) -> None:
    response = alice_client.get("/sensitive/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_reauthenticate')}?next=%2Fsensitive%2F"
    page = alice_client.get(response["Location"]).content.decode()
    assert "Confirm it is you" in page
    assert 'class="topbar"' in page
    assert 'name="next" value="/sensitive/"' in page
    wrong = alice_client.post(
        reverse("account_reauthenticate"), {"password": "not mine", "next": "/sensitive/"}
    )
    assert wrong.status_code == 200
    confirmed = alice_client.post(
        reverse("account_reauthenticate"), {"password": PASSWORD, "next": "/sensitive/"}
    )
    assert confirmed["Location"] == "/sensitive/"
    assert alice_client.get("/sensitive/").content == b"The sensitive page"
