"""A new coach's first half hour: sign up, add a coachee, record a session, reflect, complete."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Locator, Page, expect

from debrief.accounts.models import User
from debrief.followup.models import ActionItem
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.techniques.models import TechniqueUse
from tests.browser.conftest import wait_until

EMAIL = "maya@example.com"
PASSWORD = "a long and quiet harbour"

# Every written prompt of the built-in template, by key, with what the coach writes.
WRITTEN = {
    # Pre-session reflection
    "primary_goals": "Clarify what a good first 90 days looks like for Priya.",
    "specific_issues": "Her worry about managing former peers.",
    "materials_prepared": "Wheel of life, values cards",
    "strategies_planned": "Open questions, then a values exercise",
    # Session overview
    "main_topics": "Stepping up to lead the team she used to be part of.",
    "key_insights": "She realised she avoids feedback to keep friendships.",
    "progress_towards_goals": "Drafted her own definition of success for the quarter.",
    "breakthroughs": "Named the conversation she has been putting off.",
    "obstacles": "Time pressure and an anxious line manager.",
    "challenges_addressed": "We role-played the first two minutes of that conversation.",
    # Coach's performance
    "engagement_methods": "Checked energy halfway and moved to something practical.",
    # Reflection and learning
    "successful_aspects": "The role-play landed; she relaxed visibly.",
    "success_factors": "Letting her choose the scenario.",
    "improvement_areas": "I talked too much in the first ten minutes.",
    "improvement_steps": "Open with a single question and wait.",
    "self_learning": "I rush to fill silence when a coachee is stuck.",
    "future_practice": "Plan one fewer tool and leave more space.",
    # Action items and next steps
    "coachee_next_steps": "Hold the feedback conversation before our next session.",
    "coach_support": "Ask how the conversation went before anything else.",
    # Additional notes
    "other_observations": "Mentioned sleeping badly; keep an eye on wellbeing.",
}
# The rating prompts: score and comment.
RATINGS = {
    "communication_clear": (5, "Short questions, clear contracting."),
    "listening": (3, "Interrupted twice early on."),
    "coachee_engagement": (4, "Dipped mid-session, back up after the break."),
}
# The techniques ticked (version 2 of the brief): effectiveness and a note.
TECHNIQUES = {
    "Role play": (4, "Worked better than the wheel."),
    "Silence": (3, ""),
}
COACHEE_ACTION = "Book the feedback conversation with Sam"
COACH_ACTION = "Send Priya the article on first-time managers"
COACH_ACTION_DUE = date.today() + timedelta(days=10)


def _fill_prompt(page: Page, key: str, text: str) -> None:
    page.locator(f'[data-prompt="{key}"]').locator(f'[name="p-{key}"]').fill(text)


def _rate(page: Page, key: str, score: int, comment: str) -> None:
    box = page.locator(f'[data-prompt="{key}"]')
    # The radio's name is its number, plus the end label for 1 and 5 ("5 (Very effective)").
    box.get_by_role("radio", name=re.compile(rf"^{score}\b")).check()
    box.get_by_label("Comment").fill(comment)


def _tick_techniques(page: Page) -> None:
    block = page.locator("#techniques-techniques")
    for name, (score, note) in TECHNIQUES.items():
        row = block.locator(".technique-row").filter(has_text=name)
        row.get_by_label(name).check()
        row.get_by_role("radio", name=re.compile(rf"^{score}\b")).check()
        if note:
            row.get_by_label("Note").fill(note)


def _stored_techniques(reflection: Reflection) -> dict[str, tuple[int | None, str]]:
    uses = TechniqueUse.objects.filter(reflection=reflection).select_related("technique")
    return {u.technique.name: (u.effectiveness, u.note) for u in uses}


def _action_block(page: Page, key: str) -> Locator:
    return page.locator(f"#actions-{key}")


def _sign_up(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Welcome to Debrief")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))


def _add_coachee_and_record_session(page: Page) -> None:
    page.get_by_role("link", name="Add your first coachee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a coachee")
    page.get_by_label(re.compile(r"^Name")).fill("Priya Shah")
    page.get_by_label("Organisation or sponsor").fill("Harbour Health")
    page.get_by_role("button", name="Add coachee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Shah")
    expect(page.get_by_text("Priya Shah added.")).to_be_visible()

    page.get_by_role("main").get_by_role("link", name="New session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a session")
    expect(page.get_by_label("Session number")).to_have_value("1")
    page.get_by_role("button", name="Record session and reflect").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Reflect on session 1 with Priya Shah"
    )


def _fill_every_section(page: Page) -> None:
    for key, text in WRITTEN.items():
        _fill_prompt(page, key, text)
    for key, (score, comment) in RATINGS.items():
        _rate(page, key, score, comment)
    _tick_techniques(page)


def _add_actions(page: Page) -> None:
    coachee_block = _action_block(page, "coachee_actions")
    coachee_block.get_by_label("New action").fill(COACHEE_ACTION)
    # Leaving the last answer saved it; a coach types slower than a robot, so that save is back
    # before they press Enter. (Enter during a save: see test_autosave.py.)
    expect(page.locator("#save-state")).to_contain_text("Saved at")
    coachee_block.get_by_label("New action").press("Enter")
    expect(coachee_block.locator(".action-rows input[type=text]")).to_have_value(COACHEE_ACTION)

    coach_block = _action_block(page, "coach_actions")
    coach_block.get_by_label("New action").fill(COACH_ACTION)
    coach_block.get_by_label("Due").fill(COACH_ACTION_DUE.isoformat())
    coach_block.get_by_role("button", name="Add").click()
    expect(coach_block.locator(".action-rows input[type=text]")).to_have_value(COACH_ACTION)
    # The new-action box is empty again, ready for another.
    expect(coach_block.get_by_label("Another action")).to_have_value("")


def _stored_answers(reflection: Reflection) -> dict[str, tuple[str, int | None]]:
    return {a.prompt_key: (a.text, a.rating) for a in Answer.objects.filter(reflection=reflection)}


def _expected_answers() -> dict[str, tuple[str, int | None]]:
    expected: dict[str, tuple[str, int | None]] = {k: (v, None) for k, v in WRITTEN.items()}
    expected.update({k: (comment, score) for k, (score, comment) in RATINGS.items()})
    return expected


def test_a_new_coach_signs_up_and_completes_a_first_reflection(page: Page) -> None:
    _sign_up(page)
    assert User.objects.get().email == EMAIL
    _add_coachee_and_record_session(page)

    session = CoachingSession.objects.select_related("reflection").get()
    reflection = session.reflection
    assert reflection.status == Reflection.Status.PLANNED

    _fill_every_section(page)

    def everything_stored() -> bool:
        """every answer is in the database"""
        stored = _stored_answers(reflection) == _expected_answers()
        return stored and _stored_techniques(reflection) == TECHNIQUES

    _add_actions(page)
    wait_until(everything_stored)
    expect(page.locator("#save-state")).to_contain_text("Saved at")
    expect(page.locator("#reflection-status")).to_have_text("Draft")

    page.reload()
    for key, text in WRITTEN.items():
        expect(page.locator(f'[name="p-{key}"]')).to_have_value(text)
    for key, (score, comment) in RATINGS.items():
        expect(page.locator(f'[name="p-{key}-rating"][value="{score}"]')).to_be_checked()
        expect(page.locator(f'[name="p-{key}"]')).to_have_value(comment)
    coach_block = _action_block(page, "coach_actions")
    expect(coach_block.locator(".action-rows input[type=text]")).to_have_value(COACH_ACTION)
    expect(coach_block.locator(".action-rows input[type=date]")).to_have_value(
        COACH_ACTION_DUE.isoformat()
    )
    expect(
        _action_block(page, "coachee_actions").locator(".action-rows input[type=text]")
    ).to_have_value(COACHEE_ACTION)
    for name, (score, note) in TECHNIQUES.items():
        row = page.locator(".technique-row").filter(has_text=name)
        expect(row.get_by_label(name)).to_be_checked()
        expect(row.locator(f'input[type=radio][value="{score}"]')).to_be_checked()
        expect(row.get_by_label("Note")).to_have_value(note)
    # Goal progress is scored per goal; with no goals yet it is not counted.
    expect(page.locator(".progress-note").first).to_have_text("26 of 26 prompts answered")

    page.get_by_role("button", name="Save and mark complete").click()
    expect(page).to_have_url(re.compile(rf"/sessions/{session.code}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Session 1 with Priya Shah")
    expect(page.get_by_text("Reflection complete.")).to_be_visible()
    reading = page.locator("article.reading")
    for text in WRITTEN.values():
        expect(reading.get_by_text(text, exact=True)).to_be_visible()
    for _score, comment in RATINGS.values():
        expect(reading.get_by_text(comment, exact=True)).to_be_visible()
    scores = [f"{s} / 5" for s, _ in TECHNIQUES.values()] + [
        f"{s} / 5" for s, _ in RATINGS.values()
    ]
    expect(reading.locator(".score")).to_have_text(scores)
    expect(reading.locator(".read-techniques li")).to_have_text(
        [re.compile(rf"^{name}") for name in TECHNIQUES]
    )
    expect(reading.locator(".read-actions li")).to_have_text(
        [
            f"Open {COACHEE_ACTION}",
            re.compile(rf"^Open {COACH_ACTION} · due {COACH_ACTION_DUE:%-d %b %Y}$"),
        ]
    )
    expect(reading.get_by_text("Not answered")).to_have_count(0)

    page.get_by_role("link", name="Priya Shah").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Shah")
    timeline = page.locator(".timeline-item")
    expect(timeline).to_have_count(1)
    expect(timeline.locator(".badge")).to_have_text("Complete")
    open_actions = page.locator(".open-action-text")
    expect(open_actions).to_have_text([COACHEE_ACTION, COACH_ACTION])

    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.COMPLETE
    assert reflection.completed_at is not None
    assert _stored_answers(reflection) == _expected_answers()
    assert _stored_techniques(reflection) == TECHNIQUES
    actions = {
        (a.owner, a.text, a.due, a.status) for a in ActionItem.objects.filter(session=session)
    }
    assert actions == {
        (ActionItem.Owner.COACHEE, COACHEE_ACTION, None, ActionItem.Status.OPEN),
        (ActionItem.Owner.COACH, COACH_ACTION, COACH_ACTION_DUE, ActionItem.Status.OPEN),
    }
