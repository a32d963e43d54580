"""A coach hands a coachee over and the receiving coach accepts: in Chromium, at desktop and
phone width, with screenshots of each step in screenshots/ (git-ignored)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from tests.browser.conftest import log_in
from tests.conftest import make_coachee, make_session

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = {1280: 900, 390: 844}


def _shot(page: Page, name: str, width: int) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SCREENSHOTS / f"handover-{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_coach_offers_and_the_other_accepts(
    new_context: Any, live_server: Any, alice: User, bob: User, width: int
) -> None:
    coachee = make_coachee(alice, "Noor Haddad")
    for n in (1, 2):
        make_session(coachee, n, date=date(2026, 3, n))
    viewport = {"width": width, "height": WIDTHS[width]}
    giving = new_context(viewport=viewport)
    log_in(giving, alice, live_server.url)
    page = giving.new_page()
    page.goto(f"/coachees/{coachee.code}/")
    page.get_by_role("link", name=re.compile("over to another coach")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hand over Noor Haddad")
    page.get_by_label("Hand over to").select_option(label="bob@example.com")
    page.get_by_label("They agreed to the hand-over on").fill("2026-03-03")
    page.get_by_role("radio", name=re.compile("In writing")).check()
    page.get_by_role("button", name=re.compile("^Offer")).click()
    expect(page.get_by_text("nothing moves without it")).to_be_visible()
    _shot(page, "offer-error", width)
    page.get_by_role("checkbox", name=re.compile("They agreed that their records")).check()
    page.get_by_role("button", name=re.compile("^Offer")).click()
    expect(page.get_by_text("Nothing moves until they accept")).to_be_visible()
    _shot(page, "offered", width)

    receiving = new_context(viewport=viewport)
    log_in(receiving, bob, live_server.url)
    other = receiving.new_page()
    other.goto("/coachees/")
    other.get_by_role("link", name=re.compile("Hand-overs \\(1 to review\\)")).click()
    other.get_by_role("link", name="Review and accept").click()
    expect(other.get_by_text("What you would take on")).to_be_visible()
    _shot(other, "review", width)
    other.get_by_role("button", name=re.compile("^Accept")).click()
    expect(other.get_by_text("Handed over from alice@example.com")).to_be_visible()
    _shot(other, "accepted", width)
    assert Coachee.objects.get(pk=coachee.pk).coach == bob
    response = page.goto(f"/coachees/{coachee.code}/")
    assert response is not None and response.status == 404
