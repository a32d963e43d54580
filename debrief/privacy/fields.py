"""The one model field type for free text about a coachee, encrypted at rest.

Every name, note, reflection answer and action text goes through ``PrivateTextField``. The
database holds bytes, ``03 | data key id | nonce | AES-GCM ciphertext`` (``v3``, see
``lib/sealing.py``; ``bytea`` on PostgreSQL, a blob in SQLite's text column), sealed with the
coachee's data key (see ``keystore``) and bound by its associated data to the table, row and
field it belongs to, so a value copied to another record no longer opens. Values written
before as text (``v2.<data key id>.<base64>``, and ``v1.`` before 2026-12) are kept as that
text's bytes, read as they always were, and stored as ``v3`` when their row is next saved (no key is
needed for that). Empty text is stored as empty bytes.

Values are read lazily: loading a row keeps the sealed value, and the first access of the
attribute opens it. A value that does not open (its key is missing, it was sealed for another
coachee, it is damaged) reads as ``Unopenable``: the text "This note cannot be opened" and
the reason, never the stored bytes, so one bad value never takes a page down. Saving the row
keeps the sealed value as it was; ``manage.py unopenable`` lists such values and can purge
them. ``PrivateTextField.open`` itself raises ``PrivateTextError`` (with the reason).

Because stored values are ciphertext, code must never filter, order or search on these
columns in SQL (a lookup with a non-empty value raises): load the coach's rows and work in
Python. Models using the field implement ``private_context()``.
"""

from __future__ import annotations

import logging
from binascii import a2b_base64
from collections.abc import Iterable
from typing import Any, Protocol
from uuid import UUID

from cryptography.exceptions import InvalidTag
from django.core import validators
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from debrief.lib.sealing import (
    BINARY,
    BINARY_FORMAT,
    BINARY_HEAD,
    BINARY_NONCE_END,
    FORMAT,
    NONCE_BYTES,
    SealError,
    Unopened,
    b64decode,
    from_text_form,
    open_token,
    seal_binary,
    split,
)
from debrief.privacy.keystore import KeyError_, keystore

# Generous limits: long enough for any real reflection, short enough to refuse a paste accident.
LONG_TEXT_LIMIT = 50_000
SHORT_TEXT_LIMIT = 500
NAME_LIMIT = 200


logger = logging.getLogger(__name__)

HEAD = len(FORMAT) + 33  # "v2.<32 hex digits>": the key a value names, as Keystore.by_head has it
EMPTY = b""  # empty text, as stored

UNOPENABLE = "This note cannot be opened"
KEY_MISSING = "its key is missing"
KEY_WRONG = "its key does not open with the master key in use"
OTHER_COACHEE = "it was sealed for another coachee"
DAMAGED = "it is damaged"


class PrivateTextError(RuntimeError):
    """Stored private text could not be opened (missing key, wrong key, or tampering)."""

    def __init__(self, message: str, reason: str = DAMAGED, token: str | bytes = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.token = token


class Unopenable(str):
    """What a value that does not open reads as: a sentence for the coach, not the stored text.

    It keeps the sealed value, so saving the row stores it unchanged (it may open again once
    its key is put back).
    """

    token: str | bytes
    reason: str

    def __new__(cls, token: str | bytes, reason: str) -> Unopenable:
        text = super().__new__(cls, f"{UNOPENABLE}: {reason}.")
        text.token = token
        text.reason = reason
        return text


class HasPrivateContext(Protocol):
    def private_row(self) -> str:
        """A stable id of the row, known before it is first saved."""
        ...

    def private_owner(self) -> UUID:
        """The code of the coachee whose data key seals this row's text."""
        ...


class Sealed:
    """A value as stored: not text, so it cannot be shown or compared by accident.

    ``token`` is a ``v3`` value (bytes), or a value written before as text (``v2``, ``v1``).
    """

    __slots__ = ("token",)

    def __init__(self, token: str | bytes) -> None:
        self.token = token

    def __repr__(self) -> str:
        return "<Sealed>"


class _Known:
    """A row's id and owner, already known (``read_stored``)."""

    __slots__ = ("owner", "row")

    def __init__(self, row: str, owner: UUID) -> None:
        self.row, self.owner = row, owner

    def private_row(self) -> str:
        return self.row

    def private_owner(self) -> UUID:
        return self.owner


class _OpenOnAccess(DeferredAttribute):
    # A data descriptor (it has __set__), so every read passes through __get__ and opens.
    def __set__(self, instance: Any, value: Any) -> None:
        name = self.field.attname
        if isinstance(value, str) and value.startswith(UNOPENABLE) and name in instance.__dict__:
            # A form posting back the sentence it was shown must not seal it over the note,
            # which may open again once its key is back.
            current = self.__get__(instance)
            if isinstance(current, Unopenable) and str(current) == value:
                return
        instance.__dict__[name] = value

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        field: PrivateTextField = self.field  # type: ignore[assignment]
        name = field.attname
        try:
            value = instance.__dict__[name]
        except KeyError:  # deferred (``only()``): loaded now
            value = super().__get__(instance, cls)
        if type(value) is not Sealed:
            return value
        # Opened at the first read, then kept on the row: once per row loaded. The usual case
        # (a v3 value whose key is ready) is ``read``'s first step, here without the call.
        token, text = value.token, None
        if type(token) is bytes:
            try:
                ready = keystore().by_head.get(token[:BINARY_HEAD])
                if ready is not None:
                    aad = f"{field._aad_head}{instance.private_row()}{field._aad_tail}".encode()
                    text = ready.decrypt(
                        token[BINARY_HEAD:BINARY_NONCE_END], token[BINARY_NONCE_END:], aad
                    ).decode()
            except (KeyError_, ValueError, InvalidTag):  # UnicodeDecodeError is a ValueError
                pass  # ``read`` says why
        instance.__dict__[name] = text = text if text is not None else field.read(instance, value)
        return text


class PrivateTextField(models.TextField):
    """Free text about a coachee: encrypted at rest, never queried in SQL."""

    description = "Private free text about a coachee (encrypted)"
    descriptor_class = _OpenOnAccess

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", LONG_TEXT_LIMIT)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)
        self.validators.append(validators.ProhibitNullCharactersValidator())

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "debrief.privacy.fields.PrivateTextField", args, kwargs

    def contribute_to_class(self, cls: type[models.Model], name: str, *args: Any) -> None:
        super().contribute_to_class(cls, name, *args)
        # The associated data, ``<table>|<row>|<field>``, around the row id: asked at every open.
        self._aad_head, self._aad_tail = f"{cls._meta.db_table}|", f"|{self.name}"

    def _aad(self, row: str) -> bytes:
        return f"{self._aad_head}{row}{self._aad_tail}".encode()

    def open(self, instance: HasPrivateContext, sealed: Sealed) -> str:
        row = instance.private_row()
        try:
            # The value names its coachee's key; the associated data ties it to this row and
            # field, so a value copied from another coachee's row does not open here.
            return open_token(sealed.token, keystore().cipher, self._aad(row))
        except KeyError_ as error:
            raise self._error(row, KEY_MISSING if error.missing else KEY_WRONG, sealed) from None
        except Unopened:
            raise self._error(row, self._why_not(instance, sealed), sealed) from None
        except (SealError, ValueError):  # not a sealed value, or its key name is not a code
            raise self._error(row, DAMAGED, sealed) from None

    def read(self, instance: HasPrivateContext, sealed: Sealed) -> str:
        """What reading the attribute gives: the text, or ``Unopenable`` (logged).

        The path of every value a page shows, so the usual case first, in as few steps as it
        can be: a value whose key is ready (a dictionary look-up on its first 17 bytes,
        ``03 | key id``), opened as ``open`` would; the same for a value written as text before
        (its first 35 characters, ``v2.<key>`` or ``v1.<key>``). Anything else (a key
        not yet unwrapped, a value that is not one), or anything that fails on the way, goes
        through ``open``, which gives the reason.
        """
        token = sealed.token
        try:
            if isinstance(token, bytes):
                ready = keystore().by_head.get(token[:BINARY_HEAD])
                if ready is not None:
                    return ready.decrypt(
                        token[BINARY_HEAD:BINARY_NONCE_END],
                        token[BINARY_NONCE_END:],
                        f"{self._aad_head}{instance.private_row()}{self._aad_tail}".encode(),
                    ).decode()
            elif (ready := keystore().by_head.get(token[:HEAD])) is not None:
                body = token[HEAD + 1 :]
                # v2 (standard base64, padded) or v1 (base64url), by the format's digit.
                data = a2b_base64(body, strict_mode=True) if token[1] == "2" else b64decode(body)
                return ready.decrypt(
                    data[:NONCE_BYTES],
                    data[NONCE_BYTES:],
                    f"{self._aad_head}{instance.private_row()}{self._aad_tail}".encode(),
                ).decode()
        except (KeyError_, ValueError, InvalidTag):  # UnicodeDecodeError is a ValueError
            pass
        try:
            return self.open(instance, sealed)
        except PrivateTextError as error:
            logger.warning("%s", error)  # names the model, field, row and reason only
            return Unopenable(sealed.token, error.reason)

    def read_stored(self, stored: Sealed | bytes | str | None, row: str, owner: UUID) -> str:
        """``read`` for a value as ``values_list`` gives it, with no model row built.

        ``row`` is what the model's ``private_row()`` gives for the row the value was read
        from (ask the model's own method, on a named ``values_list`` row, say), ``owner`` its
        coachee's code. Empty stays empty, as on a row.
        """
        sealed = stored if type(stored) is Sealed else self.from_db_value(stored, None, None)
        if not sealed:
            return ""
        return self.read(_Known(row, owner), sealed)

    def read_many(
        self, stored: Iterable[Sealed | bytes | str | None], rows: Iterable[str], owner: UUID
    ) -> list[str]:
        """``read_stored`` for many values of one coachee (``owner``), in one loop.

        ``stored[i]`` is read from the row ``rows[i]`` names (its ``private_row()``), as the
        row holds it (``Sealed``, or the column's bytes). Gives what ``read_stored`` would,
        value for value: every ``v3`` value sealed with ``owner``'s key opens here, with one
        cipher and the associated data put together inline; anything else (a value written as
        text, one naming another key, one that does not open, a missing key) goes the way of
        ``read_stored``, so its ``Unopenable`` and log line are the same.
        """
        prefix = bytes((BINARY,)) + owner.bytes
        head, tail = self._aad_head.encode(), self._aad_tail.encode()
        try:
            decrypt = keystore().cipher(owner.hex).decrypt
        except (KeyError_, ValueError):
            decrypt = None
        out: list[str] = []
        add = out.append
        for value, row in zip(stored, rows, strict=True):
            if not value:
                add("")
                continue
            token = value.token if isinstance(value, Sealed) else value
            if decrypt is not None and type(token) is bytes and token[:BINARY_HEAD] == prefix:
                try:
                    aad = head + row.encode() + tail
                    add(
                        decrypt(
                            token[BINARY_HEAD:BINARY_NONCE_END], token[BINARY_NONCE_END:], aad
                        ).decode()
                    )
                    continue
                except (ValueError, InvalidTag):  # UnicodeDecodeError is a ValueError
                    pass
            add(self.read_stored(token, row, owner))
        return out

    @staticmethod
    def _why_not(instance: HasPrivateContext, sealed: Sealed) -> str:
        try:
            owner = instance.private_owner()
            token = sealed.token
            if isinstance(token, bytes):
                named = UUID(bytes=token[1:BINARY_HEAD])
            else:
                named = UUID(hex=token.split(".")[1])
        except Exception:  # a bare row (search) or one whose parent is gone
            return DAMAGED
        return OTHER_COACHEE if owner != named else DAMAGED

    def _error(self, row: str, reason: str, sealed: Sealed) -> PrivateTextError:
        return PrivateTextError(
            f"{self.model.__name__}.{self.name} of row {row} cannot be opened: {reason}",
            reason,
            sealed.token,
        )

    def seal(self, instance: HasPrivateContext, text: str) -> Sealed:
        code, row = instance.private_owner(), instance.private_row()
        key = keystore().data_key(code, create=True)
        return Sealed(seal_binary(key, code.bytes, text, self._aad(row)))

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname, "")
        if isinstance(value, Unopenable):
            return Sealed(value.token)  # kept as stored: it may open once its key is back
        if isinstance(value, Sealed) or value in ("", None):
            return value or ""
        return self.seal(model_instance, str(value))

    def db_type(self, connection: Any) -> str | None:
        # Bytes: ``bytea`` on PostgreSQL; SQLite keeps a blob in a text column as it is.
        return "bytea" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if not value:
            return ""
        if type(value) is memoryview:
            value = bytes(value)
        if type(value) is bytes and value[0] != BINARY:
            # Written as text before (v2, v1): read as that text, losslessly.
            value = value.decode("utf-8", "surrogateescape")
        return Sealed(value)

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, Sealed):
            return stored_bytes(value.token)
        if value is None or value == "":
            return EMPTY
        raise PrivateTextError(
            f"{self.model.__name__}.{self.name} holds encrypted text: save it through the model "
            "(instance.save()), and never filter, order or update it in SQL."
        )


def stored_bytes(token: str | bytes) -> bytes:
    """What the column holds for a sealed value: ``v3`` bytes as they are; a value written as
    text (``v2``, ``v1``, or ``v3`` spelt as text, as a backup has it) turned into ``v3`` (the
    same key id, nonce and ciphertext: no key needed); anything else, the text's own bytes (it
    reads as damaged, as it did)."""
    if isinstance(token, bytes):
        return token
    try:
        if token.startswith(f"{BINARY_FORMAT}."):
            return from_text_form(token)
        key_id, sealed = split(token)
        return bytes((BINARY,)) + UUID(hex=key_id).bytes + sealed
    except ValueError:  # SealError, or a key id that is not a code
        return token.encode("utf-8", "surrogateescape")
