"""Fetch a subscribed calendar feed: http(s) only, bounded in size and time, and no requests to
the server's own network unless the operator allows it (docs/calendar.md, "Feeds and SSRF").

A coach on a firm's server could paste ``http://10.0.0.5/admin`` or the cloud metadata address
as a "calendar": the server would fetch it from inside the firm's network. So every address the
host name resolves to must be a public one (``ipaddress.is_global``), the connection goes to the
address that was checked (a second DNS answer cannot swap it), and each redirect is checked the
same way. ``DEBRIEF_CALENDAR_ALLOW_PRIVATE`` lifts the address rule (a calendar server inside the
firm, or the tests' loopback server); the scheme, size and time bounds always hold.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from debrief.diary.reader import MAX_BYTES

TIMEOUT_SECONDS = 20.0  # for the whole fetch, redirects included
MAX_REDIRECTS = 3
USER_AGENT = "Debrief calendar (+self-hosted coaching journal)"


class FeedFetchError(ValueError):
    """The feed could not be fetched; the message says why and what to do."""


def normalise(url: str) -> str:
    """The URL to fetch: ``webcal://`` (what calendar apps hand out) is https."""
    url = url.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FeedFetchError(
            "A calendar feed address starts with https:// (or webcal://). Copy the private "
            "address of your calendar from its sharing settings."
        )
    if parts.username or parts.password:
        raise FeedFetchError(
            "Debrief does not send a user name and password with a feed address: use the "
            "calendar's private address instead."
        )
    return url


def _allowed(address: str, allow_private: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return allow_private or ip.is_global


def _resolve(host: str, port: int, allow_private: bool) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FeedFetchError(
            f"The calendar server {host} could not be found. Check the address."
        ) from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise FeedFetchError(f"The calendar server {host} could not be found.")
    if not all(_allowed(a, allow_private) for a in addresses):
        raise FeedFetchError(
            f"{host} is an address on a private or local network, which Debrief does not fetch "
            "from (so a feed cannot reach this server's own network). The operator can allow "
            "it with DEBRIEF_CALENDAR_ALLOW_PRIVATE."
        )
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def _read_body(response: http.client.HTTPResponse, deadline: float) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > MAX_BYTES:
        raise FeedFetchError(_too_big())
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise FeedFetchError(_too_slow())
        chunk = response.read(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BYTES:
            raise FeedFetchError(_too_big())
        chunks.append(chunk)


def _too_big() -> str:
    return (
        f"The calendar feed is larger than {MAX_BYTES // 1024 // 1024} MB, which Debrief does "
        "not read. Subscribe to a calendar with only your coaching sessions."
    )


def _too_slow() -> str:
    return (
        f"The calendar server did not answer within {TIMEOUT_SECONDS:.0f} seconds. Debrief "
        "will try again at the next scheduled fetch."
    )


def _get(url: str, allow_private: bool, deadline: float) -> tuple[int, str, bytes]:
    parts = urlsplit(url)
    https = parts.scheme.lower() == "https"
    port = parts.port or (443 if https else 80)
    assert parts.hostname
    address = _resolve(parts.hostname, port, allow_private)
    remaining = max(deadline - time.monotonic(), 0.5)
    kind = _PinnedHTTPS if https else _PinnedHTTP
    connection = kind(parts.hostname, address, port, remaining)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(
            "GET", path, headers={"User-Agent": USER_AGENT, "Accept": "text/calendar, */*"}
        )
        response = connection.getresponse()
        if response.status in (301, 302, 303, 307, 308):
            return response.status, response.getheader("Location") or "", b""
        if response.status != 200:
            return response.status, "", b""
        return 200, "", _read_body(response, deadline)
    finally:
        connection.close()


def fetch(url: str, *, allow_private: bool = False) -> bytes:
    """The bytes of the feed at ``url``, or ``FeedFetchError`` with a message for the coach."""
    url = normalise(url)
    deadline = time.monotonic() + TIMEOUT_SECONDS
    for _ in range(MAX_REDIRECTS + 1):
        try:
            status, location, body = _get(url, allow_private, deadline)
        except FeedFetchError:
            raise
        except ssl.SSLError:
            raise FeedFetchError(
                "The calendar server's secure connection could not be checked (its certificate "
                "is not valid). Check the address."
            ) from None
        except TimeoutError:
            raise FeedFetchError(_too_slow()) from None
        except (OSError, http.client.HTTPException):
            raise FeedFetchError(
                "The calendar server could not be reached. Debrief will try again at the next "
                "scheduled fetch."
            ) from None
        if status == 200:
            return body
        if location:
            url = normalise(urljoin(url, location))
            continue
        if status in (401, 403, 404, 410):
            raise FeedFetchError(
                f"The calendar server answered {status}: the address may have been reset or "
                "made private. Copy the private address again from your calendar's settings."
            )
        raise FeedFetchError(
            f"The calendar server answered {status}. Debrief will try again at the next "
            "scheduled fetch."
        )
    raise FeedFetchError("The calendar address redirected too many times. Check the address.")
