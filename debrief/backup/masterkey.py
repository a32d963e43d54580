"""Where the master key lives and its fingerprint: what a coach must keep apart from backups.

Nothing here creates a key or shows one. The fingerprint is the key's id (``key_id``), the
same 12 characters every wrapped data key names, so a printed sheet can be matched to a key
file without revealing it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from debrief.privacy.keystore import MasterKeys, is_protected, load_master_keys


@dataclass(frozen=True)
class KeyPlace:
    kind: str  # "variable", "file" or "data_dir"
    where: str  # the variable's name or the file's path
    protected: bool  # locked with a passphrase (data directory file only)

    @property
    def describe(self) -> str:
        if self.kind == "variable":
            return f"the environment variable {self.where} (set where Debrief is started)"
        locked = ", locked with a passphrase" if self.protected else ""
        return f"the file {self.where}{locked}"


def place() -> KeyPlace:
    if os.environ.get("DEBRIEF_MASTER_KEY"):
        return KeyPlace("variable", "DEBRIEF_MASTER_KEY", False)
    if os.environ.get("DEBRIEF_MASTER_KEY_FILE"):
        return KeyPlace("file", os.environ["DEBRIEF_MASTER_KEY_FILE"], False)
    path = Path(settings.DATA_DIR) / "master.key"
    protected = path.exists() and is_protected(path.read_text())
    return KeyPlace("data_dir", str(path), protected)


def exists() -> bool:
    found = place()
    return found.kind == "variable" or Path(found.where).is_file()


def load_existing() -> MasterKeys | None:
    """The master keys if one is there (never generating one), else None."""
    return load_master_keys() if exists() else None


def wrapping_ids(key_files: dict[str, bytes]) -> list[str]:
    """The fingerprints of the master keys the data keys are wrapped with (no key needed)."""
    found = set()
    for data in key_files.values():
        try:
            found.add(str(json.loads(data)["master"]))
        except (ValueError, KeyError, TypeError):
            continue
    return sorted(found)


def fingerprint() -> str | None:
    """The fingerprint of the key in use, read from the key files, else from the key itself."""
    directory = Path(settings.DEBRIEF_KEYS_DIR)
    first = next(directory.glob("*.key"), None) if directory.exists() else None
    ids = wrapping_ids({first.name: first.read_bytes()}) if first else []
    if ids:
        return ids[0]
    try:
        keys = load_existing()
    except Exception:  # a locked key without its passphrase: no fingerprint, no failure
        return None
    return keys.current_id if keys else None
