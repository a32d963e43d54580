"""Words for search: folding, light stemming, query parsing and finding items in a text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debrief.lib.words import find_items, fold, index_text, parse_query, term_of, word_spans


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("resume", "Résumé"),
        ("RESUMES", "résumé"),
        ("listening", "listened"),
        ("coaches", "coaching"),
        ("planning", "planned"),
        ("stories", "story"),
        ("coachee's", "coachee"),
        ("naïve", "NAIVE"),
        ("e\u0301te\u0301", "été"),  # decomposed accents are one word too
    ],
)
def test_forms_of_a_word_meet(a: str, b: str) -> None:
    assert term_of(a) == term_of(b)


@pytest.mark.parametrize(("a", "b"), [("coach", "coachee"), ("use", "user"), ("goal", "go")])
def test_different_words_stay_apart(a: str, b: str) -> None:
    assert term_of(a) != term_of(b)


def test_fold_removes_accents_and_case() -> None:
    assert fold("Ærø Straße Łódź") == "aero strasse lodz"


def test_index_text_is_terms_with_a_space_either_side() -> None:
    assert index_text("Résumé, listening!") == " resum listen "
    assert index_text("  …  ") == ""


def test_query_has_words_and_quoted_phrases() -> None:
    query = parse_query("the “open door” self-talk Resume")
    assert query.items == (("open", "door"), ("self", "talk"), ("resum",))
    assert query.shown == ('"open door"', "self-talk", "Resume")
    assert query.needles[0] == " open door "


def test_little_words_are_dropped_unless_alone_or_quoted() -> None:
    assert parse_query("the feedback").items == (("feedback",),)
    assert parse_query("the").items == (("the",),)
    assert parse_query('"the end"').items == (("the", "end"),)


def test_an_unclosed_quote_runs_to_the_end() -> None:
    assert parse_query('goal "next step').items == (("goal",), ("next", "step"))


def test_a_query_of_punctuation_is_empty() -> None:
    assert not parse_query(" ?! … ")


def test_too_many_words_are_cut_and_say_so() -> None:
    query = parse_query(" ".join(f"word{i}" for i in range(20)))
    assert len(query.items) == 12
    assert query.truncated


def test_find_items_marks_words_and_phrases_in_the_original() -> None:
    text = "Her Résumé was ready; the open door stayed open."
    query = parse_query('resume "open door"')
    ranges = find_items(list(word_spans(text)), query.items)
    assert [text[a:b] for a, b in ranges] == ["Résumé", "open door"]


@given(st.text(max_size=200))
def test_spans_always_point_at_words_of_the_text(text: str) -> None:
    for start, end, term in word_spans(text):
        assert 0 <= start < end <= len(text)
        assert term == term_of(text[start:end])
