"""The in-memory inverted index: right after edits, deletions and erasure, in both its segments.

The postings must find exactly what a plain scan of every shard's text finds; an edit moves a
session into the small delta segment and marks its old copy dead; a merge folds both into a new
base; forgetting a coachee leaves none of their words in memory. Words are folded and stemmed by
``lib/words.py`` on both sides, so accents and word forms match.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from debrief.accounts.models import User
from debrief.demo.practice import create_practice
from debrief.exchange.erasure import erase_coachee
from debrief.journal.models import Answer, CoachingSession
from debrief.lib.words import parse_query
from debrief.search import engine, index, postings
from debrief.search.engine import Filters, search
from tests.conftest import make_coachee, make_session


def found(coach: User, words: str) -> set[int]:
    return {
        h.session.id if h.session else -h.coachee_id
        for h in search(coach, parse_query(words), Filters())
    }


def scanned(coach: User, words: str) -> set[int]:
    """What a plain scan of every shard finds (the way search worked before the postings)."""
    view = index.index_for(coach.id)
    needles = parse_query(words).needles
    hits = set()
    for shard in view.sessions.values():
        names = view.people[shard.coachee_id].names
        present = [n in shard.text or n in names for n in needles]
        if all(present) and any(n in shard.text for n in needles):
            hits.add(shard.session_id or 0)
    for shard in view.profiles.values():
        if all(n in shard.text for n in needles):
            hits.add(-shard.coachee_id)
    return hits


def titles(client: Client, words: str, **params: str) -> list[str]:
    answer = client.get(reverse("search"), {"q": words, "format": "json", **params})
    assert answer.status_code == 200
    return [r["title"] for r in answer.json()["results"]]


@pytest.fixture
def notes(alice: User) -> dict[str, Any]:
    priya = make_coachee(alice, "Priya Shah")
    tom = make_coachee(alice, "Tom Okafor")
    sessions = [make_session(priya, n) for n in range(1, 4)] + [make_session(tom, 1)]
    texts = [
        "We met at the café; she was listening closely.",
        "Kayaking plans and the next step for the board.",
        "The step next to the board, then kayaks.",
        "Tom listened and took the next step calmly.",
    ]
    answers = [
        Answer.objects.create(reflection=s.reflection, prompt_key="main_topics", text=t)
        for s, t in zip(sessions, texts, strict=True)
    ]
    return {"priya": priya, "tom": tom, "sessions": sessions, "answers": answers}


@pytest.fixture
def base_then_delta(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Build the first index as one base, then keep every later change in the delta."""
    monkeypatch.setattr(postings, "MERGE_AT", 0)

    def later() -> None:
        monkeypatch.setattr(postings, "MERGE_AT", 1000)

    return later


def test_accents_and_word_forms_match_through_the_words_module(
    alice_client: Client, notes: dict[str, Any]
) -> None:
    assert titles(alice_client, "CAFE") == ["Session 1 with Priya Shah"]
    assert set(titles(alice_client, "listen")) == {
        "Session 1 with Priya Shah",
        "Session 1 with Tom Okafor",
    }
    assert set(titles(alice_client, "kayak")) == {
        "Session 2 with Priya Shah",
        "Session 3 with Priya Shah",
    }


def test_a_phrase_needs_its_terms_in_order(alice: User, notes: dict[str, Any]) -> None:
    s = notes["sessions"]
    assert found(alice, '"next step"') == {s[1].id, s[3].id}
    assert found(alice, "next step") == {s[1].id, s[2].id, s[3].id}
    assert found(alice, 'priya "next step"') == {s[1].id}


def test_an_edit_goes_to_the_delta_and_the_old_copy_is_dead(
    alice: User, notes: dict[str, Any], base_then_delta: Any
) -> None:
    s, answers = notes["sessions"], notes["answers"]
    assert found(alice, "kayaking") == {s[1].id, s[2].id}
    base_then_delta()
    answers[1].text = "Canoeing on the lake instead."
    answers[1].save()
    assert found(alice, "kayaking") == {s[2].id}
    assert found(alice, "canoeing") == {s[1].id}
    view = index.index_for(alice.id)
    assert len(view.postings.dead) == 1
    assert [sh.session_id for sh in view.postings.delta.shards] == [s[1].id]
    assert found(alice, "board") == scanned(alice, "board") == {s[2].id}


def test_a_new_and_a_deleted_session_are_right_at_once(
    alice: User, notes: dict[str, Any], base_then_delta: Any
) -> None:
    s = notes["sessions"]
    assert found(alice, "board") == {s[1].id, s[2].id}
    base_then_delta()
    s[2].delete()
    fresh = make_session(notes["tom"], 2)
    Answer.objects.create(reflection=fresh.reflection, prompt_key="main_topics", text="Boards")
    assert found(alice, "board") == {s[1].id, fresh.id}
    assert found(alice, "kayak") == {s[1].id}


def test_a_merge_folds_the_delta_into_a_new_base(
    alice: User, notes: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postings, "MERGE_AT", 1000)
    s, answers = notes["sessions"], notes["answers"]
    assert found(alice, "cafe") == {s[0].id}
    assert "caf" in index.index_for(alice.id).postings.words().split()  # its search form
    monkeypatch.setattr(postings, "MERGE_AT", 0)
    answers[0].text = "Orienteering."
    answers[0].save()
    assert found(alice, "orienteering") == {s[0].id}
    view = index.index_for(alice.id)
    assert not view.postings.dead and not view.postings.delta.shards
    assert "caf" not in view.postings.words().split()  # the old postings left memory


def test_erasure_takes_the_coachees_terms_out_of_the_postings(
    alice: User,
    notes: dict[str, Any],
    base_then_delta: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    found(alice, "board")
    base_then_delta()
    assert "kayak" in index.cached_text(alice.id).split()
    with django_capture_on_commit_callbacks(execute=True):
        erase_coachee(notes["priya"])
    held = index.cached_text(alice.id)
    for word in ("kayak", " caf ", "priya", "Priya"):
        assert word not in held
    assert "Tom" in held  # the other coachee's index stays in memory
    assert found(alice, "listen") == {notes["sessions"][3].id}


def test_the_postings_find_what_a_plain_scan_finds(alice: User) -> None:
    create_practice(alice, sessions=40, coachees=4, seed=5, today=timezone.localdate())
    words = [
        "confidence",
        "team",
        "next step",
        '"next step"',
        "feedback manager",
        "goal",
        "priya",
        "priya confidence",
    ]
    assert sum(bool(found(alice, w)) for w in words) >= 5  # the generator writes these
    for w in words:
        assert found(alice, w) == scanned(alice, w), w


def test_pages_read_facts_only_for_the_sessions_shown(
    alice: User, alice_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    priya = make_coachee(alice, "Priya Shah")
    start = date(2025, 1, 1)
    for n in range(1, 46):
        session = make_session(priya, n, date=start + timedelta(days=n))
        filler = " and more" * n  # a different length each: no two scores equal
        text = f"Confidence at work{filler}."
        Answer.objects.create(reflection=session.reflection, prompt_key="main_topics", text=text)
    read: list[int] = []
    real = engine._sessions

    def counting(coach: User, filters: Filters, ids: list[int]) -> Any:
        read.append(len(ids))
        return real(coach, filters, ids)

    monkeypatch.setattr(engine, "_sessions", counting)
    pages = [titles(alice_client, "confidence", page=str(p)) for p in (1, 2, 3)]
    assert [len(p) for p in pages] == [20, 20, 5]
    assert max(read) <= 20
    assert pages[0][0] == "Session 1 with Priya Shah"  # the shortest session ranks first


def test_equal_scores_are_newest_first_across_pages(alice: User, alice_client: Client) -> None:
    priya = make_coachee(alice, "Priya Shah")
    start = date(2025, 1, 1)
    for n in range(1, 31):
        session = make_session(priya, n, date=start + timedelta(days=(n * 7) % 31))
        Answer.objects.create(
            reflection=session.reflection, prompt_key="main_topics", text="Same words here."
        )
    every = list(search(alice, parse_query("words"), Filters()))
    assert [h.when for h in every] == sorted((h.when for h in every), reverse=True)
    paged = titles(alice_client, "words") + titles(alice_client, "words", page="2")
    assert paged == [f"Session {h.session.number} with Priya Shah" for h in every if h.session]


def test_sessions_of_another_coach_share_nothing(
    alice: User, bob: User, notes: dict[str, Any]
) -> None:
    bobs = make_session(make_coachee(bob, "Kay Ak"), 1)
    Answer.objects.create(reflection=bobs.reflection, prompt_key="main_topics", text="Kayaking")
    assert found(bob, "kayaking") == {bobs.id}
    assert bobs.id not in found(alice, "kayaking")
    assert CoachingSession.objects.filter(coach=alice).count() == 4
