"""Several server processes on one database (issue 13 point 6): gunicorn behind nginx.

The documented deployment (docs/deployment.md, "Several worker processes") runs gunicorn with
two workers behind Debian's nginx in production mode. Two more gunicorns, one worker each, serve
the same data directory and database side by side, so that a test can send one request to one
process and the next to the other and know which is which: sign-in limits counted by one are
seen by the other, and a note edited through one is found, and its old words no longer found,
by search in the other.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.servers import (
    GUNICORN,
    ROOT,
    Visitor,
    debrief_env,
    gunicorn_server,
    manage,
    nginx_in_front,
    ports,
    same_kind_of_database,
    self_signed_certificate,
)

EMAIL = "alice@example.com"
PASSWORD = "a lantern by the gate"
OLD, NEW = "Quillmarsh", "Fernwhistle"
# The one host name the side-by-side gunicorns are asked for, as a proxy in front of both would
# (allauth counts wrong passwords per site and address).
SITE = "localhost"
SECRET = "workers-test-secret-" + "x" * 40
SETUP = f"""
from datetime import date
from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.prompts.models import default_template_version
coach = User.objects.get(email="{EMAIL}")
coachee = Coachee.objects.create(coach=coach, name="Ada Okafor")
session = CoachingSession.objects.create(
    coach=coach, coachee=coachee, number=1, duration_minutes=60, date=date(2026, 3, 2))
reflection = Reflection.objects.create(
    coach=coach, session=session, template_version=default_template_version())
Answer.objects.create(reflection=reflection, prompt_key="main_topics", text="{OLD} budget talk")
print(session.code)
"""


@dataclass
class Firm:
    backend: int  # gunicorn with two workers, production mode
    proxied: int  # nginx's HTTPS port in front of it
    one: int  # a gunicorn with one worker, plain HTTP
    two: int  # another, on the same database
    cert: Path
    data: Path
    database: dict[str, str]
    session: str

    def pids(self, port: int) -> tuple[int, list[int]]:
        master = int((self.data / f"gunicorn-{port}.pid").read_text())
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                children.append(int(stat.parent.name))
        return master, children


@pytest.fixture(scope="module")
def firm() -> Iterator[Firm]:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (apt-get install nginx)")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    folder = Path(tempfile.mkdtemp(prefix="debrief-workers-"))
    cert, key = self_signed_certificate(folder)
    data = folder / "data"
    data.mkdir()
    common = {"DEBRIEF_SECRET_KEY": SECRET}
    with ExitStack() as stack:
        database = stack.enter_context(same_kind_of_database("workers"))
        backend = stack.enter_context(
            gunicorn_server(
                data,
                workers=2,
                DEBRIEF_ENV="production",
                DEBRIEF_TRUSTED_PROXY="127.0.0.1",
                DEBRIEF_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                DEBRIEF_CSRF_TRUSTED_ORIGINS=",".join(
                    f"https://127.0.0.1:{p}" for p in ports(8100, 8300)
                ),
                **common,
                **database,
            )
        )
        (folder / "nginx").mkdir()
        proxied = stack.enter_context(nginx_in_front(backend, folder / "nginx", cert, key))
        visitor = Visitor(proxied, "127.0.0.1", cert)
        status, _, page = visitor.submit(
            "/accounts/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}
        )
        assert status == 302, page[:2000]
        session = manage(data, "shell", "--no-imports", "-c", SETUP, **common, **database)
        one = stack.enter_context(gunicorn_server(data, workers=1, **common, **database))
        two = stack.enter_context(gunicorn_server(data, workers=1, **common, **database))
        yield Firm(backend, proxied, one, two, cert, data, database, session.strip())
    shutil.rmtree(folder, ignore_errors=True)


def _forget_limits(firm: Firm) -> None:
    """Empty the shared cache of sign-in counters (a test of them leaves the coach locked out)."""
    clear = "from django.core.cache import cache; cache.clear()"
    manage(
        firm.data, "shell", "--no-imports", "-c", clear, DEBRIEF_SECRET_KEY=SECRET, **firm.database
    )


def _signed_in(port: int, source: str = "127.0.0.1") -> Visitor:
    visitor = Visitor(port, source, host=SITE)
    status, _, page = visitor.submit("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert status == 302, page[:2000]
    return visitor


def _found(visitor: Visitor, word: str) -> bool:
    status, _, page = visitor.get(f"/search/?q={word}&format=json")
    assert status == 200, page[:2000]
    return '"results": []' not in page and word.lower() in page.lower()


def test_the_documented_command_starts_the_workers_it_asks_for(firm: Firm) -> None:
    guide = (ROOT / "docs" / "deployment.md").read_text()
    assert "DEBRIEF_WORKERS=4 .venv/bin/gunicorn -c python:debrief.gunicorn_conf" in guide
    assert GUNICORN[1:] == ["-c", "python:debrief.gunicorn_conf"]
    master, workers = firm.pids(firm.backend)
    assert len(workers) == 2 and master not in workers
    assert [len(firm.pids(port)[1]) for port in (firm.one, firm.two)] == [1, 1]
    status, headers, _ = Visitor(firm.proxied, "127.0.0.1", firm.cert).get("/accounts/login/")
    assert status == 200
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_behind_nginx_each_visitor_is_counted_at_their_own_address(firm: Firm) -> None:
    guesser = Visitor(firm.proxied, "127.0.0.2", firm.cert)
    statuses = [
        guesser.submit("/accounts/login/", {"login": f"guess{n}@example.com", "password": "no"})[0]
        for n in range(11)
    ]
    # Ten for the whole firm, not ten for each of the two workers.
    assert statuses == [200] * 10 + [429]
    coach = Visitor(firm.proxied, "127.0.0.3", firm.cert)
    status, _, page = coach.submit("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert status == 302, page[:2000]
    last_sign_in = (
        "from debrief.audit.models import AuditEvent as E; "
        "print(E.objects.filter(action=E.Action.SIGN_IN).latest('at').ip)"
    )
    seen = manage(firm.data, "shell", "--no-imports", "-c", last_sign_in, **firm.database)
    assert seen.strip() == "127.0.0.3"


def test_wrong_passwords_in_one_process_count_in_the_other(firm: Firm) -> None:
    _forget_limits(firm)
    for port in (firm.one, firm.two, firm.one, firm.two, firm.one):
        status, _, _ = Visitor(port, "127.0.0.4", host=SITE).submit(
            "/accounts/login/", {"login": EMAIL, "password": "not it at all"}
        )
        assert status == 200
    # Five wrong for this coach, three in one process and two in the other: both now refuse.
    # (With a cache in each process's memory, neither would have counted to five.)
    for port in (firm.one, firm.two):
        status, _, page = Visitor(port, "127.0.0.5", host=SITE).submit(
            "/accounts/login/", {"login": EMAIL, "password": PASSWORD}
        )
        assert status == 429, page[:500]
        assert "Too many attempts" in page
    _forget_limits(firm)


def test_an_edit_through_one_process_is_what_search_finds_in_the_other(firm: Firm) -> None:
    _forget_limits(firm)
    reader, writer = _signed_in(firm.one, "127.0.0.6"), _signed_in(firm.two, "127.0.0.7")
    assert _found(reader, OLD)  # the reader's process now holds the coach's index
    path = f"/sessions/{firm.session}/reflect/"
    status, _, page = writer.get(path)
    assert status == 200, page[:2000]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    base = re.search(r'name="base:p-main_topics" value="([^"]*)"', page)
    assert token and base, page[:2000]
    status, _, page = writer.request(
        "POST",
        path,
        {
            "csrfmiddlewaretoken": token.group(1),
            "p-main_topics": f"{NEW} hiring plan",
            "base:p-main_topics": base.group(1),
        },
        headers={"Accept": "application/json"},
    )
    assert status == 200, page[:2000]
    assert _found(reader, NEW)
    assert not _found(reader, OLD)


HANDED_WORD = "Thistlecombe"
BEA, BEA_PASSWORD = "bea@example.com", "a heron on the weir"
HANDOVER_SETUP = f"""
from datetime import date
from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.firm import invitations
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.prompts.models import default_template_version
coach = User.objects.get(email="{EMAIL}")
coachee = Coachee.objects.create(coach=coach, name="Ines Varga")
session = CoachingSession.objects.create(
    coach=coach, coachee=coachee, number=1, duration_minutes=60, date=date(2026, 3, 9))
reflection = Reflection.objects.create(
    coach=coach, session=session, template_version=default_template_version())
Answer.objects.create(reflection=reflection, prompt_key="main_topics", text="{HANDED_WORD} talk")
_, link = invitations.invite(coach, "{BEA}", {{"coach"}})
print("CODE=" + str(coachee.code))
print("LINK=" + link)
"""


def _joined_by_invitation(port: int, link: str) -> Visitor:
    """bea follows the invitation link and signs up, through one of the processes."""
    visitor = Visitor(port, "127.0.0.8", host=SITE)
    path = link[link.index("/firm/join/") :].strip()
    status, headers, _ = visitor.get(path)
    assert status == 302, status
    fields = {"email": BEA, "password1": BEA_PASSWORD, "password2": BEA_PASSWORD}
    status, _, page = visitor.submit(urlsplit(headers["location"]).path, fields)
    assert status == 302, page[:2000]
    return visitor


def test_a_hand_over_through_one_process_is_what_the_other_serves_and_searches(
    firm: Firm,
) -> None:
    _forget_limits(firm)
    made = manage(
        firm.data,
        "shell",
        "--no-imports",
        "-c",
        HANDOVER_SETUP,
        DEBRIEF_SECRET_KEY=SECRET,
        DEBRIEF_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        **firm.database,
    )
    code = re.search(r"CODE=(\S+)", made)
    link = re.search(r"LINK=(\S+)", made)
    assert code and link, made
    coachee_page = f"/coachees/{code.group(1)}/"
    bea_in_a = _joined_by_invitation(firm.one, link.group(1))
    alice_in_a, alice_in_b = _signed_in(firm.one, "127.0.0.9"), _signed_in(firm.two, "127.0.0.10")
    bea_in_b = Visitor(firm.two, "127.0.0.11", host=SITE)
    status, _, page = bea_in_b.submit("/accounts/login/", {"login": BEA, "password": BEA_PASSWORD})
    assert status == 302, page[:2000]
    # Process B holds both coaches' indexes and alice's coachee page before the hand-over.
    assert _found(alice_in_b, HANDED_WORD) and not _found(bea_in_b, HANDED_WORD)
    assert alice_in_b.get(coachee_page)[0] == 200
    assert bea_in_b.get(coachee_page)[0] == 404
    # Through process A: alice offers, bea accepts.
    status, _, page = alice_in_a.get(f"{coachee_page}hand-over/")
    bea_id = re.search(r'<option value="(\d+)">bea@example.com</option>', page)
    assert status == 200 and bea_id, page[:3000]
    status, headers, page = alice_in_a.submit(
        f"{coachee_page}hand-over/",
        {
            "to_coach": bea_id.group(1),
            "consent_on": "2026-03-10",
            "consent_how": "written",
            "consent_note": "",
            "confirm": "on",
        },
    )
    assert status == 302, page[:3000]
    offer = headers["location"]
    status, headers, page = bea_in_a.submit(offer, {"action": "accept"})
    assert status == 302 and headers["location"] == coachee_page, page[:2000]
    # The next request to process B: the coachee is bea's, and search agrees.
    status, _, page = bea_in_b.get(coachee_page)
    assert status == 200 and "Ines Varga" in page and "Handed over from alice@example.com" in page
    assert alice_in_b.get(coachee_page)[0] == 404
    assert _found(bea_in_b, HANDED_WORD)
    assert not _found(alice_in_b, HANDED_WORD)
    status, _, page = alice_in_b.get("/coachees/")
    assert status == 200 and "Ines Varga" not in page
    status, _, page = alice_in_b.get("/insights/")
    assert status == 200 and "Ines Varga" not in page


RUNS = (
    "from debrief.jobs.models import JobState as J; "
    "print(dict(J.objects.values_list('name', 'runs')))"
)


def test_scheduled_jobs_run_once_however_many_workers_offer_to(tmp_path: Path) -> None:
    # Every worker starts the scheduler, which first looks five seconds after start; the jobs
    # come due again after ten minutes at the soonest.
    with (
        same_kind_of_database("jobs") as database,
        gunicorn_server(tmp_path, workers=3, DEBRIEF_SCHEDULER="true", **database),
    ):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            seen = manage(tmp_path, "shell", "--no-imports", "-c", RUNS, **database).strip()
            if seen not in ("{}", "") and " 0" not in seen:
                break
            time.sleep(1)
        time.sleep(8)  # every worker has had its first look by now
        seen = manage(tmp_path, "shell", "--no-imports", "-c", RUNS, **database).strip()
    counts = ast.literal_eval(seen)
    assert counts, "no job ran"
    assert set(counts.values()) == {1}, counts


@pytest.mark.parametrize(
    "variable, value, said",
    [
        ("DEBRIEF_WORKERS", "abc", "DEBRIEF_WORKERS must be a whole number"),
        ("DEBRIEF_WORKERS", "0", "DEBRIEF_WORKERS must be at least 1"),
        ("DEBRIEF_THREADS", "-2", "DEBRIEF_THREADS must be at least 1"),
        ("PORT", "80000", "PORT"),
        ("DEBRIEF_HOST", "journal.example.org", "DEBRIEF_HOST"),
    ],
)
def test_a_bad_setting_stops_gunicorn_with_one_line(
    tmp_path: Path, variable: str, value: str, said: str
) -> None:
    done = subprocess.run(
        GUNICORN,
        cwd=ROOT,
        env=debrief_env(tmp_path, **{variable: value}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert f"Debrief did not start: {said}" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
