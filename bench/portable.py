"""A journal that moves, over HTTP: export at 3,000 sessions, import on another installation.

``python -m bench.portable``: builds a practice of 3,000 sessions (the demo generator) in one
throw-away installation, serves it as ``make run`` does, confirms the password and downloads
"Move your journal" (timed, with the server's peak memory before and after); then makes a
second, empty installation (its own data directory and database: SQLite, or a scratch
PostgreSQL database when DATABASE_URL points at PostgreSQL), signs a new coach in, uploads the
file through the import page (timed), downloads the journal again there and checks that the
two files are the same but for ``exported_at``. ``--ports 8320-8339`` picks the loopback ports to
serve on. Not a test: it exits 0 and prints PASS or FAIL
beside each figure. The machine is shared, so figures are noisy.

``python -m bench.portable --against-jrnl [--sessions 10000]``: the whole-journal JSON export
beside jrnl's (issue 15). Builds the practice and downloads the export over HTTP three times
from one server, the first straight after start-up: each download timed (wall, and the
server's CPU time), the median of the three the figure (jrnl's is a median too), the three
files checked to be the same but for ``exported_at``, and the server's peak memory after the
first (target under 200 MB) and after all three (it rises when a later export runs on another
of waitress's threads: glibc gives each thread its own malloc arena, and each keeps what it
grew to: ``debrief/lib/arenas.py`` keeps two arenas), with the export worker's CPU seconds
(a second process: ``portable/export_worker.py``, counted by its forkserver once reaped) and
the largest resident memory of any process below the server (sampled every 20 ms). The CPU
ratio to jrnl counts both processes. Then writes the same
entries as a plain jrnl journal (one entry a session: its date and start, "Session N with
<coachee>." as the title, and the body every answer of its reflection, every technique note
and action), installs jrnl into a throw-away virtual environment inside the bench's temporary
folder (never the project's environment or requirements), and times ``jrnl --export json`` on
it (the median of three runs after one to settle its configuration). When jrnl cannot be
installed (no package index), the figure of the documented run in issue 15 stands in, and the
output says so.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench import served

PORTS = "8220-8239"  # default loopback ports (--ports low-high: each branch has its range)
EXPORT_SECONDS = 30.0
EXPORT_MB = 300.0
IMPORT_SECONDS = 60.0
JSON_EXPORT_MB = 200.0  # issue 15, at 10,000 sessions
DOWNLOADS = 3  # --against-jrnl: the export timed this many times on one server
JRNL_DOCUMENTED_SECONDS = 2.5  # issue 15: jrnl exporting the same 10,000 entries, measured then
JRNL_CONFIG = """colors: {{body: none, date: none, tags: none, title: none}}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals:
  default:
    journal: {journal}
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: v4.6
"""
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


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _workers_cpu(pid: int | None) -> float:
    """CPU time of the server's worker processes that have ended (the export's worker, forked
    by the forkserver: ``lib/forkserver.py``), as their forkserver counts it once it has
    reaped them; 0 before any forkserver."""
    total = 0.0
    for child in _children(pid) if pid else []:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")  # cutime, cstime
    return total


class _WorkerPeak:
    """The largest resident memory (VmHWM) of any process below the server while it runs
    (the forkserver and the export's worker), sampled every 20 ms by a thread."""

    def __init__(self, pid: int | None) -> None:
        self.pid, self.mb, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> _WorkerPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while self.pid and not self._stop.wait(0.02):
            below = _children(self.pid)
            for child in list(below):
                below += _children(child)
            for child in below:
                self.mb = max(self.mb, _peak_mb(child) if Path(f"/proc/{child}").exists() else 0)


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


def _ports(text: str) -> range:
    low, _, high = text.partition("-")
    return range(int(low), int(high or low) + 1)


class Exported:
    """The export downloaded ``downloads`` times from one server: each one's wall and server
    CPU seconds, the server's peak memory before, after the first and after the last, the
    last file, and whether every file was the same as the first but for ``exported_at``."""

    def __init__(self, coach: served.Coach, pid: int | None, downloads: int) -> None:
        self.seconds: list[float] = []
        self.cpu: list[float] = []
        self.before = self.first_peak = _peak_mb(pid)
        self.worker_cpu: list[float] = []
        first = ""
        self.same = True
        for _ in range(downloads):
            cpu, theirs = _cpu_seconds(pid), _workers_cpu(pid)
            with _WorkerPeak(pid) as peak:
                seconds, self.body = _download(coach)
                time.sleep(0.1)  # the worker ends and its forkserver reaps it
            self.cpu.append(_cpu_seconds(pid) - cpu)
            self.worker_cpu.append(_workers_cpu(pid) - theirs)
            self.worker_mb = peak.mb
            self.seconds.append(seconds)
            if not first:
                first, self.first_peak = _unstamped(self.body), _peak_mb(pid)
            self.same = self.same and _unstamped(self.body) == first
        self.after = _peak_mb(pid)


def _unstamped(body: str) -> str:
    """The file without its ``exported_at`` (near the start, before any coachee's text)."""
    return re.sub(r'"exported_at":"[^"]*"', "", body, count=1)


def _export(sessions: int, ports: range | None = None, downloads: int = 1) -> Exported:
    with served.environment("portable_a") as env:
        served.manage(env, "migrate", "--noinput")
        cookie = served.sign_in(env, "from@example.com", SETUP.format(sessions=sessions))
        with served.server(env, ports or _ports(PORTS)) as base:
            pid = _server_pid(int(base.rsplit(":", 1)[1]))
            coach = served.Coach(base, cookie)
            _confirm_password(coach)
            return Exported(coach, pid, downloads)


def _import(body: str, ports: range | None = None) -> tuple[float, float, float, str]:
    with served.environment("portable_b") as env:
        served.manage(env, "migrate", "--noinput")
        cookie = served.sign_in(env, "to@example.com")
        with served.server(env, ports or _ports(PORTS)) as base:
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


def jrnl_text(data: dict[str, Any]) -> tuple[str, int]:
    """The journal's sessions as a plain jrnl journal, and how many entries it holds."""
    parts = []
    for c in data["coachees"]:
        for s in c["sessions"]:
            lines = []
            if s["reflection"]:
                lines += [a["text"] for a in s["reflection"]["answers"] if a["text"]]
                lines += [u["note"] for u in s["reflection"]["techniques"] if u["note"]]
            lines += [a["text"] for a in s["actions"]]
            # A body line must not look like the start of an entry to jrnl.
            body = "\n".join(line.replace("\n[", "\n (") for line in lines)
            when = f"{s['date']} {s['start_time'] or '09:00'}"
            parts.append(f"[{when}] Session {s['number']} with {c['name']}.\n{body}\n\n")
    return "".join(parts), len(parts)


def _install_jrnl(folder: Path) -> Path | str:
    """jrnl in a virtual environment of its own under ``folder``; or why it could not be."""
    venv = folder / "jrnl-venv"
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)  # noqa: S603
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "jrnl"]
        done = subprocess.run(pip, capture_output=True, text=True, timeout=900)  # noqa: S603
    except (OSError, subprocess.SubprocessError) as error:
        return str(error)
    if done.returncode:
        return (done.stderr.strip().splitlines() or ["pip failed"])[-1]
    return venv / "bin" / "jrnl"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time_jrnl(jrnl: Path, folder: Path, text: str) -> tuple[list[float], list[float], int, float]:
    journal = folder / "journal.txt"
    journal.write_text(text, encoding="utf-8")
    config = folder / "jrnl.yaml"
    config.write_text(JRNL_CONFIG.format(journal=journal), encoding="utf-8")
    env = dict(os.environ, HOME=str(folder), XDG_CONFIG_HOME=str(folder), NO_COLOR="1")
    command = [str(jrnl), "--config-file", str(config), "--export", "json"]
    runs, cpus = [], []
    entries = 0
    for i in range(4):  # the first settles jrnl's configuration file; not timed
        began, cpu = time.perf_counter(), _children_cpu()
        done = subprocess.run(command, env=env, capture_output=True, timeout=600, check=True)  # noqa: S603
        if i:
            runs.append(time.perf_counter() - began)
            cpus.append(_children_cpu() - cpu)
        entries = len(json.loads(done.stdout)["entries"])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return runs, cpus, entries, peak


def _each(values: list[float]) -> str:
    return "/".join(f"{v:.2f}" for v in values)


def against_jrnl(sessions: int, ports: range) -> int:
    done = _export(sessions, ports, DOWNLOADS)
    seconds, cpu = statistics.median(done.seconds), statistics.median(done.cpu)
    data = json.loads(done.body)
    text, entries = jrnl_text(data)
    print(f"whole-journal JSON export over HTTP, {data['counts']['sessions']:,} sessions, ", end="")
    print(f"file {len(done.body.encode()) / 1e6:.1f} MB; the same {entries:,} entries for jrnl:")
    print(
        f"  Debrief export  {seconds:6.2f} s  server CPU {cpu:.2f} s (median of {DOWNLOADS} "
        f"from one server, the first after start-up: {_each(done.seconds)} s, "
        f"CPU {_each(done.cpu)} s; the files the same: {_verdict(done.same)})"
    )
    print(
        f"  export worker   CPU {_each(done.worker_cpu)} s (a second process: "
        f"DEBRIEF_EXPORT_WORKER), largest process below the server {done.worker_mb:.0f} MB"
    )
    print(
        f"  server memory   {done.first_peak:6.0f} MB peak after the first export, "
        f"{done.before:.0f} MB before (target < {JSON_EXPORT_MB:.0f} MB)  "
        f"{_verdict(done.first_peak < JSON_EXPORT_MB)}; {done.after:.0f} MB after all {DOWNLOADS}"
    )
    with tempfile.TemporaryDirectory(prefix="debrief-jrnl-") as tmp:
        jrnl = _install_jrnl(Path(tmp))
        their_cpu = float("nan")
        if isinstance(jrnl, str):
            theirs, how = JRNL_DOCUMENTED_SECONDS, f"documented run (issue 15): {jrnl}"
        else:
            runs, cpus, exported, peak = _time_jrnl(jrnl, Path(tmp), text)
            theirs, their_cpu = statistics.median(runs), statistics.median(cpus)
            spread = f"{min(runs):.2f}-{max(runs):.2f} s"
            how = f"measured here, median of {len(runs)} ({spread}), {exported:,} entries, "
            how += f"peak {peak:.0f} MB"
    print(f"  jrnl --export   {theirs:6.2f} s  CPU {their_cpu:.2f} s ({how})")
    ratio = seconds / theirs
    both = cpu + statistics.median(done.worker_cpu)
    print(
        f"  verdict         Debrief takes {ratio:.1f}x jrnl's time (target < 1x)  "
        f"{_verdict(seconds < theirs)}; CPU {both / their_cpu:.1f}x jrnl's (server and worker)"
    )
    print(f"  machine load    {os.getloadavg()[0]:.1f} (1-minute average, {os.cpu_count()} CPUs)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.portable", description=__doc__)
    parser.add_argument("--sessions", type=int, default=None)
    parser.add_argument("--against-jrnl", action="store_true")
    parser.add_argument("--ports", default=PORTS, help="loopback ports to serve on, low-high")
    args = parser.parse_args(argv)
    ports = _ports(args.ports)
    if args.against_jrnl:
        return against_jrnl(args.sessions or 10_000, ports)
    args.sessions = args.sessions or 3000
    done = _export(args.sessions, ports)
    seconds, export_cpu, before, after, body = (
        done.seconds[0],
        done.cpu[0],
        done.before,
        done.after,
        done.body,
    )
    data = json.loads(body)
    taken, import_cpu, peak, again = _import(body, ports)
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
