"""Themes see words as search does: accents folded, inflections joined, shown as written."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.insights.themes import _terms
from debrief.journal.models import Answer
from tests.conftest import make_coachee
from tests.test_insights import TODAY, _sessions


@pytest.fixture(autouse=True)
def _frozen_today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


def test_accented_words_stay_whole_and_fold_like_search() -> None:
    found = _terms("Le café meeting, then the Café Meeting again; Zoë's résumé.")
    assert found["caf meet"] == "café meeting"  # one term for both spellings, as written first
    assert found["caf"] == "café" and found["resum"] == "résumé"
    assert "caf meet" in _terms("A CAFE MEETING")  # search's folding: the same term unaccented
    assert found["zoe resum"] == "zoë résumé"  # the possessive goes, the accent stays
    assert not any(t == "s" or t.endswith(" s") for t in found)  # no stray "s" from "Zoë's"


def test_inflections_are_one_term() -> None:
    terms = {**_terms("She listened."), **_terms("Listening, mostly."), **_terms("I listen")}
    assert [t for t in terms if "listen" in t] == ["listen"]


@pytest.mark.django_db
def test_themes_join_inflections_and_keep_accents_on_the_page(
    alice_client: Client, alice: User
) -> None:
    priya, tom = make_coachee(alice, "Priya Shah"), make_coachee(alice, "Tom Reid")
    ps = _sessions(priya, [40, 30, 20, 10])
    ts = _sessions(tom, [35, 25, 15])
    texts = [
        "The café meeting again; she listened closely.",
        "Another Café meeting. Listening to the team.",
        "Cafe meeting notes: she is listening more.",
        "Listen first, she said.",
    ]
    for session, text in zip(ps, texts, strict=True):
        Answer.objects.create(reflection=session.reflection, prompt_key="main_topics", text=text)
    for session in ts:
        Answer.objects.create(
            reflection=session.reflection, prompt_key="main_topics", text="Budget review."
        )
    page = alice_client.get(reverse("insights"), {"coachee": str(priya.code)})
    themes = page.content.decode().split('id="themes"')[1].split("</section>")[0]
    assert "<strong>café meeting</strong>" in themes and "in 3 of 4 sessions" in themes
    assert "caf meeting" not in themes
    # listened, listening, listening, listen: one theme, shown as most often written.
    assert "<strong>listening</strong>" in themes and "in 4 of 4 sessions" in themes
    assert "listened</strong>" not in themes and "<strong>listen</strong>" not in themes


@pytest.mark.parametrize(
    "text", ["", "!!! ... ???", "2026 2027 12:30", "😀 🙂", "\u200f\u202e", "' ’ -- ''"]
)
def test_text_without_words_gives_no_terms(text: str) -> None:
    assert _terms(text) == {}


def test_other_scripts_and_long_text_are_words_too() -> None:
    assert _terms("Überzeugung wächst")["uberzeugung wachst"] == "überzeugung wächst"
    assert "مشروع" in _terms("مشروع جديد").values()
    long = _terms("delegation " * 20_000)
    assert long == {"delegation": "delegation", "delegation delegation": "delegation delegation"}
