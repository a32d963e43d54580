"""`python -m bench.durability`: what SQLite's synchronous=FULL costs an autosave.

Times the reflection page's autosave (one answer, posted as the page's JavaScript posts it)
on a real SQLite file in WAL mode, with ``PRAGMA synchronous`` at NORMAL and at FULL, in
alternating rounds so both meet the same disk and the same load. FULL syncs the write-ahead
log at every commit: a save answered 200 survives a power cut. NORMAL may lose the last saves.
Not a test: it prints the figures (SQLite only; on PostgreSQL it says so and stops).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with ``pct`` per cent of values at or below."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A fresh, migrated SQLite file in the data directory for this run only, removed afterwards."""
    from django.conf import settings
    from django.db import connection

    config = connection.settings_dict
    old_name = config["NAME"]
    config["TEST"]["NAME"] = str(settings.DATA_DIR / "bench-durability.sqlite3")
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield name
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.durability")
    parser.add_argument("--saves", type=int, default=200, help="timed autosaves per setting")
    parser.add_argument("--rounds", type=int, default=4, help="alternations of the two settings")
    return parser.parse_args(argv)


def _setup() -> tuple[Any, str]:
    from django.test import Client
    from django.urls import reverse

    from debrief.accounts.models import User
    from debrief.coachees.models import Coachee
    from debrief.journal.models import CoachingSession, Reflection
    from debrief.prompts.models import default_template_version

    coach = User.objects.create_user(email="bench-durability@example.com")
    coachee = Coachee.objects.create(coach=coach, name="Bench Coachee")
    session = CoachingSession.objects.create(
        coach=coach, coachee=coachee, number=1, date="2026-03-02", duration_minutes=60
    )
    Reflection.objects.create(
        coach=coach, session=session, template_version=default_template_version()
    )
    client = Client()
    client.force_login(coach)
    return client, reverse("reflection_edit", args=[session.code])


_last = {"text": ""}  # the stored answer, which each save names as its base


def _saves(client: Any, url: str, mode: str, count: int, start: int) -> list[float]:
    from django.db import connection

    from debrief.journal.reflection import field_hash

    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA synchronous={mode}")
    times = []
    for n in range(start, start + count):
        text = f"Autosave number {n}: what she said about the team, written out at length."
        data = {"p-main_topics": text, "base:p-main_topics": field_hash(_last["text"])}
        began = time.perf_counter()
        response = client.post(url, data, HTTP_ACCEPT="application/json")
        times.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"bench: autosave answered {response.status_code}")
        _last["text"] = text
    return times


def run(args: argparse.Namespace) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        print("bench.durability measures SQLite's synchronous setting; this is PostgreSQL.")
        return
    from django.conf import settings
    from django.test.utils import override_settings

    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with throwaway_database(), override_settings(ALLOWED_HOSTS=hosts):
        client, url = _setup()
        results: dict[str, list[float]] = {"NORMAL": [], "FULL": []}
        done = 0
        _saves(client, url, "FULL", 20, done)  # warm-up
        done += 20
        for _ in range(args.rounds):
            for mode in results:
                results[mode] += _saves(client, url, mode, args.saves // args.rounds, done)
                done += args.saves // args.rounds
        print(f"Autosave of one answer, SQLite WAL, {len(results['FULL'])} saves per setting:")
        for mode, times in results.items():
            print(
                f"  synchronous={mode:<6}  median {statistics.median(times):6.2f} ms   "
                f"p95 {percentile(times, 95):6.2f} ms"
            )


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debrief.settings")
    import django

    django.setup()
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
