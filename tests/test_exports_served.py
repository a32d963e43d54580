"""Through the front door: a coach signs up on the real page, writes a reflection, and takes it
out of a server started as ``make run`` starts it, over HTTP: a PDF read back by ``pdftotext``
and the journal zip opened by ``unzip``-compatible code, after confirming the password."""

from __future__ import annotations

import http.cookiejar
import io
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import zipfile

import pytest

from bench import served
from debrief.journal.fields import field_hash
from tests.servers import ports

PASSWORD = "a quiet river at dawn"
pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


class _Browser:
    """Cookies, CSRF tokens and no automatic redirects: what a person's browser sends."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, bytes, str]:
        with self.opener.open(self.base + path, timeout=120) as answer:
            return answer.status, answer.read(), answer.url

    def post(self, path: str, fields: dict[str, str], page: str | None = None) -> tuple[int, str]:
        _, body, _ = self.get(page or path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert token, f"{page or path} has no form"
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        request = urllib.request.Request(  # noqa: S310 - loopback
            self.base + path, data=data, headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=120) as answer:
                return answer.status, answer.url
        except urllib.error.HTTPError as error:
            return error.code, path


def test_a_new_coach_takes_a_reflection_out_as_pdf_and_the_journal_as_markdown() -> None:
    with served.environment("exportsfront") as env:
        served.manage(env, "migrate", "--noinput")
        with served.server(env, ports(8400, 8500)) as base:
            browser = _Browser(base)
            status, _ = browser.post(
                "/accounts/signup/",
                {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
            )
            assert status == 200
            _, url = browser.post("/coachees/new/", {"name": "Dana Reid", "status": "active"})
            coachee = url.rstrip("/").rsplit("/", 1)[1]
            fields = {
                "coachee": coachee,
                "number": "1",
                "date": "2026-11-02",
                "start_time": "10:00",
                "duration_minutes": "60",
                "format": "video",
                "payment": "paid",
                "kind": "individual",
            }
            _, url = browser.post("/sessions/new/", fields)
            session = re.search(r"/sessions/([0-9a-f-]{36})/", url)
            assert session, url
            code = session.group(1)
            answer = "Dana named the real fear: being found out."
            reflect = f"/sessions/{code}/reflect/"
            status, _ = browser.post(
                reflect, {"p-main_topics": answer, "base:p-main_topics": field_hash("")}
            )
            assert status == 200
            # The download asks for the password first, then comes back to it.
            _, _, landed = browser.get(f"/exports/sessions/{code}/reflection.pdf")
            assert "/accounts/reauthenticate/" in landed
            browser.post("/accounts/reauthenticate/", {"password": PASSWORD})
            status, pdf, _ = browser.get(f"/exports/sessions/{code}/reflection.pdf")
            assert status == 200 and pdf.startswith(b"%PDF")
            text = subprocess.run(
                ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
            ).stdout.decode()
            assert answer in " ".join(text.split())
            assert "Session 1 with Dana Reid, 2 November 2026" in text
            status, body, _ = browser.get("/exports/journal.zip")
            archive = zipfile.ZipFile(io.BytesIO(body))
            assert archive.testzip() is None
            [name] = archive.namelist()
            assert name == "Dana Reid/2026-11-02 session 01.md"
            assert answer in archive.read(name).decode()
