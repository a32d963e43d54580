"""Shared personas and helpers: alice (a coach, the owner), bob (another coach)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.journal.models import CoachingSession, Reflection
from debrief.prompts.models import default_template_version

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The personas have used Debrief for a while: sessions a test enters are not "back-filled on
# the first day" (which the reflection habit leaves out), unless a test says so.
JOINED = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def make_coach(email: str) -> User:
    """A coach as the sign-up page makes one: with an unverified, primary email address.

    (Mail is optional in Debrief, so nobody's address is verified. A user without an
    EmailAddress row is one no real coach has, and it hid that two-factor could not be
    turned on: issue 10.)
    """
    user = User.objects.create_user(email=email, password=PASSWORD, date_joined=JOINED)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    return user


def make_coachee(coach: User, name: str = "Priya Shah", **extra: Any) -> Coachee:
    return Coachee.objects.create(coach=coach, name=name, **extra)


def make_session(coachee: Coachee, number: int = 1, **extra: Any) -> CoachingSession:
    values: dict[str, Any] = {"date": date(2026, 3, 2), "duration_minutes": 60}
    values.update(extra)
    session = CoachingSession.objects.create(
        coach=coachee.coach, coachee=coachee, number=number, **values
    )
    Reflection.objects.create(
        coach=coachee.coach, session=session, template_version=default_template_version()
    )
    return session


@pytest.fixture
def alice(db: None) -> User:
    return make_coach("alice@example.com")


@pytest.fixture
def bob(db: None) -> User:
    return make_coach("bob@example.com")


@pytest.fixture
def alice_client(alice: User) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob: User) -> Client:
    client = Client()
    client.force_login(bob)
    return client


@pytest.fixture
def coachee(alice: User) -> Coachee:
    return make_coachee(alice)


@pytest.fixture
def session(coachee: Coachee) -> CoachingSession:
    return make_session(coachee)


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    # Rate limits must not carry over from one test to the next. The cache is a database table
    # (settings.CACHES) that transactional tests do not empty: clear it before each test that
    # may touch the database, once the database is open to it (others cannot reach the cache).
    # Not after: a test may end inside a broken transaction, which its own rollback undoes.
    uses = set(request.fixturenames)
    opener = next((f for f in ("transactional_db", "live_server", "db") if f in uses), None)
    if opener is None and not request.node.get_closest_marker("django_db"):
        yield
        return
    from django.core.cache import cache

    if opener is not None:
        request.getfixturevalue(opener)
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_owner_caches() -> None:
    # Test databases roll back and reuse row ids; production ids are never reused while cached.
    from debrief.privacy import owners

    owners.forget_all()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests import figures

    lines = figures.table()
    if lines:
        terminalreporter.section("bad input: generated examples by response status")
        for line in lines:
            terminalreporter.write_line(line)


def sealed_v3(value: Any, code: Any = None) -> bool:
    """Whether a private text column's ``value``, as SQL reads it, is a ``v3`` sealed value
    (``03 | key id | ...``), sealed with ``code``'s key if given."""
    stored = bytes(value)
    if len(stored) < 45 or stored[0] != 3:  # format, key id, nonce and tag at least
        return False
    return code is None or stored[1:17] == code.bytes
