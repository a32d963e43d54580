"""Past sessions from a spreadsheet: preview, every error with its row and column, confirm."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.icflog.facts import log_for
from debrief.icflog.models import OpeningBalance
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.portable import sheet_read
from tests.conftest import make_coachee, make_session

FILES = Path(__file__).parent / "spreadsheets"
HEADER = (
    "Date,Start time,Duration (minutes),Coachee,Paid or pro bono,Individual or group,Group size"
)


def _upload(client: Client, raw: bytes, name: str = "past.csv") -> str:
    response = client.post(
        reverse("past_sessions_preview"), {"file": SimpleUploadedFile(name, raw)}
    )
    assert response.status_code == 200
    return response.content.decode()


def _token(page: str) -> str:
    found = re.search(r'name="sheet" value="([^"]+)"', page)
    assert found, "the preview offers no confirmation"
    return found[1]


def _confirm(client: Client, page: str) -> Any:
    return client.post(reverse("past_sessions_confirm"), {"sheet": _token(page)})


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode()


# ---- files written by other programs -----------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["excel-csv-utf8-bom.csv", "excel-european-semicolon-cp1252.csv", "openpyxl-sessions.xlsx"],
)
def test_a_real_file_previews_then_imports(name: str, alice_client: Client, alice: User) -> None:
    page = _upload(alice_client, (FILES / name).read_bytes(), name)
    assert "Amélie Durand" in page and "to fix first" not in page
    assert "Leadership circle" in page and "Group of 6" in page
    assert not CoachingSession.objects.for_coach(alice).exists()  # a preview writes nothing
    response = _confirm(alice_client, page)
    assert response.status_code == 302 and response["Location"] == reverse("icf_log")
    sessions = CoachingSession.objects.for_coach(alice).order_by("date")
    first = sessions[0]
    assert (first.date, first.start_time, first.duration_minutes) == (
        date(2025, 12, 1), time(9, 30), 60
    )  # fmt: skip
    assert first.reflection.status == Reflection.Status.COMPLETE
    group = sessions.get(date=date(2026, 1, 15))
    assert (group.kind, group.group_size, group.payment) == ("group", 6, "pro_bono")
    names = sorted(c.name for c in Coachee.objects.for_coach(alice))
    assert "Amélie Durand" in names and "Leadership circle" in names


def test_the_notes_are_kept_sealed_on_the_sessions_reflection(
    alice_client: Client, alice: User
) -> None:
    page = _upload(alice_client, (FILES / "excel-csv-utf8-bom.csv").read_bytes())
    _confirm(alice_client, page)
    first = CoachingSession.objects.for_coach(alice).order_by("date")[0]
    answer = Answer.objects.get(reflection=first.reflection, prompt_key="other_observations")
    assert answer.text == 'First session, goals agreed: "lead with questions"'
    second = CoachingSession.objects.for_coach(alice).order_by("date")[1]
    assert second.reflection.answers.get().text == "Line one\nline two"  # a newline in quotes


def test_the_european_file_reads_its_accents(alice_client: Client, alice: User) -> None:
    raw = (FILES / "excel-european-semicolon-cp1252.csv").read_bytes()
    page = _upload(alice_client, raw)
    assert "semicolon-separated" in page and "Windows-1252" in page
    assert "Tomás O&#x27;Neill" in page


def test_iso_dates_and_hours_and_minutes(alice_client: Client, alice: User) -> None:
    page = _upload(alice_client, (FILES / "iso-dates-lf.csv").read_bytes())
    _confirm(alice_client, page)
    got = sorted(CoachingSession.objects.for_coach(alice).values_list("date", "duration_minutes"))
    assert got == [(date(2026, 3, 2), 60), (date(2026, 3, 9), 75)]


def test_the_icf_log_and_hours_include_the_imported_sessions(
    alice_client: Client, alice: User
) -> None:
    before = log_for(alice).total_hours
    page = _upload(alice_client, _csv("01/06/2026,10:00,90,Priya Shah,Paid,Individual,"))
    _confirm(alice_client, page)
    assert log_for(alice).total_hours == before + Decimal("1.5")
    page = alice_client.get(reverse("icf_log")).content.decode()
    assert "1 past session imported, with 1 new coachee" in page
    assert "In total: 1.5 hours (1.5 paid" in page


def test_an_existing_coachee_is_matched_and_numbered_after_their_sessions(
    alice_client: Client, alice: User
) -> None:
    priya = make_coachee(alice, name="Priya Shah", preferred_name="Pri")
    make_session(priya, 1, date=date(2026, 10, 1))
    page = _upload(alice_client, _csv("01/03/2026,,60,pri,Paid,Individual,"))
    assert "new coachee" not in page
    _confirm(alice_client, page)
    assert Coachee.objects.for_coach(alice).count() == 1
    assert priya.sessions.get(date=date(2026, 3, 1)).number == 2


def test_the_templates_download_and_read_back(alice_client: Client) -> None:
    raw_csv = alice_client.get(reverse("past_sessions_csv")).content
    assert raw_csv.startswith(b"\xef\xbb\xbf" + b"Date,Start time,Duration (minutes),Coachee")
    raw_xlsx = alice_client.get(reverse("past_sessions_xlsx")).content
    sheet = load_workbook(io.BytesIO(raw_xlsx)).active
    assert sheet["D1"].value == "Coachee" and sheet["D2"].value == "Priya Shah"
    for raw, name in ((raw_csv, "t.csv"), (raw_xlsx, "t.xlsx")):
        page = _upload(alice_client, raw, name)
        assert "to fix first" not in page and "Import 1 session and add 1 coachee" in page


# ---- the ICF's own log as opening balances -------------------------------------------------


def test_an_icf_client_log_sets_the_hours_before_debrief(alice_client: Client, alice: User) -> None:
    page = _upload(alice_client, (FILES / "icf-client-log.csv").read_bytes())
    assert "Your ICF client log, as hours before Debrief" in page
    assert "74.5 paid" in page and "12.25 pro bono" in page and "10 clients" in page
    _confirm(alice_client, page)
    rows = OpeningBalance.objects.for_coach(alice).order_by("pk")
    assert [(r.client, r.paid_hours, r.pro_bono_hours, r.clients) for r in rows] == [
        ("Amélie Durand", Decimal("42.50"), Decimal(0), 1),
        ("Team Alpha", Decimal(12), Decimal(0), 5),
        ("Tomás O'Neill", Decimal(0), Decimal("8.25"), 1),
        ("", Decimal(20), Decimal(4), 3),
    ]
    assert not Coachee.objects.for_coach(alice).exists()  # clients before Debrief, not coachees


def test_debriefs_own_icf_log_download_reads_back(alice_client: Client, alice: User) -> None:
    priya = make_coachee(alice, name="Priya Shah", icf_log_listing=True)
    make_session(priya, 1, date=date(2026, 3, 2), duration_minutes=90)
    quiet = make_coachee(alice, name="Quiet One")
    make_session(quiet, 1, date=date(2026, 3, 3), duration_minutes=60, payment="pro_bono")
    raw = alice_client.get(reverse("icf_log_xlsx")).content
    page = _upload(alice_client, raw, "log.xlsx")
    assert "1.5 paid" in page and "1 pro bono" in page and "2 clients" in page


# ---- bad files and bad rows: a clear message, never a 500, nothing imported --------------


def _xlsx(*rows: list[Any]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b"<workbook>&lol2;</workbook>"
)

BAD_FILES: dict[str, tuple[Any, str]] = {
    "utf-16 without a byte-order mark": (lambda: HEADER.encode("utf-16-le"), "holds zero bytes"),
    "not UTF-8 nor Windows-1252": (
        lambda: _csv() + b"01/03/2026,,60,Pri\x81ya,,,\r\n",
        "encoding is not one Debrief reads",
    ),
    "over 5 MB": (lambda: b"a,b\r\n" * (6 * 1024 * 1024 // 4), "larger than 5 MB"),
    "50 MB": (lambda: b"x" * (50 * 1024 * 1024), "larger than 5 MB"),
    "zip bomb named .xlsx": (
        lambda: _zip(
            {"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": bytes(100_000_000)}
        ),
        "unpacks to far more",
    ),
    "XML entities in a workbook": (
        lambda: _zip({"xl/workbook.xml": LAUGHS, "[Content_Types].xml": b"<Types/>"}),
        "declares XML entities",
    ),
    "damaged workbook": (lambda: _xlsx(["Date"])[:2000], "damaged"),
    "zip that is not a workbook": (lambda: _zip({"hello.txt": b"hi"}), "not an Excel workbook"),
    "OpenDocument spreadsheet": (
        lambda: _zip(
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}
        ),
        "OpenDocument",
    ),
    "old Excel .xls": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old Excel file"),
    "a PDF": (lambda: b"%PDF-1.7\n...", "This is a PDF"),
    "empty file": (lambda: b"", "The file is empty"),
    "header only": (lambda: _csv(), "no sessions below it"),
    "unclosed quotation mark": (lambda: _csv('01/03/2026,,60,"Priya,,,'), "unclosed quotation"),
    "too many rows": (lambda: _csv(*["01/03/2026,,60,Priya,,,"] * 5_002), "more than 5,000 rows"),
    "wrong columns": (
        lambda: _csv("1,2,3", header="Client ID,Hours,Rate"),
        "“Client ID” is not a column Debrief knows",
    ),
    "a required column missing": (
        lambda: _csv("01/03/2026,Priya", header="Date,Coachee"),
        "No “Duration (minutes)” column",
    ),
    "a column twice": (
        lambda: _csv("01/03/2026,60,Priya,Priya", header="Date,Duration,Coachee,Client"),
        "repeats",
    ),
    "a value right of the titled columns": (
        lambda: _csv("01/03/2026,60,Priya,x", header="Date,Duration,Coachee,"),
        "Row 2, column D",
    ),
    "a column without a title": (
        lambda: _csv("01/03/2026,x,60,Priya", header="Date,,Duration,Coachee"),
        "Column B",
    ),
    "an ICF log without its kind column": (
        lambda: _csv("Ana,3,0", header="Client Name,Paid Hours,Pro-bono Hours") + b"Bo,-1,0\r\n",
        "Row 3, column B (Paid Hours)",
    ),
    "a cell too long": (lambda: _csv("01/03/2026,,60,Priya,,," + "x" * 60_000), "50,000"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_gets_a_clear_message_and_nothing_is_imported(
    name: str, alice_client: Client, alice: User
) -> None:
    make_raw, expected = BAD_FILES[name]
    page = _upload(alice_client, make_raw(), "past.xlsx" if "zip" in name else "past.csv")
    assert expected in page
    assert "Nothing" in page  # "Nothing was imported" / "Nothing will be imported"
    assert 'name="sheet"' not in page
    assert not CoachingSession.objects.for_coach(alice).exists()


BAD_ROWS: dict[str, tuple[str, str]] = {
    "a date in the future": ("01/03/2099,,60,Priya,,,", "Row 3, column A (Date)"),
    "not a date": ("31/02/2026,,60,Priya,,,", "is not a date"),
    "American month first": ("12/31/2025,,60,Priya,,,", "is not a date"),
    "before 1980": ("01/03/1970,,60,Priya,,,", "before 1980"),
    "a negative duration": ("01/03/2026,,-30,Priya,,,", "Row 3, column C (Duration (minutes))"),
    "zero minutes": ("01/03/2026,,0,Priya,,,", "0 minutes cannot be counted"),
    "fractional minutes": ("01/03/2026,,45.5,Priya,,,", "not whole minutes"),
    "longer than a day": ("01/03/2026,,2000,Priya,,,", "longer than a day"),
    "words for a duration": ("01/03/2026,,an hour,Priya,,,", "is not a duration"),
    "a bad start time": ("01/03/2026,25:00,60,Priya,,,", "Row 3, column B (Start time)"),
    "no coachee": ("01/03/2026,,60,,,,", "Empty: write the coachee&#x27;s name"),
    "a name too long": ("01/03/2026,,60," + "P" * 201 + ",,,", "longer than 200"),
    "payment neither": ("01/03/2026,,60,Priya,Barter,,", "neither Paid nor Pro bono"),
    "kind neither": ("01/03/2026,,60,Priya,,Couple,", "neither Individual nor Group"),
    "a group without a size": ("01/03/2026,,60,Priya,,Group,", "write how many people"),
    "an individual of five": ("01/03/2026,,60,Priya,,Individual,5", "mark it Group"),
    "a size that is not a number": ("01/03/2026,,60,Priya,,Group,six", "not a number of people"),
    "a formula in CSV": ("01/03/2026,,60,=cmd|' /C calc'!A0,,,", "A formula ("),
    "an @ formula in CSV": ("01/03/2026,,60,@SUM(1+1),,,", "A formula ("),
    "the same session twice": (
        "01/03/2026,10:00,60,Priya,,,\r\n01/03/2026,10:00,60,Priya,,,",
        "Row 4, column A (Date)",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_ROWS))
def test_a_bad_row_is_shown_with_its_row_and_column_and_blocks_the_import(
    name: str, alice_client: Client, alice: User
) -> None:
    row, expected = BAD_ROWS[name]
    good = "02/03/2026,,60,Priya,,,"
    page = _upload(alice_client, _csv(good, row))
    assert expected in page
    assert "Nothing will be imported while any row is wrong" in page
    assert 'name="sheet"' not in page
    assert not CoachingSession.objects.for_coach(alice).exists()


def test_formula_cells_in_a_workbook_are_flagged_never_run(
    alice_client: Client, alice: User
) -> None:
    page = _upload(alice_client, (FILES / "formulas.xlsx").read_bytes(), "f.xlsx")
    assert "Row 2, column C (Coachee)" in page and "=HYPERLINK(" in page
    assert "Row 3, column B (Duration (minutes))" in page and "=30*2" in page
    assert "Row 3, column D (Notes)" in page
    assert 'name="sheet"' not in page


def test_a_name_matching_two_coachees_is_an_error(alice_client: Client, alice: User) -> None:
    make_coachee(alice, name="Sam Lee")
    make_coachee(alice, name="Sam Okafor", preferred_name="Sam Lee")
    page = _upload(alice_client, _csv("01/03/2026,,60,sam lee,,,"))
    assert "matches two of your coachees" in page


def test_a_changed_or_foreign_preview_is_refused(
    alice_client: Client, bob_client: Client, alice: User, bob: User
) -> None:
    page = _upload(alice_client, _csv("01/03/2026,,60,Priya,,,"))
    token = _token(page)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for client, sent in ((alice_client, tampered), (bob_client, token)):
        again = client.post(reverse("past_sessions_confirm"), {"sheet": sent}).content.decode()
        assert "That preview has expired. Upload the file again." in again
    assert not CoachingSession.objects.exists()


def test_a_preview_is_checked_again_on_confirmation(alice_client: Client, alice: User) -> None:
    page = _upload(alice_client, _csv("01/03/2026,,60,Sam Lee,,,"))
    make_coachee(alice, name="Sam Lee")
    make_coachee(alice, name="Sam Okafor", preferred_name="Sam Lee")
    again = _confirm(alice_client, page).content.decode()
    assert "matches two of your coachees" in again
    assert not CoachingSession.objects.exists()


def test_the_reader_bounds_are_what_the_docs_say() -> None:
    assert sheet_read.MAX_BYTES == 5 * 1024 * 1024
    assert sheet_read.MAX_ROWS == 5_000
    assert sheet_read.MAX_UNZIPPED == 50 * 1024 * 1024
    docs = (Path(__file__).parent.parent / "docs" / "journal-format.md").read_text()
    for figure in ("5 MB", "5,000 rows", "50 MB", "200 MB"):
        assert figure in docs


def test_an_icf_row_with_a_large_group_is_an_error(alice_client: Client) -> None:
    header = ",".join(
        ["Client Name", "Contact Information", "Individual/Group", "Number in Group",
         "Start Date", "End Date", "Paid Hours", "Pro-bono Hours"]
    )  # fmt: skip
    page = _upload(
        alice_client,
        _csv(
            "Big team,,Group,20,2022-01-01,2022-02-01,10,0",
            "Ana,,Individual,,,,-3,0",
            header=header,
        ),
    )
    assert "groups of more than 15" in page and "Row 3, column G (Paid Hours)" in page


def test_the_csv_template_is_what_excel_would_open(alice_client: Client) -> None:
    raw = alice_client.get(reverse("past_sessions_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw)))
    assert rows[0][:4] == ["Date", "Start time", "Duration (minutes)", "Coachee"]


def test_numbers_typed_in_a_workbook_read_as_written(alice_client: Client, alice: User) -> None:
    raw = _xlsx(
        ["Date", "Duration (minutes)", "Coachee", "Start time"],
        [date(2026, 3, 2), 60.0, "Ana", 0.4375],  # 0.4375 of a day: 10:30, unformatted
    )
    page = _upload(alice_client, raw, "s.xlsx")
    assert "to fix first" not in page
    _confirm(alice_client, page)
    session = CoachingSession.objects.for_coach(alice).get()
    assert (session.duration_minutes, session.start_time) == (60, time(10, 30))
