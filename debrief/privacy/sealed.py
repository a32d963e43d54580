"""What is sealed in the database, by which key: asked before a key is ever made.

A key is made only where nothing depends on an old one: a master key only into an empty
installation (no wrapped data keys, no sealed values), a data key only for an owner (a
coachee, a practice entry, the account secrets) with no sealed values yet. Otherwise making a
new key would silently orphan what the old one sealed.

Every sealed value names its key, so the key a value needs is read from the column itself
(in SQL, without opening anything): every ``PrivateTextField`` (``03 | owner code`` in its
first 17 bytes; a value written as text before is that text's bytes,
``v2.<owner code hex>.`` or ``v1.``) and the text columns listed in ``EXTRA_COLUMNS``
(``v2.<owner code hex>.<ciphertext>``).
"""

from __future__ import annotations

import json
import re
from uuid import UUID

from django.apps import apps
from django.db import DatabaseError, models
from django.db.models import Q, QuerySet
from django.db.models.functions import Cast, Substr

from debrief.lib.sealing import BINARY, BINARY_HEAD, FORMAT, FORMATS

# Sealed columns that are not PrivateTextFields: (app label, model, column).
EXTRA_COLUMNS = (("search", "SearchShard", "sealed"),)
# JSON columns holding sealed strings (allauth's authenticators: TOTP and recovery-code seeds,
# sealed by accounts/secrets.py). Few rows, so they are read in Python.
JSON_COLUMNS = (("mfa", "Authenticator", "data"),)
_SEALED_IN_JSON = re.compile(rf"(?:{'|'.join(FORMATS)})\.([0-9a-f]{{32}})\.")
# 1-based: after "v2." or "v1." (every format's name is two characters), 32 hex digits.
_KEY_NAME_AT = len(FORMAT) + 2


def sealed_columns() -> list[tuple[type[models.Model], str]]:
    """Every column holding sealed values: the private text fields, then ``EXTRA_COLUMNS``."""
    found = private_columns()
    for app, name, column in EXTRA_COLUMNS:
        try:
            found.append((apps.get_model(app, name), column))
        except LookupError:
            continue
    return found


def private_columns() -> list[tuple[type[models.Model], str]]:
    from debrief.privacy.fields import PrivateTextField

    found: list[tuple[type[models.Model], str]] = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, PrivateTextField):
                found.append((model, field.name))
    return found


def _binary(model: type[models.Model], column: str) -> bool:
    from debrief.privacy.fields import PrivateTextField

    return isinstance(model._meta.get_field(column), PrivateTextField)


def _head(column: str, start: int, length: int, binary: bool) -> Substr:
    if not binary:
        return Substr(column, start, length, output_field=models.TextField())
    # As bytes even where SQLite holds a text (a value written in SQL, not by Debrief).
    whole = Cast(column, models.BinaryField())
    return Substr(whole, start, length, output_field=models.BinaryField())


def _json_key_names() -> dict[str, int]:
    counts: dict[str, int] = {}
    for app, name, column in JSON_COLUMNS:
        try:
            model = apps.get_model(app, name)
        except LookupError:
            continue
        for value in model._base_manager.values_list(column, flat=True).iterator():
            for found in _SEALED_IN_JSON.findall(json.dumps(value)):
                counts[found] = counts.get(found, 0) + 1
    return counts


def _sealed_by(rows: QuerySet[models.Model], column: str, code: UUID) -> QuerySet[models.Model]:
    binary = _binary(rows.model, column)
    texts = [f"{version}.{code.hex}." for version in FORMATS]
    if not binary:
        return rows.annotate(sealed_head=_head(column, 1, len(texts[0]), False)).filter(
            sealed_head__in=texts
        )
    return rows.annotate(
        sealed_v3=_head(column, 1, BINARY_HEAD, True),
        sealed_text=_head(column, 1, len(texts[0]), True),
    ).filter(
        Q(sealed_v3=bytes((BINARY,)) + code.bytes) | Q(sealed_text__in=[t.encode() for t in texts])
    )


def has_sealed_values(code: UUID | None = None) -> bool:
    """Whether any value (sealed by ``code``'s key, if given) is stored.

    A database without the tables yet (before ``migrate``) holds nothing.
    """
    try:
        for model, column in sealed_columns():
            rows = model._base_manager.all()
            rows = rows.exclude(**{column: ""}) if code is None else _sealed_by(rows, column, code)
            if rows.exists():
                return True
        names = _json_key_names()
    except DatabaseError:
        return False
    return bool(names) if code is None else code.hex in names


def key_names_in_use() -> dict[str, int]:
    """Each key name (owner code hex) that stored values need, with how many values need it."""
    counts = _json_key_names()
    for model, column in sealed_columns():
        binary = _binary(model, column)
        stored = model._base_manager.exclude(**{column: ""}).annotate(
            sealed_first=_head(column, 1, 1, binary)
        )
        # (the first byte or character, where the key's name starts, its length)
        spellings: list[tuple[str | bytes, int, int]] = [("v", _KEY_NAME_AT, 32)]
        if binary:
            spellings = [(b"v", _KEY_NAME_AT, 32), (bytes((BINARY,)), 2, BINARY_HEAD - 1)]
        for first, at, length in spellings:
            rows = (
                stored.filter(sealed_first=first)
                .annotate(sealed_key=_head(column, at, length, binary))
                .values("sealed_key")
                .annotate(n=models.Count("pk"))
                .values_list("sealed_key", "n")
            )
            for name, n in rows:
                if isinstance(name, bytes | memoryview):
                    name = bytes(name)
                    name = UUID(bytes=name).hex if first == bytes((BINARY,)) else name.decode()
                counts[name] = counts.get(name, 0) + n
    return counts
