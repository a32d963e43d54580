"""Serve a real Debrief for a bench: ``manage.py serve`` over loopback HTTP, as ``make run`` does.

The small API every ``bench/<name>.py`` that measures over HTTP shares::

    from bench import served

    with served.environment("mybench") as env:           # throw-away data dir (+ database)
        served.manage(env, "migrate", "--noinput")        # as `make run` does before serving
        session = served.sign_in(env, "coach@example.com")  # a coach, and a signed-in session
        with served.server(env) as base:                  # manage.py serve on a free port
            coach = served.Coach(base, session)           # cookie jar and CSRF token
            coach.get("/")                     # -> Response(status, body, ms, headers)
            coach.post("/some/form/", {"field": "value"})

- ``environment(suffix)``: a copy of ``os.environ`` with a fresh ``DEBRIEF_DATA_DIR`` (deleted
  afterwards) and a bench secret key. SQLite lives in that directory; when ``DATABASE_URL`` is
  PostgreSQL, a scratch database ``<name>_<suffix>`` is created and dropped instead, so a bench
  never touches the database ``make test`` uses.
- ``manage(env, *args)``: runs ``manage.py`` with this interpreter; returns its stdout.
- ``shell(env, code)``: ``manage.py shell -c code`` (to build data fast, through the ORM).
- ``analyze(env)``: on PostgreSQL, ``ANALYZE`` (the planner's statistics, as autovacuum
  makes them soon after a bulk load): call it after making a bench's data, before timing.
- ``sign_in(env, email, setup="")``: creates the coach (and runs ``setup`` with ``coach`` bound)
  and returns a signed-in session cookie value, without the sign-in page's rate limits and 2FA.
- ``port_range(text)``: a bench's ``--ports 20100-20199`` as a range (``None`` for '').
- ``server(env, ports=None)``: starts ``manage.py serve`` (scheduler off) on a free loopback port,
  from ``ports`` if given (each branch has its range), waits until it answers, yields its base
  URL and stops it (by its own pid) on exit. Restart it to measure a cold path.
  ``peak_memory_mb(base)`` reads that process's peak resident memory while it runs, and
  ``cpu_ms(base)`` the CPU time it has used so far.
- ``Coach(base, session)``: a signed-in HTTP client: ``get``, ``post`` (form fields, CSRF added),
  ``upload`` (one file, multipart). Each returns a ``Response`` (status, body, headers, and
  the time it took in ms); a status other than 2xx/3xx raises ``BenchError`` unless ``expect``
  names it. Making one sends nothing; the CSRF token is read from ``csrf_page`` at the first POST.

Set ``DJANGO_SETTINGS_MODULE`` in ``env`` to serve other settings (``bench.settings`` adds the
floor page).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_STARTUP_SECONDS = 90


class BenchError(RuntimeError):
    """The served application did not do what the bench needs (down, or an unexpected status)."""


def port_range(text: str) -> range | None:
    """``--ports`` as the benches take it: ``20100-20199`` or one port; '' is any free port."""
    first, dash, last = text.strip().partition("-")
    if not first:
        return None
    try:
        ports = range(int(first), int(last if dash else first) + 1)
    except ValueError:
        raise ValueError(f"--ports takes a range such as 20100-20199, not {text!r}") from None
    if not ports or ports.start < 1024 or ports.stop > 65536:
        raise ValueError(f"--ports takes a rising range inside 1024-65535, not {text!r}")
    return ports


def free_port(ports: Iterable[int] | None = None) -> int:
    """A loopback port nobody listens on: the first free one of ``ports``, else any free one."""
    for port in ports or ():
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _database(env: dict[str, str], suffix: str) -> Iterator[dict[str, str]]:
    url = env.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        env.pop("DATABASE_URL", None)
        yield env
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    scratch = f"{name}_{suffix}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{scratch}"')
    try:
        yield dict(env, DATABASE_URL=f"{base}/{scratch}")
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


@contextmanager
def environment(suffix: str, **extra: str) -> Iterator[dict[str, str]]:
    """Environment variables for one throw-away installation (data directory and database)."""
    with tempfile.TemporaryDirectory(prefix=f"debrief-{suffix}-") as folder:
        env = dict(os.environ, DEBRIEF_DATA_DIR=folder, DEBRIEF_SECRET_KEY="bench-only-secret")
        env.update(extra)
        with _database(env, suffix) as ready:
            yield ready


_ANALYZE = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SHOW autovacuum")
    print("AUTOVACUUM=" + cursor.fetchone()[0])
    cursor.execute("ANALYZE")
"""


def analyze(env: dict[str, str]) -> str:
    """On PostgreSQL, ``ANALYZE`` the installation's database; the server's autovacuum setting.

    A default server's autovacuum analyses a table within about a minute of a bulk load (50
    rows plus a tenth of the table changed); a bench that times pages straight after making
    its data, or a server with autovacuum off, would otherwise be timing plans made from
    PostgreSQL's default guesses. SQLite has no autovacuum analysis: left as it is ('').
    """
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        return ""
    return shell(env, _ANALYZE).rsplit("AUTOVACUUM=", 1)[1].strip()


def manage(env: dict[str, str], *args: str, timeout: float = 1800) -> str:
    """``python manage.py *args`` in the repository; its stdout. Fails loudly with its stderr."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode:
        raise BenchError(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def shell(env: dict[str, str], code: str, timeout: float = 1800) -> str:
    """Run Python ``code`` inside Django (``manage.py shell -c``); its stdout."""
    return manage(env, "shell", "--no-imports", "-c", code, timeout=timeout)


_SIGN_IN = """
from django.test import Client
from debrief.accounts.models import User
coach = User.objects.create_user(email={email!r}, password="bench-password-123")
{setup}
client = Client()
client.force_login(coach)
print("SESSION=" + client.cookies["sessionid"].value)
"""


def sign_in(env: dict[str, str], email: str, setup: str = "") -> str:
    """A new coach ``email`` (``setup`` runs with ``coach`` bound) and a signed-in session id."""
    out = shell(env, _SIGN_IN.format(email=email, setup=setup))
    return out.rsplit("SESSION=", 1)[1].strip()


def _wait_until_up(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + _STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"manage.py serve exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5):  # noqa: S310
                return
        except OSError:
            time.sleep(0.1)
    raise BenchError(f"manage.py serve did not answer within {_STARTUP_SECONDS} s")


_RUNNING: dict[str, int] = {}  # base URL -> pid of the serve process


def peak_memory_mb(base: str) -> float:
    """The serve process's peak resident memory so far (Linux ``VmHWM``), in MB; 0 if unknown."""
    try:
        status = Path(f"/proc/{_RUNNING[base]}/status").read_text()
    except (KeyError, OSError):
        return 0.0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(found.group(1)) / 1024 if found else 0.0


def cpu_ms(base: str) -> float:
    """User plus system CPU the serve process has used so far, in ms (``/proc/<pid>/stat``).

    On a machine other people load, wall-clock times mostly measure them; this is what the
    requests themselves cost (to the clock tick, 10 ms: time many requests for one figure).
    """
    fields = Path(f"/proc/{_RUNNING[base]}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


@contextmanager
def server(env: dict[str, str], ports: Iterable[int] | None = None) -> Iterator[str]:
    """``manage.py serve`` on a free loopback port; yields ``http://127.0.0.1:<port>``."""
    port = free_port(ports)
    log = Path(env.get("DEBRIEF_DATA_DIR") or tempfile.gettempdir()) / f"serve-{port}.log"
    with log.open("wb") as output:
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", "serve", "--port", str(port)],
            cwd=ROOT,
            env=dict(env, DEBRIEF_SCHEDULER="false"),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    _RUNNING[base] = proc.pid
    try:
        _wait_until_up(proc, base, log)
        yield base
    finally:
        _RUNNING.pop(base, None)
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


@dataclass
class Response:
    status: int
    body: str
    ms: float  # from sending the request to the last byte of the body
    headers: dict[str, str]


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False,
        None, False, None, None, {},
    )  # fmt: skip


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 302 is an answer to time, not a page to follow


class Coach:
    """A signed-in coach over HTTP: a cookie jar with the session, and the CSRF token.

    Redirects are not followed unless ``follow=True``: a bench times one request at a time.
    Making one sends nothing: the first request it sends is the first the server sees from it.
    """

    def __init__(self, base: str, session: str, csrf_page: str = "/") -> None:
        self.base = base
        self.csrf_page = csrf_page
        self._csrf = ""
        self.jar = http.cookiejar.CookieJar()
        self.jar.set_cookie(_cookie("sessionid", session))
        handler = urllib.request.HTTPCookieProcessor(self.jar)
        self._follow = urllib.request.build_opener(handler)
        self._stay = urllib.request.build_opener(handler, _NoRedirect())

    @property
    def csrf(self) -> str:
        """The form token, read from ``csrf_page`` at the first POST (no request before)."""
        if not self._csrf:
            page = self.get(self.csrf_page, follow=True).body
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if not found:
                raise BenchError(f"{self.csrf_page} has no CSRF token: is the coach signed in?")
            self._csrf = found.group(1)
        return self._csrf

    def _open(
        self, request: urllib.request.Request, follow: bool, expect: Iterable[int]
    ) -> Response:
        opener = self._follow if follow else self._stay
        began = time.perf_counter()
        try:
            with opener.open(request, timeout=600) as answer:
                status, body, headers = answer.status, answer.read(), answer.headers
        except urllib.error.HTTPError as error:
            status, body, headers = error.code, error.read(), error.headers
        ms = (time.perf_counter() - began) * 1000
        if status not in expect and not 200 <= status < 400:
            raise BenchError(f"{request.get_method()} {request.full_url} answered {status}")
        return Response(status, body.decode(errors="replace"), ms, dict(headers.items()))

    def get(
        self,
        path: str,
        follow: bool = False,
        expect: Iterable[int] = (),
        headers: dict[str, str] | None = None,
    ) -> Response:
        request = urllib.request.Request(self.base + path, headers=headers or {})  # noqa: S310
        return self._open(request, follow, expect)

    def post(
        self,
        path: str,
        fields: dict[str, str] | list[tuple[str, str]],
        follow: bool = False,
        expect: Iterable[int] = (),
        headers: dict[str, str] | None = None,
    ) -> Response:
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        data = urllib.parse.urlencode([("csrfmiddlewaretoken", self.csrf), *pairs]).encode()
        request = urllib.request.Request(  # noqa: S310 - our own loopback server
            self.base + path,
            data=data,
            headers={"Referer": self.base + path, **(headers or {})},
        )
        return self._open(request, follow, expect)

    def upload(
        self,
        path: str,
        data: bytes,
        field: str = "file",
        filename: str = "bench.bin",
        content_type: str = "application/octet-stream",
        follow: bool = True,
        referer: str = "/",
    ) -> Response:
        boundary = uuid.uuid4().hex
        head = (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="csrfmiddlewaretoken"\r\n\r\n{self.csrf}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        body = head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(  # noqa: S310 - our own loopback server
            self.base + path,
            data=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": self.base + referer,
            },
        )
        return self._open(request, follow, ())
