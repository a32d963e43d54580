"""Keys that cannot be lost silently: start-up refuses, and no key is ever made over old notes.

Each state a real install gets into (master key missing, the wrong one, a truncated key file,
a wrong passphrase, an empty ``keys/``, one coachee's key gone) is checked the way an operator
meets it: ``manage.py check`` and ``serve`` stop with what is wrong and what to do, and a save
never makes a second key for notes that exist.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.lib.sealing import BINARY_HEAD, b64encode, new_key
from debrief.privacy.checks import key_problems
from debrief.privacy.keystore import KeyError_, keystore, reset_keystore
from debrief.privacy.sealed import key_names_in_use
from tests.conftest import make_coachee

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def install(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """An installation of its own: data directory, master key and key directory."""
    settings.DATA_DIR = tmp_path
    settings.DEBRIEF_KEYS_DIR = tmp_path / "keys"
    reset_keystore()
    yield tmp_path
    reset_keystore()


def _ids() -> list[str]:
    return [p.id for p in key_problems()]


def _check_output() -> str:
    with pytest.raises(SystemCheckError) as refused:
        call_command("check", stdout=StringIO(), stderr=StringIO())
    return str(refused.value)


def _lose(path: Path) -> None:
    path.unlink()
    reset_keystore()


def test_an_empty_installation_makes_its_keys_with_the_first_note(
    install: Path, alice: User
) -> None:
    assert _ids() == []
    assert not (install / "master.key").exists()
    priya = make_coachee(alice)
    assert (install / "master.key").exists()
    assert (install / "keys" / f"{priya.code}.key").exists()
    assert _ids() == []
    call_command("check", stdout=StringIO())  # no error


def test_a_missing_master_key_is_refused_and_never_replaced(install: Path, alice: User) -> None:
    priya = make_coachee(alice)
    _lose(install / "master.key")
    assert _ids() == ["debrief.E001"]
    out = _check_output()
    assert "master key" in out and "is missing" in out and "Put master.key back" in out
    # A page reading the notes says they cannot be opened; a new note is refused, not sealed
    # under a new master key that the real one would never open.
    assert Coachee.objects.get(pk=priya.pk).name.startswith("This note cannot be opened")
    with pytest.raises(KeyError_, match="will not make a new master key"):
        make_coachee(alice, "Maya Okafor")
    assert not (install / "master.key").exists()


def test_the_wrong_master_key_is_refused(install: Path, alice: User) -> None:
    make_coachee(alice)
    (install / "master.key").write_text(b64encode(new_key()) + "\n")
    reset_keystore()
    assert _ids() == ["debrief.E005"]
    assert "do not open with the master key in use" in _check_output()


def test_a_truncated_master_key_file_is_refused(install: Path, alice: User) -> None:
    make_coachee(alice)
    path = install / "master.key"
    path.write_text(path.read_text()[:20])
    reset_keystore()
    assert _ids() == ["debrief.E002"]
    assert "32-byte key" in _check_output()


def test_a_truncated_data_key_file_is_refused(install: Path, alice: User) -> None:
    priya = make_coachee(alice)
    path = install / "keys" / f"{priya.code}.key"
    path.write_text(path.read_text()[:30])
    reset_keystore()
    assert _ids() == ["debrief.E005"]
    assert Coachee.objects.get(pk=priya.pk).name.startswith("This note cannot be opened")


def test_a_wrong_passphrase_is_refused(
    install: Path, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_coachee(alice)
    monkeypatch.setenv("DEBRIEF_NEW_MASTER_KEY_PASSPHRASE", "a long quiet passphrase")
    call_command("protect_master_key", stdout=StringIO())
    monkeypatch.delenv("DEBRIEF_MASTER_KEY_PASSPHRASE", raising=False)
    reset_keystore()
    # `check` cannot ask for it (serve does, then checks): no error, but serve's check refuses.
    call_command("check", stdout=StringIO())
    assert _ids() == ["debrief.E002"]
    monkeypatch.setenv("DEBRIEF_MASTER_KEY_PASSPHRASE", "not the passphrase at all")
    reset_keystore()
    assert _ids() == ["debrief.E002"]
    assert "The passphrase does not open" in _check_output()
    monkeypatch.setenv("DEBRIEF_MASTER_KEY_PASSPHRASE", "a long quiet passphrase")
    reset_keystore()
    assert _ids() == []


def test_an_empty_key_directory_is_refused_and_no_second_key_is_made(
    install: Path, alice: User
) -> None:
    priya = make_coachee(alice)
    for path in (install / "keys").glob("*.key"):
        path.unlink()
    reset_keystore()
    assert _ids() == ["debrief.E003"]
    assert "holds no data keys" in _check_output()
    priya = Coachee.objects.get(pk=priya.pk)
    priya.name = "Priya S."
    with pytest.raises(KeyError_, match="will not make a new key"):
        priya.save()
    assert not list((install / "keys").glob("*.key"))


def test_one_missing_data_key_is_refused_until_purged(install: Path, alice: User) -> None:
    priya = make_coachee(alice)
    maya = make_coachee(alice, "Maya Okafor")
    _lose(install / "keys" / f"{maya.code}.key")
    problems = key_problems()
    assert [p.id for p in problems] == ["debrief.E004"]
    assert str(maya.code) in problems[0].message and str(priya.code) not in problems[0].message
    assert "unopenable --purge" in problems[0].hint
    call_command("unopenable", "--purge", stdout=StringIO())
    assert _ids() == []
    assert list(Coachee.objects.values_list("pk", flat=True)) == [priya.pk]


def test_notes_in_the_first_format_also_stop_a_key_being_made_over_them(
    install: Path, alice: User
) -> None:
    # An installation from before 2026-12 holds v1.<code>. values only: they count as notes.
    maya = make_coachee(alice, "Maya Okafor")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM coachees_coachee WHERE id = %s", [maya.pk])
        sealed = bytes(cursor.fetchone()[0])[BINARY_HEAD:]
        # As the migration to bytes left it: the text's own bytes.
        first_format = f"v1.{maya.code.hex}.{b64encode(sealed)}".encode()
        cursor.execute(
            "UPDATE coachees_coachee SET name = %s, email = %s, organisation = %s, "
            "background = %s, pronouns = %s, preferred_name = %s WHERE id = %s",
            [first_format, *[b""] * 5, maya.pk],
        )
    _lose(install / "keys" / f"{maya.code}.key")
    with pytest.raises(KeyError_, match="will not make a new key"):
        keystore().data_key(maya.code, create=True)
    assert not (install / "keys" / f"{maya.code}.key").exists()
    assert key_names_in_use()[maya.code.hex] == 1


def _sealed_value_checks(queries: Any, code: Any) -> list[str]:
    """The queries that looked for values sealed under ``code`` (each sealed column's head)."""
    return [
        q["sql"] for q in queries if code.hex in q["sql"].lower() and "SUBSTR" in q["sql"].upper()
    ]


def test_a_new_coachee_gets_its_key_without_reading_the_whole_installation(
    install: Path, alice: User, alice_client: Any
) -> None:
    """The check reads every sealed column, so its cost grew with a firm; a fresh code skips it."""
    maya = make_coachee(alice, "Maya Okafor")
    with CaptureQueriesContext(connection) as queries:
        response = alice_client.post(
            reverse("coachee_new"), {"name": "Tomás Ruiz", "status": "active"}
        )
    assert response.status_code == 302
    tomas = Coachee.objects.filter(coach=alice).exclude(pk=maya.pk).get()
    assert (install / "keys" / f"{tomas.code}.key").exists()
    assert _sealed_value_checks(queries.captured_queries, tomas.code) == []


def test_a_code_from_elsewhere_is_still_checked_before_a_key_is_made(
    install: Path, alice: User
) -> None:
    code = uuid.uuid4()  # as an import or a restore brings one: not minted by this process
    with CaptureQueriesContext(connection) as queries:
        Coachee.objects.create(coach=alice, code=code, name="Priya Shah")
    assert (install / "keys" / f"{code}.key").exists()
    assert _sealed_value_checks(queries.captured_queries, code) != []


def test_a_new_key_never_replaces_one_made_a_moment_before(install: Path) -> None:
    from debrief.privacy.keystore import write_secret_file

    path = install / "keys" / "made-by-another-process.key"
    write_secret_file(path, "first\n", exclusive=True)
    with pytest.raises(FileExistsError):
        write_secret_file(path, "second\n", exclusive=True)
    assert path.read_text() == "first\n"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary left


# --- through the front door: the server started as `make run` starts it ----------------------

SETUP = """
from debrief.accounts.models import User
from debrief.coachees.models import Coachee
coach = User.objects.create_user(email="alice@example.com", password="x" * 12)
Coachee.objects.create(coach=coach, name="Priya Shah", background="trusts the process")
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _manage(
    env: dict[str, str], *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


@pytest.fixture
def served_install(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, DEBRIEF_DATA_DIR=str(tmp_path), DEBRIEF_SECRET_KEY="keys-test")
    for name in ("DATABASE_URL", "DEBRIEF_MASTER_KEY", "DEBRIEF_MASTER_KEY_FILE"):
        env.pop(name, None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    _manage(env, "migrate", "--noinput")
    _manage(env, "shell", "--no-imports", "-c", SETUP)
    return env


def _serve(env: dict[str, str]) -> tuple[int, str, int]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        out, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        pytest.fail(f"serve kept running with its keys missing: {out}")
    return proc.returncode, out, port


def _serves_nothing(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize(
    ("lose", "said"),
    [
        ("master.key", "master key"),
        ("keys/*.key", "holds no data keys"),
    ],
)
def test_serve_refuses_with_its_keys_missing_and_serves_nothing(
    served_install: dict[str, str], lose: str, said: str
) -> None:
    data = Path(served_install["DEBRIEF_DATA_DIR"])
    lost = list(data.glob(lose))
    assert lost
    for path in lost:
        path.unlink()
    code, out, port = _serve(served_install)
    assert code != 0, out
    assert said in out and "Debrief is running" not in out
    assert "Put" in out  # what to do
    assert _serves_nothing(port)
    checked = _manage(served_install, "check", check=False)
    assert checked.returncode != 0 and said in checked.stderr
    migrated = _manage(served_install, "migrate", "--noinput", check=False)  # make run's first step
    assert migrated.returncode != 0
    assert sorted(data.glob(lose)) == []  # nothing made in their place


def test_serve_starts_when_the_keys_are_there(served_install: dict[str, str]) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT,
        env=served_install,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while _serves_nothing(port) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()[0]
            time.sleep(0.2)
        assert not _serves_nothing(port)
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def test_sealed_two_factor_secrets_count_as_notes_that_need_their_key(
    install: Path, alice: User
) -> None:
    from allauth.mfa.models import Authenticator

    from debrief.accounts.secrets import ACCOUNT_SECRETS_UUID, seal_secret

    Authenticator.objects.create(user=alice, type="totp", data={"secret": seal_secret("JBSWY3DP")})
    _lose(install / "keys" / f"{ACCOUNT_SECRETS_UUID}.key")
    assert _ids() == ["debrief.E003"]
    with pytest.raises(KeyError_, match="will not make a new key"):
        seal_secret("another")
