"""The sealed snapshot of a coach's index: one value opened at a cold start, never a stale word.

A cold start (a new process: ``index.forget_all``) must find exactly what it found before,
opening the snapshot instead of every shard; an edit made after the snapshot was taken is
found and the old words are not; erasing a coachee, handing one over or deleting the coach's
account deletes the snapshot, and erasing destroys a key its key is made from, so a copy taken
before (an old backup) no longer opens; nothing of it is plain text in the database, and it
has no key file of its own.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from django.conf import settings
from django.db import connection

from debrief.accounts.models import User
from debrief.exchange.erasure import erase_coachee
from debrief.journal.models import Answer
from debrief.lib.sealing import Unopened, open_bytes
from debrief.lib.words import parse_query
from debrief.privacy.keystore import KeyError_, keystore
from debrief.search import index, snapshot
from debrief.search.engine import Filters, search
from debrief.search.models import SearchGeneration, SearchSnapshot
from tests.conftest import make_coachee, make_session

CANARY = "Canary-Tamarind-9034"


def found(coach: User, words: str) -> set[int]:
    hits = search(coach, parse_query(words), Filters())
    return {h.session.id if h.session else -h.coachee_id for h in hits}


@pytest.fixture(autouse=True)
def _fresh_index() -> None:
    index.forget_all()


@pytest.fixture
def practice(alice: User) -> dict[str, Any]:
    coachee = make_coachee(alice, "Priya Shah", background=f"{CANARY} background")
    other = make_coachee(alice, "Tom Okafor")
    first, second = make_session(coachee, 1), make_session(other, 1, date=date(2026, 3, 9))
    answer = Answer.objects.create(
        reflection=first.reflection, prompt_key="main_topics", text=f"{CANARY} kayaking"
    )
    Answer.objects.create(
        reflection=second.reflection, prompt_key="main_topics", text="kayaking and sailing"
    )
    assert found(alice, "kayaking") == {first.id, second.id}  # the first search takes it
    return {"coachee": coachee, "other": other, "first": first, "second": second, "a": answer}


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """The sessions whose shards are opened one by one (a cold start should open none)."""
    calls: list[int | None] = []
    real = index.open_documents

    def counting(coach_id: int, coachee: Any, session_id: int | None, token: str) -> Any:
        calls.append(session_id)
        return real(coach_id, coachee, session_id, token)

    monkeypatch.setattr(index, "open_documents", counting)
    return calls


def test_a_cold_start_opens_the_snapshot_and_finds_the_same(
    alice: User, practice: dict[str, Any], opened: list[int | None]
) -> None:
    row = SearchSnapshot.objects.get(coach=alice)
    assert row.shards == 4  # two sessions and two coachees
    words = ["kayaking", "sailing", "tamarind", "priya kayaking", "tom sailing", '"and sailing"']
    before = {w: found(alice, w) for w in words}
    index.forget_all()
    assert {w: found(alice, w) for w in words} == before
    assert before["priya kayaking"] == {practice["first"].id}
    assert opened == []  # not one shard opened on its own
    assert index.index_for(alice.id).people[practice["coachee"].id].display_name == "Priya Shah"


def test_the_snapshot_is_ciphertext_under_a_key_made_from_its_coachees_keys(
    alice: User, practice: dict[str, Any]
) -> None:
    row = SearchSnapshot.objects.get(coach=alice)
    coachees = {practice["coachee"].code, practice["other"].code}
    assert {UUID(hex=code) for code in row.owners.split()} == coachees
    keys = set(Path(settings.DEBRIEF_KEYS_DIR).glob("*.key"))
    SearchSnapshot.objects.all().delete()
    index.forget_all()
    assert found(alice, "kayaking")  # takes it again...
    assert SearchSnapshot.objects.filter(coach=alice).exists()
    assert set(Path(settings.DEBRIEF_KEYS_DIR).glob("*.key")) == keys  # ...making no key file
    row = SearchSnapshot.objects.get(coach=alice)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM search_searchsnapshot")
        stored = bytes(cursor.fetchone()[0])
    assert b"tamarind" not in stored.lower() and b"kayak" not in stored.lower()
    epoch = index._generation(alice.id)[0]
    aad = snapshot._aad(alice.id, epoch)
    assert snapshot.read(alice.id, epoch) is not None  # its own key opens it...
    for code in coachees:  # ...one coachee's key alone does not
        with pytest.raises(Unopened):
            open_bytes(keystore().data_key(code), stored, aad)


def test_an_edit_after_the_snapshot_is_found_and_the_old_words_are_not(
    alice: User, practice: dict[str, Any], opened: list[int | None]
) -> None:
    taken = SearchSnapshot.objects.get(coach=alice).generation
    answer = practice["a"]
    answer.text = "Canoeing instead"
    answer.save()
    index.forget_all()  # a new process, with a snapshot older than the edit
    assert found(alice, "kayaking") == {practice["second"].id}
    assert found(alice, "canoeing") == {practice["first"].id}
    assert opened == []  # the edited session is built from its rows, the rest from the snapshot
    # One changed session in four is not worth a new snapshot (at most a tenth, or 64).
    assert SearchSnapshot.objects.get(coach=alice).generation == taken


def test_erasure_shreds_the_snapshot_and_an_old_copy_no_longer_opens(
    alice: User, practice: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    row = SearchSnapshot.objects.get(coach=alice)
    backup = (row.owners, bytes(row.salt), bytes(row.sealed))  # as an old database backup
    epoch = index._generation(alice.id)[0]
    with django_capture_on_commit_callbacks(execute=True):
        erase_coachee(practice["coachee"])
    assert not SearchSnapshot.objects.filter(coach=alice).exists()
    # The copy's key needs the erased coachee's data key, which is destroyed.
    with pytest.raises(KeyError_):
        snapshot._key(snapshot._owners(backup[0]), backup[1], snapshot._aad(alice.id, epoch))
    SearchSnapshot.objects.create(
        coach=alice, generation=1, owners=backup[0], salt=backup[1], sealed=backup[2]
    )  # even put back in place, it does not open and nothing of it is used
    assert snapshot.read(alice.id, epoch) is None
    index.forget_all()
    assert found(alice, "tamarind") == set()
    assert found(alice, "kayaking") == {practice["second"].id}
    assert "canary" not in index.cached_text(alice.id)  # (tamarind: the word searched for)
    # The next snapshot holds the other coachee alone.
    fresh = SearchSnapshot.objects.get(coach=alice)
    assert fresh.owners == practice["other"].code.hex and fresh.shards == 2
    index.forget_all()
    assert found(alice, "tamarind") == set()
    assert "kayak" in index.cached_text(alice.id)  # the other coachee's words, from the snapshot
    assert "canary" not in index.cached_text(alice.id)


def test_a_hand_over_shreds_the_old_coachs_snapshot(
    alice: User, bob: User, practice: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    assert SearchSnapshot.objects.filter(coach=alice).exists()
    coachee = practice["coachee"]
    coachee.coach = bob
    with django_capture_on_commit_callbacks(execute=True):
        coachee.save()
    assert not SearchSnapshot.objects.filter(coach=alice).exists()


def test_saving_a_coachee_with_the_same_coach_keeps_the_snapshot(
    alice: User, practice: dict[str, Any]
) -> None:
    salt = bytes(SearchSnapshot.objects.get(coach=alice).salt)
    coachee = practice["other"]
    coachee.organisation = "Northwind"
    coachee.save()
    assert bytes(SearchSnapshot.objects.get(coach=alice).salt) == salt


def test_deleting_the_coach_deletes_the_snapshot(alice: User, practice: dict[str, Any]) -> None:
    assert SearchSnapshot.objects.filter(coach=alice).exists()
    alice.delete()
    assert not SearchSnapshot.objects.exists()


def test_a_snapshot_of_shards_read_before_a_change_is_not_stored(
    alice: User, practice: dict[str, Any]
) -> None:
    generation = SearchGeneration.objects.get(coach=alice).value
    before = bytes(SearchSnapshot.objects.get(coach=alice).sealed)
    index.bump(alice.id)  # an erasure or edit committed while the snapshot was being made
    epoch = index._generation(alice.id)[0]
    assert not snapshot.write(alice.id, epoch, generation, [practice["other"].code], [], [])
    assert bytes(SearchSnapshot.objects.get(coach=alice).sealed) == before


def test_a_snapshot_that_does_not_open_is_passed_over(
    alice: User, practice: dict[str, Any]
) -> None:
    sealed = bytearray(SearchSnapshot.objects.get(coach=alice).sealed)
    sealed[-1] ^= 1
    SearchSnapshot.objects.filter(coach=alice).update(sealed=bytes(sealed))
    index.forget_all()
    assert found(alice, "kayaking") == {practice["first"].id, practice["second"].id}
    assert found(alice, "priya kayaking") == {practice["first"].id}


def test_another_coachs_snapshot_does_not_open_as_yours(
    alice: User, bob: User, practice: dict[str, Any]
) -> None:
    theirs = make_coachee(bob, "Sam Lee")
    Answer.objects.create(
        reflection=make_session(theirs).reflection, prompt_key="main_topics", text="Rowing"
    )
    assert found(bob, "rowing")
    alices = SearchSnapshot.objects.get(coach=alice)
    SearchSnapshot.objects.filter(coach=bob).update(
        owners=alices.owners, salt=alices.salt, sealed=alices.sealed
    )
    assert snapshot.read(bob.id, index._generation(bob.id)[0]) is None
    index.forget_all()
    assert found(bob, "kayaking") == set()
    assert found(bob, "rowing")
