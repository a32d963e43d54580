"""The database as plain rows, the same on SQLite and PostgreSQL, and back again.

Each table becomes one gzip'd JSON-lines member: a header line (model, table, columns) and one
JSON array per row, in primary-key order. Values are what the ORM reads, written neutrally:
dates and times in ISO 8601, decimals and UUIDs as text, JSON as JSON. Encrypted text stays
ciphertext (``Sealed`` is written as its token, a ``v3`` value in its text spelling
``v3.<key id>.<base64>``, and never opened), so a backup holds no more
than the database does. Loading turns each value back through the model field of the running
code and inserts with plain SQL inside the caller's transaction: ``save()`` is not called, so
``auto_now`` dates and signals leave the rows exactly as they were.

Sign-ins (Django's sessions and allauth's list of them) are left out: a restore signs
everyone out. So are the search index's snapshots (``search/snapshot.py``): the first search
after a restore takes a new one from the index rows, and no backup holds a copy of one.
Nor are dossiers waiting to be downloaded (``exports.DossierJob``, kept minutes at most): a
backup holds no copy of a PDF, and a restore brings back no download.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.apps import apps
from django.core.management.color import no_style
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

from debrief.lib.sealing import text_form
from debrief.privacy.fields import PrivateTextField, Sealed

LEFT_OUT = {
    "sessions.session",
    "usersessions.usersession",
    "search.searchsnapshot",
    "exports.dossierjob",
}
BATCH = 2000


class TableError(ValueError):
    """A table member that this version of Debrief cannot load: the message says why."""


def backed_up_models() -> list[type[models.Model]]:
    """Every table Debrief's apps keep, parents before the tables that point at them."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in LEFT_OUT
    ]
    return _dependency_order(found)


def _dependency_order(found: list[type[models.Model]]) -> list[type[models.Model]]:
    ordered: list[type[models.Model]] = []
    seen: set[type[models.Model]] = set()
    wanted = set(found)

    def visit(model: type[models.Model], path: set[type[models.Model]]) -> None:
        if model in seen or model in path:  # a cycle: the deferred constraints allow it
            return
        path.add(model)
        for field in model._meta.local_concrete_fields:
            target = field.related_model if field.is_relation else None
            if isinstance(target, type) and target in wanted and target is not model:
                visit(target, path)
        seen.add(model)
        ordered.append(model)

    for model in sorted(found, key=lambda m: m._meta.label_lower):
        visit(model, set())
    return ordered


def columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.local_concrete_fields)


def _plain(value: Any) -> Any:
    if isinstance(value, Sealed):
        token = value.token
        return text_form(token) if isinstance(token, bytes) else token
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, dt.timedelta | bytes | memoryview):
        raise TableError(f"Backups do not handle {type(value).__name__} values yet.")
    return value


# Backup -------------------------------------------------------------------------------------


@dataclass
class Dumped:
    model: str
    rows: int
    data: bytes


def dump_model(model: type[models.Model], alias: str) -> Dumped:
    fields = columns(model)
    names = [f.attname for f in fields]
    label = model._meta.label_lower
    header = {"model": label, "table": model._meta.db_table, "columns": names}
    lines = [json.dumps(header)]
    rows = model._base_manager.using(alias).order_by("pk").values_list(*names)
    for row in rows.iterator(chunk_size=BATCH):
        lines.append(json.dumps([_plain(v) for v in row], ensure_ascii=False))
    text = "\n".join(lines) + "\n"
    return Dumped(label, len(lines) - 1, gzip.compress(text.encode(), 1, mtime=0))


def applied_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


# Restore ------------------------------------------------------------------------------------


@dataclass
class Table:
    """One table member, parsed and checked against this version's model."""

    model: type[models.Model]
    names: list[str]
    rows: list[list[Any]]


def parse_member(data: bytes, member: str) -> Table:
    try:
        lines = gzip.decompress(data).decode().splitlines()
        header = json.loads(lines[0])
        rows = [json.loads(line) for line in lines[1:]]
    except (OSError, EOFError, UnicodeDecodeError, ValueError, IndexError):
        raise TableError(f"{member} is damaged: it does not read as a table.") from None
    try:
        model = apps.get_model(header["model"])
    except (LookupError, KeyError, TypeError, ValueError):
        raise TableError(f"{member} holds a table this version of Debrief does not know.") from None
    names = [f.attname for f in columns(model)]
    if header.get("columns") != names:
        raise TableError(
            f"{member} ({header['model']}) has other columns than this version of Debrief "
            "expects: restore with the version of Debrief that made the backup."
        )
    if any(not isinstance(row, list) or len(row) != len(names) for row in rows):
        raise TableError(f"{member} is damaged: a row has the wrong number of values.")
    return Table(model, names, rows)


# Values JSON already gives in the form both databases take: no field conversion needed.
_AS_READ = {
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
    "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
    "PositiveSmallIntegerField", "BooleanField", "CharField", "TextField", "SlugField",
    "EmailField",
}  # fmt: skip


def _identity(value: Any) -> Any:
    return value


def _converter(
    field: models.Field[Any, Any], connection: BaseDatabaseWrapper
) -> Callable[..., Any]:
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if not isinstance(field, PrivateTextField) and target.get_internal_type() in _AS_READ:
        return _identity
    if isinstance(field, PrivateTextField):
        return lambda v: field.get_db_prep_save(Sealed(v) if v else "", connection)

    def convert(value: Any) -> Any:
        if value is None:
            return None
        return field.get_db_prep_save(field.to_python(value), connection)

    return convert


def prepared_rows(table: Table, connection: BaseDatabaseWrapper) -> Iterator[tuple[Any, ...]]:
    """The table's rows as this database takes them; a value that does not fit raises."""
    converters = [_converter(f, connection) for f in columns(table.model)]
    for row in table.rows:
        try:
            yield tuple(convert(v) for convert, v in zip(converters, row, strict=True))
        except (ValueError, TypeError, ArithmeticError) as error:
            raise TableError(
                f"A row of {table.model._meta.label_lower} does not fit its column: {error}"
            ) from None


def clear(models_: Iterable[type[models.Model]], connection: BaseDatabaseWrapper) -> None:
    """Empty the tables a fresh `migrate` filled (built-in templates, content types)."""
    with connection.cursor() as cursor:
        for model in reversed(list(models_)):
            # The table name is the model's own, quoted: no outside text reaches the SQL.
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


def insert(table: Table, connection: BaseDatabaseWrapper) -> None:
    quote = connection.ops.quote_name
    cols = ", ".join(quote(str(f.column)) for f in columns(table.model))
    marks = ", ".join(["%s"] * len(table.names))
    table_name = quote(table.model._meta.db_table)
    sql = f"INSERT INTO {table_name} ({cols}) VALUES ({marks})"  # noqa: S608 (names are ours)
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in prepared_rows(table, connection):
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def reset_sequences(models_: list[type[models.Model]], connection: BaseDatabaseWrapper) -> None:
    """PostgreSQL: ids go on after the restored ones (SQLite's AUTOINCREMENT follows itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
