"""Full-page screenshots of every page, at desktop and phone width, for a person to look at.

They land in screenshots/ (git-ignored) as <page>-<width>.png. Each page must show its expected
heading and load its stylesheet and script, so a broken page fails the test instead of being
photographed.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, FilePayload, Page, Response, expect

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, Goal, GoalProgress
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.prompts.models import ReflectionTemplate
from tests.browser.conftest import log_in
from tests.conftest import make_coach, make_coachee, make_session

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = {1280: 900, 390: 844}
BAD_YAML = b"""name: Walk and talk
sections:
- key: after
  title: Afterwards
  groups:
  - prompts:
    - key: route
      text: Where did you walk?
      kind: essay
"""  # desktop, phone (an iPhone 14's CSS pixels)


class Practice:
    """A small, realistic practice: three coachees, a few sessions at every stage."""

    def __init__(self, coach: User) -> None:
        today = timezone.localdate()
        # A coach of some months' standing: their sessions are not back-filled on day one.
        User.objects.filter(pk=coach.pk).update(date_joined=timezone.now() - timedelta(days=90))
        self.priya = make_coachee(
            coach,
            "Priya Shah",
            preferred_name="Priya",
            pronouns="she/her",
            organisation="Harbour Health NHS Trust",
            email="priya.shah@example.org",
            engagement_start=today - timedelta(days=60),
            background="Newly promoted to lead the outpatients team she used to be part of.",
        )
        self.tom = make_coachee(coach, "Tom Okafor", organisation="Northwind Logistics")
        self.elena = make_coachee(coach, "Elena Marsh", status=Coachee.Status.PAUSED)

        self.done = make_session(
            self.priya, 1, date=today - timedelta(days=28), duration_minutes=75
        )
        self._complete(self.done)
        self.draft = make_session(self.priya, 2, date=today - timedelta(days=6))
        self._answer(
            self.draft,
            primary_goals="Prepare the first difficult conversation with a former peer.",
            main_topics="How to give feedback without losing the friendship.",
        )
        Reflection.objects.filter(session=self.draft).update(status=Reflection.Status.DRAFT)
        self.upcoming = make_session(self.priya, 3, date=today + timedelta(days=5))
        self._goals(coach)
        self.tom_session = make_session(
            self.tom, 1, date=today - timedelta(days=2), duration_minutes=45
        )
        elena_done = make_session(
            self.elena, 1, date=today - timedelta(days=40), format=CoachingSession.Format.PHONE
        )
        self._complete(elena_done)

    def _goals(self, coach: User) -> None:
        lead = Goal.objects.create(
            coach=coach,
            coachee=self.priya,
            title="Give feedback to former peers without losing the relationship",
            target_date=timezone.localdate() + timedelta(days=90),
        )
        sleep = Goal.objects.create(coach=coach, coachee=self.priya, title="Protect her evenings")
        for session, lead_score, sleep_score in ((self.done, 3, None), (self.draft, 5, 6)):
            GoalProgress.objects.create(coach=coach, goal=lead, session=session, score=lead_score)
            if sleep_score is not None:
                GoalProgress.objects.create(
                    coach=coach, goal=sleep, session=session, score=sleep_score
                )

    def _answer(self, session: CoachingSession, **texts: str) -> None:
        for key, text in texts.items():
            Answer.objects.create(reflection=session.reflection, prompt_key=key, text=text)

    def _complete(self, session: CoachingSession) -> None:
        self._answer(
            session,
            primary_goals="Agree what a good first 90 days looks like.",
            main_topics="Stepping up to lead former peers; her fear of being disliked.",
            key_insights="She avoids feedback to keep friendships, and knows it.",
            breakthroughs="Named the conversation she has been putting off for a month.",
            self_learning="I rush to fill silence when a coachee is stuck.\n\n"
            "Next time: count to five before speaking.",
            other_observations="Mentioned sleeping badly; check in on wellbeing next time.",
        )
        Answer.objects.create(
            reflection=session.reflection,
            prompt_key="listening",
            rating=3,
            text="Interrupted twice in the first ten minutes.",
        )
        Answer.objects.create(
            reflection=session.reflection, prompt_key="communication_clear", rating=5
        )
        today = timezone.localdate()
        for owner, text, due in (
            ("coachee", "Book the feedback conversation with Sam", today - timedelta(days=3)),
            ("coachee", "Write down three things she wants the team to say about her", None),
            ("coach", "Send the article on first-time managers", today + timedelta(days=4)),
        ):
            ActionItem.objects.create(
                coach=session.coach,
                coachee=session.coachee,
                session=session,
                owner=owner,
                text=text,
                due=due,
            )
        Reflection.objects.filter(session=session).update(
            status=Reflection.Status.COMPLETE, completed_at=timezone.now()
        )


class Camera:
    """Visits pages at one width, checks each one and saves its picture."""

    def __init__(self, context: BrowserContext, width: int) -> None:
        self.width = width
        self.page = context.new_page()
        self.broken: list[str] = []
        self.page.on("response", self._note_broken)

    def _note_broken(self, response: Response) -> None:
        if "/static/" in response.url and response.status >= 400:
            self.broken.append(f"{response.status} {response.url}")

    def shoot(self, name: str, heading: str | re.Pattern[str], url: str | None = None) -> Page:
        if url is not None:
            self.page.goto(url)
        expect(self.page.get_by_role("heading", level=1)).to_have_text(heading)
        SCREENSHOTS.mkdir(exist_ok=True)
        # Sticky parts (section list, save bar) are drawn where the window is: start at the top.
        self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(path=SCREENSHOTS / f"{name}-{self.width}.png", full_page=True)
        return self.page


@pytest.mark.parametrize("width", list(WIDTHS))
def test_screenshots_of_every_page(new_context: Any, live_server: Any, width: int) -> None:
    viewport = {"width": width, "height": WIDTHS[width]}
    visitor = Camera(new_context(viewport=viewport), width)
    # Sign-up is open only until the first account exists: take it before anyone is created.
    visitor.shoot("signup", "Create your account", "/accounts/signup/")
    visitor.shoot("login", "Sign in to Debrief", "/accounts/login/")

    alice = make_coach("alice@example.com")
    newcomer = make_coach("sam.new@example.com")
    practice = Practice(alice)

    newcomer_context = new_context(viewport=viewport)
    log_in(newcomer_context, newcomer, live_server.url)
    fresh = Camera(newcomer_context, width)
    fresh.shoot("home-empty", "Your journal", "/")
    expect(fresh.page.get_by_role("heading", name="Welcome to Debrief")).to_be_visible()

    coach_context = new_context(viewport=viewport)
    log_in(coach_context, alice, live_server.url)
    coach = Camera(coach_context, width)
    _shoot_coach_pages(coach, practice)

    assert not (visitor.broken + fresh.broken + coach.broken), "static files failed to load"


def _shoot_coach_pages(camera: Camera, practice: Practice) -> None:
    page = camera.page
    camera.shoot("home", "Your journal", "/")
    expect(
        page.get_by_role("heading", name=re.compile("Waiting for your reflection"))
    ).to_be_visible()
    camera.shoot("coachee-list", "Coachees", "/coachees/")
    # The search box is drawn like the sort box beside it (it was the browser's bare default).
    search, sort = (
        page.locator(f".coachee-search {tag}").bounding_box()
        for tag in ("input[type=search]", "select")
    )
    assert search and sort and abs(search["height"] - sort["height"]) <= 4, (search, sort)
    _shoot_menu(camera)
    camera.shoot("actions", "Open actions", "/actions/")
    expect(page.get_by_role("heading", name=re.compile("^Overdue"))).to_be_visible()
    page = camera.shoot(
        "prepare", "Prepare session 3 with Priya", f"/sessions/{practice.upcoming.code}/prepare/"
    )
    expect(page.get_by_text("Give feedback to former peers")).to_be_visible()
    expect(page.get_by_label("What are the primary goals for this session?")).to_be_visible()
    page.emulate_media(media="print")
    page.screenshot(path=SCREENSHOTS / f"prepare-print-{camera.width}.png", full_page=True)
    page.emulate_media(media="screen")

    page.goto("/coachees/new/")
    page.get_by_label("Email").fill("not an email")
    page.get_by_role("button", name="Add coachee").click()
    camera.shoot("coachee-form-error", "Add a coachee")
    expect(page.locator(".field.has-error")).to_have_count(2)  # the missing name, the bad email

    camera.shoot("coachee-detail", "Priya (she/her)", f"/coachees/{practice.priya.code}/")

    page.goto(f"/sessions/new/?coachee={practice.priya.code}")
    page.get_by_label("Duration (minutes)").fill("0")
    page.get_by_role("button", name="Record session and reflect").click()
    camera.shoot("session-form-error", "Record a session")
    expect(page.get_by_text("A session lasts at least one minute")).to_be_visible()

    _shoot_reflection_with_conflict(camera, practice.draft)
    camera.shoot("reflection-read", "Session 1 with Priya", f"/sessions/{practice.done.code}/")
    _shoot_search(camera)
    camera.shoot(
        "session-delete",
        "Delete session 1 with Priya?",
        f"/sessions/{practice.done.code}/delete/",
    )
    camera.shoot("not-found", "We could not find that page", f"/coachees/{uuid.uuid4()}/")
    _shoot_template_pages(camera, practice)


def _shoot_template_pages(camera: Camera, practice: Practice) -> None:
    page = camera.page
    camera.shoot("template-library", "Reflection templates", "/templates/")
    expect(page.locator(".template-card")).to_have_count(6)
    grow = ReflectionTemplate.objects.get(slug="grow")
    camera.shoot("template-detail", "GROW", f"/templates/{grow.code}/")
    page.get_by_role("button", name="Copy and adapt").click()
    expect(page.locator(".preview-form")).to_be_visible()
    camera.shoot("template-editor", "Edit “GROW (my copy)”")
    # The editor is long: also what the coach sees first, and a prompt further down.
    page.screenshot(path=SCREENSHOTS / f"template-editor-top-{camera.width}.png")
    page.locator("#s5-g0-p1").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / f"template-editor-will-{camera.width}.png")
    camera.shoot("template-library-own", "Reflection templates", "/templates/")
    camera.shoot("techniques", "Your techniques", "/techniques/")
    page.goto(f"/sessions/{practice.tom_session.code}/reflect/")
    row = page.locator(".technique-row").filter(has_text="Silence")
    row.get_by_label("Silence").check()
    row.get_by_role("radio", name=re.compile(r"^4\b")).check()
    row.get_by_label("Note").fill("Waited after the big question; he answered himself.")
    page.locator("#techniques-techniques").scroll_into_view_if_needed()
    camera.shoot("reflection-edit-techniques", "Reflect on session 1 with Tom Okafor")
    page.locator("#techniques-techniques").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / f"reflection-techniques-close-{camera.width}.png")
    camera.shoot(
        "template-switch",
        "Which template for this reflection?",
        f"/templates/for-session/{practice.tom_session.code}/",
    )
    page.goto("/templates/import/")
    bad: FilePayload = {"name": "t.yaml", "mimeType": "application/yaml", "buffer": BAD_YAML}
    page.get_by_label("Template file").set_input_files(files=[bad])
    page.get_by_role("button", name="Import").click()
    camera.shoot("template-import-error", "Import a template")
    expect(page.locator(".import-error")).to_contain_text(
        "Line 9: Section 1, group 1, prompt 1 (route): unknown kind 'essay'"
    )


def _shoot_menu(camera: Camera) -> None:
    """On a phone the header is one line; the links fold out of the Menu button."""
    page = camera.page
    page.goto("/")
    header = page.locator(".topbar")
    toggle = page.get_by_role("button", name="Menu")
    if camera.width >= 1280:
        expect(toggle).to_be_hidden()
        expect(page.get_by_role("link", name="New session")).to_be_in_viewport()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        return
    box = header.bounding_box()
    assert box is not None and box["height"] < 70, f"phone header is {box} tall"
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Coachees")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / f"menu-open-{camera.width}.png")
    page.keyboard.press("Escape")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()


def _shoot_search(camera: Camera) -> None:
    page = camera.page
    page.goto("/")
    if camera.width < 1280:
        page.get_by_role("button", name="Menu").click()  # the header search is in the menu
    page.locator("#site-search").fill("feedback friendship")
    page.locator("#site-search").press("Enter")  # the header box is a plain GET form
    camera.shoot("search", "Search your notes")
    expect(page.locator(".search-group")).to_have_count(3)  # Elena's notes say it too
    expect(page.locator(".search-passage mark").first).to_have_text("Feedback")
    # The search styling applies at every width (an unclosed @media once kept it to phones).
    highlight = page.locator(".search-passage mark").first
    expect(highlight).to_have_css("background-color", "rgb(253, 233, 169)")
    expect(page.locator(".search-results")).to_have_css("display", "grid")
    if camera.width == 1280:
        page.goto("/")
        expect(page.locator("#site-search")).to_have_css("width", "176px")  # 11rem, not 9rem
        header = page.locator(".topbar").bounding_box()
        assert header is not None and header["height"] < 70, "the desktop header wraps"
        page.screenshot(path=SCREENSHOTS / "header-1280.png")
    camera.shoot("search-none", "Search your notes", "/search/?q=zebra&state=complete")
    expect(page.get_by_text("Search again without the filters")).to_be_visible()
    camera.shoot("search-empty", "Search your notes", "/search/")


def _shoot_reflection_with_conflict(camera: Camera, session: CoachingSession) -> None:
    page = camera.page
    page.goto(f"/sessions/{session.code}/reflect/")
    # Meanwhile, "another window" saves a different version of an answer on this page.
    answer = Answer.objects.get(reflection__session=session, prompt_key="main_topics")
    answer.text = "Feedback without losing the friendship, and her new manager's expectations."
    answer.save()
    topics = page.get_by_label("Briefly describe the main topics discussed.")
    topics.fill("How to give feedback to a friend who now reports to her.")
    topics.press("Tab")
    expect(page.locator(".conflict")).to_be_visible(timeout=8_000)
    learnt = page.get_by_label("What did you learn about yourself as a coach during this session?")
    learnt.fill("I wanted to fix it for her. Noticed, named it, stepped back.")
    learnt.blur()  # saves it at once
    # The other answer is saved, and the page still says a choice is waiting.
    expect(page.locator("#save-state")).to_contain_text(
        "Saved, except 1 answer changed in another window", timeout=8_000
    )
    expect(page.locator("#conflict-banner")).to_be_visible()
    # Drawn as the page-wide error it is, as on a page saved without JavaScript.
    expect(page.locator("#conflict-banner")).not_to_have_css("background-color", "rgba(0, 0, 0, 0)")
    camera.shoot("reflection-edit", "Reflect on session 2 with Priya")
