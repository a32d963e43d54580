"""Chart labels stay readable on a phone: measured in the browser, at 390 and 1280 px.

Each chart is drawn twice (lib/charts.py): wide for a desktop, narrow for a phone, and
charts.css shows one. On a 390 px screen the wide one would shrink to 60% and its 12 px axis
labels to about 7 px; here every visible chart's text is measured as the browser draws it.
Screenshots land in screenshots/charts-*.png for a person to look at.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.demo.practice import create_practice
from debrief.followup.models import Goal
from debrief.techniques import builtin
from debrief.techniques.models import Technique
from tests.browser.conftest import log_in
from tests.browser.test_screenshots import SCREENSHOTS, WIDTHS

SMALLEST_PX = 11  # CSS px: the smallest text a chart may draw, at any width

# For every chart the page shows: its size drawn ("wide" or "narrow"), and the smallest text in
# it as drawn, by its box on screen (height) and by its font size scaled with the picture.
MEASURE = """() => [...document.querySelectorAll('svg.pygal-chart')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const texts = [...svg.querySelectorAll('.axis text, .legends text')]
      .filter(t => t.textContent.trim() && t.getBoundingClientRect().height > 0);
    return {
      title: svg.getAttribute('aria-label'),
      size: svg.dataset.size,
      labels: texts.length,
      font: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale)),
      box: Math.min(...texts.map(t => t.getBoundingClientRect().height)),
      overflows: svg.getBoundingClientRect().right > document.documentElement.clientWidth + 1,
      clipped: texts.filter(t => {
        const r = t.getBoundingClientRect(), box = svg.getBoundingClientRect();
        return r.left < box.left - 1 || r.right > box.right + 1;
      }).map(t => t.textContent),
    };
  })"""


@pytest.fixture
def demo_coach(alice: User) -> User:
    builtin.seed(Technique)  # a transactional test empties the migration-seeded vocabulary
    create_practice(alice, sessions=26, coachees=4, seed=2025, today=timezone.localdate())
    return alice


def _charts(page: Page) -> list[dict[str, Any]]:
    charts: list[dict[str, Any]] = page.evaluate(MEASURE)
    assert charts, page.url
    return charts


@pytest.mark.parametrize("width", list(WIDTHS))
def test_chart_labels_are_readable_at_phone_and_desktop_width(
    new_context: Any, live_server: Any, demo_coach: User, width: int
) -> None:
    context = new_context(viewport={"width": width, "height": WIDTHS[width]})
    log_in(context, demo_coach, live_server.url)
    page = context.new_page()
    [nell] = [c for c in Coachee.objects.for_coach(demo_coach) if c.preferred_name == "Nell"]
    expected = "narrow" if width < 640 else "wide"
    SCREENSHOTS.mkdir(exist_ok=True)
    for name, url in (("insights", "/insights/"), ("coachee", f"/coachees/{nell.code}/")):
        page.goto(url)
        charts = _charts(page)
        titles = [c["title"] for c in charts]
        assert len(titles) == len(set(titles)), titles  # one drawing of each chart is shown
        if name == "coachee":  # the goals panel: a progress chart for each goal
            goals = {str(g.title) for g in Goal.objects.filter(coachee=nell)}
            assert goals and goals <= set(titles), (goals, titles)
        for chart in charts:
            assert chart["size"] == expected, chart  # the other drawing is hidden
            assert chart["labels"] >= 2, chart
            assert chart["font"] >= SMALLEST_PX and chart["box"] >= SMALLEST_PX, chart
            assert not chart["overflows"], chart  # no chart runs off the screen
            assert not chart["clipped"], chart  # and no label off the chart
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=SCREENSHOTS / f"charts-{name}-{width}.png", full_page=True)
        first = page.locator("svg.pygal-chart:visible").first
        first.scroll_into_view_if_needed()
        first.screenshot(path=SCREENSHOTS / f"charts-{name}-first-{width}.png")
