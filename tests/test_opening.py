"""Opening sealed values: once per row loaded, with each key made ready once, and forgotten."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem
from debrief.journal.models import Answer, CoachingSession
from debrief.lib.sealing import cipher
from debrief.privacy import keystore as keystore_module
from debrief.privacy.fields import Sealed
from debrief.privacy.keystore import Keystore, keystore
from tests.conftest import make_session


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []
    ready = Keystore.cipher

    def cipher(self: Keystore, name: str) -> Any:
        asked.append(name)
        return ready(self, name)

    monkeypatch.setattr(Keystore, "cipher", cipher)
    return asked


def test_a_value_is_opened_once_per_row_however_often_it_is_read(
    session: CoachingSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    Answer.objects.create(reflection=session.reflection, prompt_key="topic", text="Delegating")
    asked = _counting(monkeypatch)
    answer = Answer.objects.get(reflection=session.reflection, prompt_key="topic")
    assert asked == []  # loading keeps the sealed value
    assert [answer.text, answer.text, f"{answer.text}"] == ["Delegating"] * 3
    assert asked == [session.coachee.code.hex]


def test_values_of_one_coachee_share_one_ready_key(
    session: CoachingSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(5):
        Answer.objects.create(reflection=session.reflection, prompt_key=f"p{n}", text=f"Note {n}")
    keystore().forget()
    made: list[bytes] = []

    def counted(key: bytes) -> Any:
        made.append(key)
        return cipher(key)

    monkeypatch.setattr(keystore_module, "cipher", counted)
    texts = [a.text for a in Answer.objects.filter(reflection=session.reflection)]
    assert sorted(texts) == [f"Note {n}" for n in range(5)]
    assert made == [keystore().data_key(session.coachee.code)]


def test_a_value_whose_key_name_is_not_a_code_reads_as_damaged(session: CoachingSession) -> None:
    answer = Answer(reflection=session.reflection, prompt_key="topic")
    answer.__dict__["text"] = Sealed("v1.not-a-code.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert answer.text == "This note cannot be opened: it is damaged."


@pytest.mark.django_db(transaction=True)
def test_erasing_forgets_the_ready_key_in_this_process_too(alice: User) -> None:
    coachee = Coachee.objects.create(coach=alice, name="Ada", background="notes")
    action = ActionItem.objects.create(
        coach=alice, coachee=coachee, session=make_session(coachee), owner="coach", text="Call"
    )
    assert ActionItem.objects.get(pk=action.pk).text == "Call"  # its key is ready now
    assert coachee.code.hex in keystore()._ciphers
    with connection.cursor() as cursor:  # what an old backup would hold
        cursor.execute("SELECT text FROM followup_actionitem WHERE id = %s", [action.pk])
        backed_up = cursor.fetchone()[0]
    coachee.delete()
    assert coachee.code.hex not in keystore()._ciphers
    restored = ActionItem(code=action.code, coach=alice, coachee_id=1, session_id=1, owner="coach")
    restored.__dict__["text"] = Sealed(backed_up)
    assert restored.text == "This note cannot be opened: its key is missing."
