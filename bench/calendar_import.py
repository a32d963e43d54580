"""Import of 1,000 calendar events, over HTTP, against its 5 s target (issue 16).

``python -m bench.calendar_import``: starts ``manage.py serve`` as ``make run`` does, on a free
loopback port with a throw-away data directory (SQLite there, or a scratch ``<name>_calbench``
PostgreSQL database when DATABASE_URL points at PostgreSQL), signs a coach in, and uploads a
generated .ics of 1,000 events (800 one-off sessions and 20 weekly series of 10, with attendees
matching 40 coachees) through the import page. It times the upload (read, expand, match, store,
and the redirect to the review), a second upload of the same file (nothing new), and the review
page. Not a test: it exits 0 and prints PASS or FAIL beside the figure. The machine is shared,
so figures are noisy: it repeats each timing and reports the median.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta

from bench import served

TARGET_SECONDS = 5.0
COACHEES = """
from debrief.coachees.models import Coachee
for i in range(40):
    Coachee.objects.create(coach=coach, name=f"Coachee {i}", email=f"c{i}@example.org")
"""


def calendar(events: int = 1000, today: date | None = None) -> bytes:
    """An .ics with ``events`` timed events in the import window: one-offs and weekly series."""
    today = today or date.today()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Debrief bench//EN"]
    stamp = "20260101T000000Z"
    series = events // 50  # 20 weekly series of 10 for 1,000 events
    for i in range(series):
        start = datetime.combine(today - timedelta(days=30 - i), datetime.min.time())
        start += timedelta(hours=9 + i % 8)
        lines += [
            "BEGIN:VEVENT",
            f"UID:series-{i}@bench",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID=Europe/London:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/London:{start + timedelta(hours=1):%Y%m%dT%H%M%S}",
            "RRULE:FREQ=WEEKLY;COUNT=10",
            f"SUMMARY:Coaching – Coachee {i}",
            f"ATTENDEE:mailto:c{i % 40}@example.org",
            "END:VEVENT",
        ]
    for i in range(events - series * 10):
        start = datetime.combine(today - timedelta(days=80), datetime.min.time())
        start += timedelta(days=i % 250, hours=8 + i % 10)
        lines += [
            "BEGIN:VEVENT",
            f"UID:one-{i}@bench",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{start:%Y%m%dT%H%M%S}Z",
            "DURATION:PT50M",
            f"SUMMARY:Session {i}",
            f"ATTENDEE:mailto:c{i % 40}@example.org",
            "LOCATION:https://meet.example.org/x",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def _timed(action: Callable[[], str]) -> tuple[float, str]:
    began = time.perf_counter()
    result = action()
    return time.perf_counter() - began, result


def _one_run(data: bytes, env: dict[str, str]) -> tuple[float, float, float, str]:
    """(first import, same again, review page) seconds, and how many were new."""
    served.manage(env, "migrate", "--noinput")
    session = served.sign_in(env, "bench@example.com", COACHEES)
    with served.server(env) as base:
        coach = served.Coach(base, session, csrf_page="/calendar/")

        def upload() -> str:
            return coach.upload(
                "/calendar/import/",
                data,
                filename="bench.ics",
                content_type="text/calendar",
                referer="/calendar/",
            ).body

        first, page = _timed(upload)
        found = re.search(r"([\d,]+) new events? to review", page)
        if not found:
            raise SystemExit("the import did not reach the review page")
        again, page = _timed(upload)
        if "0 new events to review" not in page:
            raise SystemExit("the second import was not idempotent")
        review, _ = _timed(lambda: coach.get("/calendar/review/").body)
    return first, again, review, found.group(1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.calendar_import", description=__doc__)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="fresh imports timed")
    args = parser.parse_args(argv)
    data = calendar(args.events)
    firsts, agains, reviews = [], [], []
    new = ""
    for _ in range(args.repeat):
        with served.environment("calbench") as env:
            first, again, review, new = _one_run(data, env)
        firsts.append(first)
        agains.append(again)
        reviews.append(review)
    first = statistics.median(firsts)
    verdict = "PASS" if first < TARGET_SECONDS else "FAIL"
    print(f"calendar import over HTTP, {args.events:,} events, median of {args.repeat}:")
    print(f"  first import    {first:6.2f} s  (target < {TARGET_SECONDS:.0f} s)  {verdict}")
    print(f"  same file again {statistics.median(agains):6.2f} s  (nothing new)")
    print(f"  review page     {statistics.median(reviews):6.2f} s  (first 100 of {new})")
    print(f"  all first imports: {', '.join(f'{s:.2f}' for s in firsts)} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
