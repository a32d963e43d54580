"""Erasure reaches every process: a served Debrief forgets a coachee erased by a cron job.

The server is started as ``make run`` starts it (``manage.py serve``) on a SQLite data
directory of its own; the coach signs in over HTTP and reads the coachee's page, search and
insights, so the server holds their words and their unwrapped data key. ``apply_retention``
(the cron job) then erases them from another process. After that the server must show none
of their words, and must no longer hold their key: a database backup taken before the
erasure, put back under the running server, shows "This note cannot be opened", never their
notes. (A server still holding the key would open them: that is the observable proof.)
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CANARY = "Quillfeather"
PASSWORD = "a long quiet passphrase"
SETUP = f"""
from datetime import date
from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.exchange.models import RetentionPolicy
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.prompts.models import default_template_version
coach = User.objects.create_user(email="alice@example.com", password="{PASSWORD}")
RetentionPolicy.objects.create(coach=coach, years=1)
coachee = Coachee.objects.create(
    coach=coach, name="{CANARY} Okafor", background="{CANARY} background", status="completed")
for number in (1, 2, 3):
    session = CoachingSession.objects.create(
        coach=coach, coachee=coachee, number=number, duration_minutes=60,
        date=date(2015, 3, number))
    reflection = Reflection.objects.create(
        coach=coach, session=session, template_version=default_template_version())
    Answer.objects.create(
        reflection=reflection, prompt_key="main_topics", text="{CANARY} board meeting nerves")
print(coachee.code)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        # Loopback http:// only: the server this test started.
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self) -> None:
        _, page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, page
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "login": "alice@example.com",
                "password": PASSWORD,
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (the loopback server started here)
            self.base + "/accounts/login/", data=data, headers={"Referer": self.base + "/"}
        )
        with self.opener.open(request, timeout=30) as response:
            assert response.status == 200 and "Sign out" in response.read().decode()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[dict[str, str], Browser, str]]:
    env = dict(os.environ, DEBRIEF_DATA_DIR=str(tmp_path), DEBRIEF_SECRET_KEY="memory-test")
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBRIEF_SCHEDULER"):
        env.pop(name, None)
    _manage(env, "migrate", "--noinput")
    code = _manage(env, "shell", "--no-imports", "-c", SETUP).strip()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert server.poll() is None, server.communicate()[0]
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.sign_in()
        yield env, browser, code
    finally:
        server.terminate()
        server.communicate(timeout=30)


def _search(browser: Browser) -> list[object]:
    status, body = browser.get(f"/search/?q={CANARY}&format=json")
    assert status == 200, body
    return list(json.loads(body)["results"])


def test_a_coachee_erased_by_cron_is_forgotten_by_the_running_server(
    served: tuple[dict[str, str], Browser, str], tmp_path: Path
) -> None:
    env, browser, code = served
    # Warm every store: the coachee's page (their key, their name), search, insights.
    status, page = browser.get(f"/coachees/{code}/")
    assert status == 200 and f"{CANARY} Okafor" in page
    assert _search(browser)
    status, page = browser.get(f"/insights/?coachee={code}")
    assert status == 200 and CANARY in page
    database = tmp_path / "debrief.sqlite3"
    backup = tmp_path / "before-erasure.sqlite3"
    with sqlite3.connect(database) as live, sqlite3.connect(backup) as copy:
        live.backup(copy)

    erased = _manage(env, "apply_retention")  # the cron job, another process
    assert "1 coachee(s)" in erased

    assert _search(browser) == []
    status, page = browser.get("/insights/")
    assert status == 200 and CANARY not in page
    status, page = browser.get(f"/coachees/{code}/")
    assert status == 404

    # The old database back under the running server: their rows are there again, their key is
    # not, and the server kept no copy of it in memory.
    with sqlite3.connect(backup) as copy, sqlite3.connect(database) as live:
        copy.backup(live)
    status, page = browser.get(f"/coachees/{code}/")
    assert status == 200
    assert "This note cannot be opened: its key is missing." in page
    assert CANARY not in page
    status, page = browser.get(f"/insights/?coachee={code}")
    assert status == 200 and CANARY not in page
    assert _search(browser) == []
