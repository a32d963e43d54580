"""Master key and per-coachee data keys.

Each coachee has a random data key. It is stored, wrapped (AES-GCM) by the master key, in its
own file in the key directory (``DEBRIEF_KEYS_DIR``, by default ``<data dir>/keys``): never in
the database, so a database file, dump or backup holds only ciphertext. Erasing a coachee
deletes their key file; every copy of their notes, old backups included, can no longer be read
(crypto-shredding).

The master key comes from ``DEBRIEF_MASTER_KEY`` (base64url, 32 bytes) or
``DEBRIEF_MASTER_KEY_FILE``; otherwise it is ``<data dir>/master.key`` (mode 0600), generated
only into an empty installation: never while data keys or sealed values exist, which a new key
would orphan (``privacy/checks.py`` refuses start-up instead). A data key, likewise, is made
only for an owner with nothing sealed yet. The master key is never derived from ``SECRET_KEY``.
On a laptop, ``manage.py protect_master_key`` can lock that file with a passphrase, which
``make run`` then asks for once at start (or ``DEBRIEF_MASTER_KEY_PASSPHRASE`` provides).
During a key rotation a second master key, ``master.key.next``, is loaded as well.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings

from debrief.lib.sealing import (
    BINARY,
    FORMAT,
    FORMATS,
    KEY_BYTES,
    b64decode,
    b64encode,
    cipher,
    new_key,
    open_bytes,
    seal_bytes,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class KeyError_(LookupError):
    """A data key or master key needed to read stored text is missing or does not fit."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing  # the key is not there at all (not merely the wrong one)


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"debrief-master-key-id|" + key).hexdigest()[:12]


PROTECTED_PREFIX = "pp1."
_MASTER_FILE_AAD = b"debrief-master-key-file"


def _kdf(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=KEY_BYTES, n=2**15, r=8, p=1).derive(passphrase.encode())


def protect(key: bytes, passphrase: str) -> str:
    """The text of a master key file locked with a passphrase (scrypt, then AES-GCM)."""
    salt = os.urandom(16)
    sealed = seal_bytes(_kdf(passphrase, salt), key, _MASTER_FILE_AAD)
    return f"{PROTECTED_PREFIX}{b64encode(salt)}.{b64encode(sealed)}"


def is_protected(text: str) -> bool:
    return text.strip().startswith(PROTECTED_PREFIX)


def _unprotect(text: str, source: str) -> bytes:
    passphrase = os.environ.get("DEBRIEF_MASTER_KEY_PASSPHRASE", "")
    if not passphrase:
        raise KeyError_(
            f"{source} is protected by a passphrase. Start Debrief with `make run` in a "
            "terminal (it asks for the passphrase), or set DEBRIEF_MASTER_KEY_PASSPHRASE."
        )
    salt_text, _, sealed_text = text.strip()[len(PROTECTED_PREFIX) :].partition(".")
    try:
        return open_bytes(
            _kdf(passphrase, b64decode(salt_text)), b64decode(sealed_text), _MASTER_FILE_AAD
        )
    except ValueError:
        raise KeyError_(f"The passphrase does not open {source}. Check it and try again.") from None


def read_master_file(path: Path) -> bytes:
    text = path.read_text()
    if is_protected(text):
        return _unprotect(text, str(path))
    return _decode_master(text, str(path))


def _decode_master(text: str, source: str) -> bytes:
    try:
        key = b64decode(text.strip())
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyError_(
            f"{source} must hold a base64url-encoded 32-byte key "
            "(create one with: python -c 'import os,base64;"
            "print(base64.urlsafe_b64encode(os.urandom(32)).decode())')."
        )
    return key


def write_secret_file(path: Path, text: str, *, exclusive: bool = False) -> None:
    """Write atomically with mode 0600: a crash leaves the old file or the new, never half.

    ``exclusive``: a new key, which must never replace one another process made meanwhile
    (``FileExistsError`` then, and the caller reads that one).
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    if not exclusive:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if the file exists: never two keys for one name
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: exclusive, if not atomic
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    finally:
        tmp.unlink()


def _create_master_key(path: Path) -> None:
    """A new master key, only into an empty installation (no data keys, nothing sealed)."""
    from debrief.privacy.sealed import has_sealed_values

    keys_dir = Path(settings.DEBRIEF_KEYS_DIR)
    if any(keys_dir.glob("*.key")) or has_sealed_values():
        raise KeyError_(
            f"The master key {path} is missing, but this installation holds encrypted notes "
            f"(data keys in {keys_dir}, or sealed values in the database). Debrief will not "
            "make a new master key: nothing written under the old one would open again. Put "
            "master.key back from where you keep it (your recovery sheet or password manager), "
            "or set DEBRIEF_MASTER_KEY / DEBRIEF_MASTER_KEY_FILE.",
            missing=True,
        )
    # If another process started at the same moment and made it, theirs it is.
    with contextlib.suppress(FileExistsError):
        write_secret_file(path, b64encode(new_key()) + "\n", exclusive=True)


@dataclass
class MasterKeys:
    current_id: str
    keys: dict[str, bytes]

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]


def load_master_keys() -> MasterKeys:
    env_key = os.environ.get("DEBRIEF_MASTER_KEY", "")
    env_file = os.environ.get("DEBRIEF_MASTER_KEY_FILE", "")
    if env_key:
        key = _decode_master(env_key, "DEBRIEF_MASTER_KEY")
    elif env_file:
        key = _decode_master(Path(env_file).read_text(), "DEBRIEF_MASTER_KEY_FILE")
    else:
        path = Path(settings.DATA_DIR) / "master.key"
        if not path.exists():
            _create_master_key(path)
        key = read_master_file(path)
    keys = {key_id(key): key}
    current = key_id(key)
    next_path = Path(settings.DATA_DIR) / "master.key.next"
    if next_path.exists():  # a rotation is under way: new keys are wrapped with the next key
        nxt = read_master_file(next_path)
        keys[key_id(nxt)] = nxt
        current = key_id(nxt)
    return MasterKeys(current_id=current, keys=keys)


# Owner codes this process has just minted (``new_owner_code``). Nothing can be sealed under a
# random code nobody has seen, so a key made for one skips the check for sealed values, which
# reads every sealed column of the installation: its cost grew with the firm (issue 13). Codes
# that come from elsewhere (an import, a restore, a row read back) are never in here and get
# the full check. Bounded: a form that builds an unsaved coachee mints a code it never uses.
_FRESH_LIMIT = 4096
_fresh: OrderedDict[UUID, None] = OrderedDict()
_fresh_lock = threading.Lock()


def new_owner_code() -> UUID:
    """A new random owner code (a model field's default), remembered as unused."""
    code = uuid.uuid4()
    with _fresh_lock:
        _fresh[code] = None
        while len(_fresh) > _FRESH_LIMIT:
            _fresh.popitem(last=False)
    return code


def _minted_here(code: UUID) -> bool:
    with _fresh_lock:
        if code not in _fresh:
            return False
        del _fresh[code]
        return True


class Keystore:
    def __init__(self, directory: Path, master: MasterKeys) -> None:
        self.directory = directory
        self.master = master
        self._cache: dict[UUID, bytes] = {}
        # The same keys ready to open with, by the head of the values they seal: a private
        # text's ``03 | code`` (its first 17 bytes), and the texts' ``v2.<code hex>`` (and
        # ``v1.<code hex>``, written until 2026-12; their first 35 characters). What
        # ``PrivateTextField`` looks up first: one dictionary look-up is the whole key check.
        self.by_head: dict[str | bytes, AESGCM] = {}
        self._lock = threading.Lock()

    def _path(self, code: UUID) -> Path:
        return self.directory / f"{code}.key"

    @staticmethod
    def _aad(code: UUID) -> bytes:
        return b"debrief-data-key|" + code.bytes

    def _write(self, code: UUID, key: bytes, *, exclusive: bool = False) -> None:
        wrapped = seal_bytes(self.master.current, key, self._aad(code))
        record = {"format": 1, "master": self.master.current_id, "key": b64encode(wrapped)}
        write_secret_file(self._path(code), json.dumps(record) + "\n", exclusive=exclusive)

    def _read(self, code: UUID) -> tuple[str, bytes]:
        try:
            record = json.loads(self._path(code).read_text())
        except FileNotFoundError:
            raise KeyError_(
                f"No data key for coachee {code}: their notes were erased, or the key "
                f"directory {self.directory} is not the one this database was written with.",
                missing=True,
            ) from None
        except (ValueError, TypeError):
            raise KeyError_(f"The data key file of coachee {code} is damaged.") from None
        if not isinstance(record, dict) or not {"master", "key"} <= record.keys():
            raise KeyError_(f"The data key file of coachee {code} is damaged.")
        master = self.master.keys.get(record["master"])
        if master is None:
            raise KeyError_(
                f"The data key of coachee {code} is wrapped by master key {record['master']}, "
                "which is not loaded. Set DEBRIEF_MASTER_KEY or DEBRIEF_MASTER_KEY_FILE to it."
            )
        try:
            return record["master"], open_bytes(master, b64decode(record["key"]), self._aad(code))
        except ValueError:
            raise KeyError_(
                f"The data key of coachee {code} does not open with master key "
                f"{record['master']}: the key file is damaged."
            ) from None

    def data_key(self, code: UUID, *, create: bool = False) -> bytes:
        key = self._cache.get(code)
        if key is not None:
            return key
        with self._lock:
            if code in self._cache:
                return self._cache[code]
            if create and not self._path(code).exists():
                key = self._create(code)
            else:
                key = self._read(code)[1]
            self._cache[code] = key
            return key

    def cipher(self, name: str) -> AESGCM:
        """The data key a sealed value names (its owner's code in hex), ready to open with.

        ``KeyError_`` as ``data_key``; ``ValueError`` for a name that is not a code.
        """
        found = self.by_head.get(f"{FORMAT}.{name}")
        if found is not None:
            return found
        code = UUID(hex=name)
        found = cipher(self.data_key(code))
        with self._lock:
            # Kept only under the code's own spelling, and only while its key is (forgetting
            # the code forgets both, even if that happened a moment ago in another thread).
            if name == code.hex and code in self._cache:
                for head in self._heads(code):
                    self.by_head[head] = found
        return found

    def forget(self, code: UUID | None = None) -> None:
        """Drop unwrapped keys from memory (one coachee's, or all); the files stay."""
        with self._lock:
            if code is None:
                self._cache.clear()
                self.by_head.clear()
            else:
                self._cache.pop(code, None)
                self._unready(code)

    @staticmethod
    def _heads(code: UUID) -> list[str | bytes]:
        return [bytes((BINARY,)) + code.bytes, *(f"{version}.{code.hex}" for version in FORMATS)]

    def _unready(self, code: UUID) -> None:
        for head in self._heads(code):
            self.by_head.pop(head, None)

    def _create(self, code: UUID) -> bytes:
        """A new data key, only for an owner nothing is sealed for yet."""
        from debrief.privacy.sealed import has_sealed_values

        if not _minted_here(code) and has_sealed_values(code):
            raise KeyError_(
                f"Notes of {code} are sealed with a data key that is missing from "
                f"{self.directory}. Debrief will not make a new key (the notes would never open "
                "again): put the key directory back from a backup, or run "
                "`python manage.py unopenable` to see what is affected.",
                missing=True,
            )
        key = new_key()
        try:
            self._write(code, key, exclusive=True)
        except FileExistsError:  # another process made it a moment ago: theirs it is
            return self._read(code)[1]
        return key

    def destroy(self, code: UUID) -> None:
        """Delete a data key; every other process drops its copy at its next request."""
        with self._lock:
            self._cache.pop(code, None)
            self._unready(code)
            self._path(code).unlink(missing_ok=True)
        from debrief.privacy import memory

        memory.bump_quietly()

    def codes(self) -> list[UUID]:
        if not self.directory.exists():
            return []
        return [UUID(p.stem) for p in self.directory.glob("*.key")]

    def rewrap(self, code: UUID) -> bool:
        """Re-wrap one data key under the current master key; False if it already was."""
        with self._lock:
            master_id, key = self._read(code)
            if master_id == self.master.current_id:
                return False
            self._write(code, key)
            return True


_keystore: Keystore | None = None
_keystore_lock = threading.Lock()


def keystore() -> Keystore:
    global _keystore
    if _keystore is None:
        with _keystore_lock:
            if _keystore is None:
                _keystore = Keystore(Path(settings.DEBRIEF_KEYS_DIR), load_master_keys())
    return _keystore


def forget_keys(code: UUID | None = None) -> None:
    """Forget unwrapped data keys held in this process (see ``privacy/memory.py``)."""
    if _keystore is not None:
        _keystore.forget(code)


def reset_keystore() -> None:
    """Forget the loaded keys (after a rotation, or between tests)."""
    global _keystore
    with _keystore_lock:
        _keystore = None
