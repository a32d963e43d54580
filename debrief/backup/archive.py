"""The backup file: one tar archive with a manifest, checked in full before anything is used.

Members: ``manifest.json`` first, then ``database/NNN-<app>.<model>.jsonl.gz`` (see
``tables``), ``keys/<code>.key`` (the wrapped data keys, exactly as in the key directory) and
``certificates/<code>.sealed`` (CPD certificates, sealed). The manifest names the format and
its version, when the backup was made, the migrations the database had, each table's member
and row count, and the size and SHA-256 of every member. The master key is never a member.

Raise ``FORMAT_VERSION`` when a member changes meaning; a restore refuses a newer version.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "debrief-backup"
FORMAT_VERSION = 1
EXTENSION = ".debrief-backup"
MANIFEST = "manifest.json"
_MEMBER = re.compile(
    r"^(database/\d{3}-[a-z0-9_]+\.[a-z0-9_]+\.jsonl\.gz|keys/[0-9a-f-]{36}\.key|certificates/[0-9a-f-]{36}\.sealed)$"
)


class ArchiveError(ValueError):
    """The file is not a backup this Debrief can restore; the message says why and what to do."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Contents:
    """What goes into, or came out of, one archive."""

    manifest: dict[str, Any] = field(default_factory=dict)
    members: dict[str, bytes] = field(default_factory=dict)

    def add(self, name: str, data: bytes) -> None:
        if not _MEMBER.match(name):
            raise ValueError(f"not a member name of a backup: {name}")
        self.members[name] = data

    def of(self, prefix: str) -> dict[str, bytes]:
        return {n: d for n, d in self.members.items() if n.startswith(prefix)}


def _tar_info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, 0
    return info


def write(path: Path, contents: Contents) -> tuple[int, str]:
    """Write atomically with mode 0600; the size and SHA-256 of the file written."""
    contents.manifest["members"] = [
        {"name": n, "size": len(d), "sha256": sha256(d)}
        for n, d in sorted(contents.members.items())
    ]
    manifest = (json.dumps(contents.manifest, indent=2, sort_keys=True) + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    digest = hashlib.sha256()
    with os.fdopen(fd, "wb") as raw:
        hashing = _Hashing(raw, digest)
        with tarfile.open(fileobj=hashing, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            tar.addfile(_tar_info(MANIFEST, len(manifest)), io.BytesIO(manifest))
            for name in sorted(contents.members):
                data = contents.members[name]
                tar.addfile(_tar_info(name, len(data)), io.BytesIO(data))
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(partial, path)
    return path.stat().st_size, digest.hexdigest()


class _Hashing(io.RawIOBase):
    def __init__(self, raw: Any, digest: Any) -> None:
        self.raw, self.digest = raw, digest

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.digest.update(data)
        return int(self.raw.write(data))


# Reading: nothing is trusted until every check has passed. -------------------------------


def read(path: Path) -> Contents:
    """The archive's manifest and members, each checked against the manifest."""
    found = _read_members(path)
    manifest = _manifest(found.pop(MANIFEST, None))
    listed = {m["name"]: m for m in manifest["members"]}
    missing = sorted(set(listed) - set(found))
    if missing:
        raise ArchiveError(
            f"The backup is incomplete or damaged: {len(missing)} of its files are missing or "
            f"unreadable (first: {missing[0]}). It may have been cut short while copying; use "
            "another copy."
        )
    extra = sorted(set(found) - set(listed))
    if extra:
        raise ArchiveError(f"The backup holds a file its manifest does not list: {extra[0]}.")
    for name, data in found.items():
        if len(data) != listed[name]["size"] or sha256(data) != listed[name]["sha256"]:
            raise ArchiveError(
                f"The backup is damaged: {name} does not match its checksum. Use another copy."
            )
    return Contents(manifest, found)


def _read_members(path: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(path, mode="r:") as tar:
            for member in tar:
                if not member.isfile() or (
                    member.name != MANIFEST and not _MEMBER.match(member.name)
                ):
                    raise ArchiveError(f"The file holds {member.name!r}, which no backup holds.")
                if member.name in found:
                    raise ArchiveError(f"The file holds {member.name} twice.")
                handle = tar.extractfile(member)
                assert handle is not None
                found[member.name] = handle.read()
    except FileNotFoundError:
        raise ArchiveError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise ArchiveError(f"{path} is a folder: name the backup file itself.") from None
    except (tarfile.TarError, EOFError, OSError) as error:
        raise ArchiveError(
            f"{path} is not a readable Debrief backup ({error}). It may be damaged or cut "
            "short: use another copy."
        ) from None
    return found


def _manifest(data: bytes | None) -> dict[str, Any]:
    if data is None:
        raise ArchiveError("The file has no manifest: it is not a Debrief backup, or is damaged.")
    try:
        manifest = json.loads(data)
        kind, version = manifest["format"], manifest["format_version"]
        members = manifest["members"]
        for item in members:
            str(item["name"]), int(item["size"]), str(item["sha256"])
        manifest["tables"], manifest["migrations"]
    except (ValueError, KeyError, TypeError):
        raise ArchiveError("The backup's manifest is damaged: use another copy.") from None
    if kind != FORMAT:
        raise ArchiveError("The file is not a Debrief backup.")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ArchiveError(
            f"This backup was made by a newer version of Debrief (backup format {version}; this "
            f"one reads up to {FORMAT_VERSION}). Upgrade Debrief, then restore."
        )
    return dict(manifest)
