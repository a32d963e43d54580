"""Start-up refuses when encrypted notes exist but their keys are missing or do not open.

Run as a Django system check (``manage.py check``, and before ``migrate``, ``serve`` and most
other commands) and again by ``serve`` once a passphrase-locked master key is unlocked. Each
problem says what is wrong and what to do; nothing here creates a key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from debrief.privacy.keystore import (
    KeyError_,
    Keystore,
    MasterKeys,
    is_protected,
    load_master_keys,
)
from debrief.privacy.sealed import key_names_in_use

RESTORE = (
    "Put back the key directory (and master.key) from where you keep them, then start again. "
    "If you restored a database backup taken before a coachee was erased, their notes cannot "
    "open by design: `python manage.py unopenable` lists what is affected and "
    "`python manage.py unopenable --purge` removes it."
)


@dataclass(frozen=True)
class Problem:
    id: str
    message: str
    hint: str


def _master(verify_passphrase: bool) -> tuple[MasterKeys | None, list[Problem]]:
    path = Path(settings.DATA_DIR) / "master.key"
    external = os.environ.get("DEBRIEF_MASTER_KEY") or os.environ.get("DEBRIEF_MASTER_KEY_FILE")
    if not external and not path.exists():
        return None, []  # the installation decides below whether that is a problem
    if (
        not external
        and not verify_passphrase
        and is_protected(path.read_text())
        and not os.environ.get("DEBRIEF_MASTER_KEY_PASSPHRASE")
    ):
        return None, []  # `serve` asks for the passphrase, then checks again
    try:
        return load_master_keys(), []
    except KeyError_ as error:
        return None, [Problem("debrief.E002", f"The master key does not load: {error}", RESTORE)]
    except OSError as error:
        return None, [Problem("debrief.E002", f"The master key cannot be read: {error}", RESTORE)]


def _in_use() -> dict[UUID, int]:
    try:
        counts = key_names_in_use()
    except DatabaseError:  # no tables yet: nothing is sealed
        return {}
    found: dict[UUID, int] = {}
    for name, n in counts.items():
        try:
            found[UUID(hex=name)] = n
        except ValueError:
            continue  # a damaged value: `unopenable` reports it, it needs no key
    return found


def _data_keys(master: MasterKeys, in_use: dict[UUID, int]) -> list[Problem]:
    store = Keystore(Path(settings.DEBRIEF_KEYS_DIR), master)
    files = set(store.codes())
    missing = [code for code in in_use if code not in files]
    unopened = []
    for code in sorted(files, key=str):
        try:
            store._read(code)
        except KeyError_:
            unopened.append(code)
    problems = []
    if missing and not files:
        problems.append(
            Problem(
                "debrief.E003",
                f"The key directory {store.directory} holds no data keys, but "
                f"{sum(in_use.values())} stored values are encrypted with "
                f"{len(in_use)} of them.",
                RESTORE,
            )
        )
    elif missing:
        problems.append(
            Problem(
                "debrief.E004",
                f"{len(missing)} data key(s) are missing from {store.directory} "
                f"({sum(in_use[c] for c in missing)} stored values need them): "
                + ", ".join(str(c) for c in missing[:5])
                + (" and more" if len(missing) > 5 else "")
                + ".",
                RESTORE,
            )
        )
    if unopened:
        problems.append(
            Problem(
                "debrief.E005",
                f"{len(unopened)} data key(s) in {store.directory} do not open with the master "
                f"key in use ({master.current_id}): the master key is not the one they were "
                "made with, or the key files are damaged.",
                "Set DEBRIEF_MASTER_KEY or DEBRIEF_MASTER_KEY_FILE, or put back master.key, to "
                "the key this installation was made with (its id is in each file in keys/).",
            )
        )
    return problems


def key_problems(*, verify_passphrase: bool = True) -> list[Problem]:
    """What stops Debrief from opening the notes it holds (empty when all is well)."""
    master, problems = _master(verify_passphrase)
    if problems:
        return problems
    in_use = _in_use()
    if master is None:
        path = Path(settings.DATA_DIR) / "master.key"
        files = list(Path(settings.DEBRIEF_KEYS_DIR).glob("*.key"))
        if path.exists():
            return []  # locked with a passphrase: `serve` checks once it is unlocked
        if in_use or files:
            return [
                Problem(
                    "debrief.E001",
                    f"The master key {path} is missing, but this installation holds "
                    f"{len(files)} data key(s) and {sum(in_use.values())} encrypted values. "
                    "Debrief will not make a new master key: nothing written under the old "
                    "one would open again.",
                    "Put master.key back into the data directory (from your recovery sheet or "
                    "password manager), or set DEBRIEF_MASTER_KEY or DEBRIEF_MASTER_KEY_FILE.",
                )
            ]
        return []  # an empty installation: the master key is made with the first note
    return _data_keys(master, in_use)


def check_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(p.message, hint=p.hint, id=p.id) for p in key_problems(verify_passphrase=False)
    ]


def refusal(problems: list[Problem]) -> str:
    """The message ``serve`` stops with."""
    lines = ["Debrief did not start: it cannot open the notes it holds."]
    for p in problems:
        lines += ["", p.message, f"What to do: {p.hint}"]
    return "\n".join(lines)
