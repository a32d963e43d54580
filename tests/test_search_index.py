"""The search index: sealed at rest, never stale after an edit, deletion, erasure or rotation."""

from __future__ import annotations

import os
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.exchange.erasure import erase_coachee
from debrief.firm.models import Membership
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.journal.models import Answer, CoachingSession
from debrief.lib.words import parse_query
from debrief.privacy.keystore import reset_keystore
from debrief.search import index
from debrief.search.engine import Filters, search
from debrief.search.models import SearchGeneration, SearchShard
from tests.conftest import make_coachee, make_session

CANARY = "Canary-Tamarind-9034"


def found(coach: User, words: str, **filters: Any) -> set[int]:
    """Session ids (or -coachee id for a coachee's own notes) that a search finds."""
    hits = search(coach, parse_query(words), Filters(**filters))
    return {h.session.id if h.session else -h.coachee_id for h in hits}


@pytest.fixture
def practice(alice: User) -> dict[str, Any]:
    coachee = make_coachee(alice, "Priya Shah", background=f"{CANARY} background")
    first, second = make_session(coachee, 1), make_session(coachee, 2, date=date(2026, 3, 9))
    answer = Answer.objects.create(
        reflection=first.reflection, prompt_key="main_topics", text=f"{CANARY} kayaking"
    )
    return {"coachee": coachee, "first": first, "second": second, "answer": answer}


@pytest.fixture(autouse=True)
def _fresh_index() -> None:
    index.forget_all()


def test_shards_hold_ciphertext_only(alice: User, practice: dict[str, Any]) -> None:
    assert found(alice, "kayaking") == {practice["first"].id}
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM search_searchshard")
        stored = [row[0] for row in cursor.fetchall()]
    assert len(stored) == 3  # two sessions and one coachee
    assert all(value.startswith(f"v2.{practice['coachee'].code.hex}.") for value in stored)
    dump = "\n".join(stored).lower()
    assert "kayak" not in dump and "tamarind" not in dump and "background" not in dump


def test_an_edit_is_found_at_once_and_the_old_words_are_gone(
    alice: User, practice: dict[str, Any]
) -> None:
    assert found(alice, "kayaking") == {practice["first"].id}
    before = SearchGeneration.objects.get(coach=alice).value
    answer = practice["answer"]
    answer.text = "Canoeing instead"
    answer.save()
    assert SearchGeneration.objects.get(coach=alice).value > before
    assert not SearchShard.objects.filter(session=practice["first"]).exists()
    assert found(alice, "kayaking") == set()
    assert found(alice, "canoeing") == {practice["first"].id}


def test_another_process_sees_the_edit(alice: User, practice: dict[str, Any]) -> None:
    """A copy in memory made before an edit elsewhere is refreshed by the generation."""
    assert found(alice, "kayaking") == {practice["first"].id}
    stale = index._entries[alice.id].view
    answer = practice["answer"]
    answer.text = "Canoeing instead"
    answer.save()
    index.forget_all()  # this process rebuilds and stores the fresh shard...
    found(alice, "canoeing")
    index._entries[alice.id].view = stale  # ...while another process still holds the old copy
    assert found(alice, "kayaking") == set()
    assert found(alice, "canoeing") == {practice["first"].id}


def test_deleting_a_session_or_an_action_removes_its_words(
    alice: User, practice: dict[str, Any]
) -> None:
    second = practice["second"]
    action = ActionItem.objects.create(
        coach=alice, coachee=practice["coachee"], session=second, owner="coach", text="Rowing"
    )
    assert found(alice, "rowing") == {second.id}
    action.delete()
    assert found(alice, "rowing") == set()
    assert found(alice, "kayaking") == {practice["first"].id}
    practice["first"].delete()
    assert found(alice, "kayaking") == set()


def test_deleting_a_reflection_alone_removes_its_answers(
    alice: User, practice: dict[str, Any]
) -> None:
    assert found(alice, "kayaking") == {practice["first"].id}
    practice["first"].reflection.delete()
    assert found(alice, "kayaking") == set()


def test_a_cascade_reaching_another_session_refreshes_it(
    alice: User, practice: dict[str, Any]
) -> None:
    first, second = practice["first"], practice["second"]
    action = ActionItem.objects.create(
        coach=alice, coachee=practice["coachee"], session=first, owner="coachee", text="Swim"
    )
    ActionReview.objects.create(
        coach=alice, action=action, session=second, choice="done", note="Orienteering went well"
    )
    goal = Goal.objects.create(coach=alice, coachee=practice["coachee"], title="Fitness")
    GoalProgress.objects.create(coach=alice, goal=goal, session=second, note="Abseiling")
    assert found(alice, "orienteering") == {second.id}
    assert found(alice, "abseiling") == {second.id}
    first.delete()  # takes the action and, with it, its review in the second session
    assert found(alice, "orienteering") == set()
    goal.delete()  # takes its progress note in the second session
    assert found(alice, "abseiling") == set()


def test_erasure_leaves_nothing_of_the_coachee_in_the_index(
    alice: User, practice: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    other = make_coachee(alice, "Tom Okafor")
    Answer.objects.create(
        reflection=make_session(other).reflection, prompt_key="main_topics", text="kayaking too"
    )
    assert found(alice, "kayaking") == {practice["first"].id, other.sessions.get().id}
    assert "tamarind" in index.cached_text(alice.id)
    with django_capture_on_commit_callbacks(execute=True):
        erase_coachee(practice["coachee"])
    assert not SearchShard.objects.filter(coachee_id=practice["coachee"].id).exists()
    # Gone from this process's memory at once, before any search; the others' words stay.
    assert "tamarind" not in index.cached_text(alice.id)
    assert "kayak" in index.cached_text(alice.id)
    assert found(alice, "kayaking") == {other.sessions.get().id}
    assert found(alice, "tamarind") == set()


def test_the_index_survives_a_key_rotation_unchanged(alice: User, practice: dict[str, Any]) -> None:
    assert found(alice, "kayaking") == {practice["first"].id}
    shards = set(SearchShard.objects.values_list("id", "sealed"))
    call_command("rotate_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
    reset_keystore()
    index.forget_all()  # a new process: the shards are read again from the database
    assert found(alice, "kayaking") == {practice["first"].id}
    assert set(SearchShard.objects.values_list("id", "sealed")) == shards


def test_a_shard_moved_to_another_session_does_not_open_and_is_rebuilt(
    alice: User, practice: dict[str, Any]
) -> None:
    first, second = practice["first"], practice["second"]
    assert found(alice, "kayaking") == {first.id}
    moved = SearchShard.objects.get(session=first).sealed
    SearchShard.objects.filter(session=second).update(sealed=moved)
    index.forget_all()
    assert found(alice, "kayaking") == {first.id}


def test_a_shard_built_from_text_that_changed_meanwhile_is_not_stored(
    alice: User, practice: dict[str, Any]
) -> None:
    first = practice["first"]
    found(alice, "kayaking")
    generation = SearchGeneration.objects.get(coach=alice).value
    index.bump(alice.id)  # an edit committed while the shard was being built
    row = SearchShard(coach=alice, coachee=practice["coachee"], session=first, stamp=generation)
    SearchShard.objects.filter(session=first).delete()
    assert index._persist(alice.id, generation, [row]) == [None]
    assert not SearchShard.objects.filter(session=first).exists()


def test_sessions_created_in_bulk_are_built_at_the_next_search(alice: User) -> None:
    coachee = make_coachee(alice)
    session = make_session(coachee)
    assert found(alice, "paddling") == set()
    # A bulk write (the demo generator) sends no signals; a new session has no shard yet.
    SearchShard.objects.filter(session=session).delete()
    index.bump(alice.id)
    Answer.objects.bulk_create(
        [Answer(reflection=session.reflection, prompt_key="main_topics", text="Paddling")]
    )
    assert found(alice, "paddling") == {session.id}


def test_a_new_account_never_gets_a_deleted_accounts_index(alice: User, bob: User) -> None:
    coachee = make_coachee(bob)
    Answer.objects.create(
        reflection=make_session(coachee).reflection, prompt_key="main_topics", text="Kayaking"
    )
    assert found(bob, "kayaking")
    bob_id = bob.id
    bob.delete()
    newcomer = User.objects.create_user(email="new@example.com")
    User.objects.filter(pk=newcomer.pk).update(id=bob_id)  # a reused row id (SQLite can)
    Membership.objects.filter(user_id=newcomer.pk).update(user_id=bob_id)  # its roles follow
    newcomer = User.objects.get(pk=bob_id)
    assert found(newcomer, "kayaking") == set()


def test_each_coach_has_their_own_index(alice: User, bob: User, practice: dict[str, Any]) -> None:
    theirs = make_coachee(bob)
    Answer.objects.create(
        reflection=make_session(theirs).reflection, prompt_key="main_topics", text="Kayaking"
    )
    assert found(alice, "kayaking") == {practice["first"].id}
    assert found(bob, "kayaking") == {CoachingSession.objects.get(coachee=theirs).id}
    assert "tamarind" in index.cached_text(alice.id)
    assert "tamarind" not in index.cached_text(bob.id)
    assert set(SearchShard.objects.filter(coach=bob).values_list("coachee_id", flat=True)) == {
        theirs.id
    }


def test_a_coachee_deleted_with_their_coach_leaves_no_shards(
    alice: User, practice: dict[str, Any]
) -> None:
    found(alice, "kayaking")
    alice.delete()
    assert not SearchShard.objects.exists()
    assert not Coachee.objects.exists()


def test_the_index_can_be_built_ahead_of_the_first_search(
    alice: User, practice: dict[str, Any]
) -> None:
    SearchShard.objects.all().delete()
    out = StringIO()
    call_command("build_search_index", stdout=out)
    assert f"Coach {alice.id}: 2 sessions and 1 coachees indexed" in out.getvalue()
    assert SearchShard.objects.filter(coach=alice).count() == 3
    assert index.cached_text(alice.id) == ""  # nothing kept in the command's memory
