"""Real servers for tests: `manage.py serve` as `make run` starts it, nginx or Caddy in front.

Everything listens on loopback, on ports from this branch's range, and is stopped by the
process id this module started. Nothing here talks to pytest-django's test database: the
server under test has its own data directory, migrated as `make run` migrates it.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
# .ci/run runs the suite on SQLite and on PostgreSQL at the same time; the second run moves every
# port range the tests use by DEBRIEF_TEST_PORT_OFFSET so the two never race for a port.
PORT_OFFSET = int(os.environ.get("DEBRIEF_TEST_PORT_OFFSET", "0"))


def ports(low: int, high: int) -> range:
    """Loopback ports ``low`` to ``high - 1``, moved by DEBRIEF_TEST_PORT_OFFSET."""
    return range(low + PORT_OFFSET, high + PORT_OFFSET)


PORTS = ports(8100, 8200)
_taken: set[int] = set()
_lock = threading.Lock()


def free_port() -> int:
    """A loopback port of this range that nobody listens on now."""
    with _lock:
        for port in PORTS:
            if port in _taken:
                continue
            with socket.socket() as probe:
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    continue
            _taken.add(port)
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listened on port {port} within {timeout} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


# --- a throwaway certificate -------------------------------------------------------------


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, valid for a day; (certificate, key) as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


# --- a mail server that keeps what it is sent ----------------------------------------------


@dataclass
class MailSink:
    """Just enough SMTP for Django's smtp backend; every message's text lands in ``messages``."""

    port: int
    messages: list[str] = field(default_factory=list)

    def serve(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn, conn.makefile("rb") as lines:
                self._talk(conn, lines)

    def _talk(self, conn: socket.socket, lines: object) -> None:
        conn.sendall(b"220 sink\r\n")
        data: list[bytes] | None = None
        for line in lines:  # type: ignore[attr-defined]
            if data is not None:
                if line in (b".\r\n", b".\n"):
                    self.messages.append(b"".join(data).decode("utf-8", "replace"))
                    data = None
                    conn.sendall(b"250 kept\r\n")
                else:
                    data.append(line)
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                data = []
                conn.sendall(b"354 go on\r\n")
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"250 ok\r\n")


@contextmanager
def mail_sink() -> Iterator[MailSink]:
    port = free_port()
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen()
    sink = MailSink(port)
    thread = threading.Thread(target=sink.serve, args=(listener,), daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        listener.close()


# --- Debrief itself ---------------------------------------------------------------------


def debrief_env(data_dir: Path, **variables: str) -> dict[str, str]:
    """A clean environment for a served Debrief: its own SQLite data directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEBRIEF_", "DATABASE_"))}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(DEBRIEF_DATA_DIR=str(data_dir), DEBRIEF_SCHEDULER="false")
    env.update(variables)
    return env


@contextmanager
def same_kind_of_database(suffix: str) -> Iterator[dict[str, str]]:
    """Variables for a served Debrief on the database kind this suite runs on.

    SQLite: nothing (the data directory's own file). PostgreSQL: a fresh, empty database
    ``<suite database>_<suffix>`` on the same server, dropped afterwards.
    """
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield {}
        return
    import psycopg

    base, _, name = url.rpartition("/")
    fresh = f"{name}_{suffix}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        yield {"DATABASE_URL": f"{base}/{fresh}"}
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def manage(data_dir: Path, *args: str, **variables: str) -> str:
    """Run a management command against that data directory; its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=debrief_env(data_dir, **variables),
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.stdout


@contextmanager
def _migrated_and_serving(
    command: list[str], env: dict[str, str], log: Path, port: int
) -> Iterator[int]:
    """Migrate as `make run` does, start ``command`` and wait for ``port``; stop it at the end."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    process = _start(command, env, log)
    try:
        wait_for_port(port, process)
        yield port
    finally:
        stop(process)


@contextmanager
def debrief_server(data_dir: Path, threads: int = 4, **variables: str) -> Iterator[int]:
    """Migrate, then `manage.py serve` (what `make run` does); yields the port it listens on."""
    port = free_port()
    command = [sys.executable, "manage.py", "serve", "--port", str(port), "--threads", str(threads)]
    env = debrief_env(data_dir, **variables)
    with _migrated_and_serving(command, env, data_dir / "serve.log", port):
        yield port


@contextmanager
def gunicorn_server(data_dir: Path, workers: int = 2, **variables: str) -> Iterator[int]:
    """Migrate, then gunicorn as docs/deployment.md starts it; yields the port it listens on.

    The master's process id is ``<data_dir>/gunicorn-<port>.pid`` (its workers are its children).
    """
    port = free_port()
    env = debrief_env(
        data_dir, PORT=str(port), DEBRIEF_WORKERS=str(workers), DEBRIEF_THREADS="2", **variables
    )
    command = [*GUNICORN, "--pid", str(data_dir / f"gunicorn-{port}.pid")]
    with _migrated_and_serving(command, env, data_dir / f"gunicorn-{port}.log", port):
        yield port


# The command of docs/deployment.md, "Several worker processes", run from the checkout.
GUNICORN = [str(Path(sys.executable).with_name("gunicorn")), "-c", "python:debrief.gunicorn_conf"]


# --- the proxies --------------------------------------------------------------------------


def doc_block(language: str, path: Path = ROOT / "docs" / "deployment.md") -> str:
    """The one fenced block of that language in the deployment guide: what operators copy."""
    blocks = re.findall(rf"```{language}\n(.*?)```", path.read_text(), re.S)
    assert len(blocks) == 1, f"expected one ```{language} block in {path.name}, found {len(blocks)}"
    return str(blocks[0])


def _in_place(text: str, old: str, new: str) -> str:
    assert old in text, f"{old!r} is no longer in the documented configuration"
    return text.replace(old, new)


@contextmanager
def nginx_in_front(backend: int, folder: Path, cert: Path, key: Path) -> Iterator[int]:
    """Debian's nginx with the documented server block; yields its HTTPS port."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    port = free_port()
    site = doc_block("nginx")
    site = _in_place(site, "listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
    site = _in_place(site, "/etc/ssl/journal.pem", str(cert))
    site = _in_place(site, "/etc/ssl/journal.key", str(key))
    site = _in_place(site, "http://127.0.0.1:8000", f"http://127.0.0.1:{backend}")
    temp = folder / "nginx-temp"
    temp.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/nginx-error.log;\nevents {{}}\nhttp {{\n"
        f"access_log off;\nclient_body_temp_path {temp}/body;\nproxy_temp_path {temp}/proxy;\n"
        f"fastcgi_temp_path {temp}/fastcgi;\nuwsgi_temp_path {temp}/uwsgi;\n"
        f"scgi_temp_path {temp}/scgi;\n{site}\n}}\n"
    )
    process = _start(
        [nginx, "-p", str(folder), "-c", str(conf)], dict(os.environ), folder / "nginx.log"
    )
    try:
        wait_for_port(port, process, timeout=20)
        yield port
    finally:
        stop(process)


@contextmanager
def caddy_in_front(backend: int, folder: Path, cert: Path, key: Path) -> Iterator[int]:
    """Caddy with the documented site block; yields its HTTPS port.

    The test gives the site our throwaway certificate instead of one from Let's Encrypt, and
    keeps Caddy's admin endpoint and its port-80 redirect off (other engineers share this host).
    """
    caddy = shutil.which("caddy") or "/usr/bin/caddy"
    port, http_port = free_port(), free_port()
    site = doc_block("caddyfile")
    site = _in_place(
        site, "journal.example.org {", f"https://127.0.0.1:{port} {{\n    tls {cert} {key}"
    )
    site = _in_place(site, "127.0.0.1:8000", f"127.0.0.1:{backend}")
    caddyfile = folder / "Caddyfile"
    caddyfile.write_text(
        f"{{\n    admin off\n    http_port {http_port}\n    https_port {port}\n"
        f"    auto_https disable_redirects\n    skip_install_trust\n"
        f"    storage file_system {folder}/caddy-data\n}}\n\n{site}"
    )
    env = dict(os.environ, XDG_DATA_HOME=str(folder), XDG_CONFIG_HOME=str(folder))
    command = [caddy, "run", "--config", str(caddyfile), "--adapter", "caddyfile"]
    process = _start(command, env, folder / "caddy.log")
    try:
        wait_for_port(port, process, timeout=20)
        yield port
    finally:
        stop(process)


# --- a browser-less visitor ---------------------------------------------------------------

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Visitor:
    """One person at one address, keeping cookies, never following redirects.

    HTTPS to a proxy that presents ``cafile``'s certificate, or plain HTTP without one.
    """

    port: int
    source: str = "127.0.0.1"
    cafile: Path | None = None
    cookies: SimpleCookie = field(default_factory=SimpleCookie)
    # The Host it asks for; by default the server's own address and port. Several servers that
    # stand for one site behind a proxy are asked for one host name, as the proxy would.
    host: str | None = None

    def _connect(self) -> http.client.HTTPConnection:
        source = (self.source, 0)
        if self.cafile is None:
            return http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=60, source_address=source
            )
        context = ssl.create_default_context(cafile=str(self.cafile))
        return http.client.HTTPSConnection(
            "127.0.0.1", self.port, timeout=60, source_address=source, context=context
        )

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        conn = self._connect()
        scheme = "http" if self.cafile is None else "https"
        host = self.host or f"127.0.0.1:{self.port}"
        sent = {"Host": host, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = f"{scheme}://{host}"
        try:
            conn.request(method, path, body=data, headers=sent)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    self.cookies.load(value)
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            conn.close()

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path)

    def token(self, path: str) -> str:
        """GET the form, as a browser would before posting it: its CSRF token."""
        status, _, page = self.get(path)
        match = CSRF_FIELD.search(page)
        assert match, f"no form at {path} ({status})"
        return match.group(1)

    def submit(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], str]:
        return self.request("POST", path, {"csrfmiddlewaretoken": self.token(path), **fields})
