"""lib/pseudonyms.py: names, emails and organisations replaced, whole words, any case, accents."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debrief.lib.pseudonyms import (
    MAX_REDACTIONS,
    REDACTED,
    Person,
    Pseudonymiser,
    clean_redactions,
)

ZOE = Person("Client A", ("Zoé Quillfeather-Orme", "Zo"), "zoe.q@example.org", "Orme Holdings Ltd")
SAM = Person("Client B", ("Samuel Adeyemi", "Sam"), "", "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zoé Quillfeather-Orme arrived", "Client A arrived"),
        ("ZOE said", "Client A said"),
        ("zoe, then zoé, then Zoe", "Client A, then Client A, then Client A"),
        ("Quillfeather’s plan", "Client A’s plan"),
        ("orme agreed", "Client A agreed"),
        ("Mail zoe.q@example.org today", "Mail Client A’s email today"),
        ("ZOE.Q@EXAMPLE.ORG", "Client A’s email"),
        ("Orme Holdings Ltd paid", "Client A’s organisation paid"),
        ("Sam met Zoé", "Client B met Client A"),
        ("Samuel's sister", "Client B's sister"),
        ("Zoology and samples", "Zoology and samples"),  # whole words only
        ("Zo is short for it", "Client A is short for it"),
        ("", ""),
    ],
)
def test_apply(text: str, expected: str) -> None:
    assert Pseudonymiser([ZOE, SAM]).apply(text) == expected


def test_redactions_by_hand() -> None:
    names = Pseudonymiser([ZOE], ["Blue Dragon", "Ñandú"])
    assert (
        names.apply("The blue dragon cafe, near ñandu") == f"The {REDACTED} cafe, near {REDACTED}"
    )


def test_candidates_are_capitalised_words_that_may_be_names() -> None:
    names = Pseudonymiser([ZOE])
    texts = [
        names.apply("Then Bartholomew spoke to Zoé. Reframing helped; reframing again."),
        "Client A went to Paris on Monday with I and We.",
    ]
    assert names.candidates(texts) == ["Bartholomew", "Paris"]


def test_clean_redactions_limits_and_duplicates() -> None:
    assert clean_redactions(["  a  b ", "A B", "", "c"]) == (["a b", "c"], "")
    assert clean_redactions(["x" * 101])[1]
    too_many = [f"w{i}" for i in range(MAX_REDACTIONS + 1)]
    assert "choose fewer sessions" in clean_redactions(too_many)[1]


@settings(max_examples=300, deadline=None)
@given(before=st.text(max_size=40), after=st.text(max_size=40), case=st.sampled_from([0, 1, 2]))
def test_a_name_between_any_text_never_survives(before: str, after: str, case: int) -> None:
    name = ["Quillfeather", "QUILLFEATHER", "quillfeather"][case]
    text = f"{before} {name} {after}"
    result = Pseudonymiser([ZOE]).apply(text)
    assert "quillfeather" not in result.casefold()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the meeting.Zoe said", "the meeting.Client A said"),
        ("write to q@orme.com", "write to q@Client A.com"),
        ("zoe@other.org", "Client A@other.org"),
    ],
)
def test_names_inside_addresses_and_after_stops_are_replaced(text: str, expected: str) -> None:
    assert Pseudonymiser([ZOE]).apply(text) == expected
