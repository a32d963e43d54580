"""A consistent view of the database while the server keeps writing.

SQLite: the sqlite3 backup API copies the live database (WAL included) into a file in the data
directory in one step, and the copy is read through a database alias of its own. PostgreSQL:
one REPEATABLE READ, READ ONLY transaction, so every table is read as of the same moment.
Either way the caller reads rows with ``using(alias)``.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction

SNAPSHOT_ALIAS = "debrief_backup_snapshot"


@contextmanager
def snapshot() -> Iterator[str]:
    default = connections["default"]
    if default.vendor == "sqlite":
        with _sqlite_copy() as alias:
            yield alias
        return
    if default.in_atomic_block:
        raise RuntimeError("A backup reads in a transaction of its own: call it outside one.")
    with transaction.atomic(using="default"):
        with default.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield "default"


@contextmanager
def _sqlite_copy() -> Iterator[str]:
    default = connections["default"]
    default.ensure_connection()
    # In the data directory: the copy is as confidential as the database it comes from.
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=settings.DATA_DIR) as tmp:
        path = Path(tmp) / "snapshot.sqlite3"
        target = sqlite3.connect(path)
        try:
            default.connection.backup(target)  # all pages in one step: one moment in time
        finally:
            target.close()
        connections.settings[SNAPSHOT_ALIAS] = {
            **connections.settings["default"],
            "NAME": str(path),
            "OPTIONS": {},
        }
        try:
            with transaction.atomic(using=SNAPSHOT_ALIAS):
                yield SNAPSHOT_ALIAS
        finally:
            connections[SNAPSHOT_ALIAS].close()
            del connections[SNAPSHOT_ALIAS]
            del connections.settings[SNAPSHOT_ALIAS]
