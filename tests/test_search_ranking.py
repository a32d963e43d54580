"""Ranking only the page's candidates gives the ranking of them all; a page reads what it shows.

The engine scores every match but orders only the first ``page x size`` of them (``heapq``,
ties kept whole); the passages open only the answers shown. These tests compare the pages, read
over the front door one after another, with a BM25 ranking of every match computed here from the
index's own texts, and count what a page reads.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from debrief.accounts.models import User
from debrief.journal.models import Answer, CoachingSession
from debrief.lib.words import parse_query
from debrief.search import index
from tests.conftest import make_coachee, make_session


def page(client: Client, words: str, number: int = 1) -> dict[str, Any]:
    answer = client.get(reverse("search"), {"q": words, "format": "json", "page": str(number)})
    assert answer.status_code == 200, answer.content
    return answer.json()


def every_page(client: Client, words: str) -> list[dict[str, Any]]:
    shown, number = [], 1
    while True:
        found = page(client, words, number)
        shown.extend(found["results"])
        if not found["has_next"]:
            return shown
        number += 1


def reference(coach: User, words: str) -> list[tuple[int, float]]:
    """(session id, score) of every match: BM25 over the whole index, equal scores newest first."""
    view = index.index_for(coach.id)
    (needle,) = parse_query(words).needles
    shards = [*view.sessions.values(), *view.profiles.values()]
    scope = len(shards)
    df = sum(1 for s in shards if needle in s.text)
    idf = math.log(1 + (scope - df + 0.5) / (df + 0.5))
    avg = max(view.length / scope, 1.0)
    dates = dict(CoachingSession.objects.filter(coach=coach).values_list("id", "date"))
    scored = []
    for shard in view.sessions.values():
        tf = shard.text.count(needle)
        if tf:
            norm = 1.2 * (1 - 0.75 + 0.75 * shard.length / avg)
            scored.append((shard.session_id or 0, idf * tf * 2.2 / (tf + norm)))
    scored.sort(key=lambda pair: (round(pair[1], 9), dates[pair[0]]), reverse=True)
    return scored


def tied_practice(coach: User, sessions: int = 49) -> list[CoachingSession]:
    """Groups of seven sessions with the same text (ties that straddle the page's end, at 20),
    each group mentioning the word a different number of times; dates all different."""
    priya = make_coachee(coach, "Priya Shah")
    made = []
    for n in range(1, sessions + 1):
        when = date(2025, 1, 1) + timedelta(days=(n * 11) % 97)
        session = make_session(priya, n, date=when)
        times = 1 + (n % 7)  # seven groups of equal texts
        text = " ".join(["Confidence grew."] * times) + " Then we planned the quarter."
        Answer.objects.create(reflection=session.reflection, prompt_key="main_topics", text=text)
        made.append(session)
    return made


def test_pages_in_turn_give_the_ranking_of_every_match(alice: User, alice_client: Client) -> None:
    sessions = tied_practice(alice)
    by_id = {s.id: s for s in sessions}
    expected = reference(alice, "confidence")
    shown = every_page(alice_client, "confidence")
    assert len(shown) == len(expected) == 49
    assert [r["title"] for r in shown] == [
        f"Session {by_id[sid].number} with Priya Shah" for sid, _ in expected
    ]
    assert [r["score"] for r in shown] == [round(score, 4) for _, score in expected]
    # The page's end falls inside a group of equal scores: the groups really do straddle it.
    assert round(expected[19][1], 9) == round(expected[20][1], 9)


def test_a_later_page_alone_shows_what_paging_through_shows(
    alice: User, alice_client: Client
) -> None:
    tied_practice(alice)
    first_pass = every_page(alice_client, "confidence")
    index.forget(alice.id)  # a fresh process: page 2 asked first
    second = page(alice_client, "confidence", 2)["results"]
    assert [r["title"] for r in second] == [r["title"] for r in first_pass[20:40]]


def test_each_passage_comes_from_its_own_session(alice: User, alice_client: Client) -> None:
    priya = make_coachee(alice, "Priya Shah")
    for n in range(1, 31):
        session = make_session(priya, n, date=date(2025, 1, 1) + timedelta(days=n))
        for key in ("main_topics", "key_insights", "primary_goals", "self_learning"):
            if (n + len(key)) % 3:  # each session answers its own mix of prompts
                text = f"Marker{n}x{key} and boundaries."
                Answer.objects.create(reflection=session.reflection, prompt_key=key, text=text)
    results = every_page(alice_client, "boundaries")
    assert len(results) == 30
    for result in results:
        number = result["title"].split()[1]
        assert result["passages"]
        for passage in result["passages"]:
            assert passage["text"].startswith(f"Marker{number}x"), (result["title"], passage)


def test_a_page_reads_the_same_whatever_the_number_of_matches(
    alice: User, alice_client: Client
) -> None:
    priya = make_coachee(alice, "Priya Shah")
    for n in range(1, 61):
        session = make_session(priya, n, date=date(2025, 1, 1) + timedelta(days=n))
        word = "rare" if n <= 25 else "common"
        for key in ("main_topics", "key_insights"):
            text = f"{word} common words, session {n}."
            Answer.objects.create(reflection=session.reflection, prompt_key=key, text=text)
    for words in ("rare", "common"):
        page(alice_client, words)  # the index and the word's postings made, not counted
    counted = {}
    for words in ("rare", "common"):
        with CaptureQueriesContext(connection) as queries:
            found = page(alice_client, words)
        assert len(found["results"]) == 20
        counted[words] = len(queries.captured_queries)
    assert found["total"] == 60
    assert counted["rare"] == counted["common"]


def test_the_page_after_an_edit_finds_the_new_word(alice: User, alice_client: Client) -> None:
    sessions = tied_practice(alice, sessions=25)
    page(alice_client, "confidence")  # the index in memory, before the edit
    answer = Answer.objects.get(reflection__session=sessions[3], prompt_key="main_topics")
    answer.text = "Kayaking as a metaphor for the quarter."
    answer.save()
    html = alice_client.get(reverse("search"), {"q": "kayaking"}).content.decode()
    assert "1 result for" in html and "Session 4 with Priya Shah" in html
    assert "<mark>Kayaking</mark>" in html
    assert page(alice_client, "confidence")["total"] == 24


def test_another_coachs_words_are_never_on_a_page(
    alice: User, bob: User, alice_client: Client, bob_client: Client
) -> None:
    tied_practice(alice, sessions=25)
    kay = make_coachee(bob, "Kay Persimmon")
    for n in range(1, 31):
        session = make_session(kay, n)
        text = "Confidence, confidence, confidence: Persimmonade."  # would outrank alice's
        Answer.objects.create(reflection=session.reflection, prompt_key="main_topics", text=text)
    alices = every_page(alice_client, "confidence")
    assert len(alices) == 25
    assert all(r["title"].endswith("with Priya Shah") for r in alices)
    html = alice_client.get(reverse("search"), {"q": "confidence", "page": "2"}).content.decode()
    assert "Persimmon" not in html and "Kay " not in html
    assert page(alice_client, "persimmonade")["total"] == 0
    assert page(bob_client, "persimmonade")["total"] == 30


def test_the_coachee_select_escapes_every_name(alice: User, alice_client: Client) -> None:
    odd = make_coachee(alice, 'Ann "A&B" <Lee>')
    html = alice_client.get(reverse("search"), {"q": "anything"}).content.decode()
    option = f'<option value="{odd.code}">Ann &quot;A&amp;B&quot; &lt;Lee&gt;</option>'
    assert option in html
    chosen = alice_client.get(reverse("search"), {"q": "x", "coachee": str(odd.code)})
    assert f'<option value="{odd.code}" selected>Ann' in chosen.content.decode()
