"""The exports' pages in a real browser at desktop and phone width: the review page above all.

Screenshots land in screenshots/ (exports-*.png). A page that scrolls sideways on a phone, or
whose stylesheet fails to load, fails the test; the review page must show the names left
marked, and redacting one by ticking it must take it out of the pack shown.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from debrief.accounts.models import User
from debrief.exports.models import SupervisionFlag
from debrief.journal.models import Answer
from tests.browser.conftest import log_in
from tests.browser.test_screenshots import SCREENSHOTS, WIDTHS, Camera
from tests.conftest import PASSWORD, make_coachee, make_session


def _practice(coach: User) -> Any:
    coachee = make_coachee(coach, "Priya Shah", preferred_name="Priya", email="p@x.example")
    for n in (1, 2):
        session = make_session(coachee, n)
        Answer.objects.create(
            reflection=session.reflection,
            prompt_key="main_topics",
            text=f"Priya talked about her manager Bartholomew and the move to Leeds ({n}).",
        )
        Answer.objects.create(
            reflection=session.reflection,
            prompt_key="key_insights",
            text="قالت بريا إنها مستعدة للتغيير.",
        )
        SupervisionFlag.objects.create(
            coach=coach, reflection=session.reflection, note="What felt stuck with Priya"
        )
    return coachee


@pytest.mark.parametrize("width", list(WIDTHS))
def test_export_pages_and_the_pack_review(new_context: Any, live_server: Any, width: int) -> None:
    coach = User.objects.create_user(email="alice@example.com", password=PASSWORD)
    coachee = _practice(coach)
    context = new_context(viewport={"width": width, "height": WIDTHS[width]})
    log_in(context, coach, live_server.url)
    camera = Camera(context, width)
    pages = (
        ("exports", "Take your journal with you", "/exports/"),
        ("exports-dossier", "Export Priya’s sessions", f"/exports/coachees/{coachee.code}/"),
        ("exports-copy", "A copy for Priya", f"/exchange/coachees/{coachee.code}/copy/"),
        ("exports-packs", "Make a supervision pack", "/exports/supervision/"),
    )
    for name, heading, url in pages:
        page = camera.shoot(name, heading, url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {width} px"
    page.get_by_role("button", name="Review the pack").click()
    page = camera.shoot("exports-pack-review", "Review the supervision pack")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the review scrolls sideways by {overflow} px at {width} px"
    preview = page.locator(".pack-preview")
    expect(preview.locator("mark.maybe-name", has_text="Bartholomew").first).to_be_visible()
    expect(preview).not_to_contain_text("Priya")
    expect(preview.get_by_text("Session 1 with Client A", exact=False)).to_be_visible()
    page.get_by_label("Bartholomew").check()
    page.get_by_role("button", name="Apply redactions").click()
    expect(page.get_by_text("Redactions saved.")).to_be_visible()
    expect(preview).not_to_contain_text("Bartholomew")
    expect(preview).to_contain_text("[redacted]")
    page.screenshot(path=SCREENSHOTS / f"exports-pack-redacted-{width}.png", full_page=True)
    assert not camera.broken, "static files failed to load"
