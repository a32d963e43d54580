"""The firm's report after a hand-over: each session counts for the coach who held it.

The previous coach keeps the months they coached (``icflog.PreviousSession``, the same record
their ICF log counts); the receiving coach gets the sessions they hold from then on; the firm's
line counts every session once. Through the front door: the firm made by the sign-up and
invitation pages, the hand-over offered and accepted on its pages, the report read as the
administrator reads it.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from debrief.accounts.models import User
from debrief.coachees.models import Coachee, Handover
from debrief.firm import reports
from debrief.jobs.registry import all_jobs
from debrief.journal.models import Answer, CoachingSession, Reflection
from tests.conftest import make_coachee, make_session
from tests.test_firm_invitations import _sign_up
from tests.test_handover import _accept_through_the_page, _join, _offer_through_the_page

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
SECRET = "Persimmon-Gazebo-7731"  # the handed-over coachee's name, notes and consent note


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _held(coachee: Coachee, number: int, day: date) -> CoachingSession:
    session = make_session(coachee, number, date=day, duration_minutes=60)
    done = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=20)
    Reflection.objects.filter(session=session).update(status="complete", completed_at=done)
    return session


def _five(coach: User) -> None:
    """Five coachees with a session each in February and March: enough to show a month."""
    for k in range(5):
        coachee = make_coachee(coach, f"{coach.email} client {k}")
        _held(coachee, 1, date(2026, 2, 10))
        _held(coachee, 2, date(2026, 3, 3))


@pytest.fixture
def firm(db: None) -> dict[str, Any]:
    """alice (administrator and coach) and bea (coach), through the pages; five coachees each,
    and alice's sixth, whom she coached in January, February and March before handing over."""
    admin = Client()
    assert _sign_up(admin, "alice@example.com").status_code == 302
    bea_client = _join(admin, "bea@example.com", "coach")
    alice, bea = (
        User.objects.get(email="alice@example.com"),
        User.objects.get(email="bea@example.com"),
    )
    _five(alice)
    _five(bea)
    noor = make_coachee(alice, f"{SECRET} Noor", background=SECRET)
    held = [
        _held(noor, 1, date(2026, 1, 12)),
        _held(noor, 2, date(2026, 2, 9)),
        _held(noor, 3, date(2026, 2, 23)),
        _held(noor, 4, date(2026, 3, 9)),
    ]
    Answer.objects.create(reflection=held[0].reflection, prompt_key="main_topics", text=SECRET)
    make_session(noor, 5, date=date(2026, 3, 27))  # next week's: moves, not held by alice
    return {"admin": admin, "bea_client": bea_client, "alice": alice, "bea": bea, "noor": noor}


def _months(admin: Client) -> dict[tuple[str, str], dict[str, str]]:
    response = admin.get(reverse("firm_reports_csv"), {"table": "months"})
    assert response.status_code == 200
    text = response.content.decode()
    assert SECRET not in text and "Noor" not in text
    return {(r["Month"], r["Coach"]): r for r in csv.DictReader(io.StringIO(text))}


def _figures(row: dict[str, str]) -> tuple[str, str, str]:
    return row["Coachees seen"], row["Sessions held"], row["Hours"]


def _hand_over(firm: dict[str, Any]) -> None:
    offered = _offer_through_the_page(
        firm["admin"], firm["noor"], firm["bea"], consent_on="2026-03-19", consent_note=SECRET
    )
    assert offered.status_code == 302, offered.content.decode()[:2000]
    handover = Handover.objects.get(coachee=firm["noor"])
    assert _accept_through_the_page(firm["bea_client"], handover).status_code == 302
    assert Coachee.objects.get(pk=firm["noor"].pk).coach == firm["bea"]


def test_the_previous_coach_keeps_the_months_they_held(firm: dict[str, Any]) -> None:
    admin = firm["admin"]
    before = _months(admin)
    _hand_over(firm)
    noor = Coachee.objects.get(pk=firm["noor"].pk)
    _held(noor, 6, date(2026, 3, 20))  # bea's first session with her, today
    all_jobs()["firm_report"].func(timezone.now())  # the earlier months worked out again
    after = _months(admin)
    a, b = "alice@example.com", "bea@example.com"
    # February and March: alice's five and the sessions she held with Noor (six coachees).
    assert _figures(after[("2026-02", a)]) == ("6", "7", "7.0")
    assert _figures(after[("2026-03", a)]) == ("6", "6", "6.0")
    assert _figures(after[("2026-02", b)]) == ("5", "5", "5.0")
    # March: bea's five, and today's session with Noor, which bea held.
    assert _figures(after[("2026-03", b)]) == ("6", "6", "6.0")
    # The firm counts each session once, and Noor once in March (seen by both coaches).
    assert _figures(after[("2026-02", "Whole firm")]) == _figures(before[("2026-02", "Whole firm")])
    assert _figures(after[("2026-02", "Whole firm")]) == ("11", "12", "12.0")
    assert _figures(after[("2026-03", "Whole firm")]) == ("11", "12", "12.0")
    assert _figures(before[("2026-03", "Whole firm")]) == ("11", "11", "11.0")


def test_a_small_month_stays_hidden_after_a_hand_over(firm: dict[str, Any]) -> None:
    _hand_over(firm)
    all_jobs()["firm_report"].func(timezone.now())
    after = _months(firm["admin"])
    # January: alice held one session with Noor, her only coachee that month: not shown.
    january = after[("2026-01", "alice@example.com")]
    assert january["Sessions held"] == "" and "Fewer than 5" in january["Note"]
    assert after[("2026-01", "bea@example.com")]["Sessions held"] == "0"
    assert after[("2026-01", "Whole firm")]["Sessions held"] == "0"  # no pool of five


def test_the_report_page_shows_the_month_for_the_coach_who_held_it(firm: dict[str, Any]) -> None:
    _hand_over(firm)
    all_jobs()["firm_report"].func(timezone.now())
    response = firm["admin"].get(reverse("firm_reports"), {"month": "2026-02"})
    page = response.content.decode()
    assert SECRET not in page and "Noor" not in page
    for email, figures in (
        ("alice@example.com", ["6", "7", "7.0"]),
        ("bea@example.com", ["5", "5", "5.0"]),
    ):
        row = page.split(f'<th scope="row">{email}')[1].split("</tr>")[0]
        assert re.findall(r"<td[^>]*>([^<]*)</td>", row)[:3] == figures


def test_a_coach_worked_out_alone_still_counts_what_they_held(firm: dict[str, Any]) -> None:
    """As when only their cached months lapsed: the sessions they held, now another coach's,
    are read by themselves (the second read of ``_cells``), and never for the other coach."""
    _hand_over(firm)
    alice, bea = firm["alice"], firm["bea"]
    start, today = date(2026, 1, 1), date(2026, 3, 20)
    alone = reports._cells({alice.pk: alice}, start, today)[alice.pk]
    assert (alone[date(2026, 2, 1)].sessions, alone[date(2026, 1, 1)].sessions) == (7, 1)
    theirs = reports._cells({bea.pk: bea}, start, today)[bea.pk]
    assert theirs[date(2026, 2, 1)].sessions == 5 and date(2026, 1, 1) not in theirs
