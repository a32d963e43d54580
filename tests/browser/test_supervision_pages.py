"""Supervision inside the firm, in Chromium at desktop and phone width: the administrator invites
a coach and a supervisor, both accept by the mailed links, the coach marks a reflection and makes
a supervision pack, shares it, the supervisor reads it and records a session, the coach sees the
view and the hours, revokes, and the supervisor's next visit is a 404. Screenshots of each step in
screenshots/ (git-ignored).

People are made by the pages (sign-up, invitations); only the coachee and the session's answers
are written directly, as the other browser tests do.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import BrowserContext, Page, expect

from debrief.accounts.models import User
from debrief.journal.models import Answer
from debrief.practice.models import SupervisionEntry
from debrief.supervision.models import Share
from tests.browser.test_accessibility import AXE, violations
from tests.conftest import make_coachee, make_session

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = {1280: 900, 390: 844}
PASSWORD = "a lantern left on the quay"
LINK = re.compile(r"https?://\S+(/firm/join/[\w-]+/)")
NAME = "Imogen Castellane"


def _shot(page: Page, name: str, width: int) -> None:
    """A screenshot, once axe-core finds nothing (if installed: npm ci --prefix tests/browser)."""
    if AXE.exists():
        assert violations(page, AXE) == [], name
    SCREENSHOTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SCREENSHOTS / f"supervision-{name}-{width}.png", full_page=True)


def _sign_up(page: Page, email: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def _invite(admin: Page, email: str, role: str) -> str:
    admin.goto("/firm/invite/")
    admin.get_by_label("Email address").fill(email)
    for box in admin.get_by_role("checkbox").all():
        box.uncheck()
    admin.get_by_role("checkbox", name=re.compile(f"^{role}")).check()
    admin.get_by_role("button", name="Send invitation").click()
    expect(admin.get_by_role("heading", name=f"Invitation sent to {email}")).to_be_visible()
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None
    return found.group(1)


def _accept(context: BrowserContext, link: str, email: str) -> Page:
    page = context.new_page()
    page.goto(link)
    expect(page.get_by_label("Email")).to_have_value(email)
    _sign_up(page, email)
    return page


@pytest.mark.parametrize("width", list(WIDTHS))
def test_invite_accept_share_supervise_revoke(new_context: Any, width: int) -> None:
    # The policy would refuse axe-core, injected by the test (as test_accessibility does).
    viewport: dict[str, Any] = {"width": width, "height": WIDTHS[width]}
    admin = new_context(viewport=viewport, bypass_csp=True).new_page()
    admin.goto("/")
    _sign_up(admin, "owner@example.com")
    expect(admin.get_by_role("heading", name="Welcome to Debrief")).to_be_visible()
    coach_link = _invite(admin, "cora@example.com", "Coach")
    supervisor_link = _invite(admin, "sid@example.com", "Supervisor")

    coach = _accept(new_context(viewport=viewport, bypass_csp=True), coach_link, "cora@example.com")
    expect(coach.get_by_role("heading", name="Welcome to Debrief")).to_be_visible()
    supervisor = _accept(
        new_context(viewport=viewport, bypass_csp=True), supervisor_link, "sid@example.com"
    )
    expect(supervisor.get_by_role("heading", level=1)).to_have_text(
        "Shared with you for supervision"
    )
    expect(supervisor.get_by_text("Nothing is shared with you at the moment.")).to_be_visible()

    cora = User.objects.get(email="cora@example.com")
    coachee = make_coachee(cora, name=NAME)
    session = make_session(coachee, 1, date=date(2026, 11, 10))
    Answer.objects.create(
        reflection=session.reflection,
        prompt_key="main_topics",
        text="Imogen asked about the restructure and felt unheard by Castellane senior.",
    )

    # The coach marks the reflection, makes a pack, and shares it.
    coach.goto(f"/exports/sessions/{session.code}/supervision/")
    coach.get_by_label("Take this session to supervision").check()
    coach.get_by_label("What to bring").fill("How I held back when Imogen went quiet")
    coach.get_by_role("button", name="Save").click()
    expect(coach.get_by_text("Marked for supervision.")).to_be_visible()
    coach.goto("/exports/supervision/")
    coach.get_by_role("button", name="Review the pack").click()
    expect(coach.get_by_role("heading", level=1)).to_have_text("Review the supervision pack")
    coach.get_by_role("link", name="share it with a supervisor").click()
    expect(coach.get_by_role("heading", level=1)).to_have_text("Share with a supervisor")
    coach.get_by_role("combobox", name=re.compile("^Supervisor")).select_option(
        label="sid@example.com"
    )
    expect(coach.get_by_role("radio", name="A supervision pack")).to_be_checked()
    expect(coach.get_by_label("Supervision pack", exact=True)).not_to_have_value("")
    coach.get_by_role("button", name="Share").click()
    expect(coach.get_by_text("Shared with sid@example.com")).to_be_visible()
    _shot(coach, "shared", width)

    # The supervisor reads it, pseudonymised, and records a session.
    supervisor.goto("/")
    link = supervisor.get_by_role("link", name=re.compile("^Supervision pack of"))
    expect(link).to_be_visible()
    _shot(supervisor, "list", width)
    link.click()
    expect(supervisor.get_by_role("heading", level=1)).to_have_text("Shared by cora@example.com")
    expect(supervisor.get_by_text("Client A asked about the restructure")).to_be_visible()
    assert "imogen" not in supervisor.content().casefold()
    assert "castellane" not in supervisor.content().casefold()
    _shot(supervisor, "read", width)
    supervisor.get_by_role("link", name="Record a supervision session").first.click()
    supervisor.get_by_label("Date of the supervision").fill("2099-11-24")
    supervisor.get_by_label("Duration in hours").fill("1.5")
    supervisor.get_by_label("Themes").fill("Holding silence; contracting with the sponsor")
    supervisor.get_by_role("button", name="Record the session").click()
    expect(supervisor.get_by_text("That date is in the future.")).to_be_visible()
    _shot(supervisor, "record-error", width)
    supervisor.get_by_label("Date of the supervision").fill("2026-11-24")
    supervisor.get_by_label("I sign off these hours").check()
    supervisor.get_by_role("button", name="Record the session").click()
    expect(supervisor.get_by_text("Recorded and signed off: 1.5 h")).to_be_visible()
    expect(supervisor.locator("tr.recorded-row")).to_contain_text("Signed off")
    _shot(supervisor, "recorded", width)

    # The coach sees the view and the hours, then revokes.
    coach.goto("/shares/")
    row = coach.locator("tr.share-row").first
    expect(row).to_contain_text("Viewed 1 time")
    coach.goto("/practice/")
    expect(coach.get_by_text(re.compile("recorded by sid@example.com, signed off"))).to_be_visible()
    _shot(coach, "practice", width)
    coach.goto("/shares/")
    coach.get_by_role("button", name=re.compile("^Revoke")).click()
    expect(coach.get_by_text("Revoked: sid@example.com can no longer see it.")).to_be_visible()
    expect(coach.locator("tr.share-row").first).to_contain_text("Revoked")
    _shot(coach, "revoked", width)

    share = Share.objects.get()
    response = supervisor.goto(f"/supervise/{share.code}/")
    assert response is not None and response.status == 404
    expect(supervisor.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    supervisor.goto("/")
    expect(supervisor.get_by_text("Nothing is shared with you at the moment.")).to_be_visible()
    assert SupervisionEntry.objects.get().recorded_by.email == "sid@example.com"  # type: ignore[union-attr]
