"""Backup and restore as an operator runs them, with every coachee's export as the proof.

The demo practice is made with `manage.py demo`; `manage.py backup` runs while `manage.py serve`
is serving it; `manage.py restore` fills a fresh data directory (and a fresh database); the
restored installation is served again and signed in to over HTTP. Each coachee's full export
must be byte-identical before and after, on SQLite, on PostgreSQL and across the two.
"""

from __future__ import annotations

import gzip
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backup_helpers import Browser, Installation, pg_reachable

DEMO_EMAIL = "demo@debrief.local"
CERTIFICATE_BYTES = b"%PDF-1.4\n% a CPD certificate, sealed on disk\n%%EOF\n"
CERTIFICATE = f"""
from debrief.practice import certificates
from debrief.practice.models import CPDEntry
entry = CPDEntry.objects.order_by("pk").first()
data = {CERTIFICATE_BYTES!r}
certificates.store(entry.code, data)
entry.certificate_type, entry.certificate_size, entry.certificate_name = "pdf", len(data), "c.pdf"
entry.save(update_fields=["certificate_type", "certificate_size", "certificate_name"])
print(entry.code)
"""
needs_pg = pytest.mark.skipif(not pg_reachable(), reason="PostgreSQL is not reachable")


def _every_member_opened(path: Path) -> bytes:
    """Every member's bytes, the gzip'd tables decompressed: what a thief would read."""
    found = []
    with tarfile.open(path) as tar:
        for member in tar:
            data = tar.extractfile(member).read()  # type: ignore[union-attr]
            found.append(gzip.decompress(data) if member.name.endswith(".gz") else data)
    return b"\n".join(found)


def _database(kind: str, role: str) -> str:
    return "sqlite" if kind == "sqlite" else f"backup_{role}_{os.getpid()}"


@pytest.fixture
def installations(tmp_path: Path) -> Iterator[list[Installation]]:
    made: list[Installation] = []
    yield made
    for installation in made:
        installation.drop()


def _new(made: list[Installation], tmp_path: Path, kind: str, role: str) -> Installation:
    installation = Installation(tmp_path / role, _database(kind, role))
    made.append(installation)
    return installation


@pytest.mark.parametrize(
    "source_kind, target_kind",
    [
        ("sqlite", "sqlite"),
        pytest.param("postgres", "postgres", marks=needs_pg),
        pytest.param("sqlite", "postgres", marks=needs_pg),
        pytest.param("postgres", "sqlite", marks=needs_pg),
    ],
)
def test_every_export_is_identical_after_a_restore_into_an_empty_installation(
    source_kind: str, target_kind: str, tmp_path: Path, installations: list[Installation]
) -> None:
    source = _new(installations, tmp_path, source_kind, "source")
    password = source.demo()
    certificate = source.shell(CERTIFICATE).strip()  # the demo's CPD has no file: add one
    before = source.exports()
    assert len(before) >= 4 and all('"sessions": [' in text for text in before.values())
    source.manage("build_search_index")  # a search index with its snapshots, as after searches

    archive = tmp_path / "shelf" / "practice.debrief-backup"
    with source.serving():  # the server runs, as it would on a laptop or a firm's server
        made = source.manage("backup", "--output", str(archive))
    assert archive.exists() and "The master key is not in this backup" in made.stdout
    assert ", 1 certificate." in made.stdout
    assert str(source.data_dir / "master.key") in made.stdout
    assert b"master.key" not in archive.read_bytes()
    names = [text.split('"name": "', 1)[1].split('"', 1)[0] for text in before.values()]
    opened = _every_member_opened(archive)
    assert not [name for name in names if name.encode() in opened], "plain text in a backup"
    assert (source.data_dir / "master.key").read_bytes().strip() not in opened

    target = _new(installations, tmp_path, target_kind, "target")
    (target.data_dir / "master.key").write_bytes((source.data_dir / "master.key").read_bytes())
    done = target.manage("restore", str(archive))
    assert "Restored the backup" in done.stdout

    assert target.exports() == before
    added = target.shell(  # new rows get new ids: PostgreSQL's sequences were moved on
        "from debrief.accounts.models import User; from debrief.coachees.models import Coachee;"
        "from debrief.journal.models import Answer, Reflection;"
        "r = Reflection.objects.first(); Coachee.objects.create(coach=r.coach, name='New');"
        "Answer.objects.create(reflection=r, prompt_key='restored-x', text='After');"
        "print(Coachee.objects.count())"
    )
    assert int(added) == len(before) + 1
    with target.serving() as base:
        browser = Browser(base)
        assert not browser.sign_in(DEMO_EMAIL, password).endswith("/accounts/login/")
        pages = {code: browser.get(f"/coachees/{code}/") for code in before}
        status, body = browser.get_bytes(f"/practice/cpd/{certificate}/certificate")
        found = browser.get("/search/?q=confidence&format=json")
    assert status == 200 and body == CERTIFICATE_BYTES
    assert found[0] == 200 and '"total": 0' not in found[1], "search after a restore"
    for code, text in before.items():
        name = text.split('"name": "', 1)[1].split('"', 1)[0]
        assert pages[code][0] == 200 and name in pages[code][1], "the notes do not open"


def test_the_backup_run_is_recorded_with_counts_and_never_content(
    tmp_path: Path, installations: list[Installation]
) -> None:
    source = _new(installations, tmp_path, "sqlite", "source")
    source.demo()
    source.manage("backup", "--output", str(tmp_path))  # a folder: the file is named for it
    archives = list(tmp_path.glob("debrief-*.debrief-backup"))
    assert len(archives) == 1
    shown = source.shell(
        "from debrief.backup.models import BackupRun as B; r = B.objects.get(); "
        "print(r.size_bytes, r.row_counts['coachees.coachee'], r.data_keys)"
    ).split()
    assert int(shown[0]) == archives[0].stat().st_size
    assert int(shown[1]) >= 4 and int(shown[2]) >= 4
    again = source.manage("backup", "--output", str(archives[0]), check=False)
    assert again.returncode != 0 and "already exists" in again.stderr


def test_the_daily_job_backs_up_into_its_folder_and_deletes_only_its_own_old_files(
    tmp_path: Path, installations: list[Installation]
) -> None:
    source = _new(installations, tmp_path, "sqlite", "source")
    source.demo()
    off = source.manage("run_jobs", "--job", "backup", "--now").stdout
    assert "off: DEBRIEF_BACKUP_DIR is not set" in off

    folder = tmp_path / "nightly"
    folder.mkdir()
    old = folder / "debrief-scheduled-2026-01-01-023000.debrief-backup"
    mine = folder / "debrief-2026-01-01-023000.debrief-backup"  # made by hand: left alone
    for path in (old, mine):
        path.write_bytes(b"old")
        os.utime(path, (1_700_000_000, 1_700_000_000))
    source.env["DEBRIEF_BACKUP_DIR"] = str(folder)
    ran = source.manage("run_jobs", "--job", "backup", "--now").stdout
    assert "1 older removed" in ran
    made = list(folder.glob("debrief-scheduled-*"))
    assert len(made) == 1 and made[0] != old and mine.exists()
    assert "scheduled" in source.shell(
        "from debrief.backup.models import BackupRun as B; print(B.objects.get().started_by)"
    )
    target = _new(installations, tmp_path, "sqlite", "target")
    (target.data_dir / "master.key").write_bytes((source.data_dir / "master.key").read_bytes())
    assert "Restored" in target.manage("restore", str(made[0])).stdout
