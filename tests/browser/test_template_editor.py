"""A coach adapts the default template, reflects with it, and finds the old reflection unchanged."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, Route, expect

from debrief.accounts.models import User
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.prompts.models import ReflectionTemplate
from tests.browser.conftest import wait_until
from tests.conftest import make_coachee, make_session

NEW_PROMPT = "How hopeful did Priya sound by the end?"


def _old_reflection(alice: User) -> CoachingSession:
    priya = make_coachee(alice, "Priya Shah")
    session = make_session(priya, 1)
    reflection = session.reflection
    Answer.objects.create(reflection=reflection, prompt_key="main_topics", text="Her new role.")
    Answer.objects.create(
        reflection=reflection, prompt_key="key_insights", text="Fear of conflict."
    )
    Answer.objects.create(reflection=reflection, prompt_key="listening", rating=4, text="Better.")
    Reflection.objects.filter(pk=reflection.pk).update(status=Reflection.Status.COMPLETE)
    return session


def _reading(page: Page) -> str:
    """The read view's text, without the links to other sessions (a new one appears here)."""
    text: str = page.evaluate(
        """() => {
            const copy = document.querySelector("article.reading").cloneNode(true);
            copy.querySelectorAll(".session-neighbours").forEach(n => n.remove());
            document.body.appendChild(copy);
            const text = copy.innerText;
            copy.remove();
            return text;
        }"""
    )
    return text


def test_copy_add_a_rating_reorder_and_reflect(
    coach_page: Page, alice: User, live_server: Any
) -> None:
    page = coach_page
    old = _old_reflection(alice)
    page.goto(f"/sessions/{old.code}/")
    old_text = _reading(page)
    assert "Her new role." in old_text

    # The library: copy the default template.
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Templates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reflection templates")
    card = page.locator(".template-card").filter(has_text="Coaching session reflection")
    card.get_by_role("button", name="Copy and adapt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Edit “Coaching session reflection (my copy)”"
    )
    page.get_by_label("Name", exact=True).fill("Priya's reflection")

    # Add a rating prompt to "Summary of discussion".
    page.get_by_role("button", name="Add a prompt to “Summary of discussion”").click()
    new = page.locator("#s2-g0-p2")
    expect(new.get_by_label("Prompt", exact=True)).to_be_focused()
    new.get_by_label("Prompt", exact=True).fill(NEW_PROMPT)
    new.get_by_label("Answer").select_option("rating")  # shows its settings at once
    new = page.locator("#s2-g0-p2")
    expect(new.get_by_label("Scale")).to_be_visible()
    new.get_by_label("Scale").select_option("10")
    new.get_by_label("Label for the lowest").fill("Not at all")
    new.get_by_label("Label for the highest").fill("Very hopeful")
    # The live preview follows the working copy.
    preview = page.locator("#template-preview")
    expect(preview).to_contain_text(NEW_PROMPT)
    expect(preview.locator(".preview-dot")).to_have_count(
        3 * 5 + 10
    )  # three 1-5 ratings and the new 1-10

    # Reorder by keyboard: move "Briefly describe the main topics discussed." below the next.
    first = page.locator("#s2-g0-p0")
    expect(first.get_by_label("Prompt", exact=True)).to_have_value(
        "Briefly describe the main topics discussed."
    )
    first.get_by_role("button", name=re.compile("^Move down")).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#s2-g0-p1").get_by_label("Prompt", exact=True)).to_have_value(
        "Briefly describe the main topics discussed."
    )
    expect(
        page.locator("#s2-g0-p1").get_by_role("button", name=re.compile("^Move down"))
    ).to_be_focused()
    expect(page.locator("#s2-g0-p2").get_by_label("Prompt", exact=True)).to_have_value(NEW_PROMPT)

    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text("Saved as version 2.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priya's reflection")
    template = ReflectionTemplate.objects.get(owner=alice)
    assert template.versions.count() == 2

    # Make it the default and reflect on a new session with it.
    page.goto("/templates/defaults/")
    page.get_by_label("Your default").select_option(label="Priya's reflection")
    page.get_by_role("button", name="Save defaults").click()
    page.goto("/sessions/new/")
    page.get_by_role("button", name="Record session and reflect").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Reflect on session 2 with Priya Shah"
    )
    expect(page.locator(".template-line")).to_contain_text("Priya's reflection")
    prompts = page.locator("#session-overview .prompt-text")
    expect(prompts.nth(0)).to_have_text("Note any key points or insights shared by the coachee.")
    expect(prompts.nth(1)).to_have_text("Briefly describe the main topics discussed.")
    page.locator('[name="p-main_topics"]').fill("Delegating the rota.")
    hopeful = page.locator(".prompt").filter(has_text=NEW_PROMPT)
    hopeful.get_by_role("radio", name=re.compile(r"^8\b")).check()
    hopeful.get_by_label("Comment").fill("Brighter at the end.")
    hopeful.get_by_label("Comment").blur()
    new_session = CoachingSession.objects.get(number=2)
    key = template.latest_version().parsed.sections[2].groups[0].prompts[2].key

    def saved() -> bool:
        """the new reflection's answers are stored"""
        answers = {a.prompt_key: (a.text, a.rating) for a in new_session.reflection.answers.all()}
        return answers == {
            "main_topics": ("Delegating the rota.", None),
            key: ("Brighter at the end.", 8),
        }

    wait_until(saved)
    expect(page.locator("#save-state")).to_contain_text("Saved at")  # the reply is back too
    new_session.reflection.refresh_from_db()
    assert new_session.reflection.template_version == template.latest_version()

    # The old reflection reads exactly as before.
    page.goto(f"/sessions/{old.code}/")
    assert _reading(page) == old_text
    old.reflection.refresh_from_db()
    assert old.reflection.template_version.template.slug == "coaching-session-reflection"


def test_a_kind_chosen_before_the_script_has_loaded_shows_its_settings_once_it_has(
    coach_page: Page,
) -> None:
    # The script comes after the page and hides the "Show its settings" buttons: a kind chosen
    # in the moment before must not be left with its button gone and its settings not shown.
    page = coach_page
    script = re.compile(r"/template_editor[^/]*\.js$")
    held: list[Route] = []

    def hold_first(route: Route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)  # answered below, once a kind is chosen

    page.route(script, hold_first)
    page.goto("/templates/")
    card = page.locator(".template-card").filter(has_text="Coaching session reflection")
    card.get_by_role("button", name="Copy and adapt").click()
    prompt = page.locator("#s2-g0-p0")
    expect(prompt.get_by_role("button", name="Show its settings")).to_be_visible()  # no script
    prompt.get_by_label("Answer").select_option("rating")
    expect(prompt.get_by_label("Scale")).to_have_count(0)
    for _ in range(250):  # the handler runs when Playwright next reads its events
        if held:
            break
        page.wait_for_timeout(20)
    held[0].continue_()

    expect(page.locator("#s2-g0-p0").get_by_label("Scale")).to_be_visible()
    expect(page.locator("#s2-g0-p0").get_by_label("Answer")).to_have_value("rating")
