"""The backups page and the recovery sheet, photographed at desktop and phone width.

Pictures land in screenshots/ (git-ignored) as backup-<page>-<width>.png, the sheet also as it
prints. The page is reached through the account menu, as a coach finds it.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from debrief.accounts.models import User
from debrief.backup.models import BackupRun
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD, make_coachee

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = {1280: 900, 390: 844}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_backup_page_and_recovery_sheet(new_context: Any, live_server: Any, width: int) -> None:
    alice = User.objects.create_user(email="alice@example.com", password=PASSWORD)
    make_coachee(alice, "Priya Shah")  # a data key exists, so the key has a fingerprint
    for days, size in ((8, 2_150_000), (1, 2_400_000)):
        BackupRun.objects.create(
            created=timezone.now() - timedelta(days=days, hours=3),
            seconds=Decimal("1.40"),
            size_bytes=size,
            row_counts={"coachees.coachee": 4, "journal.answer": 880, "journal.reflection": 26},
            data_keys=9,
            certificates=2,
            sha256="9f2c4e7a1b3d5f60" + "0" * 48,
        )
    context = new_context(viewport={"width": width, "height": WIDTHS[width]})
    log_in(context, alice, live_server.url)
    page = context.new_page()
    SCREENSHOTS.mkdir(exist_ok=True)

    page.goto("/")
    if width < 960:  # on a phone the account menu is inside the compact menu
        page.get_by_role("button", name="Menu").click()
    page.locator(".account-menu summary").click()
    page.get_by_role("link", name="Backups and your master key").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Backups and your master key")
    expect(page.get_by_text("910 rows in 3 tables")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / f"backup-page-{width}.png", full_page=True)

    page.get_by_role("link", name="Print the recovery sheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Debrief recovery sheet")
    expect(page.locator(".sheet-facts .fingerprint")).to_have_text(re.compile(r"^[0-9a-f]{12}$"))
    page.screenshot(path=SCREENSHOTS / f"backup-recovery-sheet-{width}.png", full_page=True)
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    page.screenshot(path=SCREENSHOTS / f"backup-recovery-sheet-print-{width}.png", full_page=True)
