"""The practice: entries through their forms, sealing, erasure and export, certificates, home."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.exchange import erasure
from debrief.practice import certificates
from debrief.practice.models import (
    BodyChoice,
    ClientFeedback,
    CPDEntry,
    MentoringEntry,
    SupervisionEntry,
)
from tests.conftest import make_coachee, make_session, sealed_v3
from tests.test_export import reauthenticate

CANARY = "Canary-Quince-5521"


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    moment = datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(moment, tick=False):
        yield


def _raw(table: str, column: str, code: object) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE code = %s",
            [str(code).replace("-", "") if connection.vendor == "sqlite" else str(code)],
        )
        return bytes(cursor.fetchone()[0])


def _key_file(code: object) -> Path:
    return Path(settings.DEBRIEF_KEYS_DIR) / f"{code}.key"


@pytest.mark.django_db
def test_a_new_coach_signs_up_records_their_practice_and_sees_progress() -> None:
    client = Client()
    password = "a quiet river at dawn"
    client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": password, "password2": password},
    )
    coach = User.objects.get(email="new@example.com")
    coachee = make_coachee(coach, name="Dana Reid", icf_log_listing=True)
    make_session(coachee, 1, date=date(2026, 11, 2), duration_minutes=90)
    page = client.post(
        reverse("practice_setup"),
        {"icf_on": "on", "icf_level": "acc", "icf_awarded": "2024-03-14", "training_hours": "60"},
    )
    assert page.status_code == 302
    posts = {
        "entry_new_supervision": {
            "date": "2026-11-10",
            "supervisor": "Dr Helen Carter",
            "mode": "individual",
            "hours": "1.5",
            "themes": "Rescuing",
            "learning": "Hand the question back",
        },
        "entry_new_mentoring": {
            "date": "2026-06-01",
            "mentor": "Priya Raman",
            "mentor_credential": "PCC",
            "mode": "individual",
            "hours": "4",
        },
        "entry_new_cpd": {
            "date": "2026-05-01",
            "title": "Ethics refresher",
            "provider": "ICF UK",
            "hours": "3",
            "category": "ethics",
        },
        "entry_new_feedback": {
            "date": "2026-11-20",
            "coachee": str(coachee.code),
            "text": "Thank you",
        },
    }
    for name, data in posts.items():
        response = client.post(reverse(name), data)
        assert response.status_code == 302, (name, response.content.decode()[:2000])
    html = client.get(reverse("practice")).content.decode()
    assert "ACC renewal by 14 March 2027: 8.5 of 40 CCE; core competencies 8.5 of 24 CCE" in html
    assert "Dr Helen Carter" in html and "Ethics refresher" in html and "Dana Reid" in html
    progress = client.get(reverse("practice_progress", args=["icf"])).content.decode()
    assert "Mentor coaching: 4 of 10 hours — 6 to go" in progress
    assert "ICF rules 2026-12, checked 1 December 2026" in progress
    assert "coachingfederation.org" in progress
    home = client.get(reverse("home")).content.decode()
    assert "Due in your practice" in home
    assert "CPD in the last 12 months: 3 of 16 hours." in home


def test_feedback_is_sealed_with_the_coachee_key_and_erased_with_them(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    coachee = make_coachee(alice, name="Erin")
    feedback = ClientFeedback.objects.create(
        coach=alice, coachee=coachee, date=date(2026, 11, 1), text=CANARY
    )
    anonymous = ClientFeedback.objects.create(
        coach=alice, date=date(2026, 11, 2), text=f"{CANARY} anon"
    )
    stored = _raw("practice_clientfeedback", "text", feedback.code)
    assert sealed_v3(stored, coachee.code) and CANARY.encode() not in stored
    assert sealed_v3(_raw("practice_clientfeedback", "text", anonymous.code), anonymous.code)
    with django_capture_on_commit_callbacks(execute=True):
        erased = erasure.erase_coachee(coachee)
    assert erased.held.feedback == 1
    assert not ClientFeedback.objects.filter(pk=feedback.pk).exists()
    assert not _key_file(coachee.code).exists()
    kept = ClientFeedback.objects.get(pk=anonymous.pk)
    assert kept.text == f"{CANARY} anon"


def test_supervision_notes_are_sealed_and_their_key_goes_with_the_entry(
    alice: User, alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    entry = SupervisionEntry.objects.create(
        coach=alice, date=date(2026, 11, 1), supervisor="S", hours=1, themes=CANARY, learning=CANARY
    )
    assert CANARY.encode() not in _raw("practice_supervisionentry", "themes", entry.code)
    assert _key_file(entry.code).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("entry_delete_supervision", args=[entry.code]))
    assert response.status_code == 302
    assert not SupervisionEntry.objects.filter(pk=entry.pk).exists()
    assert not _key_file(entry.code).exists()
    assert (
        "The supervision session of 1 November 2026 was deleted."
        in alice_client.get(reverse("practice")).content.decode()
    )


def test_the_coachee_export_holds_their_feedback(alice: User, alice_client: Client) -> None:
    coachee = make_coachee(alice, name="Erin")
    session = make_session(coachee, 1, date=date(2026, 10, 1))
    ClientFeedback.objects.create(coach=alice, coachee=coachee, date=date(2026, 11, 1), text=CANARY)
    entry = SupervisionEntry.objects.create(
        coach=alice, date=date(2026, 11, 5), supervisor="S", hours=1
    )
    entry.sessions.add(session)
    reauthenticate(alice_client)
    url = reverse("coachee_export_json", args=[coachee.code])
    data = json.loads(alice_client.get(url).content)
    assert data["practice"]["client_feedback"][0]["feedback"] == CANARY
    assert data["practice"]["sessions_taken_to_supervision"] == [
        {"date": "2026-11-05", "session": str(session.code)}
    ]
    html = alice_client.get(reverse("coachee_export_html", args=[coachee.code])).content.decode()
    assert "Feedback they gave" in html and CANARY in html


def _cpd_post(**extra: object) -> dict[str, object]:
    return {
        "date": "2026-05-01",
        "title": "Presence",
        "provider": "CSA",
        "hours": "3",
        "category": "core",
        **extra,
    }


def test_a_certificate_is_sealed_on_disk_and_served_only_to_its_owner(
    alice: User, alice_client: Client, bob_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    pdf = b"%PDF-1.4\n" + CANARY.encode() + b"\n%%EOF"
    upload = SimpleUploadedFile("certificate.pdf", pdf, content_type="application/pdf")
    response = alice_client.post(reverse("entry_new_cpd"), _cpd_post(certificate=upload))
    assert response.status_code == 302
    entry = CPDEntry.objects.get(coach=alice)
    assert (entry.certificate_type, entry.certificate_size) == ("pdf", len(pdf))
    on_disk = (certificates.folder() / f"{entry.code}.sealed").read_bytes()
    assert CANARY.encode() not in on_disk
    got = alice_client.get(reverse("cpd_certificate", args=[entry.code]))
    assert got.content == pdf and got["Content-Type"] == "application/pdf"
    assert got["Content-Disposition"] == 'attachment; filename="certificate-2026-05-01.pdf"'
    assert bob_client.get(reverse("cpd_certificate", args=[entry.code])).status_code == 404
    assert AuditEvent.objects.filter(action="access_denied", subject=str(entry.code)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("entry_delete_cpd", args=[entry.code]))
    assert not (certificates.folder() / f"{entry.code}.sealed").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.pdf", b"just some text", "this is none of them"),
        ("big.pdf", b"%PDF-" + b"0" * certificates.LIMIT, "larger than 5 MB"),
        ("empty.png", b"", "The submitted file is empty."),
    ],
)
def test_a_bad_certificate_is_refused_and_nothing_typed_is_lost(
    name: str, content: bytes, message: str, alice: User, alice_client: Client
) -> None:
    upload = SimpleUploadedFile(name, content)
    response = alice_client.post(reverse("entry_new_cpd"), _cpd_post(certificate=upload))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'value="Presence"' in html
    assert not CPDEntry.objects.filter(coach=alice).exists()


BAD_INPUT = [
    (
        "entry_new_supervision",
        {"date": "2026-13-01", "supervisor": "S", "mode": "individual", "hours": "1"},
        "Enter a real date",
    ),
    (
        "entry_new_supervision",
        {"date": "2026-11-01", "supervisor": "S", "mode": "individual", "hours": "0"},
        "Enter more than 0 hours.",
    ),
    (
        "entry_new_supervision",
        {"date": "2026-11-01", "supervisor": "S", "mode": "individual", "hours": "-2"},
        "Enter more than 0 hours.",
    ),
    (
        "entry_new_supervision",
        {"date": "2026-11-01", "supervisor": "S", "mode": "individual", "hours": "lots"},
        "Enter hours as a number",
    ),
    (
        "entry_new_supervision",
        {"date": "2026-11-01", "supervisor": "S", "mode": "individual", "hours": "6000"},
        "more hours than one entry can hold",
    ),
    (
        "entry_new_supervision",
        {"date": "2026-11-01", "supervisor": "", "mode": "individual", "hours": "1"},
        "This field is required",
    ),
    (
        "entry_new_supervision",
        {"date": "2026-11-01", "supervisor": "S\x00", "mode": "individual", "hours": "1"},
        "invisible NUL",
    ),
    (
        "entry_new_supervision",
        {"date": "2026-11-01", "supervisor": "S" * 201, "mode": "individual", "hours": "1"},
        "longer than the 200",
    ),
    (
        "entry_new_supervision",
        {"date": "2026-11-01", "supervisor": "S", "mode": "sideways", "hours": "1"},
        "Select a valid choice",
    ),
    (
        "entry_new_supervision",
        {"date": "2026-11-01", "supervisor": "S", "mode": "individual", "hours": "1.005"},
        "at most two decimal places",
    ),
    (
        "entry_new_mentoring",
        {
            "date": "2026-11-01",
            "mentor": "M",
            "mentor_credential": "XYZ",
            "mode": "group",
            "hours": "1",
        },
        "Select a valid choice",
    ),
    (
        "entry_new_mentoring",
        {
            "date": "2026-11-01",
            "mentor": "M",
            "mentor_credential": "PCC",
            "mode": "group",
            "hours": "1",
            "mentor_email": "nope",
        },
        "Enter an email address",
    ),
    (
        "entry_new_cpd",
        {"date": "1899-01-01", "title": "T", "provider": "P", "hours": "1", "category": "core"},
        "Enter a date after 1900",
    ),
    (
        "entry_new_cpd",
        {"date": "2026-11-01", "title": "T", "provider": "P", "hours": "1", "category": "fun"},
        "Select a valid choice",
    ),
    (
        "entry_new_feedback",
        {"date": "2026-11-01", "coachee": "", "text": ""},
        "Write or paste the feedback.",
    ),
    (
        "entry_new_feedback",
        {"date": "2026-11-01", "coachee": "00000000-0000-0000-0000-000000000000", "text": "x"},
        "Select a valid choice",
    ),
    (
        "practice_setup",
        {"icf_on": "on", "icf_awarded": "2025-01-01"},
        "Choose the ICF level you hold",
    ),
    ("practice_setup", {"training_hours": "-3"}, "Hours cannot be negative."),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_INPUT)
def test_bad_input_gets_a_clear_message_and_saves_nothing(
    name: str, data: dict[str, str], message: str, alice: User, alice_client: Client
) -> None:
    before = sum(
        m.objects.count()
        for m in (SupervisionEntry, MentoringEntry, CPDEntry, ClientFeedback, BodyChoice)
    )
    response = alice_client.post(reverse(name), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    after = sum(
        m.objects.count()
        for m in (SupervisionEntry, MentoringEntry, CPDEntry, ClientFeedback, BodyChoice)
    )
    assert after == before


def test_feedback_cannot_name_another_coachs_coachee(
    alice: User, bob: User, bob_client: Client
) -> None:
    coachee = make_coachee(alice, name="Erin")
    response = bob_client.post(
        reverse("entry_new_feedback"),
        {"date": "2026-11-01", "coachee": str(coachee.code), "text": "x"},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not ClientFeedback.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/practice/fca/",
        "/practice/icf/nope.csv",
        "/practice/icf/client-log.ods",
        "/practice/xyz/logs.xlsx",
        "/practice/xyz/portfolio.pdf",
    ],
)
def test_unknown_bodies_logs_and_formats_are_404(url: str, alice_client: Client) -> None:
    assert alice_client.get(url).status_code == 404


def test_editing_anonymous_feedback_to_a_coachee_reseals_it(
    alice: User, alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    coachee = make_coachee(alice, name="Erin")
    entry = ClientFeedback.objects.create(coach=alice, date=date(2026, 11, 1), text=CANARY)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            reverse("entry_edit_feedback", args=[entry.code]),
            {"date": "2026-11-01", "coachee": str(coachee.code), "text": CANARY},
        )
    assert response.status_code == 302
    assert sealed_v3(_raw("practice_clientfeedback", "text", entry.code), coachee.code)
    assert not _key_file(entry.code).exists()
    assert ClientFeedback.objects.get(pk=entry.pk).text == CANARY


def test_supervision_links_the_sessions_brought(alice: User, alice_client: Client) -> None:
    coachee = make_coachee(alice, name="Erin")
    session = make_session(coachee, 1, date=date(2026, 10, 1))
    form = alice_client.get(reverse("entry_new_supervision")).content.decode()
    assert "1 Oct 2026 · Erin, session 1" in form
    alice_client.post(
        reverse("entry_new_supervision"),
        {
            "date": "2026-11-01",
            "supervisor": "S",
            "mode": "group",
            "hours": "2",
            "sessions": [str(session.code)],
        },
    )
    assert list(SupervisionEntry.objects.get().sessions.all()) == [session]


def test_home_and_insights_stay_quiet_without_bodies(alice: User, alice_client: Client) -> None:
    make_coachee(alice)
    assert "Due in your practice" not in alice_client.get(reverse("home")).content.decode()
    BodyChoice.objects.create(coach=alice, body="emcc")
    assert (
        "No supervision yet this quarter (it ends 31 December)."
        in alice_client.get(reverse("home")).content.decode()
    )
    assert "Due in your practice" in alice_client.get(reverse("insights")).content.decode()
