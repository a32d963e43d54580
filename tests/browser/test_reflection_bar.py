"""The reflection page's sticky bar: save state and progress where the coach is writing, a
focused field never under the bar (WCAG 2.2, 2.4.11), sticky on phones, focus kept after
adding an action, 24-hour times. Screenshots at 1280 and 390 px for a person to look at."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from debrief.accounts.models import User
from debrief.journal.models import CoachingSession
from tests.browser.conftest import log_in
from tests.browser.test_screenshots import SCREENSHOTS

SAVE_TIMEOUT_MS = 8_000


def _bar_covers(page: Page, selector: str) -> bool:
    """Whether the sticky bar overlaps the element (both as drawn in the window now)."""
    return bool(
        page.evaluate(
            """(sel) => {
                const el = document.querySelector(sel).getBoundingClientRect();
                const bar = document.querySelector('.form-actions-sticky').getBoundingClientRect();
                return el.bottom > bar.top && el.top < bar.bottom;
            }""",
            selector,
        )
    )


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_the_bar_shows_the_state_and_never_hides_the_field(
    browser: Browser,
    live_server: Any,
    alice: User,
    session: CoachingSession,
    width: int,
    height: int,
) -> None:
    # An American locale: the save time must still read 24-hour, as every time in Debrief.
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": height},
        locale="en-US",
        timezone_id=settings.TIME_ZONE,
    )
    log_in(context, alice, live_server.url)
    page = context.new_page()
    page.goto(f"/sessions/{session.code}/reflect/")
    bar = page.locator(".form-actions-sticky")
    expect(bar).to_be_in_viewport()  # sticky at the bottom of the window, phones too
    counts = page.locator("[data-progress]")
    expect(counts.first).to_have_text(re.compile(r"^0 of \d+ prompts answered$"))

    topics = page.get_by_label("Briefly describe the main topics discussed.")
    topics.fill("Stepping up to lead former peers.")
    in_bar = bar.locator("[data-save-state]")
    expect(in_bar).to_have_text(re.compile(r"^Saved at \d\d:\d\d\.$"), timeout=SAVE_TIMEOUT_MS)
    expect(page.locator("#save-state")).to_have_text(in_bar.inner_text())
    assert not re.search(r"AM|PM", in_bar.inner_text())
    expect(counts.first).to_have_text(re.compile(r"^1 of \d+ prompts answered$"))
    expect(counts.last).to_have_text(counts.first.inner_text())  # the bar's copy too

    # Tab down the page: every field that takes focus is drawn clear of the bar.
    fields = page.locator(".reflect-form textarea, .reflect-form input[type=text]")
    covered = []
    for i in range(fields.count()):
        field = fields.nth(i)
        field.focus()
        field_id = field.get_attribute("id")
        if field_id and _bar_covers(page, f"#{field_id}"):
            covered.append(field_id)
    assert not covered, f"hidden under the sticky bar when focused: {covered}"

    learnt = page.get_by_label("What did you learn about yourself as a coach during this session?")
    learnt.focus()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"reflection-bar-{width}.png")


def test_focus_stays_in_the_new_action_box_after_adding_one(
    coach_page: Page, session: CoachingSession
) -> None:
    page = coach_page
    page.goto(f"/sessions/{session.code}/reflect/")
    block = page.locator("#actions-coachee_actions")
    block.get_by_label("New action").fill("Book the feedback conversation")
    block.get_by_label("New action").press("Enter")
    rows = page.locator("#actions-coachee_actions .action-rows input[type=text]")
    expect(rows).to_have_value("Book the feedback conversation", timeout=SAVE_TIMEOUT_MS)
    expect(page.locator("#new-coachee_actions-text")).to_be_focused()
    page.keyboard.type("Write three things")
    page.locator("#actions-coachee_actions").get_by_role("button", name="Add").click()
    expect(rows).to_have_count(2, timeout=SAVE_TIMEOUT_MS)
    expect(page.locator("#new-coachee_actions-text")).to_be_focused()
    assert CoachingSession.objects.get(pk=session.pk).action_items.count() == 2


def test_the_required_prompt_message_links_to_the_prompt(
    coach_page: Page, session: CoachingSession
) -> None:
    from debrief.prompts.models import ReflectionTemplate

    five = ReflectionTemplate.objects.get(slug="five-minute-reflection")
    session.reflection.template_version = five.latest_version()
    session.reflection.save()
    page = coach_page
    page.goto(f"/sessions/{session.code}/reflect/")
    page.get_by_role("button", name="Save and mark complete").click()
    link = page.get_by_role("link", name="“In a sentence or two, what was this session about?”")
    link.click()
    expect(page).to_have_url(re.compile("#prompt-gist$"))
    expect(page.locator("#prompt-gist")).to_be_in_viewport()
