"""Restoring a backup into an empty installation: every check first, then one transaction.

Order: read the archive and check every member against the manifest; parse every table and
check it against this version's models; check the installation is empty; check the master key
is there and opens every data key in the backup. Only then is anything written: the schema
(``migrate``, into an empty database), the rows in one transaction, and last the key and
certificate files, moved into place from a staging folder once the rows are committed.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connections, transaction
from django.db.migrations.loader import MigrationLoader

from debrief.backup import archive, masterkey, tables
from debrief.privacy.keystore import KeyError_, Keystore

NOTHING_CHANGED = "Nothing was changed."


class RestoreRefused(Exception):
    """The restore did not start; the message says why and what to do."""


@dataclass
class Restored:
    rows: int
    tables: int
    data_keys: int
    certificates: int
    created: str


def check_archive(path: Path) -> tuple[archive.Contents, list[tables.Table]]:
    try:
        contents = archive.read(path)
        parsed = []
        for entry in contents.manifest["tables"]:
            table = tables.parse_member(contents.members[entry["member"]], entry["member"])
            if len(table.rows) != entry["rows"]:
                raise archive.ArchiveError(f"The backup is damaged: {entry['member']} is short.")
            parsed.append(table)
    except (archive.ArchiveError, tables.TableError) as error:
        raise RestoreRefused(str(error)) from None
    except (KeyError, TypeError):
        raise RestoreRefused("The backup's manifest is damaged: use another copy.") from None
    _check_migrations(contents.manifest["migrations"])
    return contents, parsed


def _check_migrations(applied: list[str]) -> None:
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    known = {f"{app}.{name}" for app, name in graph.nodes}
    unknown = sorted(set(applied) - known)
    if unknown:
        raise RestoreRefused(
            f"This backup was made by a newer version of Debrief (it has migration {unknown[0]}, "
            "which this one does not). Upgrade Debrief, then restore."
        )
    missing = sorted(f"{a}.{n}" for a, n in graph.leaf_nodes() if f"{a}.{n}" not in applied)
    if missing:
        raise RestoreRefused(
            "This backup was made by an older version of Debrief (it lacks migration "
            f"{missing[0]}). Restore it with the version that made it, then upgrade."
        )


def _user_table_rows() -> int:
    from debrief.accounts.models import User

    connection = connections["default"]
    if User._meta.db_table not in connection.introspection.table_names():
        return 0
    return int(User.objects.count())


def check_empty() -> None:
    keys = Path(settings.DEBRIEF_KEYS_DIR)
    certificates = Path(settings.DATA_DIR) / "certificates"
    held = []
    if keys.exists() and any(keys.glob("*.key")):
        held.append(f"data keys in {keys}")
    if certificates.exists() and any(certificates.iterdir()):
        held.append(f"certificates in {certificates}")
    if _user_table_rows():
        held.append(f"accounts in the database ({_database_name()})")
    if held:
        raise RestoreRefused(
            f"This installation is not empty: it already holds {' and '.join(held)}. A backup "
            "is restored only into a new, empty installation: set DEBRIEF_DATA_DIR (and "
            f"DATABASE_URL, if you use PostgreSQL) to new, empty ones. {NOTHING_CHANGED}"
        )


def _database_name() -> str:
    connection = connections["default"]
    return f"{connection.vendor} {connection.settings_dict['NAME']}"


def stage_files(contents: archive.Contents, staging: Path) -> tuple[int, int]:
    """The key and certificate files in a staging folder, every data key proven to open."""
    try:
        master = masterkey.load_existing()
    except KeyError_ as error:
        raise RestoreRefused(f"{error} {NOTHING_CHANGED}") from None
    if master is None:
        raise RestoreRefused(
            f"There is no master key here. Put your copy of the master key at "
            f"{masterkey.place().where} (or set DEBRIEF_MASTER_KEY_FILE to it) first: without "
            f"it the backup cannot be read. {NOTHING_CHANGED}"
        )
    (staging / "keys").mkdir(mode=0o700)
    (staging / "certificates").mkdir(mode=0o700)
    for name, data in contents.members.items():
        if name.startswith(("keys/", "certificates/")):
            (staging / name).write_bytes(data)
    store = Keystore(staging / "keys", master)
    for path in sorted((staging / "keys").glob("*.key")):
        try:
            store.data_key(UUID(path.stem))
        except (KeyError_, ValueError, KeyError) as error:
            fingerprints = ", ".join(contents.manifest.get("master_key_fingerprints", []))
            raise RestoreRefused(
                f"The master key here (fingerprint {master.current_id}) does not open the data "
                f"keys in this backup, which need the key with fingerprint {fingerprints or '?'} "
                f"({error}). Put that master key in place and try again. {NOTHING_CHANGED}"
            ) from None
    return len(list((staging / "keys").iterdir())), len(list((staging / "certificates").iterdir()))


def _load(parsed: list[tables.Table]) -> None:
    models_ = [t.model for t in parsed]
    connection = connections["default"]  # the wrapper itself: no proxy lookup per value
    with transaction.atomic():
        tables.clear(tables.backed_up_models(), connection)
        for table in parsed:
            tables.insert(table, connection)
        tables.reset_sequences(models_, connection)
        if connection.vendor == "sqlite":
            connection.check_constraints()


def _move_into_place(staging: Path) -> None:
    targets = {
        "keys": Path(settings.DEBRIEF_KEYS_DIR),
        "certificates": Path(settings.DATA_DIR) / "certificates",
    }
    for name, target in targets.items():
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        for path in sorted((staging / name).iterdir()):
            shutil.move(str(path), target / path.name)


def restore(path: Path) -> Restored:
    contents, parsed = check_archive(path)
    check_empty()
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=settings.DATA_DIR) as tmp:
        staging = Path(tmp)
        keys, certificates = stage_files(contents, staging)
        call_command("migrate", interactive=False, verbosity=0)
        check_empty()  # again: nothing may have signed up in between
        try:
            _load(parsed)
        except (DatabaseError, tables.TableError) as error:
            raise RestoreRefused(
                f"The database refused the backup's rows ({type(error).__name__}: {error}). "
                "Every row was rolled back and no key or certificate was written: the "
                "database is as empty as before."
            ) from None
        _move_into_place(staging)
    return Restored(
        rows=sum(len(t.rows) for t in parsed),
        tables=len(parsed),
        data_keys=keys,
        certificates=certificates,
        created=str(contents.manifest.get("created", "")),
    )
