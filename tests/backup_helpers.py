"""Installations as an operator has them: a data directory, a database, `manage.py` in a shell.

Used by the backup tests and by ``bench/backup.py``. Each ``Installation`` is a fresh data
directory and either its own SQLite file or a scratch PostgreSQL database, driven only through
``manage.py`` subprocesses and HTTP, as an operator would.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.servers import ports

ROOT = Path(__file__).resolve().parent.parent
PG_BASE = "postgres://postgres@127.0.0.1:5432"
PORTS = ports(8300, 8400)

EXPORTS = """
import json
from debrief.coachees.models import Coachee
from debrief.exchange.export import build_export, to_json

found = {}
for coachee in Coachee.objects.order_by("code"):
    data = build_export(coachee)
    data["exported_at"] = None  # the one value that is the moment of export, not the data
    found[str(coachee.code)] = to_json(data)
print(json.dumps(found))
"""


def pg_base() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url.rsplit("/", 1)[0] if url.startswith("postgres") else PG_BASE


def pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{pg_base()}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg_base()}/postgres", autocommit=True) as conn:
        conn.execute(sql)


@dataclass
class Installation:
    data_dir: Path
    database: str  # "sqlite" or a PostgreSQL database name
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, DEBRIEF_DATA_DIR=str(self.data_dir))
        env["DEBRIEF_SECRET_KEY"] = "backup-test-secret"
        for name in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DEBRIEF_MASTER_KEY", "DEBRIEF_MASTER_KEY_FILE"):
            env.pop(name, None)
        if self.database == "sqlite":
            env.pop("DATABASE_URL", None)
        else:
            _pg(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            _pg(f'CREATE DATABASE "{self.database}"')
            env["DATABASE_URL"] = f"{pg_base()}/{self.database}"
        self.env = env

    def drop(self) -> None:
        if self.database != "sqlite":
            _pg(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,  # never a terminal: nothing may wait for a typed answer
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
            )
        return result

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code).stdout

    def exports(self) -> dict[str, str]:
        return dict(json.loads(self.shell(EXPORTS)))

    def demo(self) -> str:
        """Migrate, fill with the demo practice; the demo coach's password."""
        self.manage("migrate", "--noinput")
        out = self.manage("demo").stdout
        found = re.search(r"with password (\S+)", out)
        assert found, out
        return found.group(1)

    @contextmanager
    def serving(self) -> Iterator[str]:
        """`manage.py serve` as `make run` starts it; the base URL once it answers."""
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(port)],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    raise AssertionError(f"serve stopped: {proc.communicate()[0]}")
                try:
                    with urllib.request.urlopen(f"{base}/accounts/login/", timeout=2):  # noqa: S310
                        break
                except OSError:
                    time.sleep(0.3)
            else:
                raise AssertionError("serve did not answer within 60 s")
            yield base
        finally:
            proc.terminate()
            proc.communicate(timeout=30)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


class Browser:
    """Signs in through the real sign-in page and reads pages, with cookies, over HTTP."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(self, path: str) -> tuple[int, str]:
        status, body = self.get_bytes(path)
        return status, body.decode()

    def get_bytes(self, path: str) -> tuple[int, bytes]:
        with self.opener.open(f"{self.base}{path}", timeout=30) as response:
            return response.status, response.read()

    def sign_in(self, email: str, password: str) -> str:
        _, page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the sign-in page"
        form = {"csrfmiddlewaretoken": token.group(1), "login": email, "password": password}
        request = urllib.request.Request(  # noqa: S310 (our own loopback server)
            f"{self.base}/accounts/login/",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Referer": f"{self.base}/accounts/login/"},
        )
        with self.opener.open(request, timeout=30) as response:
            return str(response.geturl())
