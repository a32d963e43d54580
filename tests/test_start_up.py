"""Bad settings stop `manage.py` with one line naming the variable: no traceback, no guess.

Issue 10 point 6: `DEBRIEF_ENV=prod` silently ran development mode and `PORT=abc` gave a
traceback, although docs/configuration.md promised a message.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def _manage(tmp_path: Path, *args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DEBRIEF_DATA_DIR=str(tmp_path), **variables)
    for name in ("DEBRIEF_ENV", "PORT", "DEBRIEF_HOST", "DEBRIEF_EMAIL_BACKEND"):
        if name not in variables:
            env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _refused(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode != 0, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["prod", "staging", "1"])
def test_a_mistyped_environment_stops_start_up(tmp_path: Path, value: str) -> None:
    result = _manage(tmp_path, "check", DEBRIEF_ENV=value)
    _refused(result, "DEBRIEF_ENV must be development or production")


def test_production_in_any_case_is_production(tmp_path: Path) -> None:
    result = _manage(
        tmp_path, "check", "--deploy", DEBRIEF_ENV=" Production", DEBRIEF_EMAIL_BACKEND=SMTP
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "value, message",
    [
        ("abc", "PORT must be a whole number"),
        ("0", "PORT must be at least 1"),
        ("70000", "PORT must be a port number from 1 to 65535"),
    ],
)
def test_a_bad_port_stops_serve_with_a_message(tmp_path: Path, value: str, message: str) -> None:
    _refused(_manage(tmp_path, "serve", PORT=value), message)


def test_a_bad_host_stops_serve_with_a_message(tmp_path: Path) -> None:
    result = _manage(tmp_path, "serve", DEBRIEF_HOST="my laptop")
    _refused(result, "DEBRIEF_HOST must be an IP address")


def test_production_without_a_mail_server_refuses_to_start(tmp_path: Path) -> None:
    # Password-reset mail (a link that signs someone in) must not land in the server's log.
    result = _manage(tmp_path, "check", DEBRIEF_ENV="production")
    _refused(result, "In production Debrief does not write email to the log")


def test_production_without_a_trusted_proxy_refuses_to_serve(tmp_path: Path) -> None:
    result = _manage(tmp_path, "serve", DEBRIEF_ENV="production", DEBRIEF_EMAIL_BACKEND=SMTP)
    _refused(result, "DEBRIEF_TRUSTED_PROXY is not set")


def test_a_proxy_count_without_a_proxy_is_refused(tmp_path: Path) -> None:
    result = _manage(tmp_path, "check", DEBRIEF_TRUSTED_PROXY_COUNT="1")
    _refused(result, "DEBRIEF_TRUSTED_PROXY_COUNT has no effect without DEBRIEF_TRUSTED_PROXY")


def test_a_proxy_that_is_not_an_address_is_refused(tmp_path: Path) -> None:
    result = _manage(tmp_path, "check", DEBRIEF_TRUSTED_PROXY="nginx")
    _refused(result, "DEBRIEF_TRUSTED_PROXY must be an IP address")


def test_sqlite_syncs_every_commit_to_disk(tmp_path: Path) -> None:
    # Issue 10 point 6: synchronous=NORMAL could drop saves already answered 200 on a power cut.
    from tests.servers import manage

    check = (
        "from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA synchronous').fetchone()[0], "
        "c.execute('PRAGMA journal_mode').fetchone()[0])"
    )
    assert manage(tmp_path, "shell", "--no-imports", "-c", check).split() == ["2", "wal"]
