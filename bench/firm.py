"""The firm's report over HTTP against its target (issue 13): 50 coaches, under 300 ms.

``python -m bench.firm``: serves Debrief as ``make run`` does (``bench/served.py``: a
throw-away data directory, SQLite there or a scratch PostgreSQL database when DATABASE_URL
points at one). The first account is the firm's administrator (and a coach); ``--coaches``
more coaches each get ``--coachees`` coachees and ``--sessions`` held sessions over the last
three years (written in bulk: the reflections marked complete at varied delays, so the habit
has something to count), a few open actions, and the ICF as the body they follow, so every
coach's credential progress is computed; ``--handovers`` of them hand their first coachee to
the next coach (``coachees/handover.py``), so the report splits those coachees' sessions
between the coach who held them and the one who holds them now. On PostgreSQL the database
is analysed before timing (``served.analyze``). Then it times the reports page and its two CSVs: the
first request (which works every coach out and fills the cache, as the first report of each
hour does) and the median of the next ones (this month read live, earlier months cached).

Not a test: it exits 0 and prints PASS or FAIL beside the figure. The machine is shared, so
it prints the load average; each timing is the median of ``--repeat`` requests after one
warm-up request.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from bench import served

TARGET_MS = 300.0
SETUP = """
import random
from datetime import date, datetime, time, timedelta
from django.utils import timezone
from debrief.accounts.models import User
from debrief.coachees import handover
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem
from debrief.journal.models import CoachingSession, Reflection
from debrief.practice.models import BodyChoice
from debrief.prompts.models import default_template_version

rng = random.Random(13)
version = default_template_version()
today = timezone.localdate()
joined = timezone.now() - timedelta(days=4 * 365)
firsts = []  # (coach, their first coachee), for the hand-overs
for n in range({coaches}):
    person = User.objects.create_user(
        email=f"coach{{n}}@example.com", display_name=f"Coach {{n}}", date_joined=joined
    )
    people = [
        Coachee.objects.create(coach=person, name=f"Client {{n}}-{{k}}")
        for k in range({coachees})
    ]
    firsts.append((person, people[0]))
    numbers = dict.fromkeys((c.pk for c in people), 0)
    rows = []
    for s in range({sessions}):
        who = people[s % len(people)]
        numbers[who.pk] += 1
        day = today - timedelta(days=rng.randrange(1, 3 * 365))
        rows.append(
            CoachingSession(
                coach=person, coachee=who, number=numbers[who.pk], date=day,
                start_time=time(10, 0), duration_minutes=rng.choice((45, 60, 90)),
            )
        )
    made = CoachingSession.objects.bulk_create(rows, batch_size=500)
    reflections = []
    for row in made:
        ended = timezone.make_aware(datetime.combine(row.date, time(11, 30)))
        done = ended + timedelta(hours=rng.randrange(1, 120))
        reflections.append(
            Reflection(
                coach=person, session=row, template_version=version,
                status="complete", completed_at=done,
            )
        )
    Reflection.objects.bulk_create(reflections, batch_size=500)
    ActionItem.objects.bulk_create(
        ActionItem(
            coach=person, coachee=made[a].coachee, session=made[a], owner="coachee",
            text=f"Action {{a}}", due=today + timedelta(days=rng.randrange(-20, 20)),
        )
        for a in range(20)
    )
    BodyChoice.objects.create(
        coach=person, body="icf", level_held="ACC", awarded_on=date(2024, 5, 1)
    )
for n in range({handovers}):  # coach n's first coachee to coach n + 1, as the page does it
    giver, coachee = firsts[n]
    taker = firsts[(n + 1) % len(firsts)][0]
    offer = handover.offer(
        coachee, taker, consent_on=today, consent_how="written", consent_note=""
    )
    handover.accept(offer, taker)
print("MADE", CoachingSession.objects.count())
"""


def _median_ms(admin: served.Coach, path: str, repeat: int) -> tuple[float, int]:
    # Warm-up: the first request after start-up loads templates and modules, and for the page
    # works every coach's earlier months and credential progress out (then cached for an hour).
    first = admin.get(path)
    if path == "/firm/reports/":
        print(f"reports page, first request (nothing cached yet): {first.ms:.0f} ms")
    times, size = [], 0
    for _ in range(repeat):
        answer = admin.get(path)
        times.append(answer.ms)
        size = len(answer.body)
    return statistics.median(times), size


def run(
    coaches: int,
    coachees: int,
    sessions: int,
    repeat: int,
    handovers: int,
    ports: range | None = None,
) -> None:
    with served.environment("firmbench") as env:
        served.manage(env, "migrate", "--noinput")
        began = time.perf_counter()
        setup = SETUP.format(
            coaches=coaches, coachees=coachees, sessions=sessions, handovers=handovers
        )
        session = served.sign_in(env, "admin@example.com", setup)
        vacuum = served.analyze(env)
        print(
            f"firm of {coaches} coaches, {coachees} coachees and {sessions:,} sessions each, "
            f"{handovers} of them handed over to another coach, made in "
            f"{time.perf_counter() - began:.0f} s"
            + (f" and analysed (this server: autovacuum {vacuum})" if vacuum else "")
        )
        with served.server(env, ports) as base:
            admin = served.Coach(base, session)
            print(f"load average before: {Path('/proc/loadavg').read_text().split()[0]}")
            page_ms, size = _median_ms(admin, "/firm/reports/", repeat)
            verdict = "PASS" if page_ms < TARGET_MS else "FAIL"
            print(
                f"reports page, {coaches} coaches, {size / 1024:.0f} KB: median {page_ms:.0f} ms "
                f"of {repeat} (target < {TARGET_MS:.0f} ms) {verdict}"
            )
            for table in ("months", "coaches"):
                ms, size = _median_ms(admin, f"/firm/reports/csv/?table={table}", repeat)
                print(f"reports CSV ({table}), {size / 1024:.0f} KB: median {ms:.0f} ms")
            print(f"load average after: {Path('/proc/loadavg').read_text().split()[0]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.firm", description=__doc__)
    parser.add_argument("--coaches", type=int, default=50)
    parser.add_argument("--coachees", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--handovers", type=int, default=10, help="coachees handed over (one coach's each)"
    )
    parser.add_argument(
        "--ports", default="", help="a branch's port range on a shared machine, e.g. 20100-20199"
    )
    args = parser.parse_args(argv)
    if not 0 <= args.handovers <= args.coaches:
        parser.error("--handovers: at most one per coach (0 to --coaches)")
    try:
        ports = served.port_range(args.ports)
    except ValueError as error:
        parser.error(str(error))
    run(args.coaches, args.coachees, args.sessions, args.repeat, args.handovers, ports)
    return 0


if __name__ == "__main__":
    sys.exit(main())
