"""axe-core on every main page: no serious or critical violation, at desktop and phone width.

axe-core is a test-only npm package (tests/browser/package.json; ``npm ci --prefix
tests/browser`` installs it, as .ci/run does). It is injected into each page in a browser
context that bypasses the Content Security Policy, since the policy rightly refuses scripts
Debrief does not serve.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from debrief.accounts.models import User
from debrief.prompts.models import ReflectionTemplate
from tests.browser.conftest import log_in
from tests.browser.test_screenshots import WIDTHS, Practice
from tests.conftest import PASSWORD

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}
_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ")),
  }));
}"""


@pytest.fixture(scope="module")
def axe_source() -> Path:
    if not AXE.exists():
        message = f"The accessibility test needs axe-core at {AXE}."
        if os.environ.get("CI"):
            pytest.fail(f"{message} CI must install it (npm ci --prefix tests/browser).")
        pytest.skip(f"{message} Install it with `npm ci --prefix tests/browser`.")
    return AXE


def _context(browser: Browser, live_server: Any, width: int) -> Any:
    return browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": WIDTHS[width]},
        locale="en-GB",
        timezone_id=settings.TIME_ZONE,
        bypass_csp=True,  # axe is injected; the page's own policy would refuse it
    )


def violations(page: Page, axe: Path) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(axe))
    found: list[dict[str, Any]] = page.evaluate(_RUN, TAGS)
    return [v for v in found if v["impact"] in BLOCKING]


def _check(page: Page, axe: Path, url: str, problems: dict[str, Any]) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    found = violations(page, axe)
    if found:
        problems[url] = found


def _coach_urls(practice: Practice) -> list[str]:
    grow = ReflectionTemplate.objects.get(slug="grow")
    return [
        "/",
        "/coachees/",
        "/coachees/new/",
        f"/coachees/{practice.priya.code}/",
        "/sessions/new/",
        f"/sessions/{practice.draft.code}/reflect/",
        f"/sessions/{practice.done.code}/",
        f"/sessions/{practice.done.code}/delete/",
        f"/sessions/{practice.draft.code}/prepare/",
        "/actions/",
        "/templates/",
        f"/templates/{grow.code}/",
        "/templates/import/",
        "/templates/defaults/",
        "/techniques/",
        "/insights/",
        "/search/?q=feedback",
        "/search/",
        "/practice/",
        "/icf-log/",
        "/calendar/",
        "/calendar/review/",
        "/reminders/",
        "/security/",
        "/security/activity/",
        "/exchange/retention/",
        f"/coachees/{uuid.uuid4()}/",  # the 404 page
    ]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_serious_or_critical_violation_on_any_main_page(
    browser: Browser, live_server: Any, axe_source: Path, width: int
) -> None:
    problems: dict[str, Any] = {}
    visitor = _context(browser, live_server, width).new_page()
    _check(visitor, axe_source, "/accounts/signup/", problems)
    _check(visitor, axe_source, "/accounts/login/", problems)
    _check(visitor, axe_source, "/accounts/password/reset/", problems)

    alice = User.objects.create_user(email="alice@example.com", password=PASSWORD)
    practice = Practice(alice)
    context = _context(browser, live_server, width)
    log_in(context, alice, live_server.url)
    page = context.new_page()
    for url in _coach_urls(practice):
        _check(page, axe_source, url, problems)
    assert not problems, "\n".join(
        f"{url}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}"
        for url, found in problems.items()
        for v in found
    )


def test_the_check_finds_a_real_violation(
    browser: Browser, live_server: Any, axe_source: Path
) -> None:
    page = _context(browser, live_server, 1280).new_page()
    page.goto("/accounts/login/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        "'<img src=\"/static/debrief/favicon.svg\"><button></button>')"
    )
    found = {v["id"] for v in violations(page, axe_source)}
    assert {"image-alt", "button-name"} <= found
