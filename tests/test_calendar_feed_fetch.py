"""Subscribed feeds: fetched from a loopback HTTP server in the test, bounded, and no SSRF."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from debrief.accounts.models import User
from debrief.diary import fetch as fetching
from debrief.diary.jobs import fetch_calendar_feeds
from debrief.diary.models import CalendarEvent, CalendarSource
from debrief.diary.reader import MAX_BYTES
from debrief.journal.models import CoachingSession
from tests.conftest import make_coachee

OWN = Path(__file__).resolve().parent / "calendars" / "own"


class _Feed(BaseHTTPRequestHandler):
    body = b""
    requests: list[str] = []

    def do_GET(self) -> None:
        _Feed.requests.append(self.path)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/calendar.ics")
            self.end_headers()
        elif self.path == "/to-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
        elif self.path == "/huge":
            self.send_response(200)
            self.end_headers()
            chunk = b"X-PAD:" + b"a" * 65_000 + b"\r\n"
            try:
                for _ in range(MAX_BYTES // len(chunk) + 10):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif self.path == "/gone":
            self.send_response(404)
            self.end_headers()
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            self.wfile.write(_Feed.body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)  # a free port, loopback only
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Feed.body = (OWN / "google.ics").read_bytes()
    _Feed.requests = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel("2026-12-01 09:00:00+00:00", tick=False):
        yield


@pytest.fixture
def allow_loopback(settings: Any) -> None:
    settings.DEBRIEF_CALENDAR_ALLOW_PRIVATE = True


def subscribe(client: Client, url: str) -> str:
    return client.post(reverse("calendar_feed_add"), {"url": url}, follow=True).content.decode()


def test_subscribing_fetches_the_feed_from_a_loopback_server(
    server: str, allow_loopback: None, alice_client: Client, alice: User
) -> None:
    make_coachee(alice, "Priya Shah", email="priya.shah@example.org")
    page = subscribe(alice_client, f"{server}/calendar.ics")
    assert "Subscribed: Debrief fetches this calendar every hour." in page
    assert "6 new events to review" in page
    source = CalendarSource.objects.get(coach=alice, kind="feed")
    assert source.url == f"{server}/calendar.ics"
    with connection.cursor() as cursor:
        cursor.execute("SELECT url FROM diary_calendarsource WHERE kind = 'feed'")
        assert b"127.0.0.1" not in bytes(cursor.fetchone()[0])  # the address is sealed


def test_the_scheduled_job_fetches_again_and_a_removed_event_is_flagged(
    server: str, allow_loopback: None, alice_client: Client, alice: User
) -> None:
    priya = make_coachee(alice, "Priya Shah", email="priya.shah@example.org")
    subscribe(alice_client, f"{server}/calendar.ics")
    event = CalendarEvent.objects.get(coachee=priya)
    data = {f"choice-{event.code}": "confirm", f"coachee-{event.code}": str(priya.code)}
    alice_client.post(reverse("calendar_review"), data)
    session = CoachingSession.objects.get(coachee=priya)
    # Priya's booking is deleted from the calendar; an hour later the job fetches again.
    _Feed.body = (OWN / "google.ics").read_bytes().replace(b"UID:7kuk", b"UID:gone-7kuk")
    with time_machine.travel("2026-12-01 10:30:00+00:00", tick=False):
        summary = fetch_calendar_feeds(timezone.now())
    assert summary == "1 feed(s) fetched, 0 failed"
    session.refresh_from_db()
    assert session.cancelled and CoachingSession.objects.filter(pk=session.pk).exists()
    assert len(_Feed.requests) == 2


def test_redirects_are_followed_and_checked(server: str, allow_loopback: None, alice: User) -> None:
    assert fetching.fetch(f"{server}/redirect", allow_private=True).startswith(b"BEGIN:VCALENDAR")
    with pytest.raises(fetching.FeedFetchError, match="private or local network"):
        fetching.fetch(f"{server}/to-metadata", allow_private=False)


def test_a_feed_larger_than_the_bound_is_refused(server: str, alice: User) -> None:
    with pytest.raises(fetching.FeedFetchError, match="larger than 5 MB"):
        fetching.fetch(f"{server}/huge", allow_private=True)


def test_a_missing_feed_says_so(server: str, alice_client: Client, allow_loopback: None) -> None:
    page = subscribe(alice_client, f"{server}/gone")
    assert "The feed was not added. The calendar server answered 404" in page
    assert not CalendarSource.objects.filter(kind="feed").exists()


def test_a_slow_server_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection and never answers
    monkeypatch.setattr(fetching, "TIMEOUT_SECONDS", 1.0)
    try:
        with pytest.raises(fetching.FeedFetchError, match="did not answer within"):
            fetching.fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/", allow_private=True)
    finally:
        listener.close()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/calendar.ics",
        "http://localhost/calendar.ics",
        "http://[::1]/calendar.ics",
        "http://10.0.0.5/admin",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
    ],
)
def test_private_and_loopback_addresses_are_refused_by_default(url: str) -> None:
    with pytest.raises(fetching.FeedFetchError, match="private or local network"):
        fetching.fetch(url, allow_private=False)


@pytest.mark.parametrize(
    "url, message",
    [
        ("file:///etc/passwd", "starts with https://"),
        ("ftp://example.org/cal.ics", "starts with https://"),
        ("gopher://127.0.0.1:25/", "starts with https://"),
        ("javascript:alert(1)", "starts with https://"),
        ("https://user:secret@example.org/cal.ics", "does not send a user name"),
        ("not a url", "starts with https://"),
    ],
)
def test_only_http_and_https_addresses(url: str, message: str) -> None:
    with pytest.raises(fetching.FeedFetchError, match=message):
        fetching.fetch(url, allow_private=True)


def test_the_page_refuses_an_internal_address_with_a_message(alice_client: Client) -> None:
    page = subscribe(alice_client, "http://127.0.0.1:9/admin")
    assert "The feed was not added." in page and "DEBRIEF_CALENDAR_ALLOW_PRIVATE" in page
    assert not CalendarSource.objects.exists()


def test_another_coachs_feed_codes_give_404(
    server: str, allow_loopback: None, alice_client: Client, bob_client: Client
) -> None:
    subscribe(alice_client, f"{server}/calendar.ics")
    source = CalendarSource.objects.get(kind="feed")
    for name in ("calendar_feed_fetch", "calendar_feed_remove"):
        assert bob_client.post(reverse(name, args=[source.code])).status_code == 404
    assert CalendarSource.objects.filter(pk=source.pk).exists()
    assert len(_Feed.requests) == 1


def test_webcal_addresses_are_fetched_over_https() -> None:
    assert fetching.normalise(" webcal://calendar.example.org/x.ics ") == (
        "https://calendar.example.org/x.ics"
    )


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
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


def test_https_checks_the_certificate(tmp_path: Path) -> None:
    import ssl

    cert, key = _self_signed(tmp_path)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"https://127.0.0.1:{httpd.server_address[1]}/calendar.ics"
        with pytest.raises(fetching.FeedFetchError, match="certificate is not valid"):
            fetching.fetch(url, allow_private=True)
    finally:
        httpd.shutdown()
        httpd.server_close()
