"""The coachee's own copy leaves out the coach's private self-assessment unless chosen."""

from __future__ import annotations

import json
import subprocess
from datetime import date

from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.exports.models import SupervisionFlag
from debrief.journal.models import Answer, CoachingSession
from debrief.practice.models import SupervisionEntry
from debrief.techniques.models import Technique, TechniqueUse
from tests.conftest import make_session
from tests.test_export import CANARY, full_coachee, reauthenticate

PRIVATE = "Quietly-Private-9182"


def _with_self_assessment(coach: User) -> CoachingSession:
    coachee = full_coachee(coach)
    session = CoachingSession.objects.get(coachee=coachee)
    reflection = session.reflection
    Answer.objects.create(reflection=reflection, prompt_key="self_learning", text=f"{PRIVATE} A")
    Answer.objects.filter(reflection=reflection, prompt_key="listening").update(rating=2)
    Answer.objects.create(
        reflection=reflection, prompt_key="improvement_areas", text=f"{PRIVATE} B"
    )
    technique = Technique.objects.create(coach=coach, slug="t", name="Silence")
    TechniqueUse.objects.create(
        coach=coach,
        reflection=reflection,
        technique=technique,
        prompt_key="techniques",
        effectiveness=2,
        note=f"{PRIVATE} C",
    )
    later = make_session(coachee, number=2, date=date(2026, 3, 16))
    Answer.objects.create(
        reflection=later.reflection, prompt_key="lt.improvement_steps", text=f"{PRIVATE} D"
    )
    SupervisionFlag.objects.create(coach=coach, reflection=reflection, note=f"{PRIVATE} E")
    entry = SupervisionEntry.objects.create(
        coach=coach, date=date(2026, 4, 1), supervisor="S", hours=1, themes="t"
    )
    entry.sessions.add(session)
    return session


def _urls(session: CoachingSession) -> dict[str, str]:
    code = session.coachee.code
    return {f: reverse(f"coachee_export_{f}", args=[code]) for f in ("json", "html", "pdf")}


def _text(response_content: bytes, fmt: str) -> str:
    if fmt != "pdf":
        return response_content.decode()
    done = subprocess.run(
        ["pdftotext", "-", "-"], input=response_content, capture_output=True, check=True
    )
    return done.stdout.decode()


def test_by_default_the_self_assessment_is_left_out_of_every_form(
    alice_client: Client, alice: User
) -> None:
    session = _with_self_assessment(alice)
    reauthenticate(alice_client)
    for fmt, url in _urls(session).items():
        response = alice_client.get(url)
        assert response.status_code == 200, fmt
        text = _text(response.content, fmt)
        assert PRIVATE not in text, fmt
        assert f"{CANARY} topics" in text, fmt  # what is about the coachee is all there
    data = json.loads(alice_client.get(_urls(session)["json"]).content)
    assert data["includes_self_assessment"] is False
    reflection = data["sessions"][0]["reflection"]
    titles = [s["title"] for s in reflection["sections"]]
    assert "Coach’s performance" not in titles and "Reflection and learning" not in titles
    assert reflection["sections_left_out"] == ["Coach’s performance", "Reflection and learning"]
    # When a session went to supervision is a fact and stays; what the coach noted does not.
    assert data["practice"]["sessions_taken_to_supervision"][0]["date"] == "2026-04-01"
    assert data["sessions"][0]["reflection"]["for_supervision"] is None


def test_the_coach_can_choose_to_include_it(alice_client: Client, alice: User) -> None:
    session = _with_self_assessment(alice)
    reauthenticate(alice_client)
    for fmt, url in _urls(session).items():
        text = _text(alice_client.get(url + "?private=1").content, fmt)
        for letter in "ABCDE":
            assert f"{PRIVATE} {letter}" in text.replace("\n", " "), (fmt, letter)
    data = json.loads(alice_client.get(_urls(session)["json"] + "?private=1").content)
    assert data["includes_self_assessment"] is True
    assert data["practice"]["sessions_taken_to_supervision"][0]["date"] == "2026-04-01"
    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert {e.detail["self_assessment"] for e in events} == {True}


def test_the_copy_page_explains_the_choice_and_offers_pdf(
    alice_client: Client, alice: User
) -> None:
    session = _with_self_assessment(alice)
    page = alice_client.get(reverse("coachee_copy", args=[session.coachee.code])).content.decode()
    assert "Left out unless you include it" in page
    assert "Include my private self-assessment" in page
    assert reverse("coachee_export_pdf", args=[session.coachee.code]) in page
    assert PRIVATE not in page


def test_the_pdf_is_a4_with_page_numbers(alice_client: Client, alice: User) -> None:
    session = _with_self_assessment(alice)
    reauthenticate(alice_client)
    response = alice_client.get(_urls(session)["pdf"])
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].endswith('.pdf"')
    assert CANARY not in response["Content-Disposition"]
    info = subprocess.run(
        ["pdfinfo", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "(A4)" in info
    assert "Page 1 of" in _text(response.content, "pdf")


def test_another_coach_gets_404(bob_client: Client, alice: User) -> None:
    session = _with_self_assessment(alice)
    reauthenticate(bob_client)
    for url in [*_urls(session).values(), reverse("coachee_copy", args=[session.coachee.code])]:
        response = bob_client.get(url + "?private=1")
        assert response.status_code == 404
        assert PRIVATE not in response.content.decode()
