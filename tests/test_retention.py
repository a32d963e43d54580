"""Retention: completed engagements go N years after the last session, listed before they go."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.coachees.models import Coachee
from debrief.exchange.models import RetentionPolicy
from debrief.exchange.retention import due_for_erasure, years_before
from debrief.followup.models import ActionItem
from tests.conftest import make_coachee, make_session
from tests.test_export import reauthenticate

LONDON = ZoneInfo("Europe/London")
TODAY = datetime(2031, 6, 15, 12, 0, tzinfo=LONDON)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def practice(alice: User, bob: User) -> dict[str, Coachee]:
    """Alice's coachees, with a 5-year period: cutoff 15 June 2026."""
    with time_machine.travel(datetime(2024, 2, 1, 9, tzinfo=LONDON), tick=False):
        added_long_ago = make_coachee(alice, name="Added-Long-Ago", status="archived")
    old = make_coachee(alice, name="Old-Completed", status="completed")
    make_session(old, number=1, date=date(2025, 1, 10))
    make_session(old, number=2, date=date(2026, 6, 14))  # the last one counts
    ActionItem.objects.create(
        coach=alice, coachee=old, session=old.sessions.get(number=2), owner="coach", text="x"
    )
    no_sessions = make_coachee(
        alice, name="Archived-No-Sessions", status="archived", engagement_start=date(2025, 3, 1)
    )
    recent = make_coachee(alice, name="Recent-Completed", status="completed")
    make_session(recent, number=1, date=date(2026, 6, 15))  # exactly 5 years: kept
    active = make_coachee(alice, name="Old-But-Active", status="active")
    make_session(active, number=1, date=date(2020, 1, 1))
    paused = make_coachee(alice, name="Old-But-Paused", status="paused")
    make_session(paused, number=1, date=date(2020, 1, 1))
    bobs = make_coachee(bob, name="Bobs-Old-Coachee", status="completed")
    make_session(bobs, number=1, date=date(2019, 1, 1))
    RetentionPolicy.objects.create(coach=alice, years=5)
    return {
        "old": old,
        "no_sessions": no_sessions,
        "added_long_ago": added_long_ago,
        "recent": recent,
        "active": active,
        "paused": paused,
        "bobs": bobs,
    }


DUE = ("old", "no_sessions", "added_long_ago")
KEPT = ("recent", "active", "paused", "bobs")


def _exists(coachee: Coachee) -> bool:
    return Coachee.objects.filter(pk=coachee.pk).exists()


def test_who_is_due_follows_status_and_the_last_date(
    frozen: None, alice: User, practice: dict[str, Coachee]
) -> None:
    due = due_for_erasure(alice, 5)
    assert {d.coachee.pk for d in due} == {practice[k].pk for k in DUE}
    last = {d.coachee.name: d.last for d in due}
    assert last == {
        "Old-Completed": date(2026, 6, 14),
        "Archived-No-Sessions": date(2025, 3, 1),
        "Added-Long-Ago": date(2024, 2, 1),
    }
    assert due_for_erasure(alice, None) == []


def test_the_page_lists_who_would_go_before_anything_is_deleted(
    frozen: None, alice_client: Client, practice: dict[str, Coachee]
) -> None:
    html = alice_client.get(reverse("retention")).content.decode()
    for key in DUE:
        assert practice[key].name in html
        assert f'value="{practice[key].code}"' in html
    for key in KEPT:
        assert practice[key].name not in html
    assert "these 3 coachees would be erased" in html
    assert "Completed · last session 14 Jun 2026" in html
    assert "Archived · no sessions; engagement started 1 Mar 2025" in html
    assert "Archived · no sessions; added 1 Feb 2024" in html
    assert all(_exists(c) for c in practice.values())


def test_the_ticked_coachees_are_erased_and_nobody_else(
    frozen: None, alice_client: Client, alice: User, practice: dict[str, Coachee]
) -> None:
    reauthenticate(alice_client)
    chosen = [str(practice["old"].code), str(practice["no_sessions"].code)]
    response = alice_client.post(reverse("retention_apply"), {"coachee": chosen})
    assert response["Location"] == reverse("retention")
    assert not _exists(practice["old"]) and not _exists(practice["no_sessions"])
    assert _exists(practice["added_long_ago"])  # unticked: kept for now
    assert all(_exists(practice[k]) for k in KEPT)
    run = AuditEvent.objects.get(action=AuditEvent.Action.RETENTION_RUN)
    assert run.detail["coachees"] == 2 and run.detail["sessions"] == 2
    erased = AuditEvent.objects.filter(action=AuditEvent.Action.COACHEE_ERASED)
    assert [e.detail["reason"] for e in erased] == ["retention period"] * 2
    page = alice_client.get(reverse("retention")).content.decode()
    assert "2 coachees erased under your period." in page


def test_a_coachee_who_does_not_qualify_is_never_erased(
    frozen: None, alice_client: Client, practice: dict[str, Coachee]
) -> None:
    reauthenticate(alice_client)
    posted = {"coachee": [str(practice["old"].code), str(practice["recent"].code)]}
    alice_client.post(reverse("retention_apply"), posted)
    assert all(_exists(c) for c in practice.values())
    page = alice_client.get(reverse("retention")).content.decode()
    assert "The list has changed since you saw it" in page


def test_another_coachs_coachee_cannot_be_slipped_in(
    frozen: None, bob_client: Client, bob: User, practice: dict[str, Coachee]
) -> None:
    RetentionPolicy.objects.create(coach=bob, years=5)
    reauthenticate(bob_client)
    bob_client.post(reverse("retention_apply"), {"coachee": [str(practice["old"].code)]})
    assert _exists(practice["old"])


def test_erasing_and_setting_the_period_ask_for_the_password(
    frozen: None, alice_client: Client, alice: User, practice: dict[str, Coachee]
) -> None:
    response = alice_client.post(
        reverse("retention_apply"), {"coachee": [str(practice["old"].code)]}
    )
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert _exists(practice["old"])
    response = alice_client.post(reverse("retention"), {"years": "1"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert RetentionPolicy.objects.get(coach=alice).years == 5


def test_setting_the_period_deletes_nothing(
    frozen: None, alice_client: Client, alice: User, practice: dict[str, Coachee]
) -> None:
    reauthenticate(alice_client)
    alice_client.post(reverse("retention"), {"years": "1"})
    assert RetentionPolicy.objects.get(coach=alice).years == 1
    assert all(_exists(c) for c in practice.values())
    page = alice_client.get(reverse("retention")).content.decode()
    assert "Retention period saved. Nothing has been deleted." in page
    assert "Recent-Completed" in page  # now listed under 1 year
    alice_client.post(reverse("retention"), {"years": ""})
    assert RetentionPolicy.objects.get(coach=alice).years is None
    assert "Retention is off" in alice_client.get(reverse("retention")).content.decode()


def test_a_period_off_the_list_is_refused(frozen: None, alice_client: Client, alice: User) -> None:
    reauthenticate(alice_client)
    response = alice_client.post(reverse("retention"), {"years": "99"})
    assert "Choose one of the listed periods, or Off." in response.content.decode()
    assert not RetentionPolicy.objects.filter(coach=alice).exists()


def test_the_command_dry_run_counts_and_deletes_nothing(
    frozen: None, practice: dict[str, Coachee]
) -> None:
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "would erase 3 coachee(s), 2 session(s), 2 reflection(s), 0 answer(s)" in text
    assert "1 action item(s)" in text
    assert all(_exists(c) for c in practice.values())
    assert not AuditEvent.objects.exists()
    assert not any(c.name in text for c in practice.values())


def test_the_command_applies_every_coachs_period(
    frozen: None, bob: User, practice: dict[str, Coachee]
) -> None:
    RetentionPolicy.objects.create(coach=bob, years=15)  # Bob's is from 2019: kept
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    text = out.getvalue()
    assert f"Coach {practice['old'].coach_id}: erased 3 coachee(s)" in text
    assert "Retention: erased 3 coachee(s)" in text
    assert not any(c.name in text for c in practice.values())
    assert not any(_exists(practice[k]) for k in DUE)
    assert all(_exists(practice[k]) for k in KEPT)
    [run] = AuditEvent.objects.filter(action=AuditEvent.Action.RETENTION_RUN)
    assert run.detail["trigger"] == "scheduled" and run.detail["coachees"] == 3
    out = io.StringIO()
    call_command("apply_retention", stdout=out)  # a second run finds nothing left
    assert "Retention: erased 0 coachee(s)" in out.getvalue()


def test_a_leap_day_counts_back_to_the_28th() -> None:
    assert years_before(date(2028, 2, 29), 1) == date(2027, 2, 28)
    assert years_before(date(2031, 6, 15), 5) == date(2026, 6, 15)


def test_another_coach_never_sees_the_list(
    frozen: None, bob_client: Client, bob: User, practice: dict[str, Coachee]
) -> None:
    RetentionPolicy.objects.create(coach=bob, years=1)
    html = bob_client.get(reverse("retention")).content.decode()
    assert "Bobs-Old-Coachee" in html
    assert not any(practice[k].name in html for k in DUE)
