"""A damaged, tampered or foreign backup, or a target that is not empty, is refused whole.

One demo practice is backed up once; each test spoils a copy of the archive (a flipped byte,
a cut, a missing member, an edited manifest, rows the database refuses) and restores it with
`manage.py restore` into a fresh installation. The command must fail with a message that says
what is wrong, and the installation must be exactly as it was: same files, no accounts, no keys.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from debrief.backup import archive
from debrief.backup.restore import RestoreRefused, check_archive
from tests.backup_helpers import Installation, pg_reachable

Members = dict[str, bytes]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Installation, Path]:
    base = tmp_path_factory.mktemp("made")
    source = Installation(base / "source", "sqlite")
    source.demo()
    path = base / "practice.debrief-backup"
    source.manage("backup", "--output", str(path))
    return source, path


@pytest.fixture
def target(tmp_path: Path, made: tuple[Installation, Path]) -> Installation:
    installation = Installation(tmp_path / "target", "sqlite")
    installation.manage("migrate", "--noinput")  # an empty installation that was started once
    key = made[0].data_dir / "master.key"
    (installation.data_dir / "master.key").write_bytes(key.read_bytes())
    return installation


def _state(installation: Installation) -> dict[str, str]:
    return {
        str(p.relative_to(installation.data_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(installation.data_dir.rglob("*"))
        if p.is_file()
    }


def _refused(installation: Installation, path: Path, *expected: str) -> str:
    before = _state(installation)
    result = installation.manage("restore", str(path), check=False)
    assert result.returncode != 0, result.stdout
    message = result.stderr
    assert "Not restored." in message and "Traceback" not in message, message
    assert any(text in message for text in expected), message
    assert _state(installation) == before, "a refused restore changed the installation"
    count = installation.shell(
        "from debrief.accounts.models import User; print(User.objects.count())"
    )
    assert count.strip() == "0"
    return message


def _read(path: Path) -> tuple[dict[str, Any], Members]:
    with tarfile.open(path) as tar:
        found = {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]
    return json.loads(found.pop(archive.MANIFEST)), found


def _write(path: Path, manifest: dict[str, Any], members: Members) -> Path:
    """A tar exactly as backup writes one, with this manifest as it is (not recomputed)."""
    with tarfile.open(path, "w") as tar:
        for name, data in [(archive.MANIFEST, json.dumps(manifest).encode()), *members.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _spoiled(made: Path, tmp_path: Path, change: Callable[[dict[str, Any], Members], None]) -> Path:
    manifest, members = _read(made)
    change(manifest, members)
    return _write(tmp_path / "spoiled.debrief-backup", manifest, members)


def _table(manifest: dict[str, Any], model: str) -> dict[str, Any]:
    return next(t for t in manifest["tables"] if t["model"] == model)


def test_a_flipped_byte_in_a_table_is_refused(
    made: Any, target: Installation, tmp_path: Path
) -> None:
    data = bytearray(made[1].read_bytes())
    with tarfile.open(made[1]) as tar:
        member = next(m for m in tar if m.name.endswith("journal.answer.jsonl.gz"))
    data[member.offset_data + member.size // 2] ^= 0x01
    spoiled = tmp_path / "flipped.debrief-backup"
    spoiled.write_bytes(bytes(data))
    message = _refused(target, spoiled, "does not match its checksum")
    assert "journal.answer" in message


def test_a_flipped_byte_in_the_archive_structure_is_refused(
    made: Any, target: Installation, tmp_path: Path
) -> None:
    data = bytearray(made[1].read_bytes())
    with tarfile.open(made[1]) as tar:
        member = next(m for m in tar if m.name.startswith("keys/"))
    data[member.offset + 10] ^= 0x20  # inside the member's header: its name
    spoiled = tmp_path / "header.debrief-backup"
    spoiled.write_bytes(bytes(data))
    # tarfile reads a bad header after the first as the end: the members after it are missing.
    _refused(target, spoiled, "not a readable Debrief backup", "incomplete or damaged")


def _cut_points(path: Path) -> dict[str, int]:
    with tarfile.open(path) as tar:
        last = list(tar)[-1]
    size = path.stat().st_size
    return {
        "half": size // 2,
        "in the last member": last.offset_data + last.size // 2,
        "in the first header": 100,
        "empty": 0,
    }


@pytest.mark.parametrize("where", ["half", "in the last member"])
def test_a_truncated_archive_is_refused(
    where: str, made: Any, target: Installation, tmp_path: Path
) -> None:
    spoiled = tmp_path / "cut.debrief-backup"
    spoiled.write_bytes(made[1].read_bytes()[: _cut_points(made[1])[where]])
    _refused(target, spoiled, "cut short", "incomplete", "no manifest")


@pytest.mark.parametrize("where", ["in the first header", "empty"])
def test_an_archive_cut_at_its_start_is_refused(where: str, made: Any, tmp_path: Path) -> None:
    spoiled = tmp_path / "cut.debrief-backup"
    spoiled.write_bytes(made[1].read_bytes()[: _cut_points(made[1])[where]])
    with pytest.raises(RestoreRefused, match=r"not a readable Debrief backup|no manifest"):
        check_archive(spoiled)


def test_a_missing_member_is_refused(made: Any, target: Installation, tmp_path: Path) -> None:
    def drop_a_key(manifest: dict[str, Any], members: Members) -> None:
        del members[next(n for n in members if n.startswith("keys/"))]

    _refused(target, _spoiled(made[1], tmp_path, drop_a_key), "incomplete")


def test_a_member_the_manifest_does_not_list_is_refused(
    made: Any, target: Installation, tmp_path: Path
) -> None:
    def add_a_key(manifest: dict[str, Any], members: Members) -> None:
        members["keys/00000000-0000-0000-0000-000000000000.key"] = b"{}"

    _refused(target, _spoiled(made[1], tmp_path, add_a_key), "does not list")


def _tamper_checksum(manifest: dict[str, Any], members: Members) -> None:
    manifest["members"][0]["sha256"] = "0" * 64


def _tamper_rows(manifest: dict[str, Any], members: Members) -> None:
    _table(manifest, "journal.answer")["rows"] += 1


def _newer_format(manifest: dict[str, Any], members: Members) -> None:
    manifest["format_version"] = archive.FORMAT_VERSION + 1


def _newer_code(manifest: dict[str, Any], members: Members) -> None:
    manifest["migrations"].append("journal.9999_from_the_future")


def _older_code(manifest: dict[str, Any], members: Members) -> None:
    manifest["migrations"] = [m for m in manifest["migrations"] if not m.startswith("backup.")]


def _not_ours(manifest: dict[str, Any], members: Members) -> None:
    manifest["format"] = "something-else"


def _broken_manifest(manifest: dict[str, Any], members: Members) -> None:
    del manifest["tables"]


def test_a_tampered_checksum_is_refused(made: Any, target: Installation, tmp_path: Path) -> None:
    _refused(target, _spoiled(made[1], tmp_path, _tamper_checksum), "does not match its checksum")


# The same checks, in this process: they run before anything reads or writes the installation.
@pytest.mark.parametrize(
    "change, expected",
    [
        (_tamper_rows, "is short"),
        (_newer_format, "newer version of Debrief (backup format"),
        (_newer_code, "newer version of Debrief (it has migration"),
        (_older_code, "older version of Debrief"),
        (_not_ours, "not a Debrief backup"),
        (_broken_manifest, "manifest is damaged"),
    ],
)
def test_a_tampered_manifest_is_refused(
    change: Callable[[dict[str, Any], Members], None],
    expected: str,
    made: Any,
    tmp_path: Path,
) -> None:
    with pytest.raises(RestoreRefused, match=re.escape(expected)):
        check_archive(_spoiled(made[1], tmp_path, change))


def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("Priya's notes\n")
    with pytest.raises(RestoreRefused, match="not a readable Debrief backup"):
        check_archive(other)
    with pytest.raises(RestoreRefused, match="There is no file"):
        check_archive(tmp_path / "nowhere.debrief-backup")
    with pytest.raises(RestoreRefused, match="is a folder"):
        check_archive(tmp_path)


def _rows_the_database_refuses(made: Path, tmp_path: Path) -> Path:
    """Checksums and manifest all correct, but one answer's id twice: the insert fails late."""
    manifest, members = _read(made)
    entry = _table(manifest, "journal.answer")
    import gzip

    lines = gzip.decompress(members[entry["member"]]).decode().splitlines()
    lines.append(lines[-1])  # the last row again: the same primary key
    members[entry["member"]] = gzip.compress(("\n".join(lines) + "\n").encode())
    entry["rows"] += 1
    contents = archive.Contents(manifest=manifest)
    for name, data in members.items():
        contents.add(name, data)
    path = tmp_path / "duplicate.debrief-backup"
    archive.write(path, contents)
    return path


@pytest.mark.parametrize(
    "kind",
    [
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.skipif(not pg_reachable(), reason="no PG")),
    ],
)
def test_rows_the_database_refuses_leave_nothing_half_restored(
    kind: str, made: Any, tmp_path: Path
) -> None:
    spoiled = _rows_the_database_refuses(made[1], tmp_path)
    target = Installation(
        tmp_path / "t", "sqlite" if kind == "sqlite" else f"backup_dup_{os.getpid()}"
    )
    try:
        (target.data_dir / "master.key").write_bytes((made[0].data_dir / "master.key").read_bytes())
        result = target.manage("restore", str(spoiled), check=False)
        assert result.returncode != 0 and "Every row was rolled back" in result.stderr
        counts = target.shell(
            "from debrief.accounts.models import User; from debrief.journal.models import Answer;"
            "print(User.objects.count(), Answer.objects.count())"
        )
        assert counts.split() == ["0", "0"]
        assert not list((target.data_dir / "keys").glob("*.key"))
        assert "Restored" in target.manage("restore", str(made[1])).stdout  # and it can still be
    finally:
        target.drop()


def test_a_restore_into_a_journal_in_use_is_refused_and_leaves_it_alone(
    made: tuple[Installation, Path],
) -> None:
    source, path = made
    before = source.exports()
    message = _refused_in_use(source, path)
    assert "not empty" in message and "DEBRIEF_DATA_DIR" in message
    assert source.exports() == before


def _refused_in_use(installation: Installation, path: Path) -> str:
    result = installation.manage("restore", str(path), check=False)
    assert result.returncode != 0
    return result.stderr


def test_a_key_directory_that_is_not_empty_is_refused(target: Installation, made: Any) -> None:
    keys = target.data_dir / "keys"
    keys.mkdir(exist_ok=True)
    (keys / "00000000-0000-0000-0000-000000000000.key").write_text("{}")
    _refused(target, made[1], "not empty")


def test_without_the_master_key_nothing_is_restored_and_no_key_is_made(
    target: Installation, made: Any
) -> None:
    (target.data_dir / "master.key").unlink()
    _refused(target, made[1], "There is no master key here")
    assert not (target.data_dir / "master.key").exists()


def test_with_another_master_key_nothing_is_restored(target: Installation, made: Any) -> None:
    import base64

    (target.data_dir / "master.key").write_text(base64.urlsafe_b64encode(os.urandom(32)).decode())
    message = _refused(target, made[1], "does not open the data keys")
    fingerprint = json.loads(next((made[0].data_dir / "keys").glob("*.key")).read_text())["master"]
    assert fingerprint in message


@pytest.fixture(autouse=True)
def _no_leftovers(tmp_path: Path) -> Iterator[None]:
    yield
    leftovers = [
        *tmp_path.rglob(".restore-*"),
        *tmp_path.rglob(".backup-*"),
        *tmp_path.rglob("*.partial"),
    ]
    assert not leftovers, leftovers


def test_a_master_key_locked_with_a_passphrase_needs_it(target: Installation, made: Any) -> None:
    passphrase = "a long and private passphrase"
    target.env["DEBRIEF_NEW_MASTER_KEY_PASSPHRASE"] = passphrase
    target.manage("protect_master_key")
    _refused(target, made[1], "protected by a passphrase")
    target.env["DEBRIEF_MASTER_KEY_PASSPHRASE"] = passphrase
    assert "Restored" in target.manage("restore", str(made[1])).stdout
