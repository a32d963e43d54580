"""The journal move and spreadsheet import pages in a real browser, photographed at both widths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FilePayload, expect

from debrief.accounts.models import User
from debrief.journal.models import CoachingSession
from tests.browser.conftest import log_in
from tests.browser.test_screenshots import WIDTHS, Camera
from tests.conftest import PASSWORD, make_coachee

FILES = Path(__file__).resolve().parents[1] / "spreadsheets"
BAD = (
    b"Date,Start time,Duration (minutes),Coachee,Paid or pro bono,Individual or group\r\n"
    b"01/12/2025,09:30,60,Am\xc3\xa9lie Durand,Paid,Individual\r\n"
    b"08/12/2099,09:30,-45,Am\xc3\xa9lie Durand,Paid,Individual\r\n"
    b'15/01/2026,14:00,90,=HYPERLINK("https://x.example"),Pro bono,Group\r\n'
)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_preview_shows_what_will_be_created_then_imports(
    new_context: Any, live_server: Any, width: int
) -> None:
    alice = User.objects.create_user(email="alice@example.com", password=PASSWORD)
    make_coachee(alice, name="Amélie Durand")
    context = new_context(viewport={"width": width, "height": WIDTHS[width]})
    log_in(context, alice, live_server.url)
    camera = Camera(context, width)
    page = camera.shoot(
        "past-sessions",
        "Past sessions from a spreadsheet",
        f"{live_server.url}/move/past-sessions/",
    )

    wrong: FilePayload = {"name": "sessions.csv", "mimeType": "text/csv", "buffer": BAD}
    page.locator("#id_file").set_input_files(files=[wrong])
    page.get_by_role("button", name="Preview the import").click()
    camera.shoot("past-sessions-preview-errors", "Check the import")
    expect(page.get_by_text("Row 3, column A (Date)")).to_be_visible()
    expect(page.get_by_role("button", name="Import")).to_have_count(0)

    page.goto(f"{live_server.url}/move/past-sessions/")
    good: FilePayload = {
        "name": "sessions.csv",
        "mimeType": "text/csv",
        "buffer": (FILES / "excel-csv-utf8-bom.csv").read_bytes(),
    }
    page.locator("#id_file").set_input_files(files=[good])
    page.get_by_role("button", name="Preview the import").click()
    camera.shoot("past-sessions-preview", "Check the import")
    page.get_by_role("button", name="Import 4 sessions and add 2 coachees").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ICF coaching log")
    expect(page.get_by_text("4 past sessions imported, with 2 new coachees.")).to_be_visible()
    assert CoachingSession.objects.filter(coach=alice).count() == 4

    camera.shoot("journal-move", "Move your journal", f"{live_server.url}/move/journal/")
    assert not camera.broken, "static files failed to load"
