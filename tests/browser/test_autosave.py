"""Autosave on the reflection page: no button needed, nothing lost, nothing kept in the browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from debrief.followup.models import ActionItem
from debrief.journal.models import Answer, CoachingSession
from tests.browser.conftest import wait_until

CANARY = "Canary-Quince-4471: she named the fear out loud"
# The debounce is about 2 s; a save that is due must show within a few seconds of it.
SAVE_TIMEOUT_MS = 8_000


def _edit_url(session: CoachingSession) -> str:
    return f"/sessions/{session.code}/reflect/"


def _stored(session: CoachingSession, key: str) -> str | None:
    answer = Answer.objects.filter(reflection__session=session, prompt_key=key).first()
    return answer.text if answer else None


def _storage_dump(page: Page) -> str:
    """Everything the page keeps in the browser: Web Storage and IndexedDB database names."""
    return page.evaluate(
        """async () => JSON.stringify({
            local: Object.assign({}, localStorage),
            session: Object.assign({}, sessionStorage),
            idb: indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [],
        })"""
    )


def test_typing_saves_after_a_pause_without_pressing_a_button(
    coach_page: Page, session: CoachingSession
) -> None:
    page = coach_page
    page.goto(_edit_url(session))
    state = page.locator("#save-state")
    expect(state).to_have_text("Changes save automatically as you write.")

    page.get_by_label("Briefly describe the main topics discussed.").fill(CANARY)
    expect(state).to_have_text("Unsaved changes…")
    expect(state).to_have_text(re.compile(r"^Saved at \d\d:\d\d"), timeout=SAVE_TIMEOUT_MS)

    assert _stored(session, "main_topics") == CANARY
    expect(page).to_have_url(re.compile(rf"{_edit_url(session)}$"))  # no form post, no reload
    assert CANARY not in _storage_dump(page)


def test_what_is_written_before_the_script_has_loaded_is_saved_once_it_has(
    coach_page: Page, session: CoachingSession
) -> None:
    # The script comes after the page (deferred): on a slow line or a busy machine a coach can
    # start writing first. That text, a rating and an untouched answer beside them: only the
    # first two are changes. (Two CI runs lost such an answer: the tests fill a page at once.)
    page = coach_page
    held: list[Route] = []
    page.route(re.compile(r"/autosave[^/]*\.js$"), lambda route: held.append(route))  # below
    page.goto(_edit_url(session), wait_until="commit")
    page.get_by_label("Briefly describe the main topics discussed.").fill(CANARY)
    listening = page.locator('[data-prompt="listening"]')
    listening.get_by_role("radio", name=re.compile(r"^3\b")).check()
    state = page.locator("#save-state")
    expect(state).to_have_text("Save draft keeps your changes.")  # without the script
    assert _stored(session, "main_topics") is None
    _release(page, held)

    expect(state).to_have_text(re.compile(r"^Saved at \d\d:\d\d"), timeout=SAVE_TIMEOUT_MS)
    answers = {
        a.prompt_key: (a.text, a.rating) for a in Answer.objects.filter(reflection__session=session)
    }
    assert answers == {"main_topics": (CANARY, None), "listening": ("", 3)}


def test_closing_the_tab_straight_after_typing_keeps_the_text(
    coach_page: Page, context: BrowserContext, session: CoachingSession
) -> None:
    page = coach_page
    page.goto(_edit_url(session))
    page.get_by_label("Briefly describe the main topics discussed.").fill(CANARY)
    expect(page.locator("#save-state")).to_have_text("Unsaved changes…")
    page.close()  # well inside the 2 s debounce: only the pagehide flush can save it

    def saved() -> bool:
        """the text typed before closing is in the database"""
        return _stored(session, "main_topics") == CANARY

    wait_until(saved, timeout=5)
    other = context.new_page()
    other.goto(_edit_url(session))
    expect(other.get_by_label("Briefly describe the main topics discussed.")).to_have_value(CANARY)


@pytest.mark.parametrize(("failure", "failed_tries"), [("unreachable", 2), ("server-error", 1)])
def test_a_failed_save_warns_retries_and_saves_when_debrief_is_back(
    coach_page: Page, session: CoachingSession, failure: str, failed_tries: int
) -> None:
    page = coach_page
    page.goto(_edit_url(session))
    attempts: list[str] = []

    def fail_saves(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        attempts.append(route.request.method)
        if failure == "unreachable":
            route.abort("connectionrefused")
        else:
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error (500)</h1>")

    page.route(f"**{_edit_url(session)}", fail_saves)
    topics = page.get_by_label("Briefly describe the main topics discussed.")
    topics.fill(CANARY)
    topics.press("Tab")  # leaving the answer saves it at once

    state = page.locator("#save-state")
    expect(state).to_contain_text("Not saved", timeout=SAVE_TIMEOUT_MS)
    expect(state).to_contain_text("Retrying in 2 s")
    expect(state).to_have_class(re.compile(r"\bsave-error\b"))
    expect(state).to_be_visible()
    if failed_tries > 1:  # it tries again on its own, waiting longer each time
        expect(state).to_contain_text("Retrying in 4 s", timeout=SAVE_TIMEOUT_MS)
    assert len(attempts) == failed_tries
    assert _stored(session, "main_topics") is None
    assert CANARY not in _storage_dump(page)  # no stash in the browser while it cannot save

    page.unroute(f"**{_edit_url(session)}")
    expect(state).to_have_text(re.compile(r"^Saved at \d\d:\d\d"), timeout=SAVE_TIMEOUT_MS)
    expect(state).not_to_have_class(re.compile(r"\bsave-error\b"))
    assert _stored(session, "main_topics") == CANARY


def test_enter_in_a_new_action_while_a_save_is_on_its_way_still_adds_it(
    coach_page: Page, session: CoachingSession
) -> None:
    page = coach_page
    page.goto(_edit_url(session))
    held: list[Route] = []

    def hold_first_save(route: Route) -> None:
        if route.request.method == "POST" and not held:
            held.append(route)  # answered below, once Enter has been pressed
        else:
            route.continue_()

    page.route(f"**{_edit_url(session)}", hold_first_save)
    page.get_by_label("Briefly describe the main topics discussed.").fill(CANARY)
    new_action = page.locator("#actions-coachee_actions").get_by_label("New action")
    new_action.fill("Book the feedback conversation")  # leaving the answer starts its save
    expect(page.locator("#save-state")).to_have_text("Saving…")
    new_action.press("Enter")
    _release(page, held)

    rows = page.locator("#actions-coachee_actions .action-rows input[type=text]")
    expect(rows).to_have_value("Book the feedback conversation", timeout=SAVE_TIMEOUT_MS)
    assert list(a.text for a in ActionItem.objects.filter(session=session)) == [
        "Book the feedback conversation"
    ]
    assert _stored(session, "main_topics") == CANARY


def _release(page: Page, held: list[Any]) -> None:
    """Let the held request through, once the route handler has caught it."""
    for _ in range(250):  # the handler runs when Playwright next reads its events
        if held:
            held[0].continue_()
            return
        page.wait_for_timeout(20)
    raise AssertionError("the save never reached the route handler")
