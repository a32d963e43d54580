"""Each body's logs: exact column headers and row rules; the PDF portfolio and its fetcher."""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from debrief.accounts.models import User
from debrief.lib.pdf import fetcher as pdf_fetcher
from debrief.lib.pdf import render_pdf
from debrief.practice.models import (
    ClientFeedback,
    ClientFlags,
    CPDEntry,
    MentoringEntry,
    SupervisionEntry,
)
from tests.conftest import make_coachee, make_session

TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    moment = datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(moment, tick=False):
        yield


def _csv(client: Client, body: str, slug: str) -> list[list[str]]:
    response = client.get(reverse("practice_log", args=[body, slug, "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="debrief-{body}-{slug}-2026-12-01.csv"'
    )
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def practice(alice: User) -> dict[str, object]:
    """Listed and unlisted clients, individual and group, a group over 15, a session later today."""
    listed = make_coachee(
        alice,
        name="Ana Lopez",
        email="ana@example.com",
        organisation="Harbour Health",
        icf_log_listing=True,
    )
    hidden = make_coachee(alice, name="Hidden Person", organisation="Fenwick Analytics")
    team = make_coachee(
        alice, name="Team Lead", organisation="Harbour Health", icf_log_listing=True
    )
    make_session(listed, 1, date=date(2026, 9, 1), duration_minutes=60)
    make_session(listed, 2, date=date(2026, 10, 1), duration_minutes=90, payment="pro_bono")
    make_session(listed, 3, date=date(2026, 10, 8), kind="group", group_size=5)
    make_session(hidden, 1, date=date(2026, 9, 15), duration_minutes=45)
    make_session(team, 1, date=date(2026, 11, 1), kind="group", group_size=20)
    make_session(listed, 4, date=TODAY, start_time=time(15, 0), duration_minutes=60)  # later today
    ClientFlags.objects.create(coach=alice, coachee=listed, executive=True)
    SupervisionEntry.objects.create(
        coach=alice,
        date=date(2026, 11, 10),
        supervisor="=Dr Carter",
        hours="1.5",
        themes="Rescuing",
        learning="Pause",
    )
    MentoringEntry.objects.create(
        coach=alice, date=date(2026, 6, 1), mentor="Priya", mentor_email="p@example.com", hours=2
    )
    CPDEntry.objects.create(
        coach=alice,
        date=date(2026, 5, 1),
        title="Ethics",
        provider="ICF",
        hours=3,
        category="ethics",
    )
    CPDEntry.objects.create(
        coach=alice,
        date=date(2026, 6, 1),
        title="Business",
        provider="AC",
        hours=2,
        category="resource",
    )
    ClientFeedback.objects.create(
        coach=alice, coachee=listed, date=date(2026, 11, 1), text="Very helpful"
    )
    ClientFeedback.objects.create(
        coach=alice, coachee=hidden, date=date(2026, 11, 2), text="Calm and clear"
    )
    ClientFeedback.objects.create(coach=alice, date=date(2026, 11, 3), text="+1 would recommend")
    return {"listed": listed, "hidden": hidden}


def test_emcc_client_hours_summary(practice: object, alice_client: Client) -> None:
    assert _csv(alice_client, "emcc", "client-hours") == [
        [
            "Client",
            "Sponsor",
            "Individual/Group",
            "Number in Group",
            "Start Date",
            "End Date",
            "Sessions",
            "Hours",
        ],
        ["Ana Lopez", "Harbour Health", "Individual", "", "2026-09-01", "2026-10-01", "2", "2.5"],
        ["Client A", "Fenwick Analytics", "Individual", "", "2026-09-15", "2026-09-15", "1", "0.8"],
        ["Ana Lopez", "Harbour Health", "Group", "5", "2026-10-08", "2026-10-08", "1", "1.0"],
        # EMCC counts a group of 20 (the ICF does not); the session later today is not held.
        ["Team Lead", "Harbour Health", "Group", "20", "2026-11-01", "2026-11-01", "1", "1.0"],
    ]


def test_icf_client_log_leaves_out_the_group_of_20_and_later_today(
    practice: object, alice_client: Client
) -> None:
    rows = _csv(alice_client, "icf", "client-log")
    assert rows == [
        [
            "Client Name",
            "Contact Information",
            "Individual/Group",
            "Number in Group",
            "Start Date",
            "End Date",
            "Paid Hours",
            "Pro-bono Hours",
        ],
        [
            "Ana Lopez",
            "ana@example.com",
            "Individual",
            "",
            "2026-09-01",
            "2026-10-01",
            "1.0",
            "1.5",
        ],
        ["Ana Lopez", "ana@example.com", "Group", "5", "2026-10-08", "2026-10-08", "1.0", "0.0"],
        ["1 client not listed by name", "", "", "", "", "", "0.8", "0.0"],
    ]


def test_icf_cce_and_mentor_logs(practice: object, alice_client: Client) -> None:
    assert _csv(alice_client, "icf", "cce") == [
        ["Date", "Activity", "Provider", "CCE Type", "Ethics", "CCE Units"],
        ["2026-05-01", "Ethics", "ICF", "Core Competencies", "Yes", "3"],
        ["2026-06-01", "Business", "AC", "Resource Development", "", "2"],
    ]
    assert _csv(alice_client, "icf", "mentor-coaching") == [
        ["Mentor Name", "Mentor Email", "Mentor Credential", "Date", "One to one/Group", "Hours"],
        ["Priya", "p@example.com", "PCC", "2026-06-01", "One to one", "2"],
    ]


def test_supervision_cpd_and_feedback_logs(practice: object, alice_client: Client) -> None:
    assert _csv(alice_client, "emcc", "supervision") == [
        ["Date", "Supervisor", "One to one/Group", "Hours", "Themes", "Learning"],
        ["2026-11-10", "'=Dr Carter", "One to one", "1.5", "Rescuing", "Pause"],
    ]
    assert _csv(alice_client, "emcc", "cpd")[0] == [
        "Date",
        "Title",
        "Provider",
        "Hours",
        "Category",
        "What I learned",
    ]
    assert _csv(alice_client, "emcc", "feedback") == [
        ["Date", "Client", "Feedback"],
        ["2026-11-01", "Ana Lopez", "Very helpful"],
        ["2026-11-02", "Client A", "Calm and clear"],
        ["2026-11-03", "Anonymous", "'+1 would recommend"],
    ]
    assert _csv(alice_client, "ac", "supervision")[1][1] == "'=Dr Carter"
    assert _csv(alice_client, "emcc", "learning") == [
        ["Date", "Where from", "What I learned"],
        ["2026-11-10", "Supervision with =Dr Carter", "Pause"],
    ]


def test_ac_experience_log_by_organisation_with_team_and_executive(
    practice: object, alice_client: Client
) -> None:
    assert _csv(alice_client, "ac", "experience") == [
        [
            "Organisation",
            "Client",
            "Start Date",
            "End Date",
            "Individual/Team",
            "Executive Coaching",
            "Sessions",
            "Hours",
        ],
        [
            "Fenwick Analytics",
            "Client A",
            "2026-09-15",
            "2026-09-15",
            "Individual",
            "No",
            "1",
            "0.8",
        ],
        [
            "Harbour Health",
            "Ana Lopez",
            "2026-09-01",
            "2026-10-01",
            "Individual",
            "Yes",
            "2",
            "2.5",
        ],
        ["Harbour Health", "Ana Lopez", "2026-10-08", "2026-10-08", "Team", "Yes", "1", "1.0"],
        ["Harbour Health", "Team Lead", "2026-11-01", "2026-11-01", "Team", "No", "1", "1.0"],
    ]


def test_the_workbook_has_a_sheet_per_log_and_no_formulas(
    practice: object, alice_client: Client
) -> None:
    response = alice_client.get(reverse("practice_workbook", args=["emcc"]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Client hours summary",
        "Supervision log",
        "CPD log",
        "Learning log",
        "Client feedback record",
    ]
    supervision = book["Supervision log"]
    assert supervision["B2"].value == "=Dr Carter" and supervision["B2"].data_type == "s"
    assert supervision["D2"].value == 1.5


def test_another_coach_downloads_only_their_own_logs(practice: object, bob_client: Client) -> None:
    response = bob_client.get(reverse("practice_workbook", args=["emcc"]))
    book = load_workbook(io.BytesIO(response.content))
    assert [ws.max_row for ws in book.worksheets] == [1, 1, 1, 1, 1]


def test_the_portfolio_is_a_pdf_with_the_progress_and_logs(
    practice: object, alice_client: Client, tmp_path: Path
) -> None:
    response = alice_client.get(reverse("practice_portfolio", args=["emcc"]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    pdf = tmp_path / "portfolio.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "EMCC Global (European Individual Accreditation):" in text
    assert "accreditation portfolio" in text
    assert "Foundation" in text and "Client hours summary" in text and "Calm and clear" in text
    assert "Hidden Person" not in text


def test_the_pdf_fetcher_refuses_everything_but_our_static_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    fetcher = pdf_fetcher()
    html = (
        '<link rel="stylesheet" href="/static/practice/portfolio.css">'
        '<img src="http://127.0.0.1:9/x.png"><img src="https://example.com/x.png">'
        f'<img src="file://{secret}"><img src="/static/../../etc/passwd">'
        '<img src="ftp://127.0.0.1/x"><p>Hello</p>'
    )
    assert render_pdf(html, url_fetcher=fetcher).startswith(b"%PDF-")
    assert sorted(fetcher.refused) == sorted(
        [
            "http://127.0.0.1:9/x.png",
            "https://example.com/x.png",
            f"file://{secret}",
            "https://debrief.invalid/etc/passwd",
            "ftp://127.0.0.1/x",
        ]
    )
    assert (
        fetcher.fetch("https://debrief.invalid/static/practice/portfolio.css")
        .read()
        .startswith(b"/*")
    )
