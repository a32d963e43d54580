"""Encryption at rest: coachee text is ciphertext in the database, bound to its row and field."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem
from debrief.journal.models import Answer, CoachingSession
from debrief.journal.reflection import field_hash
from debrief.lib.sealing import BINARY, BINARY_HEAD
from debrief.privacy.fields import PrivateTextError, Unopenable
from debrief.privacy.keystore import keystore, reset_keystore
from tests.conftest import make_session

ROOT = Path(__file__).resolve().parent.parent
CANARY = "Canary-Quince-5521"
TABLES = ["coachees_coachee", "journal_answer", "followup_actionitem"]


def _write_canary_through_the_ui(client: Client) -> CoachingSession:
    client.post(
        reverse("coachee_new"),
        {"name": f"{CANARY} name", "background": f"{CANARY} notes", "status": "active"},
    )
    coachee = Coachee.objects.get()
    client.post(
        reverse("session_new"),
        {
            "coachee": str(coachee.code),
            "date": "2026-03-02",
            "duration_minutes": "60",
            "number": "1",
            "format": "video",
            "payment": "paid",
            "kind": "individual",
        },
    )
    session = CoachingSession.objects.get()
    client.post(
        reverse("reflection_edit", args=[session.code]),
        {
            "p-main_topics": f"{CANARY} answer",
            "base:p-main_topics": field_hash(""),
            "new-coach_actions-text": f"{CANARY} action",
        },
        HTTP_ACCEPT="application/json",
    )
    return session


def _raw_rows() -> str:
    with connection.cursor() as cursor:
        dump: list[str] = []
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table}")
            dump.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(dump)


def test_canary_is_ciphertext_in_every_row_and_plain_on_every_page(alice_client: Client) -> None:
    session = _write_canary_through_the_ui(alice_client)
    raw = _raw_rows()
    assert repr(bytes((BINARY,)) + session.coachee.code.bytes)[2:-1] in raw  # v3, its key's id
    assert CANARY not in raw
    html = alice_client.get(reverse("reflection_view", args=[session.code])).content.decode()
    for part in ("answer", "action"):
        assert f"{CANARY} {part}" in html
    coachee_page = alice_client.get(reverse("coachee_detail", args=[session.coachee.code]))
    assert f"{CANARY} notes" in coachee_page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_canary_is_not_in_a_pg_dump(alice: User) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("this run uses SQLite: test_canary_is_not_in_the_sqlite_file covers it")
    client = Client()
    client.force_login(alice)
    _write_canary_through_the_ui(client)
    db = connection.settings_dict
    dump = subprocess.run(
        [
            "pg_dump",
            "--host",
            db["HOST"] or "127.0.0.1",
            "--port",
            str(db["PORT"] or 5432),
            "--username",
            db["USER"],
            db["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "journal_answer" in dump
    assert CANARY not in dump


def test_canary_is_not_in_the_sqlite_file(tmp_path: Path) -> None:
    """A real install in a fresh data directory: the database file holds no plaintext."""
    script = f"""
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "debrief.settings"
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from debrief.accounts.models import User
from tests.test_encryption import _write_canary_through_the_ui
client = Client()
client.force_login(User.objects.create_user(email="c@example.com", password="x" * 14))
session = _write_canary_through_the_ui(client)
assert "{CANARY} answer" in client.get(f"/sessions/{{session.code}}/").content.decode()
"""
    env = dict(os.environ, DEBRIEF_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    env["DEBRIEF_ALLOWED_HOSTS"] = "testserver"
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)
    files = [p for p in tmp_path.iterdir() if p.name.startswith("debrief.sqlite3")]
    assert files
    for path in files:
        assert CANARY.encode() not in path.read_bytes(), path.name
    # One data key for the coachee, and the account-secrets key that sealed the flash message.
    from debrief.accounts.secrets import ACCOUNT_SECRETS_UUID

    keys = {p.stem for p in (tmp_path / "keys").glob("*.key")}
    assert len(keys - {str(ACCOUNT_SECRETS_UUID)}) == 1


def test_a_value_moved_to_another_row_does_not_open(session: CoachingSession) -> None:
    reflection = session.reflection
    first = Answer.objects.create(reflection=reflection, prompt_key="main_topics", text="mine")
    second = Answer.objects.create(reflection=reflection, prompt_key="key_insights", text="other")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM journal_answer WHERE id = %s", [first.pk])
        token = cursor.fetchone()[0]
        cursor.execute("UPDATE journal_answer SET text = %s WHERE id = %s", [token, second.pk])
    moved = Answer.objects.get(pk=second.pk)
    assert moved.text == "This note cannot be opened: it is damaged."
    assert isinstance(moved.text, Unopenable)
    assert Answer.objects.get(pk=first.pk).text == "mine"


@pytest.mark.parametrize("stored", ["plain text someone wrote in SQL", "v1.bad.AAAA", "v9.x.y"])
def test_a_value_that_does_not_open_reads_as_a_sentence_never_as_what_is_stored(
    coachee: Coachee, stored: str
) -> None:
    with connection.cursor() as cursor:  # as bytes, as every value is stored
        cursor.execute("UPDATE coachees_coachee SET background = %s", [stored.encode()])
    reloaded = Coachee.objects.get(pk=coachee.pk)
    assert reloaded.background == "This note cannot be opened: it is damaged."
    assert reloaded.name == "Priya Shah"
    reloaded.status = Coachee.Status.PAUSED
    reloaded.save()  # the rest of the row saves; the value that does not open stays as stored
    with connection.cursor() as cursor:
        cursor.execute("SELECT background FROM coachees_coachee WHERE id = %s", [coachee.pk])
        assert bytes(cursor.fetchone()[0]) == stored.encode()


def test_private_text_cannot_be_queried_or_updated_in_sql(coachee: Coachee) -> None:
    with pytest.raises(PrivateTextError, match="never filter"), transaction.atomic():
        list(Coachee.objects.filter(name="Priya Shah"))
    with pytest.raises(PrivateTextError), transaction.atomic():
        Coachee.objects.update(background="overwritten")
    assert list(Coachee.objects.filter(background="")) == [coachee]


def test_each_coachee_has_their_own_key(alice: User) -> None:
    a = Coachee.objects.create(coach=alice, name="Same words")
    b = Coachee.objects.create(coach=alice, name="Same words")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM coachees_coachee ORDER BY id")
        tokens = [bytes(row[0]) for row in cursor.fetchall()]
    assert tokens[0][:BINARY_HEAD] == bytes((BINARY,)) + a.code.bytes
    assert tokens[1][:BINARY_HEAD] == bytes((BINARY,)) + b.code.bytes
    assert keystore().data_key(a.code) != keystore().data_key(b.code)


@pytest.mark.django_db(transaction=True)
def test_erasing_a_coachee_destroys_their_key_so_old_copies_cannot_be_read(alice: User) -> None:
    coachee = Coachee.objects.create(coach=alice, name=CANARY, background="notes")
    session = make_session(coachee)
    action = ActionItem.objects.create(
        coach=alice, coachee=coachee, session=session, owner="coach", text=CANARY
    )
    with connection.cursor() as cursor:  # what an old backup would hold
        cursor.execute("SELECT text FROM followup_actionitem WHERE id = %s", [action.pk])
        backed_up = cursor.fetchone()[0]
    key_file = Path(settings.DEBRIEF_KEYS_DIR) / f"{coachee.code}.key"
    assert key_file.exists()
    coachee.delete()
    assert not key_file.exists()
    reset_keystore()
    # Restore the "backup" rows: they no longer open.
    restored = ActionItem(
        code=action.code, coach=alice, coachee_id=1, session_id=1, owner="coach", text=""
    )
    from debrief.privacy.fields import Sealed

    restored.__dict__["text"] = Sealed(backed_up)
    assert restored.text == "This note cannot be opened: its key is missing."


def test_key_rotation_rewraps_every_key_and_retires_the_old_master(
    coachee: Coachee, alice: User
) -> None:
    other = Coachee.objects.create(coach=alice, name="Second coachee", background="kept")
    data_dir = Path(settings.DATA_DIR)
    old_master = (data_dir / "master.key").read_text()
    call_command("rotate_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (data_dir / "master.key").read_text() != old_master
    assert not (data_dir / "master.key.next").exists()
    reset_keystore()
    assert Coachee.objects.get(pk=coachee.pk).name == "Priya Shah"
    assert Coachee.objects.get(pk=other.pk).background == "kept"


def test_an_interrupted_rotation_resumes_and_loses_nothing(
    coachee: Coachee, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    others = [Coachee.objects.create(coach=alice, name=f"Coachee {n}") for n in range(3)]
    from debrief.privacy.keystore import Keystore

    real_rewrap = Keystore.rewrap
    calls = {"n": 0}

    def failing_rewrap(self: Keystore, code: object) -> bool:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the operator pressed Ctrl+C half way
        return real_rewrap(self, code)  # type: ignore[arg-type]

    monkeypatch.setattr(Keystore, "rewrap", failing_rewrap)
    with pytest.raises(KeyboardInterrupt):
        call_command("rotate_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (Path(settings.DATA_DIR) / "master.key.next").exists()
    reset_keystore()  # a restart in the middle: both keys are loaded, everything opens
    assert [Coachee.objects.get(pk=c.pk).name for c in others] == [c.name for c in others]
    monkeypatch.setattr(Keystore, "rewrap", real_rewrap)
    call_command("rotate_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
    reset_keystore()
    assert not (Path(settings.DATA_DIR) / "master.key.next").exists()
    assert [Coachee.objects.get(pk=c.pk).name for c in [coachee, *others]] == [
        "Priya Shah",
        *[c.name for c in others],
    ]


def test_the_master_key_can_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, coachee: Coachee
) -> None:
    from debrief.lib.sealing import b64encode, new_key
    from debrief.privacy.keystore import KeyError_, load_master_keys

    monkeypatch.setenv("DEBRIEF_MASTER_KEY", b64encode(new_key()))
    assert len(load_master_keys().keys) == 1
    monkeypatch.setenv("DEBRIEF_MASTER_KEY", "too-short")
    with pytest.raises(KeyError_, match="32-byte key"):
        load_master_keys()
    key_file = tmp_path / "master"
    key_file.write_text(b64encode(new_key()))
    monkeypatch.delenv("DEBRIEF_MASTER_KEY")
    monkeypatch.setenv("DEBRIEF_MASTER_KEY_FILE", str(key_file))
    assert load_master_keys().current_id
    shutil.rmtree(tmp_path)


def test_files_in_the_data_directory_are_private_to_the_user(tmp_path: Path) -> None:
    env = dict(os.environ, DEBRIEF_DATA_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    database = tmp_path / "debrief.sqlite3"
    assert database.exists()
    assert database.stat().st_mode & 0o077 == 0


def test_no_coachee_text_reaches_the_logs(
    alice_client: Client, bob_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    with caplog.at_level(logging.DEBUG):
        session = _write_canary_through_the_ui(alice_client)
        url = reverse("reflection_edit", args=[session.code])
        # A conflict (409), bad input (400), another coach (404) and a refused form all log.
        alice_client.post(
            url,
            {"p-main_topics": f"{CANARY} stale", "base:p-main_topics": field_hash("")},
            HTTP_ACCEPT="application/json",
        )
        alice_client.post(url, {"p-obstacles": f"{CANARY}\x00"}, HTTP_ACCEPT="application/json")
        bob_client.get(reverse("reflection_view", args=[session.code]))
        alice_client.post(reverse("coachee_new"), {"name": "", "background": CANARY})
    assert caplog.records, "nothing was logged: the check would prove nothing"
    logged = "\n".join(
        f"{r.name} {r.getMessage()} {r.args!r} {getattr(r, 'request', '')}" for r in caplog.records
    )
    assert "Conflict" in logged and "Not Found" in logged
    assert CANARY not in logged


def test_a_passphrase_locks_the_master_key_file(
    coachee: Coachee, monkeypatch: pytest.MonkeyPatch
) -> None:
    from debrief.privacy.keystore import KeyError_, load_master_keys

    path = Path(settings.DATA_DIR) / "master.key"
    plain = path.read_text().strip()
    monkeypatch.setenv("DEBRIEF_NEW_MASTER_KEY_PASSPHRASE", "a long quiet passphrase")
    with open(os.devnull, "w") as quiet:
        call_command("protect_master_key", stdout=quiet)
    locked = path.read_text()
    assert locked.startswith("pp1.") and plain not in locked
    reset_keystore()
    monkeypatch.delenv("DEBRIEF_MASTER_KEY_PASSPHRASE", raising=False)
    with pytest.raises(KeyError_, match="protected by a passphrase"):
        load_master_keys()
    monkeypatch.setenv("DEBRIEF_MASTER_KEY_PASSPHRASE", "not the passphrase")
    with pytest.raises(KeyError_, match="does not open"):
        load_master_keys()
    monkeypatch.setenv("DEBRIEF_MASTER_KEY_PASSPHRASE", "a long quiet passphrase")
    reset_keystore()
    assert Coachee.objects.get(pk=coachee.pk).name == "Priya Shah"
    # Rotating keeps it locked with the same passphrase; unlocking restores a plain file.
    with open(os.devnull, "w") as quiet:
        call_command("rotate_keys", stdout=quiet)
        assert path.read_text().startswith("pp1.")
        reset_keystore()
        assert Coachee.objects.get(pk=coachee.pk).name == "Priya Shah"
        call_command("protect_master_key", "--remove", stdout=quiet)
    assert not path.read_text().startswith("pp1.")
    reset_keystore()
