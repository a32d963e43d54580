"""CPD certificate files: checked, sealed and kept in the data directory, never in the database.

A certificate is at most ``LIMIT`` bytes and must be a PDF, PNG or JPEG by its first bytes
(what the browser says is not trusted). It is sealed (AES-GCM) with its CPD entry's own data
key, so a copied data directory or backup holds only ciphertext and deleting the entry shreds
it. Files live in ``<data dir>/certificates/<entry code>.sealed``, mode 0600.
"""

from __future__ import annotations

import os
from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from debrief.lib.sealing import open_bytes, seal_bytes
from debrief.privacy.keystore import keystore

LIMIT = 5 * 1024 * 1024
TYPES = {
    "pdf": (b"%PDF-", "application/pdf"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
}


class CertificateError(ValueError):
    """An upload that is not a certificate Debrief can keep: the message says what to do."""


def folder() -> Path:
    return Path(settings.DATA_DIR) / "certificates"


def _path(code: UUID) -> Path:
    return folder() / f"{code}.sealed"


def _aad(code: UUID) -> bytes:
    return b"debrief-certificate|" + code.bytes


def kind_of(head: bytes) -> str | None:
    return next((k for k, (magic, _) in TYPES.items() if head.startswith(magic)), None)


def read_upload(upload: UploadedFile) -> tuple[bytes, str]:
    """The upload's bytes and kind, or CertificateError."""
    data = bytearray()
    for chunk in upload.chunks():
        data += chunk
        if len(data) > LIMIT:
            raise CertificateError(
                "That file is larger than 5 MB. Save the certificate as a smaller PDF or "
                "image (a scan at 150 dpi is plenty) and upload it again."
            )
    kind = kind_of(bytes(data[:16]))
    if not data or kind is None:
        raise CertificateError(
            "Debrief keeps certificates as PDF, PNG or JPEG files, and this is none of them. "
            "Save or print the certificate as a PDF and upload that."
        )
    return bytes(data), kind


def store(code: UUID, data: bytes) -> None:
    key = keystore().data_key(code, create=True)
    sealed = seal_bytes(key, data, _aad(code))
    folder().mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = _path(code).with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(sealed)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, _path(code))


def load(code: UUID) -> bytes:
    return open_bytes(keystore().data_key(code), _path(code).read_bytes(), _aad(code))


def remove(code: UUID) -> None:
    _path(code).unlink(missing_ok=True)


def content_type(kind: str) -> str:
    return TYPES[kind][1]
