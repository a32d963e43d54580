"""The insights page: repertoire, self-assessment, progress, practice and themes, with filters."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta
from html import escape
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import Goal, GoalProgress
from debrief.insights.repertoire import repertoire
from debrief.insights.scope import Scope
from debrief.insights.stats import rolling, trend_word
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.techniques.models import Technique, TechniqueUse
from tests.conftest import make_coachee, make_session

TODAY = date(2026, 3, 4)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today() -> Any:
    with time_machine.travel(date(2026, 3, 4), tick=False):
        yield


def _page(client: Client, **params: str) -> str:
    response = client.get(reverse("insights"), params)
    assert response.status_code == 200
    return response.content.decode()


def _complete(session: CoachingSession) -> Reflection:
    Reflection.objects.filter(session=session).update(
        status=Reflection.Status.COMPLETE, completed_at=timezone.now()
    )
    return Reflection.objects.get(session=session)


def _sessions(coachee: Coachee, days_ago: list[int], start: int = 1) -> list[CoachingSession]:
    return [
        make_session(coachee, number=start + i, date=TODAY - timedelta(days=d))
        for i, d in enumerate(days_ago)
    ]


def _technique(slug: str) -> Technique:
    return Technique.objects.get(coach=None, slug=slug)


def _use(session: CoachingSession, slug: str, score: int | None, note: str = "") -> TechniqueUse:
    return TechniqueUse.objects.create(
        coach=session.coach,
        reflection=session.reflection,
        technique=_technique(slug),
        prompt_key="techniques_used",
        effectiveness=score,
        note=note,
    )


# --- repertoire ----------------------------------------------------------------------------


def test_repertoire_figures_match_an_independent_calculation(alice: User) -> None:
    priya, tom = make_coachee(alice, "Priya Shah"), make_coachee(alice, "Tom Reid")
    sessions = _sessions(priya, [60, 50, 40, 30, 20, 10]) + _sessions(tom, [55, 35, 15])
    plan: dict[str, list[int | None]] = {  # scores in session order (None: not rated)
        "silence": [2, 2, 3, 4, 4, 5, None, 5, 4],
        "challenging": [4, 2, None, 2],
        "reframing": [3],
    }
    made: list[tuple[str, CoachingSession, int | None]] = []
    for slug, scores in plan.items():
        for session, score in zip(sorted(sessions, key=lambda s: s.date), scores, strict=False):
            _use(session, slug, score, note=f"{slug} scored {score}")
            made.append((slug, session, score))

    rows = {r.technique.slug: r for r in repertoire(Scope(alice, TODAY)).rows if r.technique}

    for slug in plan:
        mine = [(s, score) for t, s, score in made if t == slug]
        rated = [score for _, score in mine if score is not None]
        row = rows[slug]
        assert row.uses == len(mine)
        assert row.coachees == len({s.coachee_id for s, _ in mine})
        assert row.rated == len(rated)
        assert row.mean == round(statistics.mean(rated), 1)
        if len(rated) >= 4:
            fitted = statistics.linear_regression(range(len(rated)), rated).slope
            expected = "rising" if fitted * (len(rated) - 1) >= 0.25 else "falling"
            assert row.trend == expected
        else:
            assert row.trend == "too few to tell"
        best, worst = max(rated), min(rated)
        assert row.best is not None and row.best.effectiveness == best
        assert row.best.note == f"{slug} scored {best}"
        if best != worst:
            assert row.worst is not None and row.worst.note == f"{slug} scored {worst}"
    # Sorted by mean effectiveness, best first.
    means = [r.mean for r in rows.values()]
    assert list(rows) == ["silence", "reframing", "challenging"], means


def test_trend_words_are_honest_about_few_values() -> None:
    assert trend_word([1, 5, 1]) == "too few to tell"
    assert trend_word([3, 3, 3, 3]) == "steady"
    assert trend_word([2, 3, 4, 5]) == "rising"
    assert trend_word([5, 4, 4, 3]) == "falling"
    assert rolling([1, 2, None, 3, 4, 5], window=3) == [None, None, None, 2.0, 3.0, 4.0]


def test_page_sorts_what_works_and_what_to_practise(alice_client: Client, alice: User) -> None:
    sessions = _sessions(make_coachee(alice), [30, 20, 10])
    for s in sessions:
        _use(s, "active-listening", 5)
        _use(s, "challenging", 2, note="Pushed too early; she went quiet.")
    html = _page(alice_client)
    works = html.split("What works for you")[1].split("Worth practising")[0]
    practise = html.split("Worth practising")[1].split("</ul>")[0]
    assert "Active listening" in works and "Challenging" not in works
    assert "Challenging" in practise and "2.0 out of 5" in practise
    assert "Pushed too early; she went quiet." in html


# --- empty and sparse data -----------------------------------------------------------------


def test_a_new_coach_gets_honest_empty_states(alice_client: Client) -> None:
    html = _page(alice_client)
    assert "No techniques recorded yet" in html
    assert "No ratings yet" in html
    assert "No sessions held yet" in html
    assert "<svg" not in html  # no empty charts pretending to show something


def test_one_rating_is_a_dot_and_says_it_is_too_few(alice_client: Client, alice: User) -> None:
    [session] = _sessions(make_coachee(alice), [3])
    Answer.objects.create(reflection=session.reflection, prompt_key="listening", rating=4)
    html = _page(alice_client)
    assert "How well you listened and responded" in html
    assert "Only 1 rating so far (average 4.0): too few to call a trend." in html
    chart = html.split('aria-label="How well you listened')[1].split("</svg>")[0]
    assert chart.count('class="dot ') == 1
    assert 'class="line reactive' not in chart


def test_ratings_come_from_the_template_and_future_sessions_do_not_count(
    alice_client: Client, alice: User
) -> None:
    coachee = make_coachee(alice)
    held = _sessions(coachee, [50, 40, 30, 20, 10, 5])
    [future] = _sessions(coachee, [-7], start=7)
    for session, rating in zip(held, [2, 3, 3, 4, 4, 5], strict=True):
        Answer.objects.create(
            reflection=session.reflection, prompt_key="communication_clear", rating=rating
        )
    Answer.objects.create(reflection=future.reflection, prompt_key="communication_clear", rating=1)
    html = _page(alice_client)
    assert "How clear and effective your communication was" in html
    assert "Average 3.5 over 6 sessions; rising." in html
    assert "6 sessions held, 6.0 hours" in html


# --- practice ------------------------------------------------------------------------------


def test_practice_counts_months_hours_habit_and_coachees(alice_client: Client, alice: User) -> None:
    priya, tom = make_coachee(alice, "Priya Shah"), make_coachee(alice, "Tom Reid")
    make_session(priya, number=1, date=date(2026, 1, 12), duration_minutes=90)
    late = make_session(tom, number=1, date=date(2026, 1, 20), duration_minutes=60)
    make_session(priya, number=2, date=date(2026, 3, 2), duration_minutes=60)
    Reflection.objects.filter(session=late).update(
        status="complete", completed_at=timezone.make_aware(datetime(2026, 1, 21, 9))
    )
    html = _page(alice_client)
    assert "3 sessions held, 3.5 hours, over 3 months." in html
    table = html.split("Reflected within 48 hours")[1]
    assert (
        '<th scope="row">Jan 2026</th><td>2</td><td>2.5</td><td>50% (1 of 2)</td><td>2</td>'
        in table
    )
    assert '<th scope="row">Feb 2026</th><td>0</td><td>0.0</td>' in table  # a quiet month stays


# --- coachee progress and themes -----------------------------------------------------------


def _goal(coachee: Coachee, title: str, scores: list[tuple[CoachingSession, int]]) -> Goal:
    goal = Goal.objects.create(coach=coachee.coach, coachee=coachee, title=title)
    for session, score in scores:
        GoalProgress.objects.create(coach=coachee.coach, goal=goal, session=session, score=score)
    return goal


def test_choosing_a_coachee_shows_their_goals_and_themes(alice_client: Client, alice: User) -> None:
    priya, tom = make_coachee(alice, "Priya Shah"), make_coachee(alice, "Tom Reid")
    ps = _sessions(priya, [40, 30, 20, 10])
    ts = _sessions(tom, [35, 25, 15])
    _goal(priya, "Speak up at the board", [(ps[0], 2), (ps[2], 5), (ps[3], 7)])
    for s in ps:
        Answer.objects.create(
            reflection=s.reflection,
            prompt_key="main_topics",
            text="The board presentation again, and her delegation plan.",
        )
    for s in ts + ps:
        Answer.objects.create(
            reflection=s.reflection, prompt_key="key_insights", text="Delegation plan reviewed."
        )
    html = _page(alice_client, coachee=str(priya.code))
    assert "Insights: Priya Shah" in html
    assert 'aria-label="Goal progress: Priya Shah"' in html
    assert "Speak up at the board: 2 at first, 7 at the latest score (3 scores)." in html
    themes = html.split('id="themes"')[1]
    assert "board presentation" in themes and "in 4 of 4 sessions" in themes
    assert "delegation plan" not in themes  # as common in Tom's sessions: not distinctive
    assert themes.count(reverse("reflection_view", args=[ps[0].code])) == 1


def test_the_coachee_page_shows_progress(alice_client: Client, alice: User) -> None:
    priya = make_coachee(alice, "Priya Shah")
    ps = _sessions(priya, [30, 20, 10])
    _goal(priya, "Speak up at the board", [(ps[0], 3), (ps[2], 6)])
    html = alice_client.get(reverse("coachee_detail", args=[priya.code])).content.decode()
    # Each goal has its own chart in the Goals panel (drawn wide, and narrow for a phone);
    # the insights section adds engagement.
    assert html.count('data-size="wide" role="img" aria-label="Speak up at the board"') == 1
    assert html.count('data-size="narrow" role="img" aria-label="Speak up at the board"') == 1
    assert "Engagement over the sessions" in html
    assert "debrief/charts.css" in html
    assert f"{reverse('insights')}?coachee={priya.code}" in html
    page = alice_client.get(reverse("insights"), {"coachee": str(priya.code)}).content.decode()
    assert 'aria-label="Goal progress: Priya Shah"' in page


def test_a_coachee_without_goals_is_told_so(alice_client: Client, alice: User) -> None:
    priya = make_coachee(alice, "Priya Shah")
    _sessions(priya, [10])
    html = alice_client.get(reverse("coachee_detail", args=[priya.code])).content.decode()
    assert "No goals yet. Add what Priya Shah wants to achieve" in html
    page = alice_client.get(reverse("insights"), {"coachee": str(priya.code)}).content.decode()
    assert "No goals recorded for Priya Shah yet." in page


# --- filters and privacy -------------------------------------------------------------------


def test_filters_narrow_every_section(alice_client: Client, alice: User) -> None:
    coachee = make_coachee(alice)
    old, recent = _sessions(coachee, [200, 10])
    _use(old, "silence", 1)
    _use(recent, "reframing", 5)
    html = _page(alice_client, start=str(TODAY - timedelta(days=30)))
    assert "Reframing" in html and "Silence" not in html
    assert "1 session held" in html


def test_bad_filters_are_explained_and_left_out(
    alice_client: Client, alice: User, bob: User
) -> None:
    [session] = _sessions(make_coachee(alice), [2])
    _use(session, "silence", 4)
    bobs = make_coachee(bob, "Bob's coachee")
    html = _page(
        alice_client, start="2026-03-01", end="2026-01-01", coachee=str(bobs.code), template="x"
    )
    assert "The end date is before the start date" in html
    assert "That coachee is not in your list; showing all coachees." in html
    assert "That template is not one you have used" in html
    assert "Silence" in html  # still shows what it can
    assert _page(alice_client, start="not a date").count("Enter a valid date") == 1


def test_another_coachs_data_never_shows(alice_client: Client, alice: User, bob: User) -> None:
    [mine] = _sessions(make_coachee(alice), [5])
    _use(mine, "silence", 4)
    [theirs] = _sessions(make_coachee(bob, "Canary-Quince"), [5])
    _use(theirs, "role-play", 1, note="Canary-Quince note")
    Answer.objects.create(reflection=theirs.reflection, prompt_key="listening", rating=1)
    html = _page(alice_client)
    assert "Canary-Quince" not in html
    assert "Role play" not in html
    assert "listen" not in html.split('id="self-assessment"')[1].split("</section>")[0]


def test_query_count_does_not_grow_with_the_practice(alice_client: Client, alice: User) -> None:
    def count() -> int:
        _page(alice_client)
        with CaptureQueriesContext(connection) as queries:
            _page(alice_client)
        return len(queries)

    def grow(name: str, n: int) -> None:
        coachee = make_coachee(alice, name)
        # Months that are over (kept, read as one row each) and this month (read session by
        # session) from the start: a bigger practice only has more of both.
        for session in _sessions(coachee, [40 * i + 3 for i in range(n)]):
            _use(session, "silence", 4, note="Worked.")
            Answer.objects.create(reflection=session.reflection, prompt_key="listening", rating=4)
            _complete(session)

    grow("Priya Shah", 2)
    few = count()
    grow("Tom Reid", 8)
    grow("Ann Lee", 5)
    assert count() == few


def test_filters_offer_the_coachs_own_coachees_and_templates(
    alice_client: Client, alice: User, bob: User
) -> None:
    _sessions(make_coachee(alice, "Priya Shah"), [3])
    make_coachee(bob, "Canary-Quince")
    html = _page(alice_client)
    coachees = html.split('name="coachee"')[1].split("</select>")[0]
    assert "All coachees" in coachees and "Priya Shah" in coachees
    assert "Canary-Quince" not in coachees
    templates = html.split('name="template"')[1].split("</select>")[0]
    assert "All templates" in templates and "Coaching session reflection" in templates


def test_coachee_text_renders_inert_on_the_insights_pages(
    alice_client: Client, alice: User
) -> None:
    from tests.test_xss import PAYLOADS, _active_markup

    payload = iter(PAYLOADS * 5)
    coachee = make_coachee(alice, next(payload), preferred_name=next(payload))
    sessions = _sessions(coachee, [30, 20, 10])
    goal = _goal(coachee, next(payload), [(s, 3 + i) for i, s in enumerate(sessions)])
    for session in sessions:
        _use(session, "silence", 5, note=next(payload))
        Answer.objects.create(
            reflection=session.reflection, prompt_key="main_topics", text=next(payload) * 2
        )
        Answer.objects.create(
            reflection=session.reflection, prompt_key="coachee_engagement", rating=4
        )
    for url in (
        reverse("insights"),
        f"{reverse('insights')}?coachee={coachee.code}",
        reverse("coachee_detail", args=[coachee.code]),
    ):
        html = alice_client.get(url).content.decode()
        assert _active_markup(html) == [], url
        assert "pygal-chart" in html, url
    html = alice_client.get(f"{reverse('insights')}?coachee={coachee.code}").content.decode()
    assert escape(goal.title) in html  # shown, as text


def test_erasing_a_coachee_clears_what_insights_keep(alice_client: Client, alice: User) -> None:
    from debrief.insights.models import SessionSummary
    from debrief.lib import charts

    priya = make_coachee(alice, "Priya Shah")
    sessions = _sessions(priya, [20, 10])
    _goal(priya, "Speak up at the board", [(sessions[0], 3), (sessions[1], 5)])
    for s in sessions:
        Answer.objects.create(reflection=s.reflection, prompt_key="main_topics", text="Board.")
    _page(alice_client, coachee=str(priya.code))
    assert charts._line.cache_info().currsize > 0
    assert SessionSummary.objects.filter(reflection__session__coachee=priya).count() == 2
    priya.delete()
    assert charts._line.cache_info().currsize == 0
    assert not SessionSummary.objects.exists()
