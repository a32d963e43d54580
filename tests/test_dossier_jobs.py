"""A long dossier PDF drawn in the background, its progress shown, handed over once (issue 12).

Through the front door: the export page's button, the page that refreshes itself while a
thread draws the PDF, then the download, read back with pdftotext. The thread needs to see
the rows the test made, so these tests commit (transaction=True).
"""

from __future__ import annotations

import re
import subprocess
import time
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.db import OperationalError
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.backup.tables import backed_up_models, dump_model
from debrief.coachees.models import Coachee
from debrief.exports import dossier_jobs, render
from debrief.exports.models import DossierJob
from debrief.journal.models import Answer
from tests.conftest import make_coachee, make_session
from tests.test_export import reauthenticate

CANARY = "Canary-Medlar-3307"
REFRESH = re.compile(r'<meta http-equiv="refresh" content="(\d+)(?:;url=([^"]+))?">')
pytestmark = pytest.mark.django_db(transaction=True)


def _coachee(coach: User, sessions: int = 12) -> Coachee:
    coachee = make_coachee(coach, name=CANARY)
    for n in range(1, sessions + 1):
        session = make_session(coachee, n, date=date(2026, 1, 1) + timedelta(days=7 * n))
        Answer.objects.create(
            reflection=session.reflection, prompt_key="main_topics", text=f"Topic of week {n}"
        )
    return coachee


def _pdf_text(content: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return done.stdout.decode()


def _follow(client: Client, page: str) -> tuple[str, list[str]]:
    """Follow the job's page as a browser does, refresh by refresh, to the download's URL."""
    seen: list[str] = []
    for _ in range(600):  # at most a minute
        response = client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        found = REFRESH.search(html)
        assert found, "the job's page neither refreshes nor offers the file"
        if found.group(2):
            return found.group(2), seen
        seen.append(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))
        time.sleep(0.1)
    raise AssertionError("the dossier was not ready within a minute")


def _start(client: Client, coachee: Coachee, query: str = "") -> str:
    response = client.get(reverse("export_dossier_start", args=[coachee.code]) + query)
    assert response.status_code == 302
    return str(response["Location"])


def test_the_pdf_button_shows_progress_then_hands_the_pdf_over_once(
    alice_client: Client, alice: User
) -> None:
    coachee = _coachee(alice)
    form = alice_client.get(reverse("export_coachee", args=[coachee.code])).content.decode()
    start = reverse("export_dossier_start", args=[coachee.code])
    assert f'formaction="{start}"' in form
    reauthenticate(alice_client)
    page = _start(alice_client, coachee, "?date_from=2026-02-01&details=name")
    assert page == reverse("export_dossier_job", args=[DossierJob.objects.get().code])
    pdf_url, seen = _follow(alice_client, page)
    assert seen, "the first look found it finished: nothing was shown while it was drawn"
    assert all("Preparing your dossier" in text for text in seen)
    said = [
        re.search(r"(Reading the sessions: \d+ of 8|All 8 sessions read|Writing)", t) for t in seen
    ]
    assert all(said), seen
    response = alice_client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    text = _pdf_text(response.content)
    assert f"{CANARY}: coaching dossier" in text
    assert "Topic of week 4" not in text
    assert all(f"Topic of week {n}" in text for n in range(5, 13))
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.detail == {"format": "dossier-pdf", "sessions": 8}
    # Handed over once: the PDF is gone from the database, the page says so.
    assert DossierJob.objects.get().sealed is None
    again = alice_client.get(pdf_url)
    assert again.status_code == 302 and again["Location"] == page
    assert "has been downloaded" in alice_client.get(page).content.decode()


def test_a_dossier_drawn_in_two_parts_says_how_many_pages_the_file_has(
    alice_client: Client, alice: User
) -> None:
    sessions = render.TWO_PARTS_FROM + 2  # two processes draw it (lib/pdf.py)
    coachee = _coachee(alice, sessions)
    reauthenticate(alice_client)
    page = _start(alice_client, coachee, "?details=name")
    pdf_url, _ = _follow(alice_client, page)
    ready = re.sub(r"\s+", " ", alice_client.get(page).content.decode())
    content = alice_client.get(pdf_url).content
    pages = _pdf_text(content).count("\f")
    assert f"Page {pages} of {pages}" in _pdf_text(content)
    assert f"{sessions} sessions, {pages} pages." in ready, ready


def test_while_it_waits_the_pdf_is_sealed_and_a_reload_starts_nothing_new(
    alice_client: Client, alice: User
) -> None:
    coachee = _coachee(alice, sessions=2)
    reauthenticate(alice_client)
    page = _start(alice_client, coachee)
    _follow(alice_client, page)
    assert _start(alice_client, coachee) == page  # the same choice: the same job
    job = DossierJob.objects.get()
    sealed = bytes(job.sealed or b"")
    assert sealed and not sealed.startswith(b"%PDF") and b"%PDF" not in sealed
    assert dossier_jobs.unseal(job).startswith(b"%PDF")


def test_another_coach_gets_404_for_the_job_and_its_file(
    alice_client: Client, bob_client: Client, alice: User
) -> None:
    coachee = _coachee(alice, sessions=1)
    reauthenticate(alice_client)
    page = _start(alice_client, coachee)
    pdf_url, _ = _follow(alice_client, page)
    reauthenticate(bob_client)
    for url in (page, pdf_url):
        response = bob_client.get(url)
        assert response.status_code == 404
        assert CANARY not in response.content.decode()
    assert DossierJob.objects.get().state == DossierJob.State.READY


def test_starting_asks_for_the_password_first(alice_client: Client, alice: User) -> None:
    coachee = _coachee(alice, sessions=1)
    response = alice_client.get(reverse("export_dossier_start", args=[coachee.code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not DossierJob.objects.exists()


def test_the_download_asks_again_when_the_password_has_lapsed(
    alice_client: Client, alice: User
) -> None:
    coachee = _coachee(alice, sessions=1)
    with time_machine.travel("2026-05-01 10:00", tick=False) as traveller:
        reauthenticate(alice_client)
        pdf_url, _ = _follow(alice_client, _start(alice_client, coachee))
        traveller.shift(timedelta(minutes=6))  # still kept, but the password has lapsed
        response = alice_client.get(pdf_url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert DossierJob.objects.get().sealed  # still there to download after the password


def test_an_expired_job_is_gone_and_a_stalled_one_says_it_failed(
    alice_client: Client, alice: User
) -> None:
    coachee = _coachee(alice, sessions=1)
    stalled = DossierJob.objects.create(coach=alice, coachee=coachee, total=1)
    DossierJob.objects.filter(pk=stalled.pk).update(
        updated=timezone.now() - dossier_jobs.STALLED - timedelta(seconds=1)
    )
    page = reverse("export_dossier_job", args=[stalled.code])
    html = alice_client.get(page).content.decode()
    assert "could not be made" in html and 'http-equiv="refresh"' not in html
    DossierJob.objects.filter(pk=stalled.pk).update(
        created=timezone.now() - dossier_jobs.KEEP - timedelta(seconds=1)
    )
    assert alice_client.get(page).status_code == 404
    assert dossier_jobs.sweep(timezone.now()) == 1
    assert not DossierJob.objects.exists()


def test_a_backup_made_while_a_dossier_waits_leaves_it_out(alice: User) -> None:
    coachee = _coachee(alice, sessions=1)
    job = DossierJob.objects.create(coach=alice, coachee=coachee, total=1)
    DossierJob.objects.filter(pk=job.pk).update(
        state=DossierJob.State.READY, sealed=dossier_jobs.seal(job, coachee, b"%PDF-1.7 x")
    )
    # Every table a backup holds dumps (a PDF's bytes would refuse the whole backup).
    dumped = {m._meta.label: dump_model(m, "default") for m in backed_up_models()}
    assert "exports.DossierJob" not in dumped and "coachees.Coachee" in dumped


def test_a_locked_table_is_waited_out_and_the_dossier_still_offered(
    alice_client: Client, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    coachee = _coachee(alice, 3)
    real = QuerySet.update
    locks = [OperationalError("database table is locked: exports_dossierjob")] * 2

    def sometimes_locked(self: QuerySet[Any], **fields: Any) -> int:
        if self.model is DossierJob and fields.get("state") == DossierJob.State.READY and locks:
            raise locks.pop()
        return real(self, **fields)

    monkeypatch.setattr(QuerySet, "update", sometimes_locked)
    reauthenticate(alice_client)
    pdf_url, _ = _follow(alice_client, _start(alice_client, coachee, "?details=name"))
    assert locks == []  # both locks met, and waited out
    assert alice_client.get(pdf_url)["Content-Type"] == "application/pdf"
