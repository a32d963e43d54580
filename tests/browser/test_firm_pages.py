"""An administrator invites a coach; the coach follows the mailed link and signs up: in Chromium,
at desktop and phone width, with screenshots of each step in screenshots/ (git-ignored).

Nothing is made behind the pages' back: the administrator is the first account from the
sign-up page, the invitation is sent from the invite page, the link is read from the mail.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from debrief.accounts.models import User
from debrief.firm.models import Invitation

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = {1280: 900, 390: 844}
PASSWORD = "a lantern left on the quay"
LINK = re.compile(r"https?://\S+(/firm/join/[\w-]+/)")


def _shot(page: Page, name: str, width: int) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SCREENSHOTS / f"firm-{name}-{width}.png", full_page=True)


def _sign_up(page: Page, email: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_administrator_invites_and_the_coach_accepts(new_context: Any, width: int) -> None:
    viewport = {"width": width, "height": WIDTHS[width]}
    admin = new_context(viewport=viewport).new_page()
    admin.goto("/")
    _sign_up(admin, "owner@example.com")
    expect(admin.get_by_role("heading", name="Welcome to Debrief")).to_be_visible()

    admin.goto("/firm/people/")
    expect(admin.get_by_role("heading", level=1)).to_have_text("People")
    admin.get_by_role("link", name="Invite someone").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Invite someone")
    admin.get_by_label("Email address").fill("not an address")
    admin.get_by_role("button", name="Send invitation").click()
    expect(admin.get_by_text("Enter a whole email address")).to_be_visible()
    _shot(admin, "invite-error", width)
    admin.get_by_label("Email address").fill("sam.new@example.com")
    admin.get_by_role("checkbox", name=re.compile("^Supervisor")).check()
    admin.get_by_role("button", name="Send invitation").click()
    expect(
        admin.get_by_role("heading", name="Invitation sent to sam.new@example.com")
    ).to_be_visible()
    _shot(admin, "invite-sent", width)

    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None
    newcomer = new_context(viewport=viewport).new_page()
    newcomer.goto(found.group(1))
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Create your account")
    expect(newcomer.get_by_text("You were invited as coach and supervisor")).to_be_visible()
    expect(newcomer.get_by_label("Email")).to_have_value("sam.new@example.com")
    _shot(newcomer, "accept", width)
    _sign_up(newcomer, "sam.new@example.com")
    expect(newcomer.get_by_role("heading", name="Welcome to Debrief")).to_be_visible()
    _shot(newcomer, "accepted-home", width)
    assert User.objects.get(email="sam.new@example.com").membership.roles == [
        "coach",
        "supervisor",
    ]
    assert Invitation.objects.get().state == "accepted"

    # The same link again: used.
    again = new_context(viewport=viewport).new_page()
    again.goto(found.group(1))
    expect(again.get_by_role("heading", level=1)).to_have_text("This invitation link does not work")

    admin.goto("/firm/people/")
    row = admin.locator("tr.person-row", has_text="sam.new@example.com")
    expect(row).to_contain_text("Coach, Supervisor")
    expect(admin.locator("tr.invitation-row", has_text="sam.new@example.com")).to_contain_text(
        "Accepted"
    )
    _shot(admin, "people", width)
    admin.goto("/firm/reports/")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Reports")
    _shot(admin, "reports", width)
