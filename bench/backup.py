"""Backup and restore of the 3,000-session bench practice, as an operator runs them (issue 10).

``python -m bench.backup``: for SQLite, and for PostgreSQL when it is reachable (the scratch
databases sit beside ``DATABASE_URL``'s, or on postgres://postgres@127.0.0.1:5432), it fills a
throw-away installation with the bench practice (3,000 sessions, 120 coachees, with the demo's
accreditation records), starts ``manage.py serve`` on it, times ``manage.py backup`` while it
serves, then times ``manage.py restore`` into a second, empty installation with the same master
key, and compares every coachee's export before and after (SHA-256 of each). The restored
installation is served once to check it answers. Targets: backup under 30 s, restore under 60 s,
each the wall time of the whole command (Python and Django start-up included). Not a test: it
exits 0 and prints PASS or FAIL beside each figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import served

BACKUP_TARGET = 30.0
RESTORE_TARGET = 60.0
PORTS = range(8350, 8400)

PRACTICE = """
from django.utils import timezone
from debrief.accounts.models import User
from debrief.demo.accreditation import add_accreditation
from debrief.demo.practice import create_practice
coach = User.objects.create_user(email="bench-backup@example.com", password="bench-password-123")
create_practice(coach, sessions={sessions}, coachees=max(4, {sessions} // 25), seed=1,
                today=timezone.localdate())
add_accreditation(coach, timezone.localdate())
"""

DIGESTS = """
import hashlib
from debrief.coachees.models import Coachee
from debrief.exchange.export import build_export, to_json
from debrief.journal.models import CoachingSession
for coachee in Coachee.objects.order_by("code"):
    data = build_export(coachee)
    data["exported_at"] = None
    print(coachee.code, hashlib.sha256(to_json(data).encode()).hexdigest())
print("sessions", CoachingSession.objects.count())
"""


def _timed(env: dict[str, str], *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    out = served.manage(env, *args)
    return time.perf_counter() - started, out


def _verdict(seconds: float, target: float) -> str:
    return "PASS" if seconds < target else "FAIL"


def _answers(base: str) -> bool:
    with urllib.request.urlopen(f"{base}/accounts/login/", timeout=10) as response:  # noqa: S310
        return bool(response.status == 200)


def _pg_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    base = (
        url.rsplit("/", 1)[0]
        if url.startswith("postgres")
        else "postgres://postgres@127.0.0.1:5432"
    )
    try:
        import psycopg

        with psycopg.connect(f"{base}/postgres", connect_timeout=3):
            return f"{base}/backup"
    except Exception:
        return None


def run_one(kind: str, url: str | None, sessions: int) -> bool:
    extra = {"DATABASE_URL": url} if url else {}
    if not url:
        os.environ.pop("DATABASE_URL", None)
    shelf = Path(tempfile.mkdtemp(prefix="debrief-backup-bench-"))
    try:
        with served.environment("bkbench_src", **extra) as source:
            served.manage(source, "migrate", "--noinput")
            started = time.perf_counter()
            served.shell(source, PRACTICE.format(sessions=sessions))
            print(
                f"{kind}: bench practice of {sessions} sessions made in "
                f"{time.perf_counter() - started:.0f} s"
            )
            before = served.shell(source, DIGESTS)
            archive = shelf / "bench.debrief-backup"
            with served.server(source, PORTS):
                backup_s, out = _timed(source, "backup", "--output", str(archive))
            key = (Path(source["DEBRIEF_DATA_DIR"]) / "master.key").read_bytes()
            print(f"{kind}: {out.splitlines()[0]}")
        with served.environment("bkbench_dst", **extra) as target:
            (Path(target["DEBRIEF_DATA_DIR"]) / "master.key").write_bytes(key)
            restore_s, _ = _timed(target, "restore", str(archive))
            after = served.shell(target, DIGESTS)
            with served.server(target, PORTS) as base:
                answers = _answers(base)
    finally:
        shutil.rmtree(shelf, ignore_errors=True)
    same = before == after
    coachees = len(before.splitlines()) - 1
    print(
        f"{kind}: backup  {backup_s:6.1f} s (target {BACKUP_TARGET:.0f} s) "
        f"{_verdict(backup_s, BACKUP_TARGET)}"
    )
    print(
        f"{kind}: restore {restore_s:6.1f} s (target {RESTORE_TARGET:.0f} s) "
        f"{_verdict(restore_s, RESTORE_TARGET)}"
    )
    print(
        f"{kind}: {coachees} coachees' exports identical after restore: "
        f"{'PASS' if same else 'FAIL'}; restored server answers: {'PASS' if answers else 'FAIL'}"
    )
    return same and answers and backup_s < BACKUP_TARGET and restore_s < RESTORE_TARGET


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.backup")
    parser.add_argument("--sessions", type=int, default=3000)
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="one database only")
    args = parser.parse_args(argv)
    runs: list[tuple[str, str | None]] = []
    if args.only != "postgres":
        runs.append(("SQLite", None))
    if args.only != "sqlite":
        url = _pg_url()
        if url:
            runs.append(("PostgreSQL", url))
        else:
            print("PostgreSQL is not reachable: measured on SQLite only.")
    results = [run_one(kind, url, args.sessions) for kind, url in runs]
    print("ALL PASS" if all(results) else "SOME FAIL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
