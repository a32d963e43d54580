"""The ICF log's rows from before Debrief: one deleted after its confirmation, at both widths."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from debrief.accounts.models import User
from debrief.icflog.models import OpeningBalance
from tests.browser.conftest import log_in
from tests.browser.test_screenshots import WIDTHS, Camera
from tests.conftest import PASSWORD


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_row_before_debrief_is_deleted_after_its_confirmation(
    new_context: Any, live_server: Any, width: int
) -> None:
    alice = User.objects.create_user(email="alice@example.com", password=PASSWORD)
    OpeningBalance.objects.create(
        coach=alice, client="Amélie Durand", contact="amelie@example.org", clients=1,
        paid_hours=Decimal("12.5"),
    )  # fmt: skip
    OpeningBalance.objects.create(coach=alice, client="Team Alpha", group=True, group_size=4,
                                  clients=4, pro_bono_hours=Decimal(3))  # fmt: skip
    context = new_context(viewport={"width": width, "height": WIDTHS[width]})
    log_in(context, alice, live_server.url)
    camera = Camera(context, width)
    page = camera.shoot("icf-log-before", "ICF coaching log", f"{live_server.url}/icf-log/")
    page.get_by_role("link", name="Delete this row").first.click()
    camera.shoot("icf-log-row-delete", "Delete this row of hours before Debrief?")
    expect(page.get_by_text("Amélie Durand")).to_be_visible()
    expect(page.get_by_text("12.5 paid hours, 0 pro bono hours")).to_be_visible()
    page.get_by_role("button", name="Delete the row").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ICF coaching log")
    expect(page.get_by_text("The row was deleted from your hours before Debrief.")).to_be_visible()
    expect(page.get_by_role("cell", name="Amélie Durand")).to_have_count(0)
    expect(page.get_by_role("cell", name="Team Alpha")).to_be_visible()
    assert [r.client for r in OpeningBalance.objects.for_coach(alice)] == ["Team Alpha"]
    assert not camera.broken, "static files failed to load"
