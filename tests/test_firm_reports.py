"""The administrator's reports: counts per coach and month, small groups never shown alone,
no coachee's name or note anywhere, CSV through lib/sheets."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.followup.models import ActionItem
from debrief.journal.models import Reflection
from debrief.practice.models import BodyChoice
from tests.conftest import make_coach, make_coachee, make_session

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
SECRET = "Marmalade-Quince-4412"  # in every coachee's name and every note


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _practice(coach: User, coachees: int, in_time: int = 0) -> None:
    """``coachees`` coachees with one 60-minute session each on 2 March 2026; the first
    ``in_time`` reflected within 48 hours, the rest a week late."""
    for k in range(coachees):
        coachee = make_coachee(coach, name=f"{SECRET} {coach.email} {k}", background=SECRET)
        session = make_session(coachee)
        late = timedelta(hours=20) if k < in_time else timedelta(days=7)
        done = datetime(2026, 3, 3, 0, 0, tzinfo=UTC) + late
        Reflection.objects.filter(session=session).update(status="complete", completed_at=done)
        ActionItem.objects.create(
            coach=coach,
            coachee=coachee,
            session=session,
            owner="coachee",
            text=SECRET,
            due=date(2026, 3, 10) if k == 0 else None,
        )


@pytest.fixture
def firm(alice: User) -> dict[str, User]:
    """alice administers; bob has 6 coachees, carol and dan 3 each (too few to show alone)."""
    people = {n: make_coach(f"{n}@example.com") for n in ("bob", "carol", "dan")}
    _practice(people["bob"], 6, in_time=3)
    _practice(people["carol"], 3, in_time=3)
    _practice(people["dan"], 3)
    return people


def _admin(alice: User) -> Client:
    client = Client()
    client.force_login(alice)
    return client


def _csv(client: Client, table: str) -> list[dict[str, str]]:
    response = client.get(reverse("firm_reports_csv"), {"table": table})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_page_shows_counts_and_never_a_name_or_note(alice: User, firm: dict) -> None:
    page = _admin(alice).get(reverse("firm_reports")).content.decode()
    assert SECRET not in page
    bob_row = page.split("bob@example.com")[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", bob_row)
    # 6 coachees, 6 sessions, 6 hours, 3 of 6 reflected in time; 6 open actions, 1 overdue.
    assert cells[:5] == ["6", "6", "6.0", "50%", "6 (1)"]
    for small in ("carol@example.com", "dan@example.com"):
        row = page.split(small)[1].split("</tr>")[0]
        assert "Fewer than 5 coachees: not shown on their own" in row


def test_small_groups_are_pooled_and_the_firm_line_adds_up_what_is_shown(
    alice: User, firm: dict
) -> None:
    rows = [r for r in _csv(_admin(alice), "months") if r["Month"] == "2026-03"]
    by = {r["Coach"]: r for r in rows}
    assert by["bob@example.com"]["Sessions held"] == "6"
    assert by["carol@example.com"]["Sessions held"] == ""
    assert "Fewer than 5" in by["carol@example.com"]["Note"]
    # carol and dan together have 6 coachees: enough to show as one pooled line.
    other = by["Other coaches, together"]
    assert other["Coachees seen"] == "6" and other["Reflected within 48 hours (%)"] == "50"
    firm_line = by["Whole firm"]
    assert firm_line["Sessions held"] == "12" and firm_line["Hours"] == "12.0"


def test_a_pool_too_small_to_show_is_left_out_of_the_firm_line(alice: User) -> None:
    bob, carol = make_coach("bob@example.com"), make_coach("carol@example.com")
    _practice(bob, 5)
    _practice(carol, 2)
    by = {r["Coach"]: r for r in _csv(_admin(alice), "months") if r["Month"] == "2026-03"}
    assert "Other coaches, together" not in by
    # Otherwise the firm's line less bob's would be carol's two coachees.
    assert by["Whole firm"]["Sessions held"] == by["bob@example.com"]["Sessions held"] == "5"


@override_settings(DEBRIEF_REPORT_MIN_GROUP=3)
def test_the_threshold_is_a_setting(alice: User, firm: dict) -> None:
    by = {r["Coach"]: r for r in _csv(_admin(alice), "months") if r["Month"] == "2026-03"}
    assert by["carol@example.com"]["Sessions held"] == "3"
    assert by["carol@example.com"]["Reflected within 48 hours (%)"] == "100"


def test_the_coaches_csv_has_actions_and_credential_progress(alice: User, firm: dict) -> None:
    BodyChoice.objects.create(coach=firm["bob"], body="icf")
    rows = {r["Coach"]: r for r in _csv(_admin(alice), "coaches")}
    bob = rows["bob@example.com"]
    assert (bob["Open actions"], bob["Overdue actions"]) == ("6", "1")
    assert bob["Credential progress"].startswith("ICF ACC")
    assert rows["carol@example.com"]["Open actions"] == ""
    assert rows["Whole firm"]["Open actions"] == "12"  # bob's 6 and the pool of 6
    assert SECRET not in str(rows)
    assert AuditEvent.objects.filter(action="export", coach=alice).count() == 1


def test_a_new_session_shows_at_the_next_report(alice: User, firm: dict) -> None:
    admin = _admin(alice)
    before = {r["Coach"]: r for r in _csv(admin, "months") if r["Month"] == "2026-03"}
    assert before["bob@example.com"]["Sessions held"] == "6"
    coachee = firm["bob"].coachees.first()
    make_session(coachee, number=2, date=date(2026, 3, 9))
    after = {r["Coach"]: r for r in _csv(admin, "months") if r["Month"] == "2026-03"}
    assert after["bob@example.com"]["Sessions held"] == "7"


def test_months_are_chosen_and_a_bad_month_says_what_to_do(alice: User, firm: dict) -> None:
    admin = _admin(alice)
    page = admin.get(reverse("firm_reports"), {"month": "2026-02"}).content.decode()
    assert "Coaches in February 2026" in page
    for bad in ("2031-01", "nonsense", "2026-13", "x" * 500):
        response = admin.get(reverse("firm_reports"), {"month": bad})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Choose one of the last 12 months" in page and "Coaches in March 2026" in page
    assert admin.get(reverse("firm_reports_csv"), {"table": "names"}).status_code == 404


def test_a_coach_or_supervisor_gets_404(firm: dict) -> None:
    client = Client()
    client.force_login(firm["bob"])
    assert client.get(reverse("firm_reports")).status_code == 404
    assert client.get(reverse("firm_reports_csv")).status_code == 404


def test_the_job_renews_the_cached_months_before_they_lapse(alice: User, firm: dict) -> None:
    from debrief.jobs.registry import all_jobs

    admin = _admin(alice)
    _csv(admin, "months")  # fills the cache
    coachee = firm["bob"].coachees.first()
    make_session(coachee, number=2, date=date(2026, 2, 9))  # an earlier month: cached
    stale = {r["Coach"]: r for r in _csv(admin, "months") if r["Month"] == "2026-02"}
    assert stale["bob@example.com"]["Sessions held"] == "0"
    summary = all_jobs()["firm_report"].func(timezone.now())
    assert summary == "report worked out for 4 coaches"
    fresh = {r["Coach"]: r for r in _csv(admin, "months") if r["Month"] == "2026-02"}
    # One session with one coachee: now counted, and too small a group to show.
    assert fresh["bob@example.com"]["Sessions held"] == ""
    assert fresh["Whole firm"]["Sessions held"] == "0"
