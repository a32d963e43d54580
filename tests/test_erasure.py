"""Erasure: the coach confirms, then every row about the coachee goes and their key with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.coachees.models import Coachee
from debrief.exchange import erasure
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.insights.models import SessionSummary
from debrief.journal.models import Answer, CoachingSession, Reflection
from tests.conftest import make_coachee, make_session
from tests.test_export import CANARY, full_coachee, reauthenticate


def _erase_url(coachee: Coachee) -> str:
    return reverse("coachee_erase", args=[coachee.code])


def _key_file(code: UUID) -> Path:
    return Path(settings.DEBRIEF_KEYS_DIR) / f"{code}.key"


def _codes_about(coachee: Coachee) -> list[UUID]:
    sessions = list(CoachingSession.objects.filter(coachee=coachee))
    return [
        coachee.code,
        *(s.code for s in sessions),
        *Reflection.objects.filter(session__in=sessions).values_list("code", flat=True),
        *ActionItem.objects.filter(coachee=coachee).values_list("code", flat=True),
        *Goal.objects.filter(coachee=coachee).values_list("code", flat=True),
    ]


def _cells(table: str) -> list[str]:
    """Every value of every row of ``table`` as text; session data decoded first."""
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quoted}")  # the name comes from introspection
        rows = cursor.fetchall()
    cells = []
    for row in rows:
        for value in row:
            if isinstance(value, memoryview | bytes):
                value = bytes(value).decode("latin-1")
            cells.append(str(value))
        if table == "django_session":
            cells.append(str(SessionStore().decode(row[1])))
    return cells


def _mentions(needles: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for table in connection.introspection.table_names():
        for cell in _cells(table):
            hits = [n for n in needles if n.lower() in cell.lower()]
            if hits:
                found.setdefault(table, []).extend(hits)
    return found


def test_erasing_asks_for_the_password_first(alice_client: Client, alice: User) -> None:
    coachee = full_coachee(alice)
    for response in (
        alice_client.get(_erase_url(coachee)),
        alice_client.post(_erase_url(coachee), {"confirm_name": CANARY}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert Coachee.objects.filter(pk=coachee.pk).exists()
    # The typed name is not kept in the session to be replayed after the password.
    assert "account_reauthentication_state" not in alice_client.session


def test_confirmation_page_lists_exactly_what_will_go(alice_client: Client, alice: User) -> None:
    coachee = make_coachee(alice, name="Ruth Adeyemi")
    first, second = make_session(coachee, number=1), make_session(coachee, number=2)
    for key in ("main_topics", "key_insights", "obstacles"):
        Answer.objects.create(reflection=first.reflection, prompt_key=key, text="x")
    for n in range(4):
        ActionItem.objects.create(
            coach=alice, coachee=coachee, session=second, owner="coach", text=f"Do {n}"
        )
    make_session(make_coachee(alice, name="Someone else"), number=1)  # not counted
    reauthenticate(alice_client)
    html = alice_client.get(_erase_url(coachee)).content.decode()
    assert "Erase Ruth Adeyemi?" in html
    assert "<li>2 sessions</li>" in html
    assert "<li>2 reflections, holding 3 answers</li>" in html
    assert "<li>4 action items, for them and for you</li>" in html
    assert "Their data key is destroyed as well" in html
    assert "cannot be read from any backup" in html
    assert "only a pseudonymous reference" in html
    assert "type their name: Ruth Adeyemi" in html


def test_a_wrong_name_erases_nothing(alice_client: Client, alice: User) -> None:
    coachee = full_coachee(alice)
    reauthenticate(alice_client)
    response = alice_client.post(_erase_url(coachee), {"confirm_name": "Someone else"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing has been erased." in html
    assert f"Type {CANARY} exactly as shown" in html
    assert Coachee.objects.filter(pk=coachee.pk).exists()
    assert _key_file(coachee.code).exists()


def test_the_name_matches_regardless_of_case_and_spacing(alice_client: Client, alice: User) -> None:
    coachee = make_coachee(alice, name="Ruth  Adeyemi", preferred_name="Ruthie")
    reauthenticate(alice_client)
    response = alice_client.post(_erase_url(coachee), {"confirm_name": "  ruth adeyemi "})
    assert response["Location"] == reverse("coachee_list")
    assert not Coachee.objects.filter(pk=coachee.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_erasure_leaves_no_row_mentioning_the_coachee_and_destroys_the_key(
    alice: User, bob: User
) -> None:
    alice_client, bob_client = Client(), Client()
    alice_client.force_login(alice)
    bob_client.force_login(bob)
    coachee = full_coachee(alice)
    second = make_session(coachee, number=2)
    goal = Goal.objects.create(coach=alice, coachee=coachee, title=f"{CANARY} goal")
    GoalProgress.objects.create(coach=alice, goal=goal, session=second, score=4, note=CANARY)
    earlier = ActionItem.objects.filter(coachee=coachee).first()
    assert earlier is not None
    ActionReview.objects.create(
        coach=alice, action=earlier, session=second, choice="carry", note=CANARY
    )
    kept = full_coachee(alice, name="Kept-Coachee-1")
    bobs = full_coachee(bob, name="Bobs-Coachee-2")
    session = coachee.sessions.get(number=1)
    # Traces in the audit trail: alice's export, and bob's refused visit (in bob's trail).
    reauthenticate(alice_client)
    assert alice_client.get(reverse("coachee_export_json", args=[coachee.code])).status_code == 200
    assert bob_client.get(reverse("reflection_view", args=[session.code])).status_code == 404
    assert bob_client.get(reverse("coachee_detail", args=[coachee.code])).status_code == 404
    insights = reverse("insights") + f"?coachee={coachee.code}"
    assert alice_client.get(insights).status_code == 200  # her sessions' summaries are built
    summarised = SessionSummary.objects.filter(reflection__session__coachee=coachee)
    reflection_ids = list(summarised.values_list("reflection_id", flat=True))
    assert len(reflection_ids) == 2
    codes = _codes_about(coachee)
    needles = [CANARY, *(str(c) for c in codes), *(c.hex for c in codes)]
    assert _mentions(needles), "the check finds nothing even before erasure"
    assert _key_file(coachee.code).exists()

    response = alice_client.post(_erase_url(coachee), {"confirm_name": CANARY})

    assert response["Location"] == reverse("coachee_list")
    assert _mentions(needles) == {}
    assert not _key_file(coachee.code).exists()
    assert not SessionSummary.objects.filter(reflection_id__in=reflection_ids).exists()
    # What the trail keeps: one pseudonym in place of the codes, and the counts.
    erased = AuditEvent.objects.get(action=AuditEvent.Action.COACHEE_ERASED)
    assert erased.subject.startswith("erased-") and len(erased.subject) == 19
    assert erased.detail == {
        "sessions": 2,
        "reflections": 2,
        "answers": 2,
        "action_items": 2,
        "goals": 1,
        "feedback": 0,
    }
    assert not GoalProgress.objects.exists() and not ActionReview.objects.exists()
    export = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert export.subject == erased.subject
    refused = AuditEvent.objects.for_coach(bob).filter(action=AuditEvent.Action.ACCESS_DENIED)
    assert [e.subject for e in refused] == [erased.subject] * 2
    assert all(erased.subject in e.detail["path"] for e in refused)
    # Everyone else's notes are untouched and still open.
    assert Coachee.objects.get(pk=kept.pk).background == "Kept-Coachee-1 background <b>bold</b>"
    assert Coachee.objects.get(pk=bobs.pk).name == "Bobs-Coachee-2"
    assert _key_file(kept.code).exists()
    # The message after erasure names nobody (it waits in the session).
    page = alice_client.get(reverse("coachee_list")).content.decode()
    assert "Erased, with 2 sessions and 2 action items" in page
    assert CANARY not in page


@pytest.mark.django_db(transaction=True)
def test_a_failed_erasure_changes_nothing(alice: User, monkeypatch: pytest.MonkeyPatch) -> None:
    coachee = full_coachee(alice)
    from debrief.audit.log import record

    export = record(AuditEvent.Action.EXPORT, coach=alice, subject=str(coachee.code))

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(erasure, "record", broken)
    with pytest.raises(RuntimeError):
        erasure.erase_coachee(coachee)
    assert Coachee.objects.get(pk=coachee.pk).name == CANARY
    assert Answer.objects.filter(reflection__session__coachee=coachee).count() == 2
    assert ActionItem.objects.filter(coachee=coachee).count() == 2
    assert AuditEvent.objects.get(pk=export.pk).subject == str(coachee.code)
    assert _key_file(coachee.code).exists()


def test_each_erasure_gets_its_own_pseudonym(alice: User) -> None:
    first, second = make_coachee(alice), make_coachee(alice)
    assert erasure.erase_coachee(first).pseudonym != erasure.erase_coachee(second).pseudonym
