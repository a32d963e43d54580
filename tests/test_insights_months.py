"""The kept months and running total always equal the practice worked out again from scratch.

Random sequences of writes (hypothesis) are made the way the app makes them, through the models
and their signals, with the whole-practice page read between them so that months are kept and
then have to be dropped; after each step the totals the page reads must be the ones worked out
from every session, with nothing kept. Plus the writes that send no signals (a hand-over's
``update``, sessions written in bulk), and erasure leaving no trace of the coachee.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.exchange.erasure import erase_coachee
from debrief.followup.models import Goal, GoalProgress
from debrief.insights import months
from debrief.insights.models import PracticeMonth, PracticeTotal
from debrief.insights.scope import Scope
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.prompts.models import default_template_version
from debrief.techniques.models import Technique, TechniqueUse
from tests.conftest import make_coachee, make_session
from tests.test_insights import TODAY, _page

pytestmark = pytest.mark.django_db

NOW = datetime.combine(TODAY, time(12, 0))
KEYS = ["listening", "coachee_engagement", "communication_clear"]
SLUGS = ["silence", "reframing", "scaling-questions"]


@pytest.fixture(autouse=True)
def _frozen_today() -> Any:
    with time_machine.travel(timezone.make_aware(NOW), tick=False):
        yield


def _from_scratch(coach: User) -> months.Totals:
    """What the page would show with nothing kept: every month worked out from its sessions."""
    return months.combine(months.worked_out(Scope(coach, TODAY)).items())


def _read(coach: User) -> months.Totals:
    return months.totals(Scope(coach, TODAY))


def _same(coach: User) -> None:
    kept, fresh = _read(coach), _from_scratch(coach)
    assert [m for m, _ in kept.months] == [m for m, _ in fresh.months]
    for (_, a), (_, b) in zip(kept.months, fresh.months, strict=True):
        assert (a.sessions, a.minutes, a.counted, a.on_time, a.seen, a.ratings) == (
            b.sessions,
            b.minutes,
            b.counted,
            b.on_time,
            b.seen,
            b.ratings,
        )
    assert kept.techniques == fresh.techniques
    assert kept.people == fresh.people
    assert kept.goals == fresh.goals
    assert kept.versions == fresh.versions


def _technique(slug: str) -> Technique:
    return Technique.objects.get(coach=None, slug=slug)


class _World:
    """Two coaches; alice's coachees; the writes a coach makes, by index into what exists."""

    def __init__(self, alice: User, bob: User) -> None:
        self.alice, self.bob = alice, bob
        self.coachees = [make_coachee(alice, n) for n in ("Priya Shah", "Tom Reid", "Ann Lee")]
        self.goals = [
            Goal.objects.create(coach=alice, coachee=c, title="Goal") for c in self.coachees
        ]
        self.numbers = 0

    def sessions(self) -> list[CoachingSession]:
        return list(CoachingSession.objects.filter(coach=self.alice).order_by("id"))

    def pick(self, i: int) -> CoachingSession | None:
        found = self.sessions()
        return found[i % len(found)] if found else None

    def add(self, who: int, days_ago: int, start: int | None, done: int | None) -> None:
        coachee = self.coachees[who % len(self.coachees)]
        if not Coachee.objects.filter(pk=coachee.pk, coach=self.alice).exists():
            return  # erased or handed over
        self.numbers += 1
        session = make_session(
            coachee,
            number=self.numbers,
            date=TODAY - timedelta(days=days_ago),
            start_time=None if start is None else time(start, 0),
            duration_minutes=60,
        )
        if done is not None:  # reflected, some hours after the session's day began
            at = timezone.make_aware(datetime.combine(session.date, time(0))) + timedelta(
                hours=done
            )
            session.reflection.status = Reflection.Status.COMPLETE
            session.reflection.completed_at = min(at, timezone.now())
            session.reflection.save()

    def rate(self, i: int, key: int, rating: int | None) -> None:
        session = self.pick(i)
        if session is None:
            return
        answer, _ = Answer.objects.get_or_create(
            reflection=session.reflection, prompt_key=KEYS[key % len(KEYS)]
        )
        if rating is None:
            answer.delete()
        else:
            answer.rating = rating
            answer.save()

    def use(self, i: int, slug: int, effectiveness: int | None, note: bool) -> None:
        session = self.pick(i)
        if session is None:
            return
        found = TechniqueUse.objects.filter(
            reflection=session.reflection, technique=_technique(SLUGS[slug % len(SLUGS)])
        ).first()
        if found is not None:
            found.delete()
            return
        TechniqueUse.objects.create(
            coach=self.alice,
            reflection=session.reflection,
            technique=_technique(SLUGS[slug % len(SLUGS)]),
            prompt_key="techniques_used",
            effectiveness=effectiveness,
            note="It helped." if note else "",
        )

    def move(self, i: int, days_ago: int) -> None:
        session = self.pick(i)
        if session is not None:
            session.date = TODAY - timedelta(days=days_ago)
            session.save()

    def cancel(self, i: int) -> None:
        session = self.pick(i)
        if session is not None:
            session.cancelled = not session.cancelled
            session.save()

    def delete(self, i: int) -> None:
        session = self.pick(i)
        if session is not None:
            session.delete()

    def score(self, i: int, score: int) -> None:
        session = self.pick(i)
        if session is None:
            return
        goal = Goal.objects.filter(coachee_id=session.coachee_id).first()
        if goal is not None:
            GoalProgress.objects.update_or_create(
                coach=self.alice, goal=goal, session=session, defaults={"score": score}
            )

    def erase(self, who: int) -> None:
        Coachee.objects.filter(pk=self.coachees[who % len(self.coachees)].pk).delete()


_day = st.integers(min_value=0, max_value=200)
_steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("add"),
            st.integers(0, 2),
            _day,
            st.none() | st.integers(8, 20),
            st.none() | st.integers(1, 120),
        ),
        st.tuples(
            st.just("rate"), st.integers(0, 50), st.integers(0, 2), st.none() | st.integers(1, 5)
        ),
        st.tuples(
            st.just("use"),
            st.integers(0, 50),
            st.integers(0, 2),
            st.none() | st.integers(1, 5),
            st.booleans(),
        ),
        st.tuples(st.just("move"), st.integers(0, 50), _day),
        st.tuples(st.just("cancel"), st.integers(0, 50)),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(st.just("score"), st.integers(0, 50), st.integers(0, 10)),
        st.tuples(st.just("erase"), st.integers(0, 2)),
    ),
    min_size=1,
    max_size=14,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=_steps)
def test_kept_months_equal_the_practice_worked_out_again(
    alice: User, bob: User, steps: list[tuple[Any, ...]]
) -> None:
    point = transaction.savepoint()  # each example starts from an empty practice
    try:
        world = _World(alice, bob)
        for step in steps:
            getattr(world, step[0])(*step[1:])
            _same(alice)  # read (and kept) after every write, then compared
        assert PracticeTotal.objects.filter(coach=alice).exists() == bool(
            CoachingSession.objects.filter(coach=alice, date__lt=months._settled_before(TODAY))
        )
    finally:
        transaction.savepoint_rollback(point)


def _practice(alice: User, days: list[int]) -> list[CoachingSession]:
    priya = make_coachee(alice, "Priya Shah")
    sessions = [
        make_session(priya, number=i + 1, date=TODAY - timedelta(days=d))
        for i, d in enumerate(days)
    ]
    for session in sessions:
        Answer.objects.create(reflection=session.reflection, prompt_key="listening", rating=4)
    return sessions


def test_a_hand_over_by_update_is_noticed_by_both_coaches(alice: User, bob: User) -> None:
    """A hand-over moves rows with ``update`` (no signals): the session counts give it away."""
    _practice(alice, [100, 70, 40, 3])
    tom = make_coachee(alice, "Tom Reid")
    make_session(tom, number=9, date=TODAY - timedelta(days=80))
    _read(alice), _read(bob)
    assert PracticeMonth.objects.filter(coach=alice).exists()

    # As the hand-over moves a coachee's rows: one ``update`` per model, no signals.
    CoachingSession.objects.filter(coachee=tom).update(coach=bob)
    Reflection.objects.filter(session__coachee=tom).update(coach=bob)
    Coachee.objects.filter(pk=tom.pk).update(coach=bob)

    _same(alice)
    _same(bob)
    assert _read(alice).sessions == 4 and _read(bob).sessions == 1
    assert tom.pk not in _read(alice).people and tom.pk in _read(bob).people


def test_sessions_written_in_bulk_reach_the_kept_months(alice: User) -> None:
    sessions = _practice(alice, [100, 70])
    assert _read(alice).sessions == 2
    priya = sessions[0].coachee
    made = CoachingSession.objects.bulk_create(
        [
            CoachingSession(
                coach=alice,
                coachee=priya,
                number=5,
                date=TODAY - timedelta(days=90),
                duration_minutes=60,
            )
        ]
    )
    Reflection.objects.bulk_create(
        [Reflection(coach=alice, session=made[0], template_version=default_template_version())]
    )
    assert _read(alice).sessions == 3
    _same(alice)


def test_erasing_a_coachee_leaves_no_trace_in_what_is_kept(
    alice_client: Client, alice: User
) -> None:
    sessions = _practice(alice, [100, 70, 40])
    priya = sessions[0].coachee
    tom = make_coachee(alice, "Tom Reid")
    make_session(tom, number=7, date=TODAY - timedelta(days=75))
    assert "Priya Shah" in _page(alice_client)
    assert priya.pk in _read(alice).people

    erase_coachee(priya)

    for row in PracticeMonth.objects.all():
        assert (
            priya.pk not in row.figures["coachees"] and str(priya.pk) not in row.figures["people"]
        )
        assert all(priya.pk not in t[4] for t in row.figures["techniques"].values())
    for total in PracticeTotal.objects.all():
        assert str(priya.pk) not in total.figures["people"]
    html = _page(alice_client)
    assert "Priya Shah" not in html and "Tom Reid" in html
    _same(alice)


def test_a_kept_month_counts_a_reflection_once_its_48_hours_are_up(alice: User) -> None:
    """Kept on the 1st, while a session of the day before still has 48 hours to go."""
    priya = make_coachee(alice, "Priya Shah")
    first, february = date(2026, 3, 1), date(2026, 2, 1)
    with time_machine.travel(timezone.make_aware(datetime.combine(first, time(9))), tick=False):
        make_session(priya, number=1, date=date(2026, 2, 9))
        make_session(priya, number=2, date=date(2026, 2, 28), start_time=time(17))
        kept = dict(months.totals(Scope(alice, first)).months)[february]
        assert (kept.sessions, kept.counted) == (2, 1)  # the 28th's is not due until the 2nd
        assert PracticeMonth.objects.filter(coach=alice, month=february).exists()
    later = date(2026, 3, 3)
    with time_machine.travel(timezone.make_aware(datetime.combine(later, time(19))), tick=False):
        kept = dict(months.totals(Scope(alice, later)).months)[february]
        fresh = dict(months.combine(months.worked_out(Scope(alice, later)).items()).months)
        assert kept.counted == fresh[february].counted == 2  # due now, and late: counted
