"""The practice generator behind the demo and bench/: deterministic, counted, one coach's only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.demo.practice import create_practice
from debrief.followup.models import ActionItem, GoalProgress
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.techniques.models import TechniqueUse
from tests.conftest import make_coach

TODAY = date(2025, 6, 18)


def _content(coach: User) -> dict[str, list[Any]]:
    """Everything a coach would read, without the random codes and database keys."""
    sessions = CoachingSession.objects.filter(coach=coach).order_by("coachee__id", "number")
    return {
        # Private text is encrypted in the database: read it through the models.
        "coachees": [
            (c.name, c.preferred_name, c.pronouns, c.email, c.status, c.background)
            for c in Coachee.objects.filter(coach=coach).order_by("id")
        ],
        "sessions": list(
            sessions.values_list(
                "number", "date", "duration_minutes", "format", "payment", "kind", "group_size"
            )
        ),
        "reflections": list(sessions.values_list("reflection__status", flat=True)),
        "answers": [
            (a.prompt_key, a.text, a.rating)
            for a in Answer.objects.filter(reflection__coach=coach).order_by(
                "reflection__session__coachee__id", "reflection__session__number", "id"
            )
        ],
        "actions": [
            (a.owner, a.text, a.due, a.status)
            for a in ActionItem.objects.filter(coach=coach).order_by("id")
        ],
        "goals": [
            (p.goal.title, p.session.number, p.score, p.note)
            for p in GoalProgress.objects.filter(coach=coach)
            .select_related("goal", "session")
            .order_by("goal__coachee__id", "goal__id", "session__number")
        ],
        "techniques": [
            (u.technique.slug, u.reflection.session.number, u.effectiveness, u.note)
            for u in TechniqueUse.objects.filter(coach=coach)
            .select_related("technique", "reflection__session")
            .order_by("reflection__session__coachee__id", "reflection__session__number", "id")
        ],
    }


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_practice() -> None:
    alice, bob = make_coach("alice@example.com"), make_coach("bob@example.com")
    for coach in (alice, bob):
        create_practice(coach, sessions=30, coachees=6, seed=7, today=TODAY)
    assert _content(alice) == _content(bob)
    assert _content(alice)["answers"]
    assert _content(alice)["goals"] and _content(alice)["techniques"]


@pytest.mark.django_db
def test_another_seed_gives_another_practice() -> None:
    alice, bob = make_coach("alice@example.com"), make_coach("bob@example.com")
    create_practice(alice, sessions=30, coachees=6, seed=7, today=TODAY)
    create_practice(bob, sessions=30, coachees=6, seed=8, today=TODAY)
    assert _content(alice)["answers"] != _content(bob)["answers"]


@pytest.mark.django_db
def test_it_makes_exactly_what_was_asked_for_and_only_for_that_coach() -> None:
    alice, bob = make_coach("alice@example.com"), make_coach("bob@example.com")
    summary = create_practice(alice, sessions=30, coachees=6, seed=3, today=TODAY)
    assert (summary.coachees, summary.sessions) == (6, 30)
    assert Coachee.objects.for_coach(alice).count() == 6
    assert CoachingSession.objects.for_coach(alice).count() == 30
    assert Reflection.objects.for_coach(alice).count() == 30
    assert ActionItem.objects.for_coach(alice).count() == summary.actions > 30
    assert not Coachee.objects.for_coach(bob).exists()
    assert not CoachingSession.objects.for_coach(bob).exists()
    # Every row hangs off the coach's own coachees and sessions.
    assert not CoachingSession.objects.filter(coach=alice).exclude(coachee__coach=alice).exists()
    assert not ActionItem.objects.filter(coach=alice).exclude(session__coach=alice).exists()


@pytest.mark.django_db
def test_generated_coachees_beyond_the_hand_written_four_have_unique_names() -> None:
    alice = make_coach("alice@example.com")
    create_practice(alice, sessions=60, coachees=12, seed=5, today=TODAY)
    names = [c.name for c in Coachee.objects.all()]
    assert len(names) == len(set(names)) == 12
    for coachee in Coachee.objects.all():
        numbers = list(coachee.sessions.order_by("date").values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        assert all(d.weekday() < 5 for d in coachee.sessions.values_list("date", flat=True))


@pytest.mark.django_db
def test_nothing_happens_after_today_but_plans() -> None:
    alice = make_coach("alice@example.com")
    create_practice(alice, sessions=60, coachees=12, seed=11, today=TODAY)
    future = Reflection.objects.filter(session__date__gt=TODAY)
    assert set(future.values_list("status", flat=True)) <= {Reflection.Status.PLANNED}
    assert not ActionItem.objects.filter(session__date__gt=TODAY).exists()
    completed = Reflection.objects.exclude(completed_at=None).values_list("completed_at", flat=True)
    assert completed
    assert all(moment is not None and moment.date() <= TODAY for moment in completed)


@pytest.mark.django_db
def test_a_larger_practice_still_gives_each_coachee_its_own_words() -> None:
    """Bench practices have dozens of coachees: once a phrase pool runs out, a phrase is tied
    to the coachee's session, so none reads another's words, unless the two share a first
    name (1,000 sessions for 40 coachees: 1,554 shared texts before, none after; this test
    runs a smaller one)."""
    from tests.test_demo import shared_long_texts

    create_practice(make_coach("alice@example.com"), sessions=150, coachees=15, seed=4, today=TODAY)
    assert shared_long_texts() == []
