"""A session ends after DEBRIEF_IDLE_HOURS without use, and signing in returns to the page."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
MONDAY_9AM = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        yield traveller


def _sign_in(client: Client, user: User, url: str | None = None, **extra: str) -> str:
    data = {"login": user.email, "password": PASSWORD, **extra}
    response = client.post(url or reverse("account_login"), data)
    assert response.status_code == 302
    return str(response["Location"])


def _expiry(client: Client) -> datetime:
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Session.objects.get(session_key=key).expire_date


def test_the_idle_time_is_eight_hours_by_default() -> None:
    assert settings.DEBRIEF_IDLE_HOURS == 8
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def _settings_value(env_extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DEBRIEF_DATA_DIR=str(tmp_path), **env_extra)
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.SESSION_COOKIE_AGE)"
    env["DJANGO_SETTINGS_MODULE"] = "debrief.settings"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_the_idle_time_comes_from_the_environment(tmp_path: Path) -> None:
    result = _settings_value({"DEBRIEF_IDLE_HOURS": "2"}, tmp_path)
    assert result.stdout.strip() == "7200", result.stderr
    bad = _settings_value({"DEBRIEF_IDLE_HOURS": "soon"}, tmp_path)
    assert bad.returncode != 0
    assert "DEBRIEF_IDLE_HOURS must be a whole number" in bad.stderr


def test_an_idle_session_ends_and_signing_in_returns_to_the_page(
    alice: User, clock: time_machine.Traveller
) -> None:
    client = Client()
    _sign_in(client, alice)
    assert client.get(reverse("coachee_list")).status_code == 200
    clock.shift(timedelta(hours=8, minutes=1))
    response = client.get(reverse("coachee_list"))
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url == f"{reverse('account_login')}?next={reverse('coachee_list')}"
    assert "Sign in to Debrief" in client.get(login_url).content.decode()
    assert _sign_in(client, alice, login_url, next=reverse("coachee_list")) == reverse(
        "coachee_list"
    )
    assert client.get(reverse("coachee_list")).status_code == 200


def test_using_debrief_keeps_the_session_alive(alice: User, clock: time_machine.Traveller) -> None:
    client = Client()
    _sign_in(client, alice)
    for _ in range(3):  # 15 hours in all, never more than 5 hours apart
        clock.shift(timedelta(hours=5))
        assert client.get(reverse("home")).status_code == 200
    clock.shift(timedelta(hours=8, minutes=1))
    assert client.get(reverse("home")).status_code == 302


def test_pages_a_few_minutes_apart_do_not_rewrite_the_session(
    alice: User, clock: time_machine.Traveller
) -> None:
    client = Client()
    _sign_in(client, alice)
    client.get(reverse("home"))
    signed_in_until = _expiry(client)
    assert signed_in_until == MONDAY_9AM + timedelta(hours=8)
    clock.shift(timedelta(minutes=4))
    client.get(reverse("home"))
    assert _expiry(client) == signed_in_until  # not saved again
    clock.shift(timedelta(minutes=2))
    client.get(reverse("home"))
    assert _expiry(client) == MONDAY_9AM + timedelta(minutes=6, hours=8)
    [seen] = UserSession.objects.filter(user=alice).values_list("last_seen_at", flat=True)
    assert seen == MONDAY_9AM + timedelta(minutes=6)


def test_keep_me_signed_in_lasts_the_idle_time_too(
    alice: User, clock: time_machine.Traveller
) -> None:
    client = Client()
    _sign_in(client, alice, remember="on")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 8 * 3600
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    clock.shift(timedelta(hours=8, minutes=1))
    assert client.get(reverse("home")).status_code == 302
