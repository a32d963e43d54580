"""Making a backup of the whole installation while it runs."""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

from debrief.backup import archive, masterkey, tables
from debrief.backup.models import BackupRun
from debrief.backup.snapshot import snapshot

MASTER_KEY_NOTE = (
    "The master key is not in this backup, on purpose: keep it apart from your backups. "
    "Without it nobody, you included, can read the notes in this backup."
)


@dataclass
class Made:
    path: Path
    run: BackupRun


def default_name() -> str:
    moment = timezone.localtime()
    return f"debrief-{moment:%Y-%m-%d-%H%M%S}{archive.EXTENSION}"


def _files(folder: Path, pattern: str, prefix: str, contents: archive.Contents) -> int:
    if not folder.exists():
        return 0
    count = 0
    for path in sorted(folder.glob(pattern)):
        contents.add(f"{prefix}/{path.name}", path.read_bytes())
        count += 1
    return count


def _database(contents: archive.Contents) -> dict[str, int]:
    counts: dict[str, int] = {}
    with snapshot() as alias:
        contents.manifest["migrations"] = tables.applied_migrations(connections[alias])
        listing = []
        for number, model in enumerate(tables.backed_up_models()):
            dumped = tables.dump_model(model, alias)
            member = f"database/{number:03d}-{dumped.model}.jsonl.gz"
            contents.add(member, dumped.data)
            listing.append({"model": dumped.model, "member": member, "rows": dumped.rows})
            counts[dumped.model] = dumped.rows
        contents.manifest["tables"] = listing
    return counts


def make_backup(path: Path, started_by: str = "command") -> Made:
    began = time.monotonic()
    created = timezone.now()
    contents = archive.Contents(
        manifest={
            "format": archive.FORMAT,
            "format_version": archive.FORMAT_VERSION,
            "created": created.isoformat(),
            "database": connections["default"].vendor,
            "master_key": MASTER_KEY_NOTE,
        }
    )
    counts = _database(contents)
    # Read after the database: a coachee added meanwhile only leaves a spare key file.
    keys = _files(Path(settings.DEBRIEF_KEYS_DIR), "*.key", "keys", contents)
    certificates = _files(
        Path(settings.DATA_DIR) / "certificates", "*.sealed", "certificates", contents
    )
    contents.manifest["row_counts"] = counts
    contents.manifest["master_key_fingerprints"] = masterkey.wrapping_ids(contents.of("keys/"))
    size, digest = archive.write(path, contents)
    run = BackupRun.objects.create(
        created=created,
        seconds=Decimal(f"{time.monotonic() - began:.2f}"),
        size_bytes=size,
        row_counts=counts,
        data_keys=keys,
        certificates=certificates,
        sha256=digest,
        started_by=started_by,
    )
    return Made(path, run)
