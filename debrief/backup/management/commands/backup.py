from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from debrief.backup import archive, masterkey
from debrief.backup.make import MASTER_KEY_NOTE, default_name, make_backup


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Write one backup file of the whole installation (the database, as of one moment, the "
        "wrapped data keys, CPD certificates and a manifest with checksums) while Debrief "
        "runs. The master key is never in it: keep that apart."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            help=f"file to write, or a folder to write debrief-<date>-<time>{archive.EXTENSION} "
            "into (default: the current folder)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        given = options["output"] or ""
        path = Path(given).expanduser() if given else Path.cwd()
        if path.is_dir() or given.endswith(os.sep):  # a folder, perhaps still to be made
            path = path / default_name()
        if path.exists():
            raise CommandError(f"{path} already exists: choose another name. Nothing was written.")
        try:
            made = make_backup(path)
        except OSError as error:
            raise CommandError(f"The backup could not be written: {error}") from None
        run = made.run
        self.stdout.write(
            f"Backed up to {made.path} ({run.size_bytes / 1e6:.1f} MB in {run.seconds} s): "
            f"{_count(len(run.row_counts), 'table')}, {_count(run.rows, 'row')}, "
            f"{_count(run.data_keys, 'data key')}, {_count(run.certificates, 'certificate')}."
            f"\nSHA-256 {run.sha256}"
        )
        data_dir = Path(settings.DATA_DIR).resolve()
        if data_dir in made.path.resolve().parents:
            self.stdout.write(
                self.style.WARNING(
                    "This backup is inside the data directory, beside the master key: copy it "
                    "to another disk and delete it here."
                )
            )
        key = masterkey.place()
        fingerprint = masterkey.fingerprint() or "unknown"
        self.stdout.write(
            self.style.WARNING(
                f"{MASTER_KEY_NOTE}\nYour master key is in {key.describe}; its fingerprint is "
                f"{fingerprint}. Keep a copy somewhere safe and separate (a password manager)."
            )
        )
