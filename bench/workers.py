"""Several gunicorn workers against one: throughput of a firm's coaches, over loopback HTTP.

Issue 13 point 6. A firm of ``--coaches`` coaches (each with a generated practice of
``--sessions`` sessions) is served by gunicorn as docs/deployment.md starts it
(``gunicorn -c python:debrief.gunicorn_conf``), first with one worker process, then with
``--workers``, in alternating runs so that drift on a shared machine hits both alike. In each run
every coach is one thread that, for ``--seconds`` after an untimed warm-up, goes round home, the
busiest coachee's page, a reflection, an autosave of one answer and a search, one request
after another. The load generator runs on the same machine (it takes CPU from the servers), is
bounded in time and in threads, and sends only to 127.0.0.1.

Targets: with 2 workers at least 1.7 times the requests per second of one, 0 errors, and the
p95 under 500 ms. ``python -m bench.workers --help`` lists the sizes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench import served
from bench.figures import percentile
from bench.practices import Autosave, Practice, create

GUNICORN = [str(Path(sys.executable).with_name("gunicorn")), "-c", "python:debrief.gunicorn_conf"]
SEARCH = "/search/?q=confidence"


@dataclass
class Run:
    workers: int
    seconds: float
    times: list[float] = field(default_factory=list)
    errors: int = 0
    memory_mb: list[float] = field(default_factory=list)  # each worker's resident memory at the end

    @property
    def per_second(self) -> float:
        return len(self.times) / self.seconds

    @property
    def p95(self) -> float:
        return percentile(self.times, 95) if self.times else 0.0


def worker_memory_mb(master: int) -> list[float]:
    """Resident memory (VmRSS) of each worker process of the gunicorn ``master``, in MB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master):
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


@contextmanager
def gunicorn(
    env: dict[str, str], workers: int, ports: Iterable[int] | None = None
) -> Iterator[tuple[str, int]]:
    """gunicorn with ``workers`` processes on a free loopback port (of ``ports`` if given)."""
    port = served.free_port(ports)
    log = Path(env["DEBRIEF_DATA_DIR"]) / f"gunicorn-{port}.log"
    variables = dict(env, PORT=str(port), DEBRIEF_WORKERS=str(workers), DEBRIEF_SCHEDULER="false")
    with log.open("wb") as output:
        proc = subprocess.Popen(  # noqa: S603 - our own gunicorn and settings
            GUNICORN, cwd=served.ROOT, env=variables, stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise served.BenchError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise served.BenchError("gunicorn did not answer within 90 s") from None
                time.sleep(0.2)
        yield base, proc.pid
    finally:
        proc.terminate()  # the master stops its workers
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def _coach_loop(
    base: str, practice: Practice, warm_until: float, until: float, run: Run, lock: threading.Lock
) -> None:
    coach = served.Coach(base, practice.session)
    save = Autosave(coach, practice.edit)
    rounds: list[Callable[[], served.Response]] = [
        lambda: coach.get("/"),
        lambda: coach.get(practice.coachee),
        lambda: coach.get(practice.view),
        save,
        lambda: coach.get(SEARCH),
    ]
    n = 0
    while (now := time.monotonic()) < until:
        try:
            ms = rounds[n % len(rounds)]().ms
            failed = False
        except (served.BenchError, OSError):
            ms, failed = 0.0, True
        n += 1
        if now >= warm_until:
            with lock:
                if failed:
                    run.errors += 1
                else:
                    run.times.append(ms)


def measure(
    base: str, practices: list[Practice], workers: int, seconds: float, warmup: float
) -> Run:
    run = Run(workers, seconds)
    lock = threading.Lock()
    start = time.monotonic()
    threads = [
        threading.Thread(
            target=_coach_loop,
            args=(base, p, start + warmup, start + warmup + seconds, run, lock),
            daemon=True,
        )
        for p in practices
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=warmup + seconds + 120)
    return run


def _report(runs: list[Run], many: int) -> bool:
    print(
        f"{'workers':>8} {'requests':>9} {'req/s':>7} {'median ms':>10} {'p95 ms':>8} {'errors':>7}"
    )
    for run in runs:
        median = statistics.median(run.times) if run.times else 0.0
        print(
            f"{run.workers:>8} {len(run.times):>9} {run.per_second:>7.1f} {median:>10.1f}"
            f" {run.p95:>8.1f} {run.errors:>7}  {', '.join(f'{m:.0f}' for m in run.memory_mb)}"
        )
    one = [r.per_second for r in runs if r.workers == 1]
    several = [r for r in runs if r.workers == many]
    ratio = statistics.median(r.per_second for r in several) / statistics.median(one)
    p95 = statistics.median(r.p95 for r in several)
    errors = sum(r.errors for r in runs)
    checks = [
        (
            f"throughput with {many} workers / 1 worker",
            f"{ratio:.2f}x",
            "at least 1.7x",
            ratio >= 1.7,
        ),
        (f"p95 with {many} workers", f"{p95:.0f} ms", "under 500 ms", p95 < 500),
        ("errors, all runs", str(errors), "0", errors == 0),
    ]
    print()
    for name, value, target, ok in checks:
        print(f"{name:<38} {value:>9}   target {target:<14} {'PASS' if ok else 'MISS'}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (the machine is shared)")
    return all(ok for *_, ok in checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--coaches", type=int, default=25, help="simulated coaches, one thread each"
    )
    parser.add_argument("--sessions", type=int, default=120, help="sessions per coach")
    parser.add_argument("--workers", type=int, default=2, help="workers to compare with one")
    parser.add_argument("--seconds", type=float, default=20.0, help="timed seconds per run")
    parser.add_argument("--warmup", type=float, default=5.0, help="untimed seconds per run")
    parser.add_argument("--runs", type=int, default=2, help="runs of each setting, alternating")
    parser.add_argument(
        "--ports", default="", help="a branch's port range on a shared machine, e.g. 8240-8259"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.coaches <= 100 or not 1 <= args.runs <= 5 or args.seconds > 120:
        parser.error("keep it bounded: 1-100 coaches, 1-5 runs, at most 120 s a run")
    try:
        ports = served.port_range(args.ports)
    except ValueError as error:
        parser.error(str(error))
    with served.environment("workers") as env:
        served.manage(env, "migrate", "--noinput")
        began = time.monotonic()
        specs = [(f"coach{n}@example.com", args.sessions, n) for n in range(args.coaches)]
        practices = list(create(env, specs, edits=1).values())
        print(
            f"{args.coaches} coaches x {args.sessions} sessions made in "
            f"{time.monotonic() - began:.0f} s; {args.runs} runs of {args.seconds:.0f} s each"
        )
        bound = os.environ.get("DEBRIEF_SEARCH_INDEX_COACHES", "the default")
        print(f"search indexes kept per process (DEBRIEF_SEARCH_INDEX_COACHES): {bound}")
        runs = []
        for _ in range(args.runs):
            for workers in (1, args.workers):
                with gunicorn(env, workers, ports) as (base, master):
                    run = measure(base, practices, workers, args.seconds, args.warmup)
                    run.memory_mb = worker_memory_mb(master)  # every coach has searched
                    runs.append(run)
        return 0 if _report(runs, args.workers) else 1


if __name__ == "__main__":
    raise SystemExit(main())
