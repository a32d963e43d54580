"""`manage.py demo`: a believable practice that a newcomer can sign in to, created only once."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.prompts.models import brief_version
from tests.conftest import make_coach

TODAY = date(2026, 3, 4)  # a Wednesday
EMAIL = "demo@debrief.local"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    moment = datetime(2026, 3, 4, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(moment, tick=False):
        yield


def _demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def _password(output: str) -> str:
    match = re.search(rf"Sign in as {re.escape(EMAIL)} with password (\S+)", output)
    assert match, output
    return match.group(1)


def test_the_printed_password_signs_in_to_a_living_journal() -> None:
    password = _password(_demo())
    client = Client()
    assert client.login(email=EMAIL, password=password)
    html = client.get(reverse("home")).content.decode()
    assert "Waiting for your reflection" in html
    assert "Coming up" in html
    assert "Recently completed" in html
    assert "Nell" in html


def test_the_demo_coach_can_turn_on_two_factor_like_any_signed_up_coach() -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.internal.flows.add import validate_can_add_authenticator

    _demo()
    coach = User.objects.get(email=EMAIL)
    # Built as sign-up builds a coach (an unverified address), and two-factor is still allowed.
    assert EmailAddress.objects.filter(user=coach, primary=True, verified=False).count() == 1
    validate_can_add_authenticator(coach)


def test_each_run_prints_a_different_password() -> None:
    assert _password(_demo()) != _password(_demo())


def test_running_it_again_keeps_the_practice_and_resets_the_password() -> None:
    first = _password(_demo())
    counts = (Coachee.objects.count(), CoachingSession.objects.count(), Answer.objects.count())
    output = _demo()
    second = _password(output)
    assert "already there" in output
    assert User.objects.filter(email=EMAIL).count() == 1
    after = (Coachee.objects.count(), CoachingSession.objects.count(), Answer.objects.count())
    assert after == counts
    assert not Client().login(email=EMAIL, password=first)
    assert Client().login(email=EMAIL, password=second)


def test_it_refuses_to_add_a_demo_to_someone_elses_journal() -> None:
    make_coach("alice@example.com")
    with pytest.raises(CommandError, match="separate data directory"):
        _demo()
    assert not User.objects.filter(email=EMAIL).exists()
    assert not Coachee.objects.exists()


def test_four_coachees_with_realistic_varied_details() -> None:
    _demo()
    coachees = list(Coachee.objects.all())
    assert len(coachees) == 4
    assert len({c.name for c in coachees}) == 4
    assert any(c.preferred_name for c in coachees)
    assert any(c.pronouns for c in coachees)
    assert 0 < sum(1 for c in coachees if c.email) < 4
    assert all(c.organisation and c.background and c.engagement_start for c in coachees)
    statuses = Counter(c.status for c in coachees)
    assert statuses[Coachee.Status.ACTIVE] >= 2
    assert statuses[Coachee.Status.PAUSED] + statuses[Coachee.Status.COMPLETED] >= 1


def test_about_25_sessions_over_the_last_five_months_numbered_per_coachee() -> None:
    _demo()
    sessions = list(CoachingSession.objects.all())
    assert 20 <= len(sessions) <= 30
    for s in sessions:
        assert TODAY - timedelta(days=155) <= s.date <= TODAY + timedelta(days=7)
    for coachee in Coachee.objects.all():
        numbers = [s.number for s in coachee.sessions.order_by("date")]
        assert numbers == list(range(1, len(numbers) + 1))
    assert {s.duration_minutes for s in sessions} <= {45, 60, 75, 90}
    assert len({s.duration_minutes for s in sessions}) >= 3
    assert len({s.format for s in sessions}) >= 2
    assert any(s.payment == CoachingSession.Payment.PRO_BONO for s in sessions)
    groups = [s for s in sessions if s.kind == CoachingSession.Kind.GROUP]
    assert len(groups) == 1
    assert groups[0].group_size is not None and groups[0].group_size >= 3


def test_upcoming_sessions_hold_only_a_plan() -> None:
    _demo()
    definition = brief_version(1).parsed  # the demo writes version 1 of the brief
    upcoming = list(CoachingSession.objects.filter(date__gt=TODAY).select_related("reflection"))
    assert 1 <= len(upcoming) <= 2
    for session in upcoming:
        assert session.date <= TODAY + timedelta(days=7)
        assert session.reflection.status == Reflection.Status.PLANNED
        keys = set(session.reflection.answers.values_list("prompt_key", flat=True))
        assert "primary_goals" in keys
        assert {definition.phase_of[k] for k in keys} == {"pre"}
        assert not session.action_items.exists()


def test_past_sessions_are_complete_but_for_one_or_two_drafts() -> None:
    _demo()
    past = Reflection.objects.filter(session__date__lte=TODAY)
    statuses = Counter(past.values_list("status", flat=True))
    assert 1 <= statuses[Reflection.Status.DRAFT] <= 2
    assert statuses[Reflection.Status.PLANNED] == 0
    assert statuses[Reflection.Status.COMPLETE] == past.count() - statuses[Reflection.Status.DRAFT]
    for reflection in past.select_related("session"):
        if reflection.status == Reflection.Status.COMPLETE:
            assert reflection.completed_at is not None
            assert reflection.completed_at.date() >= reflection.session.date
        else:
            assert reflection.completed_at is None
            assert reflection.answers.filter(prompt_key="main_topics").exists()


def test_every_complete_reflection_answers_every_writable_prompt() -> None:
    _demo()
    definition = brief_version(1).parsed  # the demo writes version 1 of the brief
    complete = Reflection.objects.filter(status=Reflection.Status.COMPLETE).prefetch_related(
        "answers", "session__action_items"
    )
    ratings = []
    assert complete.count() >= 15
    for reflection in complete:
        answers = {a.prompt_key: a for a in reflection.answers.all()}
        owners = {a.owner for a in reflection.session.action_items.all()}
        for prompt in definition.prompts():
            if prompt.kind == "actions":
                assert prompt.owner in owners, (reflection.session, prompt.key)
            elif prompt.kind == "rating":
                assert answers[prompt.key].rating in prompt.scale
                ratings.append(answers[prompt.key].rating)
            elif prompt.is_written:
                assert answers[prompt.key].text.strip(), (reflection.session, prompt.key)
    assert len(set(ratings)) >= 3
    assert any(a.text for a in Answer.objects.filter(prompt_key="listening"))


def test_no_coachee_reads_the_same_answer_twice() -> None:
    _demo()
    definition = brief_version(1).parsed  # the demo writes version 1 of the brief
    long_keys = [p.key for p in definition.prompts() if p.kind == "long_text"]
    for coachee in Coachee.objects.all():
        texts = [
            (a.prompt_key, a.text)
            for a in Answer.objects.filter(
                reflection__session__coachee=coachee, prompt_key__in=long_keys
            )
        ]
        repeated = [pair for pair, n in Counter(texts).items() if n > 1]
        assert not repeated, (coachee.name, repeated)
    # The text follows each coachee's own story, by name and pronoun.
    [nell_coachee] = [c for c in Coachee.objects.all() if c.preferred_name == "Nell"]
    nell = Answer.objects.filter(reflection__session__coachee=nell_coachee)
    assert any("Nell" in a.text and " her " in a.text for a in nell)


def test_action_items_mix_owners_due_dates_and_states() -> None:
    _demo()
    actions = list(ActionItem.objects.select_related("session"))
    assert {a.owner for a in actions} == {ActionItem.Owner.COACHEE, ActionItem.Owner.COACH}
    assert any(a.due for a in actions) and not all(a.due for a in actions)
    states = Counter(a.status for a in actions)
    assert set(states) == {
        ActionItem.Status.OPEN,
        ActionItem.Status.DONE,
        ActionItem.Status.DROPPED,
    }
    older = [a for a in actions if a.session.date < TODAY - timedelta(days=60)]
    assert older
    assert sum(a.status == ActionItem.Status.DONE for a in older) > len(older) / 2
    for a in actions:
        assert (a.closed_at is None) == (a.status == ActionItem.Status.OPEN)


def test_goals_climb_over_the_sessions_and_finished_engagements_achieve_them() -> None:
    from debrief.followup.models import Goal, GoalProgress

    _demo()
    for coachee in Coachee.objects.all():
        goals = list(Goal.objects.filter(coachee=coachee))
        assert len(goals) == 2
        finished = coachee.status in (Coachee.Status.COMPLETED, Coachee.Status.ARCHIVED)
        for goal in goals:
            assert goal.title and goal.description
            assert goal.status == (Goal.Status.ACHIEVED if finished else Goal.Status.ACTIVE)
            scores = list(
                GoalProgress.objects.filter(goal=goal)
                .order_by("session__date")
                .values_list("score", "session__reflection__status")
            )
            assert len(scores) >= 3
            assert {status for _, status in scores} == {Reflection.Status.COMPLETE}
            values = [score for score, _ in scores if score is not None]
            assert len(values) == len(scores)
            assert all(0 <= v <= 10 for v in values)
            assert values[-1] > values[0]  # believable: progress, not noise
    assert any(p.note for p in GoalProgress.objects.all())


def test_technique_uses_follow_what_each_reflection_says_it_used() -> None:
    from debrief.demo.growth import NAMED
    from debrief.techniques.models import TechniqueUse

    _demo()
    uses = list(TechniqueUse.objects.select_related("technique", "reflection"))
    assert len(uses) >= 30
    texts = {
        a.reflection_id: a.text.lower() for a in Answer.objects.filter(prompt_key="techniques_used")
    }
    for use in uses:
        assert use.reflection.status == Reflection.Status.COMPLETE
        assert use.effectiveness is not None and 1 <= use.effectiveness <= 5
        named = [slug for phrase, slug in NAMED.items() if phrase in texts[use.reflection_id]]
        assert use.technique.slug in named
    assert 0 < sum(1 for u in uses if u.note) < len(uses)
    assert len({u.effectiveness for u in uses}) >= 3


def test_the_demo_coach_has_a_reflection_habit_to_show() -> None:
    """Its sessions are not taken as back-filled on a first day: the habit counts them."""
    from debrief.accounts.models import User
    from debrief.journal.practice import summarise

    _demo()
    coach = User.objects.get()
    assert timezone.localdate(coach.date_joined) < timezone.localdate()
    assert summarise(coach, timezone.localdate()).habit_sessions > 0


def test_demo_coachees_have_consent_recorded_and_fill_the_icf_log() -> None:
    from debrief.accounts.models import User
    from debrief.icflog.facts import log_for

    _demo()
    coachees = list(Coachee.objects.all())
    assert all(c.notes_consent_on for c in coachees if c.sessions.exists())
    assert any(c.icf_log_listing for c in coachees)
    log = log_for(User.objects.get())
    assert log.total_hours > 0 and any(row.client.listed for row in log.rows)


def shared_long_texts() -> list[str]:
    """Texts over 40 characters that coachees of two first names read word for word.

    Every generated text a coach reads about a coachee: answers, actions, goal-progress and
    technique notes. Shorter ones ("Fully present today.") may recur, as in a real journal.
    """
    from debrief.followup.models import GoalProgress
    from debrief.techniques.models import TechniqueUse

    rows = [
        *(
            (a.text, a.reflection.session.coachee_id)
            for a in Answer.objects.select_related("reflection__session")
        ),
        *((a.text, a.session.coachee_id) for a in ActionItem.objects.select_related("session")),
        *((p.note, p.goal.coachee_id) for p in GoalProgress.objects.select_related("goal")),
        *(
            (u.note, u.reflection.session.coachee_id)
            for u in TechniqueUse.objects.select_related("reflection__session")
        ),
    ]
    # Two coachees with the same first name (a large generated practice has some) may read
    # the same note about "James": counted as one reader.
    called = {c.pk: (c.preferred_name or c.name.split()[0]) for c in Coachee.objects.all()}
    readers: dict[str, set[str]] = {}
    for text, coachee_id in rows:
        if len(text.strip()) > 40:
            readers.setdefault(text.strip(), set()).add(called[coachee_id])
    assert len(readers) > 100  # there is text to compare
    return [text for text, who in readers.items() if len(who) > 1]


def test_no_two_coachees_read_the_same_words() -> None:
    """A phrase already written for another coachee is tied to this coachee's session.

    Before, 21 of 479 long answers (and 5 of 50 actions) were word for word another
    coachee's; now none are.
    """
    _demo()
    assert shared_long_texts() == []
