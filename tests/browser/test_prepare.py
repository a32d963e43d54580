"""Preparing the next session from the home page: earlier actions and last time's plans."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from debrief.accounts.models import User
from debrief.followup.models import ActionItem, ActionReview
from debrief.journal.models import Answer
from tests.browser.conftest import wait_until
from tests.browser.test_screenshots import SCREENSHOTS
from tests.conftest import make_coachee, make_session


def test_preparing_a_session_from_home(coach_page: Page, alice: User) -> None:
    today = timezone.localdate()
    priya = make_coachee(alice, "Priya Shah", preferred_name="Priya")
    last = make_session(priya, 1, date=today - timedelta(days=14))
    Answer.objects.create(
        reflection=last.reflection,
        prompt_key="coachee_next_steps",
        text="Hold the feedback conversation with Sam.",
    )
    homework = ActionItem.objects.create(
        coach=alice, coachee=priya, session=last, owner="coachee", text="Book the talk with Sam"
    )
    reading = ActionItem.objects.create(
        coach=alice, coachee=priya, session=last, owner="coach", text="Send the article"
    )
    upcoming = make_session(priya, 2, date=today + timedelta(days=3))

    page = coach_page
    page.goto("/")
    coming_up = page.locator("section", has=page.get_by_role("heading", name="Coming up"))
    coming_up.get_by_role("link", name="Prepare session 2 with Priya").click()
    expect(page).to_have_url(f"/sessions/{upcoming.code}/prepare/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Prepare session 2 with Priya")
    expect(page.get_by_role("heading", name="Actions from earlier sessions")).to_be_visible()
    expect(page.get_by_text("Last time you planned these next steps with Priya:")).to_be_visible()
    expect(page.get_by_text("Hold the feedback conversation with Sam.")).to_be_visible()

    homework_row = page.locator(f"#carry-{homework.code}")
    homework_row.get_by_label("Carry on").check()
    homework_row.get_by_label("Note (optional, one line)").fill("Booked for next Tuesday")
    page.locator(f"#carry-{reading.code}").get_by_label("Done").check()
    page.get_by_label("How did it go?", exact=True).fill("She did it; calmer than expected.")
    page.get_by_label("What are the primary goals for this session?").fill(
        "Debrief the conversation with Sam."
    )
    expect(page.locator("#save-state")).to_contain_text("Saved at", timeout=8_000)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator("#follow-through").screenshot(path=SCREENSHOTS / "prepare-follow-through.png")

    def reviews_saved() -> bool:
        """Both reviews and the last-time answer are stored."""
        return (
            ActionReview.objects.filter(session=upcoming).count() == 2
            and Answer.objects.filter(
                reflection__session=upcoming, prompt_key="lt.coachee_next_steps"
            ).exists()
        )

    wait_until(reviews_saved)
    homework.refresh_from_db()
    reading.refresh_from_db()
    assert (homework.status, reading.status) == ("open", "done")
    assert ActionReview.objects.get(action=homework).note == "Booked for next Tuesday"

    # The plan is still there after a reload, and the reflection is still only planned.
    page.reload()
    expect(page.locator(f"#carry-{homework.code}").get_by_label("Carry on")).to_be_checked()
    expect(page.get_by_label("How did it go?", exact=True)).to_have_value(
        "She did it; calmer than expected."
    )
    expect(page.locator("#reflection-status")).to_have_text("Planned")
