"""The coach's page about backups and the printable recovery sheet."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from debrief.backup.models import BackupRun
from debrief.coachees.models import Coachee
from debrief.privacy.keystore import keystore


def _run(**extra: object) -> BackupRun:
    values: dict[str, object] = {
        "created": timezone.now(),
        "seconds": Decimal("1.25"),
        "size_bytes": 2_400_000,
        "row_counts": {"coachees.coachee": 4, "journal.answer": 900},
        "data_keys": 4,
        "certificates": 1,
        "sha256": "ab12cd34ef56" + "0" * 52,
    }
    values.update(extra)
    return BackupRun.objects.create(**values)


def test_the_account_menu_links_to_the_page(alice_client: Client) -> None:
    assert reverse("backup") in alice_client.get(reverse("home")).content.decode()


def test_without_a_backup_the_page_says_so_and_how_to_make_one(alice_client: Client) -> None:
    page = alice_client.get(reverse("backup")).content.decode()
    assert "No backup has been made of this installation yet." in page
    assert "manage.py backup --output" in page
    assert str(Path(settings.DATA_DIR) / "master.key") in page


def test_the_last_backup_is_shown_with_its_size_and_counts(
    alice_client: Client, coachee: Coachee
) -> None:
    _run(created=timezone.now() - timedelta(days=3), size_bytes=1_000)
    _run()
    page = alice_client.get(reverse("backup")).content.decode()
    assert "No backup has been made" not in page
    assert "2.3\xa0MB" in page and "904 rows in 2 tables" in page
    assert "4 data keys and 1 certificate." in page
    assert "ab12cd34ef560000" in page  # both runs listed with the start of their checksums


def test_the_recovery_sheet_names_the_key_and_its_fingerprint_but_never_the_key(
    alice_client: Client, coachee: Coachee
) -> None:
    _run()
    sheet = alice_client.get(reverse("recovery_sheet")).content.decode()
    assert keystore().master.current_id in sheet
    master = (Path(settings.DATA_DIR) / "master.key").read_text().strip()
    assert master and master not in sheet
    assert "manage.py restore" in sheet and "DEBRIEF_DATA_DIR" in sheet
    assert coachee.name not in sheet


def test_the_page_says_whether_a_daily_backup_is_scheduled(
    alice_client: Client, settings: Any
) -> None:
    assert (
        "start it with <code>DEBRIEF_BACKUP_DIR</code>"
        in alice_client.get(reverse("backup")).content.decode()
    )
    settings.DEBRIEF_BACKUP_DIR = "/var/backups/debrief"
    page = alice_client.get(reverse("backup")).content.decode()
    assert "into <code>/var/backups/debrief</code>, and keeps those for 30 days" in page
