"""Private text columns hold bytes: from here on every value is written as ``v3``.

``v3`` is the sealed value with nothing to decode (``03 | key id | nonce | ciphertext``, see
``lib/sealing.py``): opening it is AES-GCM and little else, where a ``v2`` text first decoded
its base64, which cost about as much as AES-GCM itself. On PostgreSQL each private text column
becomes ``bytea``; SQLite keeps its text columns and stores a blob in them. No value is
re-encrypted and no key is needed: a value already stored becomes its text's own bytes (a
``v2.``/``v1.`` text, read as before), and is written as ``v3`` when its row is next saved.

A database made from these migrations has ``bytea`` columns from the start (the field's
``db_type``), so on PostgreSQL only the columns still of type ``text`` change. Migrating back
changes nothing: a Debrief from before cannot read ``v3``, and a backup made from now on
carries this migration, so such a Debrief refuses it ("made by a newer version").
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from debrief.privacy.fields import PrivateTextField


def _private_columns(apps: Any) -> list[tuple[str, str]]:
    return [
        (model._meta.db_table, field.column)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, PrivateTextField)
    ]


def to_bytes(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    quote = schema_editor.quote_name
    for table, column in _private_columns(apps):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT data_type FROM information_schema.columns WHERE table_schema = "
                    "current_schema() AND table_name = %s AND column_name = %s",
                    [table, column],
                )
                found = cursor.fetchone()
            if found and found[0] == "text":
                schema_editor.execute(
                    f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} TYPE bytea "
                    f"USING convert_to({quote(column)}, 'UTF8')"
                )
        else:
            schema_editor.execute(
                f"UPDATE {quote(table)} SET {quote(column)} = CAST({quote(column)} AS BLOB) "  # noqa: S608
                f"WHERE typeof({quote(column)}) = 'text'"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_sealed_values_v2"),
        ("coachees", "0005_code_minted_as_new"),
        ("diary", "0001_initial"),
        ("exports", "0003_merge_0002_dossier_jobs_0002_pack_code_drawn_here"),
        ("followup", "0004_export_batch_indexes"),
        ("icflog", "0003_previous_clients"),
        ("insights", "0002_practice_months_and_total"),
        ("journal", "0004_export_batch_indexes"),
        ("practice", "0002_supervision_recorded_by"),
        ("techniques", "0003_export_batch_indexes"),
    ]

    # Going back leaves the bytes: the field stores bytes whatever migration a database is at.
    operations = [migrations.RunPython(to_bytes, migrations.RunPython.noop, elidable=False)]
