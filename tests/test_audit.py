"""The audit trail: append-only, no coachee content, and the coach can read their own."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.audit.log import record
from debrief.audit.models import AppendOnlyError, AuditEvent
from debrief.journal.models import CoachingSession


def test_events_cannot_be_changed_or_deleted(alice: User) -> None:
    event = record(AuditEvent.Action.EXPORT, coach=alice, subject="x")
    event.subject = "y"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get().subject == "x"


def test_another_coachs_code_is_a_404_and_a_note_in_the_visitors_trail(
    bob_client: Client, bob: User, session: CoachingSession
) -> None:
    response = bob_client.get(reverse("reflection_view", args=[session.code]))
    assert response.status_code == 404
    [event] = AuditEvent.objects.for_coach(bob)
    assert event.action == AuditEvent.Action.ACCESS_DENIED
    assert event.subject == str(session.code)
    assert "Priya" not in str(event.detail)


def test_the_readme_says_where_a_refused_attempt_is_noted(
    bob_client: Client, alice: User, session: CoachingSession
) -> None:
    # Issue 10 point 6: the README said the attempt showed in the owner's activity.
    from pathlib import Path

    bob_client.get(reverse("reflection_view", args=[session.code]))
    assert not AuditEvent.objects.for_coach(alice).exists()
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "the attempt is noted in *their*\n  security activity" in readme
    assert "the attempt appears in your security activity" not in readme


def test_an_unknown_code_is_a_plain_404_without_a_note(alice_client: Client) -> None:
    from uuid import uuid4

    assert alice_client.get(reverse("reflection_view", args=[uuid4()])).status_code == 404
    assert not AuditEvent.objects.exists()


def test_deleting_a_session_is_recorded_without_content(
    alice_client: Client, alice: User, session: CoachingSession
) -> None:
    alice_client.post(reverse("session_delete", args=[session.code]))
    [event] = AuditEvent.objects.for_coach(alice)
    assert event.action == AuditEvent.Action.SESSION_DELETED
    assert event.subject == str(session.code)


def test_key_rotation_is_recorded(db: None) -> None:
    import os

    with open(os.devnull, "w") as quiet:
        call_command("rotate_keys", stdout=quiet)
    event = AuditEvent.objects.get(action=AuditEvent.Action.KEY_ROTATION)
    assert set(event.detail) == {"rewrapped", "already", "master"}


def test_the_coach_reads_their_own_trail_only(alice_client: Client, alice: User, bob: User) -> None:
    record(AuditEvent.Action.EXPORT, coach=alice, subject="alice-export")
    record(AuditEvent.Action.SIGN_IN_FAILED, coach=bob, detail={"reason": "wrong password"})
    html = alice_client.get(reverse("audit_trail")).content.decode()
    assert "Data exported" in html
    assert "Sign-in failed" not in html
