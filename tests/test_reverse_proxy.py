"""Production behind a real reverse proxy: Debian's nginx and Caddy in front of `manage.py serve`.

Issue 10 point 2: waitress stripped the proxy's headers, so production mode answered every
request with a redirect to itself, never sent HSTS, mailed `http://` reset links and counted
every visitor as the proxy's one address. The proxies run the configuration printed in
docs/deployment.md (read from the page), with a throwaway certificate the visitors verify.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import (
    MailSink,
    Visitor,
    caddy_in_front,
    debrief_server,
    mail_sink,
    manage,
    nginx_in_front,
    ports,
    self_signed_certificate,
)

EMAIL = "alice@example.com"
FORGED = {"X-Forwarded-For": "203.0.113.9"}
PASSWORD = "a kettle on the back step"
Proxy = Callable[[int, Path, Path, Path], AbstractContextManager[int]]
# Each proxy gets its own pair of visitor addresses: the rate-limit counters live in the server.
PROXIES: dict[str, tuple[Proxy, str, str]] = {
    "nginx": (nginx_in_front, "127.0.0.2", "127.0.0.3"),
    "caddy": (caddy_in_front, "127.0.0.4", "127.0.0.5"),
}


@dataclass
class Site:
    port: int
    cert: Path
    mail: MailSink
    sources: tuple[str, str]
    data: Path

    def visitor(self, which: int = 0) -> Visitor:
        return Visitor(self.port, self.sources[which], self.cert)


@pytest.fixture(scope="module")
def backend() -> Iterator[tuple[int, Path, Path, Path, MailSink]]:
    folder = Path(tempfile.mkdtemp(prefix="debrief-proxy-"))
    cert, key = self_signed_certificate(folder)
    with ExitStack() as stack:
        mail = stack.enter_context(mail_sink())
        data = folder / "data"
        data.mkdir()
        port = stack.enter_context(
            debrief_server(
                data,
                DEBRIEF_ENV="production",
                DEBRIEF_TRUSTED_PROXY="127.0.0.1",
                DEBRIEF_SECRET_KEY="proxy-test-secret-" + "x" * 40,
                DEBRIEF_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                DEBRIEF_EMAIL_HOST="127.0.0.1",
                DEBRIEF_EMAIL_PORT=str(mail.port),
                DEBRIEF_CSRF_TRUSTED_ORIGINS=",".join(
                    f"https://127.0.0.1:{p}" for p in ports(8100, 8200)
                ),
            )
        )
        yield port, folder, cert, key, mail
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module", params=list(PROXIES))
def site(
    request: pytest.FixtureRequest, backend: tuple[int, Path, Path, Path, MailSink]
) -> Iterator[Site]:
    start, *sources = PROXIES[request.param]
    if shutil.which(request.param) is None and not Path(f"/usr/sbin/{request.param}").exists():
        message = f"{request.param} is not installed (apt-get install {request.param})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    port, folder, cert, key, mail = backend
    proxy_folder = folder / request.param
    proxy_folder.mkdir()
    with start(port, proxy_folder, cert, key) as proxy_port:
        site = Site(proxy_port, cert, mail, (sources[0], sources[1]), folder / "data")
        _make_the_first_account(site)
        yield site


def _make_the_first_account(site: Site) -> None:
    visitor = site.visitor()
    status, headers, _ = visitor.get("/")
    if headers.get("location", "").endswith("/accounts/signup/"):
        status, headers, page = visitor.submit(
            "/accounts/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}
        )
        assert status == 302, page[:3000]


def test_pages_answer_without_a_redirect_loop_and_send_hsts(site: Site) -> None:
    status, headers, _ = site.visitor().get("/accounts/login/")
    assert status == 200, headers
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert "secure" in headers["set-cookie"].lower()


def test_the_home_page_leads_to_sign_in_not_to_itself(site: Site) -> None:
    status, headers, _ = site.visitor().get("/")
    assert status == 302
    assert headers["location"].startswith("/accounts/login/")


def test_a_password_reset_mail_links_to_https(site: Site) -> None:
    before = len(site.mail.messages)
    status, _, _ = site.visitor().submit("/accounts/password/reset/", {"email": EMAIL})
    assert status == 302
    assert len(site.mail.messages) == before + 1
    links = re.findall(
        r"(\w+)://127\.0\.0\.1[^\s]*/accounts/password/reset/key/", site.mail.messages[-1]
    )
    assert links == ["https"]


def test_sign_in_limits_count_each_visitor_not_the_proxy(site: Site) -> None:
    guesser, coach = site.visitor(0), site.visitor(1)
    statuses = [
        guesser.submit("/accounts/login/", {"login": f"guess{n}@example.com", "password": "no"})[0]
        for n in range(11)
    ]
    assert statuses == [200] * 10 + [429]
    # A forged header does not get the guesser a fresh address: the proxy sets its own.
    status, _, page = guesser.request("GET", "/accounts/login/", headers=FORGED)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match
    forged = guesser.request(
        "POST",
        "/accounts/login/",
        {"csrfmiddlewaretoken": match.group(1), "login": "guess99@example.com", "password": "no"},
        headers=FORGED,
    )
    assert forged[0] == 429
    # Someone else, at their own address behind the same proxy, signs in.
    status, _, page = coach.submit("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert status == 302, page[:2000]
    assert coach.get("/")[0] == 200
    # The security activity notes the sign-in from the coach's own address, not the proxy's.
    last_sign_in = (
        "from debrief.audit.models import AuditEvent as E; "
        "print(E.objects.filter(action=E.Action.SIGN_IN).latest('at').ip)"
    )
    assert manage(site.data, "shell", "--no-imports", "-c", last_sign_in).strip() == site.sources[1]
