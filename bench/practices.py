"""Coaches with generated practices in a served bench's database, and timing them over HTTP.

``create(env, coaches)`` runs once, before any server starts, in a ``manage.py shell``: each coach
gets the demo generator's practice (``debrief/demo/practice.py``) of the given size, and the bench
gets back, per coach, a signed-in session and the URLs worth timing (their busiest coachee, its
latest completed reflection). ``interleave`` times a list of requests in rounds, rotating the
order each round so that drift (other engineers' tests, CPU clocks) hits every figure alike.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import served
from bench.figures import Figure

_CREATE = """
PRELUDE
import json
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.demo.practice import create_practice
from debrief.journal.models import CoachingSession, Reflection

today = timezone.localdate()
out = {}
for email, sessions, seed in SPECS:
    coach = User.objects.create_user(email=email, password="bench-password-123")
    create_practice(coach, sessions=sessions, coachees=max(4, sessions // 25), seed=seed,
                    today=today)
    EXTRA
    busiest = (Coachee.objects.for_coach(coach).annotate(n=Count("sessions"))
               .order_by("-n", "id").first())
    done = list(CoachingSession.objects.for_coach(coach)
                .filter(coachee=busiest, reflection__status=Reflection.Status.COMPLETE)
                .order_by("-date")[:EDITS])
    client = Client()
    client.force_login(coach)
    out[email] = {
        "session": client.cookies["sessionid"].value,
        "busiest": busiest.n,
        "coachee": reverse("coachee_detail", args=[busiest.code]),
        "view": reverse("reflection_view", args=[done[0].code]),
        "edit": reverse("reflection_edit", args=[done[0].code]),
        "edits": [reverse("reflection_edit", args=[s.code]) for s in done],
        "insights_coachee": reverse("insights") + f"?coachee={busiest.code}",
    }
print("PRACTICES=" + json.dumps(out))
"""


@dataclass
class Practice:
    email: str
    sessions: int
    session: str  # signed-in session cookie value
    busiest: int  # sessions of the busiest coachee
    coachee: str
    view: str
    edit: str
    edits: list[str]
    insights_coachee: str


def create(
    env: dict[str, str],
    specs: list[tuple[str, int, int]],
    extra: str = "",
    edits: int = 5,
    prelude: str = "",
) -> dict[str, Practice]:
    """Coaches (email, sessions, seed) with their practices; ``extra`` runs with ``coach``.

    ``prelude`` runs once first (a bench's shortcut for its generation only, say).
    """
    code = (
        _CREATE.replace("PRELUDE", prelude)
        .replace("SPECS", repr(specs))
        .replace("EXTRA", extra or "pass")
        .replace("EDITS", str(max(1, edits)))
    )
    found = served.shell(env, code).rsplit("PRACTICES=", 1)[1]
    sizes = {email: n for email, n, _ in specs}
    return {
        email: Practice(email=email, sessions=sizes[email], **info)
        for email, info in json.loads(found).items()
    }


def reused(
    env: dict[str, str],
    reuse: Path | None,
    name: str,
    make: Callable[[], dict[str, Practice]],
) -> dict[str, Practice]:
    """The practices ``make`` generates, or a copy of those it generated before (``--reuse``).

    With ``reuse`` (a folder) and SQLite, the installation ``make`` filled is kept in
    ``reuse/name`` and copied in next time instead of generated again (10,000 sessions take
    minutes). Migrations run either way, so a kept installation catches up with the code.
    """
    saved = reuse / name if reuse is not None else Path()
    data = Path(env["DEBRIEF_DATA_DIR"])
    keep = reuse is not None and "DATABASE_URL" not in env
    if keep and (saved / "practices.json").exists():
        shutil.copytree(saved / "data", data, dirs_exist_ok=True)
        served.manage(env, "migrate", "--noinput")
        found = json.loads((saved / "practices.json").read_text())
        return {email: Practice(**info) for email, info in found.items()}
    served.manage(env, "migrate", "--noinput")
    made = make()
    if keep:
        shutil.rmtree(saved, ignore_errors=True)
        shutil.copytree(data, saved / "data")
        (saved / "practices.json").write_text(json.dumps({e: vars(p) for e, p in made.items()}))
    return made


class Autosave:
    """One answer saved as the page's autosave script saves it: one field and its base, JSON."""

    def __init__(self, coach: served.Coach, path: str) -> None:
        self.coach, self.path, self.count = coach, path, 0
        page = coach.get(path).body
        found = re.search(r'<textarea(?: dir="auto")? id="([^"]+)" name="\1"', page)
        if not found:
            raise served.BenchError(f"{path} has no written answer to save")
        self.name = found.group(1)
        base = re.search(rf'name="base:{re.escape(self.name)}" value="([^"]*)"', page)
        self.base = html.unescape(base.group(1)) if base else ""

    def __call__(self) -> served.Response:
        self.count += 1
        text = f"Bench autosave {self.count}: we agreed a next step and a date to review it."
        fields = [(self.name, text), (f"base:{self.name}", self.base)]
        answer = self.coach.post(self.path, fields, headers={"Accept": "application/json"})
        saved = json.loads(answer.body)
        if answer.status != 200 or self.name not in saved.get("hashes", {}):
            raise served.BenchError(f"autosave to {self.path} was not saved: {answer.body[:200]}")
        self.base = saved["hashes"][self.name]
        return answer


Request = Callable[[], served.Response]


def getter(coach: served.Coach, path: str) -> Request:
    """A GET of ``path`` as ``coach``, to time later."""
    return lambda: coach.get(path)


def interleave(timed: list[tuple[Figure, Request]], run: int, rounds: int, warmup: int = 0) -> None:
    """``rounds`` rounds of every request (after ``warmup`` untimed ones), order rotating."""
    for _ in range(warmup):
        for _, request in timed:
            request()
    for n in range(rounds):
        shift = n % len(timed)
        for figure, request in timed[shift:] + timed[:shift]:
            figure.add(run, request().ms)


def queries(coach: served.Coach, path: str) -> int:
    """Queries of a steady-state request of ``path`` (the second of two, untimed)."""
    coach.get(path)  # a first request may load a cache or refresh the sign-in's expiry
    answer = coach.get(path, headers={"X-Bench-Queries": "1"})
    return int(answer.headers.get("X-Bench-Queries", "-1"))
