"""A revoke in one server process closes the share for the next request in another.

Two `manage.py serve` processes, as `make run` starts them, on one data directory (and, when
the suite runs on PostgreSQL, one fresh database): the supervisor reads the share through
process B, the coach revokes it through process A, and B's next answer to the supervisor is a
404. Nothing about a share is kept in process memory.
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tests.servers import debrief_server, manage, same_kind_of_database

PASSWORD = "a long quiet passphrase"
SETUP = f"""
from datetime import date, timedelta
from django.utils import timezone
from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.firm.models import Membership
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.prompts.models import default_template_version
from debrief.supervision.sharing import make_share
coach = User.objects.create_user(email="cora@example.com", password="{PASSWORD}")
sid = User.objects.create_user(email="sid@example.com", password="{PASSWORD}")
Membership.objects.filter(user=sid).update(coach=False, supervisor=True)
coachee = Coachee.objects.create(coach=coach, name="Imogen Castellane")
session = CoachingSession.objects.create(
    coach=coach, coachee=coachee, number=1, duration_minutes=60, date=date(2026, 3, 2))
reflection = Reflection.objects.create(
    coach=coach, session=session, template_version=default_template_version())
Answer.objects.create(reflection=reflection, prompt_key="main_topics", text="Imogen and the board")
today = timezone.localdate()
share = make_share(coach, sid, sessions=[session], starts=today, ends=today + timedelta(days=7))
print(share.code)
"""


class Visitor:
    """A browser with a cookie jar, over loopback http:// to a server this test started."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def at(self, port: int) -> Visitor:
        """The same cookies, sent to the other process."""
        self.base = f"http://127.0.0.1:{port}"
        return self

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        _, page = self.get(path if "login" in path else "/shares/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, page[:500]
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **data}).encode()
        request = urllib.request.Request(  # noqa: S310 (the loopback server started here)
            self.base + path, data=body, headers={"Referer": self.base + "/"}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, email: str) -> None:
        status, page = self.post("/accounts/login/", {"login": email, "password": PASSWORD})
        assert status == 200 and "Sign out" in page, page[:500]


def test_a_revoke_through_one_process_closes_the_share_in_another(tmp_path: Path) -> None:
    with same_kind_of_database("share_served") as database:
        manage(tmp_path, "migrate", "--noinput", **database)
        code = manage(tmp_path, "shell", "--no-imports", "-c", SETUP, **database).strip()
        serving = (debrief_server(tmp_path, 4, **database) for _ in range(2))
        with next(serving) as a, next(serving) as b:
            supervisor = Visitor(b)
            supervisor.sign_in("sid@example.com")
            status, page = supervisor.get(f"/supervise/{code}/")
            assert status == 200 and "Client A and the board" in page
            assert "Imogen" not in page

            coach = Visitor(a)
            coach.sign_in("cora@example.com")
            status, page = coach.post(f"/shares/{code}/revoke/", {})
            assert status == 200 and "can no longer see it" in page

            assert supervisor.get(f"/supervise/{code}/")[0] == 404
            # And in the coach's process too, with the supervisor's cookies.
            assert supervisor.at(a).get(f"/supervise/{code}/")[0] == 404
            _, trail = coach.get("/security/activity/")
            assert "viewed by the supervisor" in trail and "revoked" in trail
