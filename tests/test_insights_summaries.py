"""Insights read one summary per session, kept up to date on write and sealed like the notes."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.insights.models import SessionSummary
from debrief.journal.models import Answer
from debrief.journal.reflection import field_hash
from tests.conftest import make_coachee, sealed_v3
from tests.test_insights import TODAY, _page, _sessions, _use

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


def _stored_terms() -> list[bytes]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT terms FROM insights_sessionsummary")
        return [bytes(row[0]) for row in cursor.fetchall()]


def _elsewhere(alice: User) -> None:
    """Another coachee's sessions, so that Priya's words stand out from the practice."""
    for session in _sessions(make_coachee(alice, "Tom Reid"), [35, 25, 15, 5]):
        Answer.objects.create(
            reflection=session.reflection, prompt_key="main_topics", text="Budget review."
        )


def test_a_summary_is_built_on_first_read_and_its_words_are_sealed(
    alice_client: Client, alice: User
) -> None:
    _elsewhere(alice)
    priya = make_coachee(alice, "Priya Shah")
    sessions = _sessions(priya, [30, 20, 10])
    for session in sessions:
        Answer.objects.create(
            reflection=session.reflection, prompt_key="main_topics", text="Zebra crossing fears."
        )
        Answer.objects.create(reflection=session.reflection, prompt_key="listening", rating=4)
    use = _use(sessions[0], "silence", 5, note="Worked.")
    assert not SessionSummary.objects.exists()  # written without a summary, as an import does

    html = _page(alice_client, coachee=str(priya.code))

    assert "<strong>zebra crossing</strong>" in html
    summary = SessionSummary.objects.get(reflection=sessions[0].reflection)
    assert summary.figures["ratings"] == {"listening": 4}
    [[use_id, _, effectiveness, noted]] = summary.figures["uses"]
    assert (use_id, effectiveness, noted) == (use.pk, 5, True)
    assert "zebra" in summary.terms  # opens for the coach
    stored = _stored_terms()
    assert len(stored) == 7 and all(map(sealed_v3, stored))
    assert not any(b"zebra" in t.lower() for t in stored)  # never in the clear at rest


def test_saving_an_answer_or_a_use_refreshes_what_insights_show(
    alice_client: Client, alice: User
) -> None:
    _elsewhere(alice)
    priya = make_coachee(alice, "Priya Shah")
    sessions = _sessions(priya, [30, 20, 10])
    answers = [
        Answer.objects.create(reflection=s.reflection, prompt_key="main_topics", text="Notes.")
        for s in sessions
    ]
    _page(alice_client, coachee=str(priya.code))
    assert SessionSummary.objects.count() == 7
    for answer in answers[:2]:
        answer.text = "The harbour project again."
        answer.save()
    assert SessionSummary.objects.count() == 5  # the two changed ones go at once
    html = _page(alice_client, coachee=str(priya.code))
    assert "<strong>harbour project</strong>" in html and "in 2 of 3 sessions" in html

    use = _use(sessions[2], "silence", 2)
    assert not SessionSummary.objects.filter(reflection=sessions[2].reflection).exists()
    assert "Silence" in _page(alice_client)
    use.delete()
    assert "Silence" not in _page(alice_client)


def test_an_edit_through_the_reflection_page_reaches_the_themes(
    alice_client: Client, alice: User
) -> None:
    _elsewhere(alice)
    priya = make_coachee(alice, "Priya Shah")
    sessions = _sessions(priya, [30, 20])
    for session in sessions:
        Answer.objects.create(
            reflection=session.reflection, prompt_key="main_topics", text="Quiet week."
        )
    _page(alice_client, coachee=str(priya.code))
    for session in sessions:
        response = alice_client.post(
            reverse("reflection_edit", args=[session.code]),
            {
                "p-main_topics": "Lighthouse keeping and her lighthouse plans.",
                "base:p-main_topics": field_hash("Quiet week."),
                "op": "save",
            },
        )
        assert response.status_code == 302
    html = _page(alice_client, coachee=str(priya.code))
    assert "<strong>lighthouse" in html


def test_the_whole_practice_builds_summaries_without_opening_any_text(
    alice_client: Client, alice: User
) -> None:
    _elsewhere(alice)
    assert "Tom Reid" in _page(alice_client)
    assert SessionSummary.objects.count() == 4
    assert not SessionSummary.objects.filter(has_terms=True).exists()
    assert _stored_terms() == [b""] * 4  # no words kept for a page that shows none
    tom = alice.coachees.get()
    _page(alice_client, coachee=str(tom.code))
    assert SessionSummary.objects.filter(has_terms=True).count() == 4


def test_the_practice_counts_the_same_terms_as_the_full_reading(alice: User) -> None:
    """``term_keys`` (what the practice's sample is counted from) finds each summary's terms
    exactly as ``terms`` reads them, phrases, accents and apostrophes included."""
    from debrief.insights import summaries

    priya = make_coachee(alice, "Priya Shah")
    texts = ["Café owner's worries; the board meeting.", "", "Listening, listened: team lead."]
    sessions = _sessions(priya, [30, 20, 10])
    for session, text in zip(sessions, texts, strict=True):
        Answer.objects.create(reflection=session.reflection, prompt_key="main_topics", text=text)
    ids = [s.reflection.pk for s in sessions]

    full = summaries.terms(ids)  # builds and keeps the summaries
    keys = summaries.term_keys(ids)

    assert keys == {r: list(t) for r, t in full.items()}
    assert "board meet" in keys[ids[0]] and keys[ids[1]] == []
