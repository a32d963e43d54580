from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from debrief.lib.sealing import b64encode
from debrief.privacy.keystore import (
    KeyError_,
    is_protected,
    protect,
    read_master_file,
    reset_keystore,
    write_secret_file,
)

MIN_LENGTH = 12


class Command(BaseCommand):
    help = (
        "Lock the master key file in the data directory with a passphrase (asked for once "
        "each time Debrief starts), or unlock it again with --remove."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--remove", action="store_true", help="store the key unlocked again")

    def _new_passphrase(self) -> str:
        given = os.environ.get("DEBRIEF_NEW_MASTER_KEY_PASSPHRASE")
        if given is None:
            given = getpass.getpass("New passphrase for the master key: ")
            if getpass.getpass("The same passphrase again: ") != given:
                raise CommandError("The two passphrases differ. Nothing was changed.")
        if len(given) < MIN_LENGTH:
            raise CommandError(f"Use at least {MIN_LENGTH} characters. Nothing was changed.")
        return given

    def handle(self, *args: Any, **options: Any) -> None:
        if os.environ.get("DEBRIEF_MASTER_KEY") or os.environ.get("DEBRIEF_MASTER_KEY_FILE"):
            raise CommandError("The master key comes from the environment: protect it there.")
        path = Path(settings.DATA_DIR) / "master.key"
        if not path.exists():
            raise CommandError(f"There is no {path} yet: start Debrief once first.")
        protected = is_protected(path.read_text())
        if protected and "DEBRIEF_MASTER_KEY_PASSPHRASE" not in os.environ:
            os.environ["DEBRIEF_MASTER_KEY_PASSPHRASE"] = getpass.getpass("Current passphrase: ")
        try:
            key = read_master_file(path)
        except KeyError_ as error:
            raise CommandError(str(error)) from None
        if options["remove"]:
            write_secret_file(path, b64encode(key) + "\n")
            self.stdout.write("The master key is no longer locked with a passphrase.")
        else:
            write_secret_file(path, protect(key, self._new_passphrase()) + "\n")
            self.stdout.write(
                "The master key is locked. `make run` will ask for the passphrase at start. "
                "Without it nobody, you included, can read your notes: keep it safe."
            )
        reset_keystore()
