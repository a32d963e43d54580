"""Import of 1,000 calendar events, over HTTP, against its 5 s target (issue 16).

``python -m bench.calendar_import``: starts ``manage.py serve`` as ``make run`` does, on a free
loopback port with a throw-away data directory (SQLite there, or a scratch ``<name>_calbench``
PostgreSQL database when DATABASE_URL points at PostgreSQL), signs a coach in, and uploads a
generated .ics of 1,000 events (800 one-off sessions and 20 weekly series of 10, with attendees
matching 40 coachees) through the import page. It times the upload (read, expand, match, store,
and the redirect to the review), a second upload of the same file (nothing new), and the review
page. Not a test: it exits 0 and prints PASS or FAIL beside the figure. The machine is shared,
so figures are noisy: it repeats each timing and reports the median.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 5.0
SETUP = """
from django.test import Client
from debrief.accounts.models import User
from debrief.coachees.models import Coachee
coach = User.objects.create_user(email="bench@example.com", password="bench-password-123")
for i in range(40):
    Coachee.objects.create(coach=coach, name=f"Coachee {i}", email=f"c{i}@example.org")
client = Client()
client.force_login(coach)
print("SESSION=" + client.cookies["sessionid"].value)
"""


def calendar(events: int = 1000, today: date | None = None) -> bytes:
    """An .ics with ``events`` timed events in the import window: one-offs and weekly series."""
    today = today or date.today()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Debrief bench//EN"]
    stamp = "20260101T000000Z"
    series = events // 50  # 20 weekly series of 10 for 1,000 events
    for i in range(series):
        start = datetime.combine(today - timedelta(days=30 - i), datetime.min.time())
        start += timedelta(hours=9 + i % 8)
        lines += [
            "BEGIN:VEVENT",
            f"UID:series-{i}@bench",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID=Europe/London:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/London:{start + timedelta(hours=1):%Y%m%dT%H%M%S}",
            "RRULE:FREQ=WEEKLY;COUNT=10",
            f"SUMMARY:Coaching – Coachee {i}",
            f"ATTENDEE:mailto:c{i % 40}@example.org",
            "END:VEVENT",
        ]
    for i in range(events - series * 10):
        start = datetime.combine(today - timedelta(days=80), datetime.min.time())
        start += timedelta(days=i % 250, hours=8 + i % 10)
        lines += [
            "BEGIN:VEVENT",
            f"UID:one-{i}@bench",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{start:%Y%m%dT%H%M%S}Z",
            "DURATION:PT50M",
            f"SUMMARY:Session {i}",
            f"ATTENDEE:mailto:c{i % 40}@example.org",
            "LOCATION:https://meet.example.org/x",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _database(env: dict[str, str]) -> Iterator[dict[str, str]]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        env.pop("DATABASE_URL", None)
        yield env
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    scratch = f"{name}_calbench"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        conn.execute(f'CREATE DATABASE "{scratch}"')
    try:
        yield dict(env, DATABASE_URL=f"{base}/{scratch}")
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return done.stdout


@contextmanager
def _server(env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT,
        env=dict(env, DEBRIEF_SCHEDULER="false"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=2):  # noqa: S310
                    pass
                break
            except OSError:
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0,
        name,
        value,
        None,
        False,
        "127.0.0.1",
        False,
        False,
        "/",
        True,
        False,
        None,
        False,
        None,
        None,
        {},
    )


class _Coach:
    def __init__(self, base: str, session: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.jar.set_cookie(_cookie("sessionid", session))
        page = self.get("/calendar/")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, "the calendar page has no form: is the coach signed in?"
        self.csrf = found.group(1)

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=120) as response:
            return str(response.read().decode())

    def upload(self, data: bytes) -> str:
        boundary = uuid.uuid4().hex
        head = (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="csrfmiddlewaretoken"\r\n\r\n{self.csrf}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="bench.ics"\r\nContent-Type: text/calendar\r\n\r\n'
        )
        body = head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(  # noqa: S310 - our own loopback server
            self.base + "/calendar/import/",
            data=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": self.base + "/calendar/",
            },
        )
        with self.opener.open(request, timeout=300) as response:
            return str(response.read().decode())


def _timed(action: Callable[[], str]) -> tuple[float, str]:
    began = time.perf_counter()
    result = action()
    return time.perf_counter() - began, result


def _one_run(data: bytes, env: dict[str, str]) -> tuple[float, float, float, str]:
    """(first import, same again, review page) seconds, and how many were new."""
    _manage(env, "migrate", "--noinput")
    session = _manage(env, "shell", "--no-imports", "-c", SETUP).split("SESSION=")[1]
    with _server(env) as base:
        coach = _Coach(base, session.strip())
        first, page = _timed(lambda: coach.upload(data))
        found = re.search(r"([\d,]+) new events? to review", page)
        if not found:
            raise SystemExit("the import did not reach the review page")
        again, page = _timed(lambda: coach.upload(data))
        if "0 new events to review" not in page:
            raise SystemExit("the second import was not idempotent")
        review, _ = _timed(lambda: coach.get("/calendar/review/"))
    return first, again, review, found.group(1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.calendar_import", description=__doc__)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="fresh imports timed")
    args = parser.parse_args(argv)
    data = calendar(args.events)
    firsts, agains, reviews = [], [], []
    new = ""
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="debrief-calbench-") as folder:
            env = dict(os.environ, DEBRIEF_DATA_DIR=folder, DEBRIEF_SECRET_KEY="bench-only")
            with _database(env) as run_env:
                first, again, review, new = _one_run(data, run_env)
        firsts.append(first)
        agains.append(again)
        reviews.append(review)
    first = statistics.median(firsts)
    verdict = "PASS" if first < TARGET_SECONDS else "FAIL"
    print(f"calendar import over HTTP, {args.events:,} events, median of {args.repeat}:")
    print(f"  first import    {first:6.2f} s  (target < {TARGET_SECONDS:.0f} s)  {verdict}")
    print(f"  same file again {statistics.median(agains):6.2f} s  (nothing new)")
    print(f"  review page     {statistics.median(reviews):6.2f} s  (first 100 of {new})")
    print(f"  all first imports: {', '.join(f'{s:.2f}' for s in firsts)} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
