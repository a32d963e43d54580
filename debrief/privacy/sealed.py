"""What is sealed in the database, by which key: asked before a key is ever made.

A key is made only where nothing depends on an old one: a master key only into an empty
installation (no wrapped data keys, no sealed values), a data key only for an owner (a
coachee, a practice entry, the account secrets) with no sealed values yet. Otherwise making a
new key would silently orphan what the old one sealed.

Sealed values are ``v2.<owner code hex>.<ciphertext>`` (or ``v1.``, as they were written until
2026-12: both formats count everywhere here), so the key a value needs is read from
the column itself (in SQL, without opening anything): every ``PrivateTextField`` and the
columns listed in ``EXTRA_COLUMNS``.
"""

from __future__ import annotations

import json
import re
from uuid import UUID

from django.apps import apps
from django.db import DatabaseError, models
from django.db.models import Q
from django.db.models.functions import Substr

from debrief.lib.sealing import FORMAT, FORMATS

# Sealed columns that are not PrivateTextFields: (app label, model, column).
EXTRA_COLUMNS = (("search", "SearchShard", "sealed"),)
# JSON columns holding sealed strings (allauth's authenticators: TOTP and recovery-code seeds,
# sealed by accounts/secrets.py). Few rows, so they are read in Python.
JSON_COLUMNS = (("mfa", "Authenticator", "data"),)
_SEALED_IN_JSON = re.compile(rf"(?:{'|'.join(FORMATS)})\.([0-9a-f]{{32}})\.")
# 1-based: after "v2." or "v1." (every format's name is two characters), 32 hex digits.
_KEY_NAME_AT = len(FORMAT) + 2


def sealed_columns() -> list[tuple[type[models.Model], str]]:
    from debrief.privacy.fields import PrivateTextField

    found: list[tuple[type[models.Model], str]] = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, PrivateTextField):
                found.append((model, field.name))
    for app, name, column in EXTRA_COLUMNS:
        try:
            found.append((apps.get_model(app, name), column))
        except LookupError:
            continue
    return found


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


def _sealed_by(column: str, code: UUID) -> Q:
    found = Q()
    for version in FORMATS:
        found |= Q(**{f"{column}__startswith": f"{version}.{code.hex}."})
    return found


def has_sealed_values(code: UUID | None = None) -> bool:
    """Whether any value (sealed by ``code``'s key, if given) is stored.

    A database without the tables yet (before ``migrate``) holds nothing.
    """
    try:
        for model, column in sealed_columns():
            rows = model._base_manager.all()
            if code is None:
                rows = rows.exclude(**{column: ""})
            else:
                rows = rows.filter(_sealed_by(column, code))
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
        rows = (
            model._base_manager.exclude(**{column: ""})
            .annotate(key_name=Substr(column, _KEY_NAME_AT, 32))
            .values("key_name")
            .annotate(n=models.Count("pk"))
            .values_list("key_name", "n")
        )
        for name, n in rows:
            counts[name] = counts.get(name, 0) + n
    return counts
