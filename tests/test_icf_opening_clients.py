"""Hours before Debrief per client: the ICF's own client log read in, shown and kept per client."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.icflog.facts import log_for
from debrief.icflog.log import CSV_HEADER
from debrief.icflog.models import OpeningBalance
from debrief.privacy.keystore import keystore
from tests.conftest import sealed_v3
from tests.test_past_sessions import FILES, _confirm, _upload

CANARY = "Ottoline-Vexley-2291"


def _icf_workbook() -> bytes:
    """The ICF's client coaching log as a coach keeps it in Excel: its columns in its order,
    dates as date cells and hours as numbers (written by openpyxl, as another program would)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Client Log"
    sheet.append(list(CSV_HEADER))
    sheet.append([CANARY, "ottoline@example.org", "Individual", None, date(2020, 1, 6),
                  date(2021, 2, 1), 30.5, 0])  # fmt: skip
    sheet.append(["Leadership circle", "lead@example.org", "Group", 6, date(2021, 3, 1),
                  date(2021, 9, 30), 18, 2.5])  # fmt: skip
    sheet.append([CANARY, "ottoline@example.org", "Group", 6, date(2021, 3, 1),
                  date(2021, 9, 30), 0, 1])  # fmt: skip
    sheet.append(["2 clients not listed by name", None, None, None, None, None, 11, 3])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(client: Client, raw: bytes, name: str) -> str:
    page = _upload(client, raw, name)
    assert "Your ICF client log, as hours before Debrief" in page, page
    response = _confirm(client, page)
    assert response.status_code == 302 and response["Location"] == reverse("icf_log")
    return page


def test_an_icf_workbook_becomes_rows_per_client_on_the_log(
    alice_client: Client, alice: User
) -> None:
    preview = _import(alice_client, _icf_workbook(), "icf-log.xlsx")
    assert "59.5 paid" in preview and "6.5 pro bono" in preview
    # A person once however many rows they have; each person of a group; unlisted as said.
    assert "14 clients" in preview
    rows = list(OpeningBalance.objects.for_coach(alice).order_by("pk"))
    assert [(r.client, r.group, r.group_size, r.clients) for r in rows] == [
        (CANARY, False, None, 1),
        ("Leadership circle", True, 6, 6),
        (CANARY, True, 6, 6),
        ("", False, None, 2),
    ]
    assert (rows[0].contact, rows[0].first, rows[0].last) == (
        "ottoline@example.org", date(2020, 1, 6), date(2021, 2, 1)
    )  # fmt: skip
    page = alice_client.get(reverse("icf_log")).content.decode()
    assert "Before Debrief" in page and CANARY in page and "ottoline@example.org" in page
    assert "Group (6)" in page and "2 clients not listed by name" in page
    assert "<td>30.5</td><td>0</td>" in page and "<td>18</td><td>2.5</td>" in page  # as typed
    log = log_for(alice)
    assert (log.paid_hours, log.pro_bono_hours) == (Decimal("59.5"), Decimal("6.5"))
    assert log.clients == 6 + 6 + 2  # Ottoline is in a group of 6, counted as that group


def test_the_names_are_sealed_in_the_database(alice_client: Client, alice: User) -> None:
    _import(alice_client, _icf_workbook(), "icf-log.xlsx")
    with connection.cursor() as cursor:
        cursor.execute("SELECT client, contact FROM icflog_openingbalance")
        stored = [bytes(value) for row in cursor.fetchall() for value in row]
    assert not any(CANARY.encode() in v or b"ottoline@example.org" in v for v in stored)
    assert sum(map(sealed_v3, stored)) == 6  # three named rows, name and contact each


def test_the_log_download_carries_the_rows_and_reads_back_the_same(
    alice_client: Client, alice: User
) -> None:
    _import(alice_client, _icf_workbook(), "icf-log.xlsx")
    raw = alice_client.get(reverse("icf_log_xlsx")).content
    cells = [list(r) for r in load_workbook(io.BytesIO(raw)).active.iter_rows(values_only=True)]
    assert tuple(cells[0]) == CSV_HEADER
    assert cells[1][:4] == [CANARY, "ottoline@example.org", "Individual", None]
    assert cells[-1][0] == "2 clients not listed by name"
    before = [(r.client, r.paid_hours, r.clients) for r in OpeningBalance.objects.order_by("pk")]
    _import(alice_client, raw, "downloaded.xlsx")
    after = [(r.client, r.paid_hours, r.clients) for r in OpeningBalance.objects.order_by("pk")]
    assert after == before


def test_a_new_icf_csv_replaces_the_rows_and_shreds_their_keys(
    alice_client: Client, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    _import(alice_client, _icf_workbook(), "icf-log.xlsx")
    old = {r.code for r in OpeningBalance.objects.for_coach(alice) if r.client}
    assert len(old) == 3 and old <= set(keystore().codes())
    with django_capture_on_commit_callbacks(execute=True):
        _import(alice_client, (FILES / "icf-client-log.csv").read_bytes(), "icf.csv")
    names = [r.client for r in OpeningBalance.objects.for_coach(alice).order_by("pk")]
    assert names == ["Amélie Durand", "Team Alpha", "Tomás O'Neill", ""]
    assert not old & set(keystore().codes())


def test_the_form_sets_the_unnamed_hours_and_keeps_the_clients(
    alice_client: Client, alice: User
) -> None:
    _import(alice_client, _icf_workbook(), "icf-log.xlsx")
    posted = {"paid_hours": "40", "pro_bono_hours": "0", "clients": "4"}
    assert alice_client.post(reverse("icf_opening_balance"), posted).status_code == 302
    rows = OpeningBalance.objects.for_coach(alice)
    assert sorted((r.client, r.paid_hours, r.clients) for r in rows) == [
        ("", Decimal(40), 4),
        ("Leadership circle", Decimal(18), 6),
        (CANARY, Decimal(0), 6),
        (CANARY, Decimal("30.5"), 1),
    ]
    page = alice_client.get(reverse("icf_log")).content.decode()
    assert 'value="40"' in page and "4 clients not listed by name" in page


def test_deleting_the_account_shreds_the_rows_keys(
    alice_client: Client, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    _import(alice_client, _icf_workbook(), "icf-log.xlsx")
    codes = {r.code for r in OpeningBalance.objects.for_coach(alice) if r.client}
    assert len(codes) == 3 and codes <= set(keystore().codes())
    with django_capture_on_commit_callbacks(execute=True):
        alice.delete()
    assert not OpeningBalance.objects.exists()
    assert not codes & set(keystore().codes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_an_accounts_balance_as_a_row_of_unnamed_clients() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("icflog", "0001_initial")])
    old_apps = executor.loader.project_state([("icflog", "0001_initial")]).apps
    user_model: Any = old_apps.get_model("accounts", "User")
    coach = user_model.objects.create(email="old@example.com", password="!")
    old_apps.get_model("icflog", "OpeningBalance").objects.create(
        coach_id=coach.pk, paid_hours=Decimal("120.5"), pro_bono_hours=Decimal(8), clients=11
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    row = OpeningBalance.objects.get(coach_id=coach.pk)
    assert (row.client, row.paid_hours, row.pro_bono_hours, row.clients) == (
        "", Decimal("120.50"), Decimal(8), 11
    )  # fmt: skip
    assert row.code is not None
    opening = log_for(User.objects.get(pk=coach.pk)).opening
    assert (opening.paid_hours, opening.clients) == (Decimal("120.50"), 11)


def test_one_row_is_deleted_after_a_confirmation_and_audited(
    alice_client: Client, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    _import(alice_client, _icf_workbook(), "icf-log.xlsx")
    rows = list(OpeningBalance.objects.for_coach(alice).order_by("pk"))
    page = alice_client.get(reverse("icf_log")).content.decode()
    url = reverse("icf_opening_row_delete", args=[rows[0].code])
    assert page.count("/delete/") == 4 and f'href="{url}"' in page  # one link a row
    # The link asks first: the row, its hours, what deleting it does; nothing is deleted yet.
    confirm = alice_client.get(url).content.decode()
    assert CANARY in confirm and "30.5 paid hours, 0 pro bono hours" in confirm
    assert "destroyed" in confirm and OpeningBalance.objects.filter(pk=rows[0].pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("icf_log")
    left = [(r.client, r.group) for r in OpeningBalance.objects.for_coach(alice).order_by("pk")]
    assert left == [("Leadership circle", True), (CANARY, True), ("", False)]
    assert rows[0].code not in set(keystore().codes())  # the name's key is shredded
    log = log_for(alice)
    assert (log.paid_hours, log.pro_bono_hours) == (Decimal(29), Decimal("6.5"))
    page = alice_client.get(reverse("icf_log")).content.decode()
    assert "The row was deleted" in page and "<td>30.5</td>" not in page
    event = AuditEvent.objects.get(action=AuditEvent.Action.OPENING_ROW_DELETED)
    assert event.coach == alice and event.subject == str(rows[0].code)
    assert event.detail == {"clients": 1}  # a count, never the name
    # Deleted is gone: the same link again is a 404, and so is a second POST.
    assert alice_client.get(url).status_code == 404
    assert alice_client.post(url).status_code == 404


def test_another_coach_cannot_delete_a_row(
    alice_client: Client, bob_client: Client, alice: User
) -> None:
    _import(alice_client, _icf_workbook(), "icf-log.xlsx")
    row = OpeningBalance.objects.for_coach(alice).order_by("pk").first()
    assert row is not None
    url = reverse("icf_opening_row_delete", args=[row.code])
    for method in ("get", "post"):
        response = getattr(bob_client, method)(url)
        assert response.status_code == 404 and CANARY not in response.content.decode()
    assert OpeningBalance.objects.filter(pk=row.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.OPENING_ROW_DELETED).exists()
