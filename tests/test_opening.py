"""Opening sealed values: once per row loaded, with each key made ready once, and forgotten."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem
from debrief.journal.models import Answer, CoachingSession
from debrief.lib.sealing import BINARY, b64encode, cipher, seal_bytes
from debrief.privacy import keystore as keystore_module
from debrief.privacy.fields import Sealed
from debrief.privacy.keystore import Keystore, keystore, reset_keystore
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
    answer.__dict__["text"] = Sealed("v2.not-a-code.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert answer.text == "This note cannot be opened: it is damaged."


@pytest.mark.django_db(transaction=True)
def test_erasing_forgets_the_ready_key_in_this_process_too(alice: User) -> None:
    coachee = Coachee.objects.create(coach=alice, name="Ada", background="notes")
    action = ActionItem.objects.create(
        coach=alice, coachee=coachee, session=make_session(coachee), owner="coach", text="Call"
    )
    assert ActionItem.objects.get(pk=action.pk).text == "Call"  # its key is ready now
    head = bytes((BINARY,)) + coachee.code.bytes
    assert head in keystore().by_head
    with connection.cursor() as cursor:  # what an old backup would hold
        cursor.execute("SELECT text FROM followup_actionitem WHERE id = %s", [action.pk])
        backed_up = bytes(cursor.fetchone()[0])
    coachee.delete()
    assert head not in keystore().by_head
    assert f"v2.{coachee.code.hex}" not in keystore().by_head
    restored = ActionItem(code=action.code, coach=alice, coachee_id=1, session_id=1, owner="coach")
    restored.__dict__["text"] = Sealed(backed_up)
    assert restored.text == "This note cannot be opened: its key is missing."


def test_a_value_whose_key_is_ready_opens_without_asking_the_keystore_again(
    session: CoachingSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("topic", "insight"):
        Answer.objects.create(reflection=session.reflection, prompt_key=key, text=f"On {key}")
    asked = _counting(monkeypatch)
    texts = [a.text for a in Answer.objects.filter(reflection=session.reflection)]
    assert sorted(texts) == ["On insight", "On topic"]
    assert asked == [session.coachee.code.hex]  # the first made the key ready; the second used it


def _stored(answer: Answer) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM journal_answer WHERE id = %s", [answer.pk])
        return bytes(cursor.fetchone()[0])


def _flip(token: bytes, at: int) -> bytes:
    return token[:at] + bytes((token[at] ^ 1,)) + token[at + 1 :]


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda token, other: other, "it is damaged"),  # another row's value
        (lambda token, other: _flip(token, len(token) - 5), "it is damaged"),  # the tag
        (lambda token, other: _flip(token, 20), "it is damaged"),  # the nonce
        (lambda token, other: _flip(token, 30), "it is damaged"),  # the ciphertext
        (lambda token, other: token[:30] + b"...." + token[30:], "it is damaged"),  # bytes added
        (lambda token, other: token[:-8], "it is damaged"),  # cut short
        (lambda token, other: token[:20], "it is damaged"),  # shorter than a nonce and a tag
        (lambda token, other: b"\x09" + token[1:], "it is damaged"),  # no such format
    ],
)
def test_a_tampered_value_is_refused_when_its_key_is_ready(
    session: CoachingSession, tamper: Any, reason: str
) -> None:
    first = Answer.objects.create(reflection=session.reflection, prompt_key="a", text="Mine")
    second = Answer.objects.create(reflection=session.reflection, prompt_key="b", text="Other")
    assert Answer.objects.get(pk=first.pk).text == "Mine"  # the key is ready now
    assert bytes((BINARY,)) + session.coachee.code.bytes in keystore().by_head
    bad = tamper(_stored(first), _stored(second))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE journal_answer SET text = %s WHERE id = %s", [bad, first.pk])
    assert Answer.objects.get(pk=first.pk).text == f"This note cannot be opened: {reason}."


def test_a_value_sealed_for_another_coachee_is_refused_when_both_keys_are_ready(
    session: CoachingSession, alice: User
) -> None:
    other = make_session(Coachee.objects.create(coach=alice, name="Ada"))
    mine = Answer.objects.create(reflection=session.reflection, prompt_key="a", text="Mine")
    theirs = Answer.objects.create(reflection=other.reflection, prompt_key="a", text="Theirs")
    assert [Answer.objects.get(pk=a.pk).text for a in (mine, theirs)] == ["Mine", "Theirs"]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE journal_answer SET text = %s WHERE id = %s", [_stored(theirs), mine.pk]
        )
    moved = Answer.objects.get(pk=mine.pk).text
    assert moved == "This note cannot be opened: it was sealed for another coachee."


def test_a_value_in_the_first_format_still_opens_on_a_row_and_in_a_loop(
    session: CoachingSession,
) -> None:
    # v1.<key>.<base64url, unpadded>, as every value was written until 2026-12 (the migration
    # to bytes keeps the text's bytes): read forever, by the fast path once the key is ready
    # as by ``open`` before.
    answer = Answer.objects.create(reflection=session.reflection, prompt_key="topic", text="New")
    assert _stored(answer).startswith(bytes((BINARY,)) + session.coachee.code.bytes)
    field = Answer._meta.get_field("text")
    key = keystore().data_key(session.coachee.code)
    sealed = seal_bytes(key, b"Written in 2025", field._aad(answer.private_row()))
    old = f"v1.{session.coachee.code.hex}.{b64encode(sealed)}".encode()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE journal_answer SET text = %s WHERE id = %s", [old, answer.pk])
    reset_keystore()  # the first read goes through ``open`` and makes the key ready
    assert Answer.objects.get(pk=answer.pk).text == "Written in 2025"
    assert f"v1.{session.coachee.code.hex}" in keystore().by_head
    assert Answer.objects.get(pk=answer.pk).text == "Written in 2025"  # the fast path
    code, row = session.coachee.code, answer.private_row()
    assert field.read_many([old, _stored(answer)], [row, row], code) == ["Written in 2025"] * 2
