"""A new action item is stored once, however often its save arrives.

Issue 10 point 6: closing the tab while a new action's save was in flight sent it again, and
the action was stored twice. The new-action box carries a creation key; a save with a key
already used in that session returns the action it made the first time.
"""

from __future__ import annotations

import re
import threading
import uuid

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.followup.models import ActionItem
from debrief.journal.models import CoachingSession

KEY = re.compile(r'name="new-coachee_actions-key" value="([0-9a-f-]{36})"')


def _page_key(client: Client, session: CoachingSession) -> str:
    page = client.get(reverse("reflection_edit", args=[session.code])).content.decode()
    match = KEY.search(page)
    assert match, "the new-action box has no creation key"
    return match.group(1)


def _add(client: Client, session: CoachingSession, key: str, *, js: bool = True) -> int:
    data = {"new-coachee_actions-text": "Book the room", "new-coachee_actions-key": key}
    url = reverse("reflection_edit", args=[session.code])
    if js:
        return client.post(url, data, HTTP_ACCEPT="application/json").status_code
    return client.post(url, data | {"op": "save"}).status_code


def test_the_same_save_sent_twice_stores_one_action(
    alice_client: Client, session: CoachingSession
) -> None:
    key = _page_key(alice_client, session)
    assert _add(alice_client, session, key) == 200
    assert _add(alice_client, session, key) == 200  # the tab closed: the beacon sends it again
    assert ActionItem.objects.filter(session=session).count() == 1


def test_a_form_posted_again_without_javascript_stores_one_action(
    alice_client: Client, session: CoachingSession
) -> None:
    key = _page_key(alice_client, session)
    assert _add(alice_client, session, key, js=False) in (200, 302)
    assert _add(alice_client, session, key, js=False) in (200, 302)
    assert ActionItem.objects.filter(session=session).count() == 1


def test_each_new_box_has_its_own_key_so_a_second_action_is_added(
    alice_client: Client, session: CoachingSession
) -> None:
    first = _page_key(alice_client, session)
    _add(alice_client, session, first)
    second = _page_key(alice_client, session)
    assert second != first
    _add(alice_client, session, second)
    assert ActionItem.objects.filter(session=session).count() == 2


def test_a_save_without_a_key_still_adds_the_action(
    alice_client: Client, session: CoachingSession
) -> None:
    _add(alice_client, session, "")
    _add(alice_client, session, "not-a-uuid")
    assert ActionItem.objects.filter(session=session).count() == 2


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the SQLite test database is one in-memory connection; PostgreSQL runs this",
)
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_store_one_action(alice: User) -> None:
    from tests.conftest import make_coachee, make_session

    session = make_session(make_coachee(alice))
    key = str(uuid.uuid4())
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def send() -> None:
        client = Client()
        client.force_login(alice)
        barrier.wait()
        try:
            statuses.append(_add(client, session, key))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200] * 4
    assert ActionItem.objects.filter(session=session).count() == 1
