"""bench/firm_scale.py: the pages it times exist, its arithmetic, and a generator fast enough."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.firm_scale import BARE_OUT, FLOOR, Side, _noise, main, pages
from bench.practices import Practice
from debrief.coachees.models import Coachee
from debrief.demo.accreditation import add_accreditation
from debrief.demo.practice import create_practice
from debrief.journal.models import CoachingSession, Reflection
from tests.conftest import make_coach

TODAY = date(2025, 6, 18)


def _practice(email: str, sessions: int) -> tuple[Client, Practice]:
    coach = make_coach(email)
    create_practice(coach, sessions=sessions, coachees=4, seed=1, today=TODAY)
    add_accreditation(coach, TODAY)
    busiest = (
        Coachee.objects.for_coach(coach).annotate(n=Count("sessions")).order_by("-n", "id").first()
    )
    assert busiest is not None
    done = (
        CoachingSession.objects.for_coach(coach)
        .filter(coachee=busiest, reflection__status=Reflection.Status.COMPLETE)
        .order_by("-date")
        .first()
    )
    assert done is not None
    client = Client()
    client.force_login(coach)
    return client, Practice(
        email=email,
        sessions=sessions,
        session=client.cookies["sessionid"].value,
        busiest=busiest.n,
        coachee=reverse("coachee_detail", args=[busiest.code]),
        view=reverse("reflection_view", args=[done.code]),
        edit=reverse("reflection_edit", args=[done.code]),
        edits=[],
        insights_coachee=reverse("insights") + f"?coachee={busiest.code}",
    )


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_every_page_the_bench_times_answers_a_coach() -> None:
    client, practice = _practice("bench-coach@example.com", 40)
    timed = pages(practice)
    assert len(timed) >= 20
    for name, path in timed.items():
        answer = (Client() if name == BARE_OUT else client).get(path)
        assert answer.status_code == 200, (name, path, answer.status_code)


@pytest.mark.django_db
def test_the_generator_makes_no_query_per_session() -> None:
    counts = []
    for n, sessions in enumerate((20, 60)):
        coach = make_coach(f"gen{n}@example.com")
        with CaptureQueriesContext(connection) as queries:
            create_practice(coach, sessions=sessions, coachees=4, seed=3, today=TODAY)
        counts.append(len(queries))
    # 40 more sessions (a query each for their answers' key before): no more than a few more.
    assert counts[1] <= counts[0] + 10, counts


def test_the_change_is_against_the_floor_of_the_same_start_and_noise_is_its_spread() -> None:
    alone, firm = Side("alone"), Side("firm")
    alone.times = {FLOOR: [[10.0, 10.0], [20.0, 20.0]], "home": [[30.0], [60.0]]}
    firm.times = {FLOOR: [[10.0], [40.0]], "home": [[33.0], [120.0]]}
    assert alone.ratios("home") == [3.0, 3.0]
    assert firm.ratios("home") == [3.3, 3.0]
    assert firm.ratio("home") == pytest.approx(3.15)
    assert _noise(alone, firm, "home") == pytest.approx(0.1)


def test_a_bad_port_range_is_refused_before_anything_is_made(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--ports", "8259-8240"])
    assert stopped.value.code == 2
    assert "--ports takes a rising range" in capsys.readouterr().err
