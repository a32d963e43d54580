"""The session table holds no coachee words, and ended sign-ins do not stay in it.

Issue 10 point 6: flash messages ("Priya Shah added.") were stored as plain JSON in the session
table, and expired sessions were never cleared.
"""

from __future__ import annotations

import base64
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from debrief.accounts.models import User

NAME = "Zanele Okonkwo-Marsh"


def _raw_session_rows() -> list[str]:
    """Each row as stored, and its payload decoded from the signed base64, as a thief would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_data FROM django_session")
        rows = [str(r[0]) for r in cursor.fetchall()]
    decoded = []
    for row in rows:
        payload = row.split(":", 1)[0]
        padded = payload + "=" * (-len(payload) % 4)
        try:
            decoded.append(base64.urlsafe_b64decode(padded).decode("utf-8", "replace"))
        except ValueError:
            decoded.append("")
    return rows + decoded


def test_a_flash_message_naming_a_coachee_is_sealed_in_the_session_table(
    alice_client: Client,
) -> None:
    response = alice_client.post(reverse("coachee_new"), {"name": NAME, "status": "active"})
    assert response.status_code == 302
    stored = Session.objects.get()
    assert "_messages" in stored.get_decoded()  # the message is waiting there...
    for row in [*_raw_session_rows(), str(stored.get_decoded())]:
        assert "Zanele" not in row  # ...but not readable
    page = alice_client.get(response["Location"]).content.decode()
    assert f"{NAME} added." in page  # and the coach still sees it


def test_a_message_that_does_not_open_is_dropped_not_shown(alice_client: Client) -> None:
    session = alice_client.session
    session["_messages"] = "sealed.v1.garbage"
    session.save()
    assert alice_client.get(reverse("home")).status_code == 200


def test_the_job_clears_ended_sign_ins(alice: User, bob: User) -> None:
    from debrief.jobs.registry import all_jobs

    ended, current = Client(), Client()
    ended.force_login(alice)
    current.force_login(bob)
    Session.objects.filter(session_key=ended.session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    summary = all_jobs()["clear_ended_sign_ins"].func(timezone.now())
    assert summary == "1 ended sign-ins cleared"
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        current.session.session_key
    ]
