"""Two tabs on one reflection: an answer changed in one is never silently overwritten."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from debrief.journal.models import Answer, CoachingSession

TOPICS = "Briefly describe the main topics discussed."
INSIGHTS = "Note any key points or insights shared by the coachee."
TEXT_A = "From tab A: the move to a new team."
TEXT_B = "From tab B: her fear of letting people down."
SAVED = re.compile(r"Saved at \d\d:\d\d")
SAVE_TIMEOUT_MS = 8_000


def _stored(session: CoachingSession, key: str) -> str | None:
    answer = Answer.objects.filter(reflection__session=session, prompt_key=key).first()
    return answer.text if answer else None


@pytest.fixture
def two_tabs(coach_page: Page, context: BrowserContext, session: CoachingSession) -> list[Page]:
    """Two tabs of the same signed-in browser, both showing the (empty) reflection."""
    tabs = [coach_page, context.new_page()]
    for tab in tabs:
        tab.goto(f"/sessions/{session.code}/reflect/")
        expect(tab.get_by_label(TOPICS)).to_have_value("")
    return tabs


def _save_in(tab: Page, label: str, text: str) -> None:
    tab.get_by_label(label).fill(text)
    tab.get_by_label(label).press("Tab")  # leaving the answer saves it at once
    expect(tab.locator("#save-state")).to_have_text(SAVED, timeout=SAVE_TIMEOUT_MS)


def _conflict_in(tab: Page) -> Locator:
    """Tab B types over the answer tab A saved, and is told rather than overwriting it."""
    tab.get_by_label(TOPICS).fill(TEXT_B)
    tab.get_by_label(TOPICS).press("Tab")
    state = tab.locator("#save-state")
    expect(state).to_contain_text("changed in another window", timeout=SAVE_TIMEOUT_MS)
    panel = tab.locator('.conflict[data-for="p-main_topics"]')
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Changed in another window.")
    expect(panel).to_contain_text("Nothing has been overwritten")
    expect(panel.locator(".conflict-title")).to_have_text(
        [re.compile(r"^Your version"), re.compile(r"^Saved version")]
    )
    expect(panel.locator("blockquote")).to_have_text([TEXT_B, TEXT_A])
    return panel


def test_keep_my_version_overwrites_only_after_the_coach_chooses(
    two_tabs: list[Page], session: CoachingSession
) -> None:
    tab_a, tab_b = two_tabs
    _save_in(tab_a, TOPICS, TEXT_A)
    assert _stored(session, "main_topics") == TEXT_A

    panel = _conflict_in(tab_b)
    assert _stored(session, "main_topics") == TEXT_A  # nothing overwritten silently

    panel.get_by_role("button", name="Keep my version").click()
    expect(panel).to_be_hidden()
    expect(tab_b.locator("#save-state")).to_have_text(SAVED, timeout=SAVE_TIMEOUT_MS)
    assert _stored(session, "main_topics") == TEXT_B
    expect(tab_b.get_by_label(TOPICS)).to_have_value(TEXT_B)


def test_use_the_saved_version_puts_the_other_tabs_text_in_the_box(
    two_tabs: list[Page], session: CoachingSession
) -> None:
    tab_a, tab_b = two_tabs
    _save_in(tab_a, TOPICS, TEXT_A)

    panel = _conflict_in(tab_b)
    panel.get_by_role("button", name="Use the saved version").click()
    expect(panel).to_be_hidden()
    expect(tab_b.get_by_label(TOPICS)).to_have_value(TEXT_A)
    assert _stored(session, "main_topics") == TEXT_A

    # Tab B now builds on the saved text, and that saves without another conflict.
    _save_in(tab_b, TOPICS, TEXT_A + " And the promotion.")
    expect(tab_b.locator(".conflict")).to_have_count(0)
    assert _stored(session, "main_topics") == TEXT_A + " And the promotion."


def test_editing_different_answers_in_two_tabs_never_conflicts(
    two_tabs: list[Page], session: CoachingSession
) -> None:
    tab_a, tab_b = two_tabs
    _save_in(tab_a, TOPICS, TEXT_A)
    _save_in(tab_b, INSIGHTS, TEXT_B)
    _save_in(tab_a, TOPICS, TEXT_A + " Again.")  # A's later edit still counts as its own

    for tab in two_tabs:
        expect(tab.locator(".conflict")).to_have_count(0)
        expect(tab.locator("#save-state")).not_to_have_class(re.compile(r"\bsave-error\b"))
    assert _stored(session, "main_topics") == TEXT_A + " Again."
    assert _stored(session, "key_insights") == TEXT_B
