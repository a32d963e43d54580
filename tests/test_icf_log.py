"""The ICF coaching log: rows per client, consent, opening balance, thresholds and the CSV."""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.icflog import log as icf
from debrief.icflog.models import OpeningBalance
from tests.conftest import make_coachee, make_session

TODAY = date(2026, 6, 15)
EIGHTEEN_MONTHS_AGO = date(2024, 12, 15)


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    moment = datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(moment, tick=False):
        yield


def _csv(client: Client) -> list[list[str]]:
    response = client.get(reverse("icf_log_csv"))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def _one_decimal(minutes: int) -> str:
    # Independent of the module: round half up on tenths of an hour, in integers.
    tenths = (minutes * 10 * 2 + 60) // 120
    return f"{tenths // 10}.{tenths % 10}"


def _generate_practice(coach: User, seed: int = 7) -> list[dict[str, Any]]:
    """Coachees and sessions at random, returned as plain facts for an independent check."""
    rng = random.Random(seed)
    facts: list[dict[str, Any]] = []
    for i in range(12):
        listed = rng.random() < 0.7
        coachee = make_coachee(
            coach, name=f"Client {i:02d}", email=f"c{i}@example.com", icf_log_listing=listed
        )
        for number in range(1, rng.randint(1, 8) + 1):
            day = TODAY - timedelta(days=rng.randint(-60, 1000))  # some in the future
            minutes = rng.choice([30, 45, 50, 60, 75, 90])
            paid = rng.random() < 0.75
            group = rng.random() < 0.2
            size = rng.randint(3, 9) if group else None
            make_session(
                coachee,
                number,
                date=day,
                duration_minutes=minutes,
                payment="paid" if paid else "pro_bono",
                kind="group" if group else "individual",
                group_size=size,
            )
            facts.append(
                {
                    "name": coachee.name,
                    "listed": listed,
                    "date": day,
                    "minutes": minutes,
                    "paid": paid,
                    "size": size,
                    "group": group,
                }
            )
    return facts


def test_a_generated_practice_matches_an_independent_count(
    alice: User, alice_client: Client
) -> None:
    facts = _generate_practice(alice)
    held = [f for f in facts if f["date"] <= TODAY]
    # The seed gives every case: future sessions, unlisted clients, group and pro bono sessions.
    assert len(held) < len(facts)
    assert {(f["listed"], f["group"], f["paid"]) for f in held} >= {
        (True, True, True),
        (False, False, True),
        (True, False, False),
    }
    OpeningBalance.objects.create(
        coach=alice, paid_hours=Decimal("40.5"), pro_bono_hours=Decimal("3"), clients=2
    )

    rows = _csv(alice_client)
    assert rows[0] == list(icf.CSV_HEADER)
    # One row per client and kind: individual and group hours are never folded together.
    expected_rows = {}
    for name in sorted({f["name"] for f in held if f["listed"]}):
        for group in (False, True):
            mine = [f for f in held if f["name"] == name and f["group"] == group]
            if not mine:
                continue
            expected_rows[(name, "Group" if group else "Individual")] = [
                name,
                f"c{int(name.split()[1])}@example.com",
                "Group" if group else "Individual",
                str(max(f["size"] for f in mine)) if group else "",
                min(f["date"] for f in mine).isoformat(),
                max(f["date"] for f in mine).isoformat(),
                _one_decimal(sum(f["minutes"] for f in mine if f["paid"])),
                _one_decimal(sum(f["minutes"] for f in mine if not f["paid"])),
            ]
    got = {(r[0], r[2]): r for r in rows[1:] if r[0].startswith("Client ")}
    assert got == expected_rows
    assert any(kind == "Group" for _, kind in got)

    unlisted = [f for f in held if not f["listed"]]
    unlisted_clients = len({f["name"] for f in unlisted})
    paid = sum(f["minutes"] for f in held if f["paid"])
    pro_bono = sum(f["minutes"] for f in held if not f["paid"])
    recent = sum(f["minutes"] for f in held if f["date"] >= EIGHTEEN_MONTHS_AGO)
    # Each person in a group counts as a client; a client also seen one to one is one of them.
    people: dict[str, int] = {}
    for f in held:
        people[f["name"]] = max(people.get(f["name"], 1), f["size"] or 1)
    clients = sum(people.values()) + 2
    total_hours = Decimal(paid + pro_bono) / 60 + Decimal("43.5")
    paid_hours = Decimal(paid) / 60 + Decimal("40.5")

    html = alice_client.get(reverse("icf_log")).content.decode()
    assert (
        f"{unlisted_clients} client{'s' if unlisted_clients != 1 else ''} not listed by name: "
        f"{_one_decimal(sum(f['minutes'] for f in unlisted if f['paid']))} paid hours, "
        f"{_one_decimal(sum(f['minutes'] for f in unlisted if not f['paid']))} pro-bono hours"
    ) in html
    log = alice_client.get(reverse("icf_log")).context["log"]
    assert log.total_hours == total_hours
    assert log.paid_hours == paid_hours
    assert log.clients == clients
    assert log.recent_hours == Decimal(recent) / 60
    for cred, (need_h, need_paid, need_clients, need_recent) in zip(
        log.credentials,
        [(100, 75, 8, 25), (500, 450, 25, 50), (2500, 2250, 35, None)],
        strict=True,
    ):
        met = (
            total_hours >= need_h
            and paid_hours >= need_paid
            and clients >= need_clients
            and (need_recent is None or Decimal(recent) / 60 >= need_recent)
        )
        assert cred.met == met, cred.name


def test_progress_reads_plainly_with_what_remains(alice: User, alice_client: Client) -> None:
    coachee = make_coachee(alice, icf_log_listing=True)
    make_session(coachee, 1, date=date(2026, 5, 1), duration_minutes=90)  # 1.5 h paid, recent
    OpeningBalance.objects.create(
        coach=alice, paid_hours=Decimal("50"), pro_bono_hours=Decimal("11"), clients=7
    )
    html = alice_client.get(reverse("icf_log")).content.decode()
    assert "ACC: 62.5 of 100 hours — 37.5 to go" in html
    assert "ACC: 51.5 of 75 paid hours — 23.5 to go" in html
    assert "ACC: 8 of 8 clients: met" in html
    assert "ACC: 1.5 of 25 hours in the last 18 months — 23.5 to go" in html
    assert "PCC: 62.5 of 500 hours — 437.5 to go" in html
    assert "MCC: 62.5 of 2,500 hours — 2,437.5 to go" in html
    assert "MCC: 8 of 35 clients — 27 to go" in html


def test_acc_is_met_exactly_at_the_thresholds(alice: User) -> None:
    client = icf.Client(1, "Ana", "", True)
    sessions = [icf.Session(client, date(2026, 1, i + 1), minutes=60, paid=True) for i in range(25)]
    opening = icf.Opening(paid_hours=Decimal(50), pro_bono_hours=Decimal(25), clients=7)
    acc = icf.build_log(sessions, opening, TODAY).credentials[0]
    assert acc.name == "ACC" and acc.met
    short = icf.build_log(sessions[:-1], opening, TODAY).credentials[0]
    assert not short.met
    assert [str(r) for r in short.requirements if not r.met] == [
        "99 of 100 hours — 1 to go",
        "74 of 75 paid hours — 1 to go",
        "24 of 25 hours in the last 18 months — 1 to go",
    ]


def test_only_the_last_18_months_count_as_recent_and_opening_hours_are_older() -> None:
    client = icf.Client(1, "Ana", "", True)
    sessions = [
        icf.Session(client, EIGHTEEN_MONTHS_AGO, minutes=60, paid=True),
        icf.Session(client, EIGHTEEN_MONTHS_AGO - timedelta(days=1), minutes=600, paid=True),
    ]
    log = icf.build_log(sessions, icf.Opening(paid_hours=Decimal(100)), TODAY)
    assert log.recent_hours == 1
    assert log.total_hours == 111


def test_months_before_clamps_to_the_end_of_a_shorter_month() -> None:
    assert icf.months_before(date(2026, 8, 31), 18) == date(2025, 2, 28)
    assert icf.months_before(date(2026, 6, 15), 18) == EIGHTEEN_MONTHS_AGO


def test_coachees_without_consent_are_counted_but_not_named(
    alice: User, alice_client: Client
) -> None:
    listed = make_coachee(alice, name="Listed Person", email="l@example.com", icf_log_listing=True)
    hidden = make_coachee(alice, name="Hidden Person", email="h@example.com")
    make_session(listed, 1, date=date(2026, 1, 5), duration_minutes=60)
    make_session(hidden, 1, date=date(2026, 1, 6), duration_minutes=90)
    make_session(hidden, 2, date=date(2026, 1, 7), duration_minutes=30, payment="pro_bono")
    html = alice_client.get(reverse("icf_log")).content.decode()
    assert "Listed Person" in html
    assert "Hidden Person" not in html and "h@example.com" not in html
    assert "1 client not listed by name: 1.5 paid hours, 0.5 pro-bono hours" in html
    rows = _csv(alice_client)
    assert "Hidden Person" not in str(rows)
    assert rows[-1] == ["1 client not listed by name", "", "", "", "", "", "1.5", "0.5"]
    log = alice_client.get(reverse("icf_log")).context["log"]
    assert (log.total_hours, log.clients) == (3, 2)


def test_individual_and_group_hours_of_one_client_are_two_rows(
    alice: User, alice_client: Client
) -> None:
    coachee = make_coachee(alice, name="Team Lead", icf_log_listing=True)
    make_session(coachee, 1, date=date(2026, 2, 1), duration_minutes=60)
    make_session(coachee, 2, date=date(2026, 2, 8), kind="group", group_size=4)
    make_session(coachee, 3, date=date(2026, 2, 15), kind="group", group_size=6)
    make_session(coachee, 4, date=date(2026, 3, 1), duration_minutes=30, payment="pro_bono")
    html = alice_client.get(reverse("icf_log")).content.decode()
    assert "<td>Individual</td>" in html and "<td>Group (6)</td>" in html
    assert _csv(alice_client)[1:] == [
        ["Team Lead", "", "Individual", "", "2026-02-01", "2026-03-01", "1.0", "0.5"],
        ["Team Lead", "", "Group", "6", "2026-02-08", "2026-02-15", "2.0", "0.0"],
    ]
    log = alice_client.get(reverse("icf_log")).context["log"]
    # Group hours are not multiplied by the group; each of the 6 people is a client.
    assert (log.total_hours, log.clients) == (Decimal("3.5"), 6)


def test_groups_of_more_than_15_do_not_count(alice: User, alice_client: Client) -> None:
    coachee = make_coachee(alice, name="Big Room", icf_log_listing=True)
    make_session(coachee, 1, date=date(2026, 2, 1), kind="group", group_size=15)
    make_session(coachee, 2, date=date(2026, 2, 8), kind="group", group_size=16)
    rows = _csv(alice_client)
    assert rows[1:] == [["Big Room", "", "Group", "15", "2026-02-01", "2026-02-01", "1.0", "0.0"]]
    response = alice_client.get(reverse("icf_log"))
    assert (response.context["log"].total_hours, response.context["log"].clients) == (1, 15)
    assert "1 group session of more than 15 people is not counted" in response.content.decode()


def test_unnamed_group_clients_count_their_people(alice: User, alice_client: Client) -> None:
    hidden = make_coachee(alice, name="Hidden Team")
    make_session(hidden, 1, date=date(2026, 2, 1), kind="group", group_size=5)
    make_session(hidden, 2, date=date(2026, 2, 2))
    rows = _csv(alice_client)
    assert rows[1:] == [["1 client not listed by name", "", "", "", "", "", "2.0", "0.0"]]
    assert alice_client.get(reverse("icf_log")).context["log"].clients == 5


def test_a_session_later_today_is_not_held_yet(alice: User, alice_client: Client) -> None:
    coachee = make_coachee(alice, name="Today", icf_log_listing=True)
    # Frozen at 12:00: the morning session has ended, the 11:30 one ends at 12:30.
    make_session(coachee, 1, date=TODAY, start_time=time(9, 0), duration_minutes=60)
    make_session(coachee, 2, date=TODAY, start_time=time(11, 30), duration_minutes=60)
    make_session(coachee, 3, date=TODAY, start_time=time(15, 0), duration_minutes=90)
    rows = _csv(alice_client)
    assert rows[1:] == [["Today", "", "Individual", "", "2026-06-15", "2026-06-15", "1.0", "0.0"]]
    with time_machine.travel(datetime(2026, 6, 15, 17, 0, tzinfo=ZoneInfo("Europe/London"))):
        assert _csv(alice_client)[1][6] == "3.5"


def test_future_sessions_are_not_counted(alice: User, alice_client: Client) -> None:
    coachee = make_coachee(alice, name="Soon", icf_log_listing=True)
    make_session(coachee, 1, date=TODAY, duration_minutes=60)
    make_session(coachee, 2, date=TODAY + timedelta(days=1), duration_minutes=600)
    later = make_coachee(alice, name="Not Yet", icf_log_listing=True)
    make_session(later, 1, date=TODAY + timedelta(days=7))
    rows = _csv(alice_client)
    assert rows[1:] == [["Soon", "", "Individual", "", "2026-06-15", "2026-06-15", "1.0", "0.0"]]
    log = alice_client.get(reverse("icf_log")).context["log"]
    assert (log.total_hours, log.clients) == (1, 1)


@pytest.mark.parametrize("name", ["=1+1", "+x", "-x", "@x", "\tx", "\rx"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(
    name: str, alice: User, alice_client: Client
) -> None:
    coachee = make_coachee(alice, name=name, email=name, icf_log_listing=True)
    make_session(coachee)
    response = alice_client.get(reverse("icf_log_csv"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    row = list(csv.reader(io.StringIO(response.content.decode())))[1]
    assert row[0] == row[1] == "'" + name


def test_neutralise_leaves_ordinary_text_alone() -> None:
    assert icf.neutralise("Ana O'Neill") == "Ana O'Neill"
    assert icf.neutralise("a=b") == "a=b"


def test_another_coach_sees_only_their_own_log(alice: User, bob: User, bob_client: Client) -> None:
    mine = make_coachee(alice, name="Alice Client", email="ac@example.com", icf_log_listing=True)
    make_session(mine, 1, date=date(2026, 1, 5))
    OpeningBalance.objects.create(coach=alice, paid_hours=Decimal(70), clients=5)
    html = bob_client.get(reverse("icf_log")).content.decode()
    assert "Alice Client" not in html and "ac@example.com" not in html
    assert "ACC: 0 of 100 hours — 100 to go" in html
    assert _csv(bob_client) == [list(icf.CSV_HEADER)]


def test_the_opening_balance_is_saved_and_counted(alice: User, alice_client: Client) -> None:
    response = alice_client.post(
        reverse("icf_opening_balance"),
        {"paid_hours": "12.5", "pro_bono_hours": "0", "clients": "3"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("icf_log")
    balance = OpeningBalance.objects.get(coach=alice)
    assert (balance.paid_hours, balance.pro_bono_hours, balance.clients) == (12.5, 0, 3)
    html = alice_client.get(reverse("icf_log")).content.decode()
    assert "Your hours before Debrief were saved." in html
    assert "ACC: 12.5 of 100 hours — 87.5 to go" in html
    assert "ACC: 3 of 8 clients — 5 to go" in html
    assert 'value="12.5"' in html


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"paid_hours": "-1"}, "Hours cannot be negative. Enter 0 or more."),
        ({"pro_bono_hours": "lots"}, "Enter hours as a number, such as 12 or 12.5."),
        ({"clients": "-2"}, "The number of clients cannot be negative. Enter 0 or more."),
        ({"clients": "2.5"}, "Enter the number of clients as a whole number, such as 8."),
        ({"paid_hours": ""}, "Enter a number of hours, or 0 if you have none."),
    ],
)
def test_a_bad_opening_balance_is_refused_with_a_clear_error(
    data: dict[str, str], error: str, alice: User, alice_client: Client
) -> None:
    posted = {"paid_hours": "1", "pro_bono_hours": "1", "clients": "1", **data}
    response = alice_client.post(reverse("icf_opening_balance"), posted)
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert "Your hours before Debrief were not saved." in html
    assert not OpeningBalance.objects.filter(coach=alice).exists()


def test_pages_need_sign_in_and_the_right_method(alice_client: Client) -> None:
    anonymous = Client()
    for name in ("icf_log", "icf_log_csv", "icf_log_xlsx"):
        assert anonymous.get(reverse(name)).status_code == 302
        assert alice_client.post(reverse(name)).status_code == 405
    assert anonymous.post(reverse("icf_opening_balance")).status_code == 302
    assert alice_client.get(reverse("icf_opening_balance")).status_code == 405


def test_the_xlsx_has_the_icf_columns_typed_cells_and_no_formulas(
    alice: User, alice_client: Client
) -> None:
    from openpyxl import load_workbook

    coachee = make_coachee(alice, name="=HYPERLINK(1)", email="+44 7700", icf_log_listing=True)
    make_session(coachee, 1, date=date(2026, 2, 1), duration_minutes=90)
    make_session(coachee, 2, date=date(2026, 2, 8), kind="group", group_size=3)
    response = alice_client.get(reverse("icf_log_xlsx"))
    assert response["Content-Disposition"].startswith('attachment; filename="debrief-icf-log-')
    assert response["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(response.content))
    ws = book["ICF client coaching log"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == icf.CSV_HEADER
    assert rows[1][:4] == ("=HYPERLINK(1)", "+44 7700", "Individual", None)
    assert rows[2][2:4] == ("Group", 3)
    assert rows[1][4].date() == date(2026, 2, 1) and rows[1][6] == 1.5
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    assert b"<is><t>=HYPERLINK(1)</t></is>" in sheet_xml  # stored as text, never as a formula
