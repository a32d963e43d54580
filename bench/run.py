"""`make bench`: server time of the main pages at 3,000 sessions, against a trivial view.

Builds a throw-away database (a file in the data directory on SQLite, ``<name>_bench`` on
PostgreSQL) through Django's test-database machinery, fills it with one coach's 3,000-session
practice plus two smaller coaches (so every ownership filter has rows to filter out), then
times each page in-process with Django's test client, interleaved with a trivial view that
goes through the same middleware stack: a signed-in page with only the base layout (the floor),
and a bare view with no database or template (for reference). Also compares query counts at 300 and
3,000 sessions: a count that grows with the practice is an N+1.

Not a test: it always exits 0 and prints PASS or FAIL against the targets beside each figure.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bench import search as search_bench
from debrief.lib.runtime import settle_after_startup

TARGET_MS = 50.0
TARGET_RATIO = 10.0


@dataclass
class Page:
    name: str
    url: str
    times_ms: list[float]
    queries: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        return percentile(self.times_ms, 95)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with ``pct`` per cent of values at or below."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--iterations", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first")
    parser.add_argument("--sessions", type=int, default=3000, help="sessions of the big practice")
    parser.add_argument("--small", type=int, default=300, help="sessions to compare queries at")
    parser.add_argument("--seed", type=int, default=1)
    search_bench.add_arguments(parser)
    return parser.parse_args(argv)


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A fresh, migrated database for this run only, destroyed afterwards."""
    from django.conf import settings
    from django.db import connection

    config = connection.settings_dict
    old_name = config["NAME"]
    if connection.vendor == "sqlite":
        # A real file (not the in-memory test default), so timings include real I/O.
        config["TEST"]["NAME"] = str(settings.DATA_DIR / "bench.sqlite3")
    else:
        # Never the test suite's test_<name>: a bench may run beside `make test`.
        config["TEST"]["NAME"] = f"{old_name}_bench"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield name
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _practice(email: str, sessions: int, seed: int) -> tuple[Any, float]:
    from django.utils import timezone

    from debrief.accounts.models import User
    from debrief.demo.practice import create_practice

    coach = User.objects.create_user(email=email)
    started = time.perf_counter()
    create_practice(
        coach,
        sessions=sessions,
        coachees=max(4, sessions // 25),
        seed=seed,
        today=timezone.localdate(),
    )
    return coach, time.perf_counter() - started


def _targets(coach: Any) -> dict[str, str]:
    """The URLs to measure for one coach: their busiest coachee and its latest reflection."""
    from django.db.models import Count
    from django.urls import reverse

    from debrief.coachees.models import Coachee
    from debrief.journal.models import CoachingSession, Reflection

    busiest = (
        Coachee.objects.for_coach(coach).annotate(n=Count("sessions")).order_by("-n", "id").first()
    )
    assert busiest is not None
    session = (
        CoachingSession.objects.for_coach(coach)
        .filter(coachee=busiest, reflection__status=Reflection.Status.COMPLETE)
        .order_by("-date")
        .first()
    )
    assert session is not None
    return {
        f"coachee page ({busiest.n} sessions)": reverse("coachee_detail", args=[busiest.code]),
        "home": reverse("home"),
        "reflection edit": reverse("reflection_edit", args=[session.code]),
        "reflection view": reverse("reflection_view", args=[session.code]),
    }


def _client(coach: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(coach)
    return client


def _get(client: Any, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"bench: {url} answered {response.status_code}, expected 200.")


def _count_queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A first request may refresh the sign-in's expiry (a few writes, at most every 5 minutes):
    # count a steady-state request, as the timed ones are.
    _get(client, url)
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured.captured_queries)


def measure(client: Any, urls: dict[str, str], iterations: int, warmup: int) -> list[Page]:
    """Time every URL, interleaved so that drift (caches, CPU clocks) hits them all alike."""
    pages = [Page(name, url, []) for name, url in urls.items()]
    for _ in range(warmup):
        for page in pages:
            _get(client, page.url)
    for page in pages:
        page.queries = _count_queries(client, page.url)
    settle_after_startup()  # as `manage.py serve` does once Debrief is loaded
    for _ in range(iterations):
        for page in pages:
            started = time.perf_counter_ns()
            _get(client, page.url)
            page.times_ms.append((time.perf_counter_ns() - started) / 1e6)
    return pages


def _isolation_holds(client: Any, other: Any) -> bool:
    """The big coach gets a 404 for another coach's coachee: the filters are in play."""
    from django.urls import reverse

    from debrief.coachees.models import Coachee

    theirs = Coachee.objects.for_coach(other).first()
    assert theirs is not None
    quiet = logging.getLogger("django.request")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # the 404 is expected: no "Not Found" line
    try:
        return client.get(reverse("coachee_detail", args=[theirs.code])).status_code == 404
    finally:
        quiet.setLevel(level)


def _verdict(page: Page, floor: Page) -> str:
    misses = []
    if page.p95 >= TARGET_MS:
        misses.append(f"p95 {page.p95:.1f} ms ≥ {TARGET_MS:.0f} ms")
    if page.p95 >= TARGET_RATIO * floor.p95:
        misses.append(f"{page.p95 / floor.p95:.1f}x floor ≥ {TARGET_RATIO:.0f}x")
    return "PASS" if not misses else "FAIL: " + "; ".join(misses)


def _print_timings(pages: list[Page], floor: Page) -> None:
    print(
        f"{'page':<30} {'median ms':>9} {'p95 ms':>8} {'p95/floor':>9} {'queries':>7}  "
        f"target: p95 < {TARGET_MS:.0f} ms and < {TARGET_RATIO:.0f}x floor p95"
    )
    for page in [floor, *pages]:
        if page is floor:
            verdict = "(the floor)"
        elif page.url.startswith("/bench/"):
            verdict = "(reference only)"
        else:
            verdict = _verdict(page, floor)
        print(
            f"{page.name:<30} {page.median:>9.2f} {page.p95:>8.2f} "
            f"{page.p95 / floor.p95:>8.1f}x {page.queries:>7}  {verdict}"
        )


def _print_flatness(small: dict[str, int], big: dict[str, int], sizes: tuple[int, int]) -> None:
    print(f"\nQueries per page at {sizes[0]:,} and {sizes[1]:,} sessions (flat = no N+1):")
    print(f"{'page':<30} {sizes[0]:>7,} {sizes[1]:>7,}")
    for (name, few), many in zip(small.items(), big.values(), strict=True):
        verdict = "PASS: flat" if few == many else f"FAIL: grows by {many - few}"
        print(f"{name.split(' (')[0]:<30} {few:>7} {many:>7}  {verdict}")


def _database_version() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version
    number = getattr(connection, "pg_version", 0)  # e.g. 150020 for 15.20
    return f"{number // 10000}.{number % 10000}" if number else ""


def _header(args: argparse.Namespace, db_name: str) -> None:
    import django
    from django.db import connection

    print(
        f"Debrief bench: {connection.vendor} {_database_version()} ({db_name}), "
        f"Django {django.__version__}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"{args.iterations} timed requests per page after {args.warmup} warm-up, interleaved; "
        "Django test client in-process, signed in with force_login"
    )


def run(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.test.utils import override_settings

    from bench import insights

    with (
        throwaway_database() as db_name,
        override_settings(
            ROOT_URLCONF="bench.urls",
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            DEBUG=False,
        ),
    ):
        _header(args, db_name)
        big, big_secs = _practice("bench-big@example.com", args.sessions, args.seed)
        small, small_secs = _practice("bench-small@example.com", args.small, args.seed + 1)
        other, _ = _practice("bench-other@example.com", 30, args.seed + 2)
        print(
            f"Practices: {args.sessions:,} sessions for one coach (generated in {big_secs:.1f} s), "
            f"{args.small:,} for a second ({small_secs:.1f} s), 30 for a third\n"
        )
        client = _client(big)
        urls = {
            "floor (trivial signed-in page)": "/bench/floor/",
            "bare view (for reference)": "/bench/bare/",
            **_targets(big),
        }
        pages = measure(client, urls, args.iterations, args.warmup)
        _print_timings(pages[1:], pages[0])
        small_client = _client(small)
        small_counts = {n: _count_queries(small_client, u) for n, u in _targets(small).items()}
        _print_flatness(
            small_counts, {p.name: p.queries for p in pages[2:]}, (args.small, args.sessions)
        )
        insights.report(client, small_client, small, big, args)
        isolated = _isolation_holds(client, other)
        print(
            f"\nIsolation: another coach's coachee page gives 404: {'PASS' if isolated else 'FAIL'}"
        )
        search_bench.run(args, big)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debrief.settings")
    import django

    django.setup()
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
