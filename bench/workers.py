"""Several gunicorn workers against one: a firm's coaches over loopback HTTP, flat out and paced.

Issue 13 point 6. A firm of ``--coaches`` coaches (each with a generated practice of
``--sessions`` sessions) is served by gunicorn as docs/deployment.md starts it
(``gunicorn -c python:debrief.gunicorn_conf``), first with one worker process, then with
``--workers``, in alternating runs so that drift on a shared machine hits both alike. Every coach
is one thread going round home, the busiest coachee's page, a reflection, an autosave of one
answer and a search (``bench/pacing.py``), in two ways:

- **saturation** (``--seconds`` a run, both settings): one request after another with no pause,
  the most 25 threads can ask. It measures throughput, and the throughput ratio is judged here.
- **paced** (``--paced-seconds`` a run, ``--workers`` only, on the same server straight after
  its saturation run, so every index is warm): each coach reads every page before the next
  request, for ``--read`` seconds on average (exponential, seeded by ``--seed``: the same
  schedule every run), and writes on the reflection in bursts of typing, the page autosaving
  2 s after each burst as its script does (``DEBOUNCE_MS`` in autosave.js). The p95 is judged
  here.

Why two: the saturation run is a closed loop with no think time, and for such a loop Little's
law fixes the mean latency whatever the code does: with N threads and a server answering X
requests a second, each request takes N / X on average (25 / 45 req/s = 0.55 s on 2 cores), so
its p95 says how many threads there are, not how quickly a coach is answered. A coach does not
click back to back: they read a page, type a paragraph, think. With a think time Z between
requests, N = X (R + Z), the same 25 coaches offer a few requests a second, and the time each
waits for an answer is what the code does with a request on a server that is busy but not
flooded. Five seconds a page is quick for a coach (the load is heavier than a firm's day).

Each run prints requests, requests per second, median, p95, errors, the workers' CPU ms per
request (from /proc: steadier than wall time on a shared machine) and each worker's memory, then
which request kinds make the paced runs' slowest 5%. Targets: with 2 workers at least 1.7 times
the requests per second of one (saturation), p95 under 500 ms (paced, pooled over its runs),
0 errors in both. The load generator runs on the same machine (it takes CPU from the servers),
is bounded in time and in requests per coach, and sends only to 127.0.0.1. The default run
takes about 6 minutes; ``python -m bench.workers --help`` lists the sizes.
"""

from __future__ import annotations

import argparse
import os
import re
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
from threading import Lock

from bench import served
from bench.figures import percentile
from bench.pacing import KINDS, Pace, Plan, drive, paced, saturation
from bench.practices import Autosave, Practice, create

GUNICORN = [str(Path(sys.executable).with_name("gunicorn")), "-c", "python:debrief.gunicorn_conf"]
SEARCH = "/search/?q=confidence"
SATURATION, PACED = "saturation", "paced"
LIMIT = 5_000  # requests per coach per run, whatever the clock says


@dataclass
class Run:
    plan: str  # SATURATION or PACED
    workers: int
    seconds: float
    samples: list[tuple[str, float]] = field(default_factory=list)  # (request kind, ms)
    errors: int = 0
    memory_mb: list[float] = field(default_factory=list)  # each worker's resident memory at the end
    cpu_s: float = 0.0  # the workers' CPU seconds from the end of the warm-up to the last answer
    finished: int = 0  # coaches whose thread ran to its end

    @property
    def times(self) -> list[float]:
        return [ms for _, ms in self.samples]

    @property
    def per_second(self) -> float:
        return len(self.samples) / self.seconds

    @property
    def p95(self) -> float:
        return percentile(self.times, 95) if self.samples else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.samples else 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.cpu_s / len(self.samples) if self.samples else 0.0


def _workers(master: int) -> list[Path]:
    """The /proc directories of the worker processes of the gunicorn ``master``."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s*{master}$", text, re.MULTILINE):
            found.append(status.parent)
    return found


def workers_cpu_s(master: int) -> float:
    """CPU seconds (user and system, all threads) the workers of ``master`` have used so far."""
    total = 0
    for proc in _workers(master):
        try:
            after_name = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a worker that has just exited
        total += int(after_name[11]) + int(after_name[12])  # utime, stime (fields 14, 15)
    return total / os.sysconf("SC_CLK_TCK")


def worker_memory_mb(master: int) -> list[float]:
    """Resident memory (VmRSS) of each worker process of the gunicorn ``master``, in MB."""
    sizes = []
    for proc in _workers(master):
        try:
            found = re.search(r"^VmRSS:\s*(\d+)", (proc / "status").read_text(), re.MULTILINE)
        except OSError:
            continue
        if found:
            sizes.append(int(found.group(1)) / 1024)
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


def _coach(
    base: str, practice: Practice, plan: Plan, window: tuple[float, float], run: Run, lock: Lock
) -> None:
    """One coach's thread: its requests, sent as ``plan`` paces them within ``window``."""
    coach = served.Coach(base, practice.session)
    try:
        save = Autosave(coach, practice.edit)  # reads the edit page once, untimed
    except (served.BenchError, OSError, ValueError):
        with lock:
            run.errors, run.finished = run.errors + 1, run.finished + 1
        return
    send: dict[str, Callable[[], float]] = {
        "home": lambda: coach.get("/").ms,
        "coachee": lambda: coach.get(practice.coachee).ms,
        "view": lambda: coach.get(practice.view).ms,
        "autosave": lambda: save().ms,
        "search": lambda: coach.get(SEARCH).ms,
    }

    def record(kind: str, ms: float | None) -> None:
        with lock:
            if ms is None:
                run.errors += 1
            else:
                run.samples.append((kind, ms))

    drive(send, plan, *window, LIMIT, record)
    with lock:
        run.finished += 1


def measure(
    base: str,
    master: int,
    practices: list[Practice],
    run: Run,
    plans: list[Plan],
    warmup: float,
) -> Run:
    """``run``'s figures: one thread per coach, following its plan for ``run.seconds``."""
    lock = threading.Lock()
    start = time.monotonic()
    window = (start + warmup, start + warmup + run.seconds)
    threads = [
        threading.Thread(target=_coach, args=(base, p, plan, window, run, lock), daemon=True)
        for p, plan in zip(practices, plans, strict=True)
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, window[0] - time.monotonic()))
    cpu = workers_cpu_s(master)
    for thread in threads:
        thread.join(timeout=warmup + run.seconds + 120)
    run.cpu_s = workers_cpu_s(master) - cpu
    # A coach whose thread died (say the edit page would not load) counts as an error: its
    # requests are missing, and a run must not look clean for having sent fewer.
    run.errors += len(threads) - run.finished
    run.memory_mb = worker_memory_mb(master)  # every coach has searched
    return run


def _table(runs: list[Run]) -> None:
    print(
        f"{'run':<11} {'workers':>7} {'requests':>8} {'req/s':>6} {'median ms':>9} {'p95 ms':>7}"
        f" {'errors':>6} {'CPU ms/req':>10}  worker MB"
    )
    for run in runs:
        print(
            f"{run.plan:<11} {run.workers:>7} {len(run.samples):>8} {run.per_second:>6.1f}"
            f" {run.median:>9.1f} {run.p95:>7.1f} {run.errors:>6} {run.cpu_ms_per_request:>10.1f}"
            f"  {', '.join(f'{m:.0f}' for m in run.memory_mb)}"
        )


def _tail(runs: list[Run]) -> None:
    """Which requests make the paced runs' slowest 5 per cent (pooled over the runs)."""
    samples = [s for run in runs for s in run.samples]
    if not samples:
        return
    cut = percentile([ms for _, ms in samples], 95)
    print(f"\n{PACED} runs by request ({len(samples)} requests; slowest 5%: over {cut:.0f} ms)")
    print(f"{'request':<9} {'requests':>8} {'median ms':>9} {'p95 ms':>7} {'in slowest 5%':>13}")
    for kind in KINDS:
        times = [ms for k, ms in samples if k == kind]
        if times:
            slow = sum(ms > cut for ms in times)
            print(
                f"{kind:<9} {len(times):>8} {statistics.median(times):>9.1f}"
                f" {percentile(times, 95):>7.1f} {slow:>13}"
            )


def checks(runs: list[Run], many: int) -> list[tuple[str, str, str, bool]]:
    """(figure, value, target, met): throughput on the saturation runs, p95 on the paced ones."""
    one = [r.per_second for r in runs if r.plan == SATURATION and r.workers == 1]
    several = [r.per_second for r in runs if r.plan == SATURATION and r.workers == many]
    ratio = statistics.median(several) / statistics.median(one) if one and several else 0.0
    paced = [ms for r in runs if r.plan == PACED and r.workers == many for ms in r.times]
    p95 = percentile(paced, 95) if paced else float("inf")
    errors = {plan: sum(r.errors for r in runs if r.plan == plan) for plan in (SATURATION, PACED)}
    return [
        (
            f"req/s, {many} workers / 1, {SATURATION}",
            f"{ratio:.2f}x",
            "at least 1.7x",
            ratio >= 1.7,
        ),
        (f"p95, {many} workers, {PACED}", f"{p95:.0f} ms", "under 500 ms", p95 < 500),
        *(
            (f"errors, {plan} runs", str(n), "0", n == 0 and any(r.plan == plan for r in runs))
            for plan, n in errors.items()
        ),
    ]


def _report(runs: list[Run], many: int) -> bool:
    _table(runs)
    _tail([r for r in runs if r.plan == PACED and r.workers == many])
    print()
    verdicts = checks(runs, many)
    for name, value, target, ok in verdicts:
        print(f"{name:<36} {value:>9}   target {target:<14} {'PASS' if ok else 'MISS'}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (the machine is shared)")
    return all(ok for *_, ok in verdicts)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--coaches", type=int, default=25, help="simulated coaches, one thread each")
    add("--sessions", type=int, default=120, help="sessions per coach")
    add("--workers", type=int, default=2, help="workers to compare with one")
    add("--seconds", type=float, default=20.0, help="timed seconds per saturation run")
    add("--paced-seconds", type=float, default=45.0, help="timed seconds per paced run")
    add("--warmup", type=float, default=5.0, help="untimed seconds before each run")
    add("--runs", type=int, default=2, help="runs of each setting, alternating")
    add("--read", type=float, default=5.0, help="paced: mean seconds reading a page")
    add("--seed", type=int, default=13, help="paced: seed of the coaches' schedules")
    add("--ports", default="", help="a branch's port range on a shared machine, e.g. 8240-8259")
    args = parser.parse_args(argv)
    if not 1 <= args.coaches <= 100 or not 1 <= args.runs <= 5:
        parser.error("keep it bounded: 1-100 coaches, 1-5 runs")
    if not 0 < args.seconds <= 120 or not 0 < args.paced_seconds <= 300:
        parser.error("keep it bounded: at most 120 s a saturation run, 300 s a paced one")
    if not 0.1 <= args.read <= 60:
        parser.error("--read: between 0.1 and 60 seconds")
    try:
        args.port_range = served.port_range(args.ports)
    except ValueError as error:
        parser.error(str(error))
    return args


def _runs(
    env: dict[str, str], practices: list[Practice], args: argparse.Namespace, pace: Pace
) -> list[Run]:
    ports = args.port_range
    runs = []
    for _ in range(args.runs):
        for workers in (1, args.workers):
            with gunicorn(env, workers, ports) as (base, master):
                flat = [saturation() for _ in practices]
                run = Run(SATURATION, workers, args.seconds)
                runs.append(measure(base, master, practices, run, flat, args.warmup))
                if workers == args.workers:
                    # Same seeds every run, so that runs differ by the machine, not the schedule.
                    plans = [paced(args.seed * 1000 + n, pace) for n in range(len(practices))]
                    run = Run(PACED, workers, args.paced_seconds)
                    runs.append(measure(base, master, practices, run, plans, args.warmup))
    return runs


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    pace = Pace(read=args.read)
    with served.environment("workers") as env:
        served.manage(env, "migrate", "--noinput")
        began = time.monotonic()
        specs = [(f"coach{n}@example.com", args.sessions, n) for n in range(args.coaches)]
        practices = list(create(env, specs, edits=1).values())
        served.analyze(env)  # PostgreSQL's planner statistics, as autovacuum would leave them
        print(
            f"{args.coaches} coaches x {args.sessions} sessions made in "
            f"{time.monotonic() - began:.0f} s; {args.runs} runs of {args.seconds:.0f} s "
            f"({SATURATION}) and {args.paced_seconds:.0f} s ({PACED}, {args.workers} workers)"
        )
        offered = args.coaches * (len(KINDS) + pace.saves - 1) / pace.round_seconds()
        print(
            f"{PACED}: a page read for {pace.read:g} s on average (exponential, seed {args.seed}),"
            f" {pace.saves} autosaves each {pace.pause:g} s after {pace.typing[0]:g}-"
            f"{pace.typing[1]:g} s of typing: about {offered:.1f} req/s offered"
        )
        bound = os.environ.get("DEBRIEF_SEARCH_INDEX_COACHES", "the default")
        print(f"search indexes kept per process (DEBRIEF_SEARCH_INDEX_COACHES): {bound}")
        return 0 if _report(_runs(env, practices, args, pace), args.workers) else 1


if __name__ == "__main__":
    raise SystemExit(main())
