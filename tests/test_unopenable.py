"""One note that does not open never takes a page down; `manage.py unopenable` finds and purges.

The two ways a real install gets there: a stored value damaged (a bad disk, a hand edit) and a
coachee's data key gone (a key directory that lost a file, a database restored from before an
erasure). Every main page still answers 200 and says "This note cannot be opened".
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem
from debrief.journal.models import Answer, CoachingSession
from debrief.privacy.keystore import forget_keys
from tests.conftest import make_coachee, make_session
from tests.test_export import reauthenticate

MESSAGE = "This note cannot be opened"


def _damage(table: str, column: str, pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        token = bytes(cursor.fetchone()[0])
        at = len(token) - 8  # a byte of the tag
        flipped = token[:at] + bytes((token[at] ^ 1,)) + token[at + 1 :]
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [flipped, pk])


@pytest.fixture
def broken(alice: User) -> dict[str, object]:
    priya = make_coachee(alice, "Priya Shah", icf_log_listing=True)
    maya = make_coachee(alice, "Maya Okafor", icf_log_listing=True)
    sessions = {}
    for who in (priya, maya):
        session = make_session(who)
        Answer.objects.create(
            reflection=session.reflection, prompt_key="main_topics", text="delegation at work"
        )
        Answer.objects.create(
            reflection=session.reflection, prompt_key="key_insights", text="listening more"
        )
        ActionItem.objects.create(
            coach=alice, coachee=who, session=session, owner="coachee", text="write the plan"
        )
        sessions[who.name] = session
    damaged = Answer.objects.get(
        reflection=sessions["Priya Shah"].reflection, prompt_key="main_topics"
    )
    _damage("journal_answer", "text", damaged.pk)
    (Path(settings.DEBRIEF_KEYS_DIR) / f"{maya.code}.key").unlink()
    forget_keys()
    return {"priya": priya, "maya": maya, "sessions": sessions, "damaged": damaged}


def _pages(broken: dict[str, object]) -> list[str]:
    priya, maya = broken["priya"], broken["maya"]
    assert isinstance(priya, Coachee) and isinstance(maya, Coachee)
    sessions = broken["sessions"]
    assert isinstance(sessions, dict)
    pages = [
        reverse("home"),
        reverse("coachee_list"),
        reverse("search") + "?q=delegation",
        reverse("search") + "?q=delegation&format=json",
        reverse("insights"),
        reverse("insights") + f"?coachee={priya.code}",
        reverse("icf_log"),
        reverse("icf_log_csv"),
        reverse("icf_log_xlsx"),
        reverse("practice"),
        reverse("practice_clients"),
        reverse("practice_progress", args=["icf"]),
    ]
    for who in (priya, maya):
        session: CoachingSession = sessions[who.name]
        pages += [
            reverse("coachee_detail", args=[who.code]),
            reverse("coachee_edit", args=[who.code]),
            reverse("reflection_view", args=[session.code]),
            reverse("reflection_edit", args=[session.code]),
            reverse("coachee_export_json", args=[who.code]),
            reverse("coachee_export_html", args=[who.code]),
        ]
    return pages


def test_every_main_page_answers_and_says_what_cannot_be_opened(
    alice_client: Client, broken: dict[str, object]
) -> None:
    reauthenticate(alice_client)  # exports ask for the password again
    shown = {}
    for url in _pages(broken):
        response = alice_client.get(url)
        assert response.status_code == 200, url
        shown[url] = MESSAGE in response.content.decode(errors="replace")
    maya = broken["maya"]
    priya = broken["priya"]
    assert isinstance(maya, Coachee) and isinstance(priya, Coachee)
    # The coach is told, where the value would be, and why.
    listing = alice_client.get(reverse("coachee_list")).content.decode()
    assert f"{MESSAGE}: its key is missing." in listing and "Priya Shah" in listing
    damaged_view = alice_client.get(
        reverse("reflection_view", args=[broken["sessions"]["Priya Shah"].code])  # type: ignore[index]
    ).content.decode()
    assert f"{MESSAGE}: it is damaged." in damaged_view and "listening more" in damaged_view
    assert shown[reverse("coachee_detail", args=[maya.code])]
    assert shown[reverse("home")] and shown[reverse("icf_log")]


def test_a_value_sealed_for_another_coachee_says_so(
    alice_client: Client, broken: dict[str, object]
) -> None:
    priya, maya = broken["priya"], broken["maya"]
    assert isinstance(priya, Coachee) and isinstance(maya, Coachee)
    other = make_coachee(priya.coach, "Sam Lee")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM coachees_coachee WHERE id = %s", [other.pk])
        token = cursor.fetchone()[0]
        cursor.execute(
            "UPDATE coachees_coachee SET background = %s WHERE id = %s", [token, priya.pk]
        )
    page = alice_client.get(reverse("coachee_detail", args=[priya.code])).content.decode()
    assert f"{MESSAGE}: it was sealed for another coachee." in page
    assert "Sam Lee" not in page


def test_unopenable_lists_without_content_and_purge_removes_and_audits(
    alice_client: Client, alice: User, broken: dict[str, object]
) -> None:
    priya, maya = broken["priya"], broken["maya"]
    assert isinstance(priya, Coachee) and isinstance(maya, Coachee)
    out = StringIO()
    call_command("unopenable", stdout=out)
    listed = out.getvalue()
    damaged = broken["damaged"]
    assert isinstance(damaged, Answer)
    assert f"journal.Answer\t{damaged.pk}\ttext\t{priya.code}\tit is damaged" in listed
    assert f"coachees.Coachee\t{maya.pk}\tname\t{maya.code}\tits key is missing" in listed
    assert "followup.ActionItem" in listed
    assert "delegation" not in listed and "Maya" not in listed and "Priya" not in listed
    assert Coachee.objects.filter(pk=maya.pk).exists()  # listing changes nothing

    out = StringIO()
    call_command("unopenable", "--purge", stdout=out)
    assert "erased 1 coachee(s)" in out.getvalue()
    assert not Coachee.objects.filter(pk=maya.pk).exists()
    assert Answer.objects.get(pk=damaged.pk).text == ""
    assert Answer.objects.get(reflection=damaged.reflection, prompt_key="key_insights").text == (
        "listening more"
    )
    purged = AuditEvent.objects.get(action=AuditEvent.Action.UNOPENABLE_PURGED)
    assert purged.detail == {"removed": {"journal.Answer.text": 1}}
    erased = AuditEvent.objects.get(action=AuditEvent.Action.COACHEE_ERASED)
    assert erased.detail["reason"] == "data key missing" and erased.coach == alice

    out = StringIO()
    call_command("unopenable", stdout=out)
    assert "Every stored note opens." in out.getvalue()
    for url in (reverse("home"), reverse("coachee_list"), reverse("insights")):
        page = alice_client.get(url)
        assert page.status_code == 200 and MESSAGE not in page.content.decode()


def test_a_form_posting_back_the_sentence_keeps_the_note_as_stored(
    alice_client: Client, broken: dict[str, object]
) -> None:
    maya = broken["maya"]
    assert isinstance(maya, Coachee)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM coachees_coachee WHERE id = %s", [maya.pk])
        stored = cursor.fetchone()[0]
    shown = Coachee.objects.get(pk=maya.pk).name
    response = alice_client.post(
        reverse("coachee_edit", args=[maya.code]),
        {"name": shown, "status": "paused"},
    )
    assert response.status_code == 302
    reloaded = Coachee.objects.get(pk=maya.pk)
    assert reloaded.status == "paused"
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM coachees_coachee WHERE id = %s", [maya.pk])
        assert cursor.fetchone()[0] == stored


def test_a_save_that_needs_a_missing_key_is_refused_with_a_message_not_a_500(
    transactional_db: None, alice_client: Client, broken: dict[str, object]
) -> None:
    # Transactional, like a server: the refused save rolls back its own transaction only.
    maya = broken["maya"]
    sessions = broken["sessions"]
    assert isinstance(maya, Coachee) and isinstance(sessions, dict)
    response = alice_client.post(
        reverse("coachee_edit", args=[maya.code]), {"name": "Maya O.", "status": "active"}
    )
    assert response.status_code == 503
    assert "will not make a new one" in response.content.decode()
    autosave = alice_client.post(
        reverse("reflection_edit", args=[sessions["Maya Okafor"].code]),
        {"p-obstacles": "a new answer"},
        HTTP_ACCEPT="application/json",
    )
    assert autosave.status_code == 503 and "Not saved" in autosave.json()["error"]
    assert not (Path(settings.DEBRIEF_KEYS_DIR) / f"{maya.code}.key").exists()
