"""An installation from before ``v3`` upgrades: its text values become bytes and still open.

The migration (``privacy.0003_private_text_as_bytes``) turns each private text column into
bytes (``bytea`` on PostgreSQL) without opening or re-sealing anything; a record saved after
it stores ``v3``. The database here is put back the way an older Debrief left it: the column of
type ``text`` on PostgreSQL, holding a ``v2`` text sealed with the coachee's key.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.lib.sealing import BINARY, seal_text, split
from debrief.privacy.keystore import keystore, reset_keystore
from debrief.privacy.sealed import has_sealed_values, key_names_in_use
from tests.conftest import sealed_v3

BEFORE = ("privacy", "0002_sealed_values_v2")
NAME = "Zofia Wiśniewska-Ng"


def _name_column() -> tuple[str, str | bytes]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM coachees_coachee")
        stored = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT data_type FROM information_schema.columns WHERE table_schema = "
                "current_schema() AND table_name = 'coachees_coachee' AND column_name = 'name'"
            )
            kind = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT typeof(name) FROM coachees_coachee")
            kind = cursor.fetchone()[0]
    return kind, stored if isinstance(stored, str) else bytes(stored)


@pytest.mark.django_db(transaction=True)
def test_text_values_of_an_older_installation_are_kept_as_bytes_and_open(alice: User) -> None:
    coachee = Coachee.objects.create(coach=alice, name="placeholder")
    field = Coachee._meta.get_field("name")
    key = keystore().data_key(coachee.code)
    older = seal_text(key, coachee.code.hex, NAME, field._aad(coachee.private_row()))
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    with connection.cursor() as cursor:  # as a Debrief from before 2026-12-03 left it
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE coachees_coachee ALTER COLUMN name TYPE text USING ''")
        cursor.execute("UPDATE coachees_coachee SET name = %s", [older])
    assert _name_column() == ("text", older)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert _name_column() == (
        "bytea" if connection.vendor == "postgresql" else "blob",
        older.encode(),
    )
    reset_keystore()  # read as after a restart: by ``open``, then by the ready key
    assert Coachee.objects.get(pk=coachee.pk).name == NAME
    assert Coachee.objects.get(pk=coachee.pk).name == NAME
    assert key_names_in_use()[coachee.code.hex] >= 1
    assert has_sealed_values(coachee.code)

    coachee = Coachee.objects.get(pk=coachee.pk)
    coachee.status = Coachee.Status.PAUSED
    coachee.save()  # the untouched name is stored as v3: the same key, nonce and ciphertext
    _, stored = _name_column()
    assert isinstance(stored, bytes) and sealed_v3(stored, coachee.code)
    assert stored == bytes((BINARY,)) + coachee.code.bytes + split(older)[1]
    assert Coachee.objects.get(pk=coachee.pk).name == NAME
    assert key_names_in_use()[coachee.code.hex] >= 1
