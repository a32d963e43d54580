"""A journal that moves, over HTTP: export at 3,000 sessions, import on another installation.

``python -m bench.portable``: builds a practice of 3,000 sessions (the demo generator) in one
throw-away installation, serves it as ``make run`` does, confirms the password and downloads
"Move your journal" (timed, with the server's peak memory before and after); then makes a
second, empty installation (its own data directory and database: SQLite, or a scratch
PostgreSQL database when DATABASE_URL points at PostgreSQL), signs a new coach in, uploads the
file through the import page (timed), downloads the journal again there and checks that the
two files are the same but for ``exported_at``. Not a test: it exits 0 and prints PASS or FAIL
beside each figure. The machine is shared, so figures are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from bench import served

PORTS = range(8500, 8600)
EXPORT_SECONDS = 30.0
EXPORT_MB = 300.0
IMPORT_SECONDS = 60.0
PASSWORD = "bench-password-123"
SETUP = """
from django.utils import timezone
from debrief.demo.practice import create_practice
create_practice(coach, sessions={sessions}, coachees=40, seed=12, today=timezone.localdate())
"""


def _server_pid(port: int) -> int | None:
    """The pid of the ``manage.py serve --port <port>`` this bench started."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in args and str(port).encode() in args:
            return int(proc.name)
    return None


def _peak_mb(pid: int | None) -> float:
    if pid is None:
        return float("nan")
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_seconds(pid: int | None) -> float:
    """User and system CPU time the server has used: a figure the shared machine's load
    does not inflate the way it does wall time."""
    if pid is None:
        return float("nan")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _confirm_password(coach: served.Coach) -> None:
    answer = coach.post("/accounts/reauthenticate/", {"password": PASSWORD})
    if answer.status != 302:
        raise served.BenchError(f"confirming the password answered {answer.status}")


def _download(coach: served.Coach) -> tuple[float, str]:
    began = time.perf_counter()
    answer = coach.get("/move/journal/export.json")
    if answer.status != 200 or not answer.body.startswith('{"format":"debrief-journal"'):
        raise served.BenchError(f"the export answered {answer.status}, not the journal file")
    return time.perf_counter() - began, answer.body


def _export(sessions: int) -> tuple[float, float, float, float, str]:
    with served.environment("portable_a") as env:
        served.manage(env, "migrate", "--noinput")
        cookie = served.sign_in(env, "from@example.com", SETUP.format(sessions=sessions))
        with served.server(env, PORTS) as base:
            pid = _server_pid(int(base.rsplit(":", 1)[1]))
            coach = served.Coach(base, cookie)
            _confirm_password(coach)
            before, cpu = _peak_mb(pid), _cpu_seconds(pid)
            seconds, body = _download(coach)
            after, cpu = _peak_mb(pid), _cpu_seconds(pid) - cpu
    return seconds, cpu, before, after, body


def _import(body: str) -> tuple[float, float, float, str]:
    with served.environment("portable_b") as env:
        served.manage(env, "migrate", "--noinput")
        cookie = served.sign_in(env, "to@example.com")
        with served.server(env, PORTS) as base:
            pid = _server_pid(int(base.rsplit(":", 1)[1]))
            coach = served.Coach(base, cookie)
            cpu = _cpu_seconds(pid)
            answer = coach.upload(
                "/move/journal/import/",
                body.encode(),
                filename="journal.json",
                content_type="application/json",
                follow=False,
                referer="/move/journal/",
            )
            if answer.status != 302:
                raise served.BenchError(f"the import answered {answer.status}")
            peak, cpu = _peak_mb(pid), _cpu_seconds(pid) - cpu
            _confirm_password(coach)
            _, again = _download(coach)
    return answer.ms / 1000, cpu, peak, again


def _same_but_stamp(first: str, second: str) -> bool:
    a, b = json.loads(first), json.loads(second)
    a.pop("exported_at")
    b.pop("exported_at")
    return bool(a == b)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.portable", description=__doc__)
    parser.add_argument("--sessions", type=int, default=3000)
    args = parser.parse_args(argv)
    seconds, export_cpu, before, after, body = _export(args.sessions)
    data = json.loads(body)
    taken, import_cpu, peak, again = _import(body)
    same = _same_but_stamp(body, again)
    print(f"journal move over HTTP, {data['counts']['sessions']:,} sessions, ", end="")
    print(f"{data['counts']['coachees']} coachees, file {len(body.encode()) / 1e6:.1f} MB:")
    print(
        f"  export          {seconds:6.2f} s  (target < {EXPORT_SECONDS:.0f} s)  "
        f"{_verdict(seconds < EXPORT_SECONDS)}; server CPU {export_cpu:.1f} s"
    )
    print(
        f"  server memory   {after:6.0f} MB peak after the export, {before:.0f} MB before "
        f"(target < {EXPORT_MB:.0f} MB)  {_verdict(after < EXPORT_MB)}"
    )
    print(
        f"  import          {taken:6.2f} s  (target < {IMPORT_SECONDS:.0f} s)  "
        f"{_verdict(taken < IMPORT_SECONDS)}; server CPU {import_cpu:.1f} s, peak {peak:.0f} MB"
    )
    print(f"  machine load    {os.getloadavg()[0]:.1f} (1-minute average, {os.cpu_count()} CPUs)")
    print(f"  round trip      exported again on the new installation: {_verdict(same)}", end="")
    print(" (identical but for exported_at)" if same else " (the files differ)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
