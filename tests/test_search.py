"""Search: ranking, highlighting, filters, accents and phrases, and only ever your own notes."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, Goal
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.techniques.models import Technique, TechniqueUse
from tests.conftest import make_coachee, make_session

CANARY = "Canary-Persimmon-4410"


def write(session: CoachingSession, prompt_key: str, text: str) -> Answer:
    return Answer.objects.create(reflection=session.reflection, prompt_key=prompt_key, text=text)


def find(client: Client, **params: str) -> dict[str, Any]:
    response = client.get(reverse("search"), {**params, "format": "json"})
    assert response.status_code == 200, response.content
    return response.json()


def titles(client: Client, **params: str) -> list[str]:
    return [r["title"] for r in find(client, **params)["results"]]


@pytest.fixture
def corpus(alice: User) -> dict[str, Any]:
    """A hand-made practice: two coachees, four sessions."""
    priya = make_coachee(alice, "Priya Shah", organisation="Northwind", background="Career move")
    tom = make_coachee(alice, "Tom Okafor")
    s1 = make_session(priya, 1, date=date(2026, 1, 10))
    s2 = make_session(priya, 2, date=date(2026, 2, 10))
    s3 = make_session(tom, 1, date=date(2026, 3, 10))
    s4 = make_session(tom, 2, date=date(2026, 4, 10))
    write(s1, "main_topics", "Resilience after the restructure. Resilience again, and resilience.")
    write(s2, "main_topics", "We talked about her Résumé and a difficult conversation ahead.")
    write(s2, "primary_goals", "Prepare the résumé for the panel.")
    long = " ".join(["Notes on the week, the team and the plans."] * 20)
    write(s3, "main_topics", f"{long} Some resilience showed.")
    write(s3, "key_insights", "The conversation was difficult but he listened.")
    write(s4, "self_learning", "I was listening more than talking.")
    return {"priya": priya, "tom": tom, "s1": s1, "s2": s2, "s3": s3, "s4": s4}


def test_more_and_denser_mentions_rank_first(alice_client: Client, corpus: dict[str, Any]) -> None:
    assert titles(alice_client, q="resilience") == [
        "Session 1 with Priya Shah",
        "Session 1 with Tom Okafor",
    ]


def test_newest_first_orders_by_session_date(alice_client: Client, corpus: dict[str, Any]) -> None:
    assert titles(alice_client, q="resilience", sort="newest") == [
        "Session 1 with Tom Okafor",
        "Session 1 with Priya Shah",
    ]


def test_accents_and_case_do_not_matter(alice_client: Client, corpus: dict[str, Any]) -> None:
    assert titles(alice_client, q="RESUME") == ["Session 2 with Priya Shah"]
    assert titles(alice_client, q="résumés") == ["Session 2 with Priya Shah"]


def test_forms_of_a_word_are_found(alice_client: Client, corpus: dict[str, Any]) -> None:
    assert set(titles(alice_client, q="listen")) == {
        "Session 1 with Tom Okafor",
        "Session 2 with Tom Okafor",
    }


def test_a_quoted_phrase_needs_its_words_together(
    alice_client: Client, corpus: dict[str, Any]
) -> None:
    assert titles(alice_client, q='"difficult conversation"') == ["Session 2 with Priya Shah"]
    assert len(titles(alice_client, q="difficult conversation")) == 2


def test_a_coachees_name_narrows_to_their_sessions(
    alice_client: Client, corpus: dict[str, Any]
) -> None:
    assert titles(alice_client, q="tom resilience") == ["Session 1 with Tom Okafor"]
    assert titles(alice_client, q='"priya shah" resume') == ["Session 2 with Priya Shah"]
    # The name alone finds the coachee's own notes, not every session of theirs.
    assert titles(alice_client, q="priya") == ["About Priya Shah"]


def test_every_word_must_be_in_the_session(alice_client: Client, corpus: dict[str, Any]) -> None:
    assert titles(alice_client, q="resume resilience") == []


def test_passages_link_to_the_prompt_and_mark_the_words(
    alice_client: Client, corpus: dict[str, Any]
) -> None:
    result = find(alice_client, q="resume")["results"][0]
    code = corpus["s2"].code
    urls = [p["url"] for p in result["passages"]]
    assert set(urls) == {
        f"/sessions/{code}/#prompt-main_topics",
        f"/sessions/{code}/#prompt-primary_goals",
    }
    passage = next(p for p in result["passages"] if p["url"].endswith("main_topics"))
    assert passage["label"] == "Briefly describe the main topics discussed."
    assert passage["section"] == "Session overview"
    assert [passage["text"][a:b] for a, b in passage["highlights"]] == ["Résumé"]
    # The read view has the anchor the passage links to.
    page = alice_client.get(reverse("reflection_view", args=[code])).content.decode()
    assert 'id="prompt-main_topics"' in page


def test_highlighting_escapes_first_then_marks(
    alice_client: Client, session: CoachingSession
) -> None:
    write(session, "main_topics", "<script>alert(1)</script> & <b>résumé</b> <mark>x</mark>")
    page = alice_client.get(reverse("search"), {"q": "resume"}).content.decode()
    assert "<script>alert(1)" not in page
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;<mark>résumé</mark>&lt;/b&gt;" in page
    )
    assert "&lt;mark&gt;x&lt;/mark&gt;" in page


def test_a_long_answer_shows_a_window_around_the_match(
    alice_client: Client, corpus: dict[str, Any]
) -> None:
    passage = find(alice_client, q="resilience")["results"][1]["passages"][0]
    assert passage["text"].startswith("… ")
    assert "resilience" in passage["text"]
    assert len(passage["text"]) < 320


def test_action_items_goals_and_coachee_notes_are_searched(
    alice_client: Client, corpus: dict[str, Any], alice: User
) -> None:
    priya, s1 = corpus["priya"], corpus["s1"]
    ActionItem.objects.create(
        coach=alice, coachee=priya, session=s1, owner="coachee", text="Draft the mentoring plan"
    )
    Goal.objects.create(coach=alice, coachee=priya, title="Lead the mentoring circle")
    found = find(alice_client, q="mentoring")["results"]
    assert {r["title"] for r in found} == {"Session 1 with Priya Shah", "About Priya Shah"}
    session_result = next(r for r in found if r["session"])
    assert session_result["passages"][0]["label"] == "Action for the coachee"
    assert session_result["passages"][0]["url"].endswith("#prompt-coachee_actions")
    assert titles(alice_client, q="northwind") == ["About Priya Shah"]


def test_filter_by_coachee(alice_client: Client, corpus: dict[str, Any]) -> None:
    tom = str(corpus["tom"].code)
    assert titles(alice_client, q="resilience", coachee=tom) == ["Session 1 with Tom Okafor"]


def test_filter_by_dates(alice_client: Client, corpus: dict[str, Any]) -> None:
    assert titles(alice_client, q="resilience", date_from="2026-02-01") == [
        "Session 1 with Tom Okafor"
    ]
    assert titles(alice_client, q="resilience", date_to="2026-02-01") == [
        "Session 1 with Priya Shah"
    ]


def test_filter_by_section(alice_client: Client, corpus: dict[str, Any]) -> None:
    pre = find(alice_client, q="resume", section="pre-session")["results"]
    assert [p["url"].rsplit("#", 1)[1] for p in pre[0]["passages"]] == ["prompt-primary_goals"]
    assert titles(alice_client, q="listen", section="reflection-learning") == [
        "Session 2 with Tom Okafor"
    ]


def test_filter_by_reflection_state(alice_client: Client, corpus: dict[str, Any]) -> None:
    Reflection.objects.filter(session=corpus["s3"]).update(status="complete")
    assert titles(alice_client, q="resilience", state="complete") == ["Session 1 with Tom Okafor"]
    assert titles(alice_client, q="resilience", state="draft") == []


def test_filter_by_technique(alice_client: Client, corpus: dict[str, Any], alice: User) -> None:
    grow = Technique.objects.create(coach=alice, slug="grow", name="GROW model")
    TechniqueUse.objects.create(
        coach=alice,
        reflection=corpus["s3"].reflection,
        technique=grow,
        prompt_key="techniques_used",
    )
    assert titles(alice_client, q="resilience", technique=str(grow.code)) == [
        "Session 1 with Tom Okafor"
    ]
    page = alice_client.get(reverse("search"), {"q": "x"}).content.decode()
    assert "GROW model" in page  # offered as a filter once used


def test_technique_notes_are_searched(
    alice_client: Client, corpus: dict[str, Any], alice: User
) -> None:
    grow = Technique.objects.create(coach=alice, slug="grow", name="GROW model")
    TechniqueUse.objects.create(
        coach=alice,
        reflection=corpus["s4"].reflection,
        technique=grow,
        prompt_key="techniques_used",
        note="Options stage ran long",
    )
    result = find(alice_client, q="options stage")["results"][0]
    assert result["title"] == "Session 2 with Tom Okafor"
    assert result["passages"][0]["label"] == "Technique: GROW model"


def test_another_coachs_notes_are_never_found(
    alice_client: Client, bob: User, bob_client: Client, corpus: dict[str, Any]
) -> None:
    bobs = make_coachee(bob, f"{CANARY} name", background=f"{CANARY} resilience")
    session = make_session(bobs)
    write(session, "main_topics", f"{CANARY} resilience")
    searches: list[dict[str, str]] = [
        {"q": "canary persimmon"},
        {"q": "resilience"},
        {"q": "4410", "coachee": str(bobs.code)},
    ]
    for params in searches:
        for extra in ({}, {"format": "json"}):
            response = alice_client.get(reverse("search"), {**params, **extra})
            assert response.status_code in (200, 400)
            assert CANARY not in response.content.decode()
    # And the other way round: bob finds his own, never alice's.
    assert set(titles(bob_client, q="resilience")) == {
        f"Session 1 with {CANARY} name",
        f"About {CANARY} name",
    }


def test_another_coachs_coachee_in_the_filter_is_refused_plainly(
    alice_client: Client, bob: User
) -> None:
    theirs = make_coachee(bob, CANARY)
    response = alice_client.get(reverse("search"), {"q": "x", "coachee": str(theirs.code)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "That choice is not in the list any more" in page
    assert CANARY not in page
    assert (
        alice_client.get(
            reverse("search"), {"q": "x", "coachee": str(theirs.code), "format": "json"}
        ).status_code
        == 400
    )


def test_empty_search_explains_what_to_type(alice_client: Client) -> None:
    page = alice_client.get(reverse("search")).content.decode()
    assert "Put a phrase in quotes" in page
    assert 'class="search-results"' not in page
    assert "Nothing you wrote matches" not in page


def test_no_results_suggests_what_to_try(alice_client: Client, corpus: dict[str, Any]) -> None:
    page = alice_client.get(
        reverse("search"), {"q": "zebra", "coachee": str(corpus["tom"].code)}
    ).content.decode()
    assert "Nothing you wrote matches <strong>zebra</strong> with these filters" in page
    assert "Search again without the filters" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-13-45"}, "Enter a real date"),
        ({"date_from": "2026-05-01", "date_to": "2026-01-01"}, "Swap them"),
        ({"state": "lost"}, "That choice is not in the list"),
        ({"sort": "random"}, "That choice is not in the list"),
        ({"q": "x" * 400}, "Search for at most 300 characters"),
    ],
)
def test_bad_input_gets_a_clear_message(
    alice_client: Client, corpus: dict[str, Any], params: dict[str, str], message: str
) -> None:
    response = alice_client.get(reverse("search"), {"q": "resilience", **params})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_bad_page_number_shows_the_first_page(
    alice_client: Client, corpus: dict[str, Any]
) -> None:
    response = alice_client.get(reverse("search"), {"q": "resilience", "page": "abc"})
    assert response.status_code == 200
    assert "Session 1 with Priya Shah" in response.content.decode()


def test_results_come_in_pages(alice_client: Client, alice: User) -> None:
    coachee = make_coachee(alice)
    for number in range(1, 24):
        write(make_session(coachee, number), "main_topics", "boundaries")
    first = find(alice_client, q="boundaries")
    assert first["total"] == 23 and len(first["results"]) == 20 and first["has_next"]
    second = find(alice_client, q="boundaries", page="2")
    assert len(second["results"]) == 3 and not second["has_next"]
    page = alice_client.get(reverse("search"), {"q": "boundaries"}).content.decode()
    assert "showing 1–20" in page and "More results" in page
    past_the_end = alice_client.get(reverse("search"), {"q": "boundaries", "page": "9"})
    assert "showing 21–23" in past_the_end.content.decode()


def test_the_search_box_is_on_every_page(alice_client: Client) -> None:
    page = alice_client.get(reverse("coachee_list")).content.decode()
    assert re.search(r'<form class="site-search" method="get" action="/search/"', page)


def test_html_page_lists_groups_with_marked_passages(
    alice_client: Client, corpus: dict[str, Any]
) -> None:
    page = alice_client.get(reverse("search"), {"q": "resume"}).content.decode()
    assert "1 result for <strong>resume</strong>, best match first" in page
    assert "<mark>Résumé</mark>" in page and "<mark>résumé</mark>" in page
    assert f'href="/sessions/{corpus["s2"].code}/#prompt-primary_goals"' in page


def test_coachee_filter_lists_only_your_coachees_by_name(
    alice_client: Client, corpus: dict[str, Any], bob: User
) -> None:
    make_coachee(bob, CANARY)
    page = alice_client.get(reverse("search"), {"q": "x"}).content.decode()
    assert page.index("Priya Shah") < page.index("Tom Okafor")
    assert CANARY not in page


def test_coachee_rename_is_found_at_once(alice_client: Client, corpus: dict[str, Any]) -> None:
    priya: Coachee = corpus["priya"]
    priya.organisation = "Contoso"
    priya.save()
    assert titles(alice_client, q="contoso") == ["About Priya Shah"]
    assert titles(alice_client, q="northwind") == []


def test_json_twin_answers_an_accept_header_too(
    alice_client: Client, corpus: dict[str, Any]
) -> None:
    response = alice_client.get(
        reverse("search"), {"q": "northwind"}, HTTP_ACCEPT="application/json"
    )
    assert response["Content-Type"] == "application/json"
    result = response.json()["results"][0]
    assert result["title"] == "About Priya Shah"
    assert result["session"] is None
    assert result["url"] == reverse("coachee_detail", args=[corpus["priya"].code])
    assert result["passages"][0]["label"] == "Organisation or sponsor"
