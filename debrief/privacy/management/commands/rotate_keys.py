from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from debrief.audit.log import record
from debrief.audit.models import AuditEvent
from debrief.lib.sealing import b64encode, new_key
from debrief.privacy.keystore import (
    KeyError_,
    is_protected,
    key_id,
    keystore,
    load_master_keys,
    protect,
    read_master_file,
    reset_keystore,
    write_secret_file,
)


class Command(BaseCommand):
    help = (
        "Re-wrap every coachee's data key under a new master key, then retire the old one. "
        "Safe to interrupt: run it again and it carries on where it stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--new-key-file",
            type=Path,
            help="use the master key in this file (base64url, 32 bytes) instead of a new one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = Path(settings.DATA_DIR)
        next_path = data_dir / "master.key.next"
        external = bool(
            os.environ.get("DEBRIEF_MASTER_KEY") or os.environ.get("DEBRIEF_MASTER_KEY_FILE")
        )
        if not next_path.exists():
            new = options["new_key_file"].read_text() if options["new_key_file"] else None
            write_secret_file(next_path, (new or b64encode(new_key())).strip() + "\n")
            self.stdout.write("Started a key rotation: new master key in master.key.next.")
        else:
            self.stdout.write("Carrying on with the key rotation that was started earlier.")
        reset_keystore()
        store = keystore()
        done = skipped = 0
        for code in store.codes():
            try:
                if store.rewrap(code):
                    done += 1
                else:
                    skipped += 1
            except KeyError_ as error:
                raise CommandError(str(error)) from None
        self.stdout.write(f"Re-wrapped {done} data keys ({skipped} already were).")
        record(
            AuditEvent.Action.KEY_ROTATION,
            detail={"rewrapped": done, "already": skipped, "master": store.master.current_id},
        )
        self._finish(data_dir, next_path, external)

    def _finish(self, data_dir: Path, next_path: Path, external: bool) -> None:
        new_id = key_id(load_master_keys().keys[keystore().master.current_id])
        if external:
            self.stdout.write(
                f"Done. Point DEBRIEF_MASTER_KEY or DEBRIEF_MASTER_KEY_FILE at the new key in "
                f"{next_path} (id {new_id}), restart Debrief, then delete the old key."
            )
            return
        # Every data key is now wrapped by the new key: it replaces the old one, which is gone.
        # A passphrase-locked key stays locked, with the same passphrase.
        new_text = next_path.read_text()
        passphrase = os.environ.get("DEBRIEF_MASTER_KEY_PASSPHRASE", "")
        if is_protected((data_dir / "master.key").read_text()) and passphrase:
            new_text = protect(read_master_file(next_path), passphrase) + "\n"
        write_secret_file(data_dir / "master.key", new_text)
        next_path.unlink()
        reset_keystore()
        self.stdout.write(
            f"Done. The master key is now {new_id}; the old one is destroyed. Backups of the "
            "key directory made before today cannot be opened without the old key."
        )
