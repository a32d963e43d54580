"""The one conflict panel, with and without JavaScript, for fields outside the plain answers.

Without a script the coach fills in a goal score and note and reviews an earlier action, then
presses "Save draft"; meanwhile another window saved other values for the same fields. The
page comes back with the panel under each of them. With autosave, the same panel arrives in the
409 reply and its buttons decide.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from debrief.accounts.models import User
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from tests.browser.conftest import log_in
from tests.browser.test_screenshots import SCREENSHOTS, WIDTHS
from tests.conftest import make_coachee, make_session
from tests.follow_helpers import goal_template_version, use_template


@pytest.mark.parametrize("width", list(WIDTHS))
def test_goal_and_review_fields_show_both_versions(
    new_context: Any, live_server: Any, alice: User, width: int
) -> None:
    today = timezone.localdate()
    priya = make_coachee(alice, "Priya Shah", preferred_name="Priya")
    last = make_session(priya, 1, date=today - timedelta(days=14))
    session = make_session(priya, 2, date=today - timedelta(days=1))
    use_template(session, goal_template_version())
    charter = ActionItem.objects.create(
        coach=alice, coachee=priya, session=last, owner="coachee", text="Draft the team charter"
    )
    goal = Goal.objects.create(coach=alice, coachee=priya, title="Lead her former peers")

    context = new_context(
        viewport={"width": width, "height": WIDTHS[width]}, java_script_enabled=False
    )
    log_in(context, alice, live_server.url)
    page = context.new_page()
    page.goto(f"/sessions/{session.code}/reflect/")
    # Without JavaScript nothing saves on its own, and the page says what does.
    expect(page.locator("#save-state")).to_have_text("Save draft keeps your changes.")

    # Meanwhile, another window saves the same fields.
    GoalProgress.objects.create(
        coach=alice, goal=goal, session=session, score=7, note="Ran her first team meeting."
    )
    ActionReview.objects.create(
        coach=alice, action=charter, session=session, choice="done", note="Sent on Friday"
    )

    row = page.locator(f"#goal-{goal.code}")
    row.get_by_role("radio", name=re.compile(r"^4\b")).check()
    row.get_by_label("Note (optional)").fill("Still avoiding the hard conversation.")
    carry = page.locator(f"#carry-{charter.code}")
    carry.get_by_label("Carry on").check()
    carry.get_by_label("Note (optional, one line)").fill("Half written")
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_text("Some answers were changed in another window")).to_be_visible()
    score = row.locator(f'.conflict[data-for="g-{goal.code}-score"]')
    expect(score).to_contain_text("“Goal: Lead her former peers (score)” was saved elsewhere")
    expect(score.locator("blockquote")).to_have_text(["4 of 10", "7 of 10"])
    note = row.locator(f'.conflict[data-for="g-{goal.code}-note"]')
    expect(note.locator("blockquote")).to_have_text(
        ["Still avoiding the hard conversation.", "Ran her first team meeting."]
    )
    choice = carry.locator(f'.conflict[data-for="r-{charter.code}-choice"]')
    expect(choice.locator("blockquote")).to_have_text(["Carry on", "Done"])
    expect(carry.locator(f'.conflict[data-for="r-{charter.code}-note"]')).to_contain_text(
        "Sent on Friday"
    )
    expect(page.get_by_role("button", name="Keep my version")).to_have_count(0)
    # What the coach typed is still in the form; nothing saved elsewhere was overwritten.
    expect(row.get_by_label("Note (optional)")).to_have_value(
        "Still avoiding the hard conversation."
    )
    assert GoalProgress.objects.get(goal=goal, session=session).score == 7
    assert ActionReview.objects.get(action=charter).choice == "done"

    SCREENSHOTS.mkdir(exist_ok=True)
    row.scroll_into_view_if_needed()
    row.screenshot(path=SCREENSHOTS / f"conflict-goal-nojs-{width}.png")
    carry.screenshot(path=SCREENSHOTS / f"conflict-review-nojs-{width}.png")

    # Saving again keeps the coach's version.
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved at")).to_be_visible()
    progress = GoalProgress.objects.get(goal=goal, session=session)
    assert (progress.score, progress.note) == (4, "Still avoiding the hard conversation.")
    assert ActionReview.objects.get(action=charter).choice == "carry"


@pytest.mark.parametrize("width", list(WIDTHS))
def test_autosave_inserts_the_same_panel_for_a_goal_note(
    new_context: Any, live_server: Any, alice: User, width: int
) -> None:
    context = new_context(viewport={"width": width, "height": WIDTHS[width]})
    log_in(context, alice, live_server.url)
    page = context.new_page()
    priya = make_coachee(alice, "Priya Shah", preferred_name="Priya")
    session = make_session(priya, 1, date=timezone.localdate() - timedelta(days=1))
    use_template(session, goal_template_version())
    goal = Goal.objects.create(coach=alice, coachee=priya, title="Lead her former peers")
    page.goto(f"/sessions/{session.code}/reflect/")
    GoalProgress.objects.create(
        coach=alice, goal=goal, session=session, note="Ran her first team meeting."
    )
    note = page.locator(f"#goal-{goal.code}").get_by_label("Note (optional)")
    note.fill("Still avoiding the hard conversation.")
    note.press("Tab")  # leaving the field saves it at once
    panel = page.locator(f'.conflict[data-for="g-{goal.code}-note"]')
    expect(panel).to_contain_text("“Goal: Lead her former peers (note)” was saved elsewhere")
    expect(panel.locator("blockquote")).to_have_text(
        ["Still avoiding the hard conversation.", "Ran her first team meeting."]
    )
    expect(panel).not_to_contain_text("save again")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator(f"#goal-{goal.code}").screenshot(
        path=SCREENSHOTS / f"conflict-autosave-goal-{width}.png"
    )
    panel.get_by_role("button", name="Use the saved version").click()
    expect(panel).to_be_hidden()
    expect(note).to_have_value("Ran her first team meeting.")
    assert (
        GoalProgress.objects.get(goal=goal, session=session).note == "Ran her first team meeting."
    )
