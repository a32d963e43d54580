from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from debrief.backup import masterkey
from debrief.backup.restore import RestoreRefused, restore


class Command(BaseCommand):
    help = (
        "Restore a backup file into a new, empty installation (data directory and database), "
        "SQLite or PostgreSQL whichever made it. Everything is checked first; a damaged "
        "backup or a non-empty installation is refused and nothing is changed."
    )
    # The checks would look at an installation that does not exist yet.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the .debrief-backup file")

    def handle(self, *args: Any, **options: Any) -> None:
        key = masterkey.place()
        asked = "DEBRIEF_MASTER_KEY_PASSPHRASE" in os.environ
        # As `make run` does, in a terminal; a script sets the variable instead.
        if key.protected and not asked and sys.stdin.isatty():
            os.environ["DEBRIEF_MASTER_KEY_PASSPHRASE"] = getpass.getpass(
                "Passphrase for the master key: "
            )
        try:
            done = restore(options["archive"])
        except RestoreRefused as error:
            raise CommandError(f"Not restored. {error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {done.created}: {done.tables} tables, {done.rows:,} "
                f"rows, {done.data_keys} data keys and {done.certificates} certificates. "
                "Everyone signs in again; start Debrief as usual."
            )
        )
