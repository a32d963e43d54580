"""The practice pages in a real browser, at desktop and phone width: seen, not overflowing.

Screenshots land in screenshots/ beside the others (practice-*.png). A page that scrolls
sideways on a phone, or whose stylesheet fails to load, fails the test.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from debrief.demo.accreditation import add_accreditation
from tests.browser.conftest import log_in
from tests.browser.test_screenshots import WIDTHS, Camera
from tests.conftest import make_coach, make_coachee, make_session

PAGES = (
    ("practice", "Your practice", "/practice/"),
    ("practice-icf", "International Coaching Federation", "/practice/icf/"),
    ("practice-emcc", "EMCC Global (European Individual Accreditation)", "/practice/emcc/"),
    ("practice-ac", "Association for Coaching", "/practice/ac/"),
    ("practice-icf-log", "ICF coaching log", "/icf-log/"),
    ("practice-bodies", "Your bodies and levels", "/practice/bodies/"),
    ("practice-supervision-new", "Add supervision session", "/practice/supervision/new/"),
    ("practice-cpd-new", "Add CPD entry", "/practice/cpd/new/"),
)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_practice_pages_at_desktop_and_phone_width(
    new_context: Any, live_server: Any, width: int
) -> None:
    coach = make_coach("alice@example.com")
    today = timezone.localdate()
    team = make_coachee(coach, "Priya Shah", organisation="Harbour Health", icf_log_listing=True)
    make_session(team, 1, date=today - timedelta(days=20), duration_minutes=75)
    make_session(team, 2, date=today - timedelta(days=10), kind="group", group_size=6)
    make_session(make_coachee(coach, "Tom Okafor"), 1, date=today - timedelta(days=5))
    add_accreditation(coach, today)
    context = new_context(viewport={"width": width, "height": WIDTHS[width]})
    log_in(context, coach, live_server.url)
    camera = Camera(context, width)
    for name, heading, url in PAGES:
        page = camera.shoot(name, heading, url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {width} px"
    page = camera.shoot("practice-icf", "International Coaching Federation", "/practice/icf/")
    expect(page.get_by_text("ACC renewal by", exact=False).first).to_be_visible()
    expect(page.get_by_role("link", name="Portfolio (PDF)")).to_be_visible()
    assert not camera.broken, "static files failed to load"
