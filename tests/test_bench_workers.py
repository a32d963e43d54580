"""bench/workers.py and bench/pacing.py: the paced coach waits, its schedule, and the verdicts."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from itertools import islice

import pytest

from bench.pacing import (
    AUTOSAVE_JS,
    KINDS,
    Pace,
    autosave_pause,
    drive,
    paced,
    saturation,
)
from bench.practices import Practice
from bench.workers import (
    PACED,
    SATURATION,
    Run,
    _parse,
    checks,
    measure,
    worker_memory_mb,
    workers_cpu_s,
)
from tests.servers import free_port

QUICK = Pace(read=0.02, typing=(0.01, 0.02), pause=0.03, saves=3)


def _run(plan: str, workers: int, ms: list[float], errors: int = 0, seconds: float = 1) -> Run:
    return Run(plan, workers, seconds, samples=[("home", m) for m in ms], errors=errors)


def test_the_autosave_pause_is_read_from_the_page_script() -> None:
    assert autosave_pause("  var DEBOUNCE_MS = 1500;\n  var MAX_RETRY_MS = 30000;") == 1.5
    with pytest.raises(ValueError, match="DEBOUNCE_MS"):
        autosave_pause("var MAX_RETRY_MS = 30000;")
    # The page as shipped: its debounce is what a paced coach waits after typing.
    shipped = autosave_pause()
    assert f"DEBOUNCE_MS = {round(shipped * 1000)};" in AUTOSAVE_JS.read_text()
    assert Pace().pause == shipped > 0


def test_a_seed_gives_the_same_schedule_every_time_and_another_seed_another() -> None:
    first = list(islice(paced(7, Pace()), 200))
    assert first == list(islice(paced(7, Pace()), 200))
    other = list(islice(paced(8, Pace()), 200))
    assert [k for k, _ in other] == [k for k, _ in first]
    assert [w for _, w in other] != [w for _, w in first]


def test_a_paced_round_reads_each_page_and_saves_at_the_page_s_pause() -> None:
    pace = Pace(read=5.0, typing=(1.0, 5.0), pause=2.0, saves=3)
    per_round = len(KINDS) + pace.saves - 1
    plan = list(islice(paced(1, pace), per_round * 2000))
    assert [k for k, _ in plan[:per_round]] == [
        *("home", "coachee", "view"),
        *("autosave",) * pace.saves,
        "search",
    ]
    saves = [w for k, w in plan if k == "autosave"]
    # Every save comes at least the page's pause after some typing; the later ones of a
    # writing spell (no reading before them) at most the longest burst plus the pause.
    assert min(saves) >= 1.0 + 2.0
    later = [w for n, (k, w) in enumerate(plan) if k == "autosave" and plan[n - 1][0] == k]
    assert max(later) <= 5.0 + 2.0
    reads = [w for k, w in plan if k != "autosave"]
    assert statistics.mean(reads) == pytest.approx(5.0, rel=0.08)
    assert statistics.median(reads) < 4.0  # exponential: most glances short, a few long reads
    assert max(reads) <= 50.0
    assert all(w == 0.0 for _, w in islice(saturation(), 100))
    # What the bench says it offers: the mean wait of a round (5 reads, 3 bursts and pauses).
    assert sum(w for _, w in plan) / 2000 == pytest.approx(pace.round_seconds(), rel=0.05)
    assert pace.round_seconds() == 5 * 5.0 + 3 * (3.0 + 2.0)


def _timed_drive(plan_seconds: float, pace: Pace | None) -> tuple[list[float], list[float], int]:
    """Drive a plan against instant requests: (send times, planned waits, requests recorded)."""
    sent: list[float] = []
    recorded: list[tuple[str, float | None]] = []

    def send() -> float:
        sent.append(time.monotonic())
        return 1.0

    planned: list[float] = []

    def plan() -> Iterator[tuple[str, float]]:
        for kind, wait in paced(3, pace) if pace else saturation():
            planned.append(wait)
            yield kind, wait

    now = time.monotonic()
    drive(
        dict.fromkeys(KINDS, send),
        plan(),
        warm_until=now,
        until=now + plan_seconds,
        limit=10_000,
        record=lambda kind, ms: recorded.append((kind, ms)),
    )
    return sent, planned, len(recorded)


def test_the_paced_loop_waits_its_schedule_before_each_request() -> None:
    began = time.monotonic()
    sent, planned, recorded = _timed_drive(1.0, QUICK)
    assert 10 <= len(sent) == recorded
    gaps = [b - a for a, b in zip([began, *sent], sent, strict=False)]
    for gap, wait in zip(gaps, planned, strict=False):
        assert gap >= wait * 0.99, (gap, wait)
    # Flat out, the same second holds hundreds of times as many requests.
    flat, _, _ = _timed_drive(1.0, None)
    assert len(flat) > 20 * len(sent)


def test_the_loop_stops_at_its_deadline_without_waiting_past_it_and_at_its_limit() -> None:
    began = time.monotonic()
    sent, _, _ = _timed_drive(0.3, Pace(read=30.0, typing=(1.0, 2.0), pause=2.0))
    assert time.monotonic() - began < 0.3 + 0.2
    assert len(sent) <= 1  # a first glance under 0.3 s, if that
    count = drive(
        dict.fromkeys(KINDS, lambda: 1.0),
        saturation(),
        warm_until=0.0,
        until=time.monotonic() + 60,
        limit=37,
        record=lambda kind, ms: None,
    )
    assert count == 37


def test_warm_up_answers_are_not_recorded_and_failures_are_recorded_as_such() -> None:
    recorded: list[tuple[str, float | None]] = []

    def refused() -> float:
        raise ConnectionRefusedError

    send = dict.fromkeys(KINDS, lambda: 5.0) | {"search": refused}
    drive(
        send,
        saturation(),
        warm_until=time.monotonic() + 3600,  # all of it warm-up
        until=time.monotonic() + 60,
        limit=20,
        record=lambda kind, ms: recorded.append((kind, ms)),
    )
    assert recorded == []
    drive(
        send, saturation(), 0.0, time.monotonic() + 60, 10, lambda k, ms: recorded.append((k, ms))
    )
    assert recorded == [*((k, 5.0) for k in KINDS[:-1]), ("search", None)] * 2


def test_p95_is_judged_on_the_paced_runs_and_throughput_on_the_saturation_runs() -> None:
    flooded = [100.0] * 10 + [1100.0]  # p95 1,100 ms: 25 threads back to back
    calm = [100.0] * 19 + [300.0]
    runs = [
        _run(SATURATION, 1, flooded * 25),
        _run(SATURATION, 2, flooded * 45),
        _run(PACED, 2, calm * 5, seconds=45),
    ]
    verdicts = {name: (value, ok) for name, value, _, ok in checks(runs, 2)}
    assert verdicts["req/s, 2 workers / 1, saturation"] == ("1.80x", True)
    assert verdicts["p95, 2 workers, paced"] == ("100 ms", True)
    assert verdicts["errors, saturation runs"] == ("0", True)
    assert verdicts["errors, paced runs"] == ("0", True)
    # A slow paced run misses, however fast the saturation runs were.
    runs[2] = _run(PACED, 2, [600.0] * 20, seconds=45)
    runs[0] = _run(SATURATION, 1, [10.0] * 1000)  # one worker answering twice as many
    verdicts = {name: (value, ok) for name, value, _, ok in checks(runs, 2)}
    assert verdicts["p95, 2 workers, paced"] == ("600 ms", False)
    assert verdicts["req/s, 2 workers / 1, saturation"][1] is False


def test_errors_in_either_run_miss_and_a_missing_paced_run_cannot_pass() -> None:
    runs = [
        _run(SATURATION, 1, [100.0] * 25),
        _run(SATURATION, 2, [100.0] * 45),
        _run(PACED, 2, [100.0] * 20, errors=1),
    ]
    verdicts = {name: ok for name, _, _, ok in checks(runs, 2)}
    assert verdicts == {
        "req/s, 2 workers / 1, saturation": True,
        "p95, 2 workers, paced": True,
        "errors, saturation runs": True,
        "errors, paced runs": False,
    }
    verdicts = {name: ok for name, _, _, ok in checks(runs[:2], 2)}
    assert verdicts["p95, 2 workers, paced"] is False
    assert verdicts["errors, paced runs"] is False


def test_a_coach_who_cannot_start_counts_as_an_error() -> None:
    nobody = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    practice = Practice("c@example.com", 1, "x", 1, "/c/", "/v/", "/e/", ["/e/"], "/i/")
    run = Run(PACED, 2, 0.2)
    measure(nobody, os.getpid(), [practice, practice], run, [saturation(), saturation()], 0.0)
    assert run.errors == 2 and run.samples == []


def test_worker_cpu_and_memory_are_read_for_the_master_s_children() -> None:
    busy = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.4: pass\n"
    # A master of its own with one busy child: this test's process has children of its own
    # (the forkserver an earlier PDF test started, lib/pdf.py), as a gunicorn master has none.
    master_code = (
        "import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, '-c', {busy + 'time.sleep(30)'!r}])\n"
        "time.sleep(30)\n"
    )
    master = subprocess.Popen([sys.executable, "-c", master_code], start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while workers_cpu_s(master.pid) < 0.3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert 0.3 <= workers_cpu_s(master.pid) < 5
        memory = worker_memory_mb(master.pid)
        assert len(memory) == 1 and 1 < memory[0] < 500
    finally:
        os.killpg(master.pid, signal.SIGKILL)
        master.wait()


def test_the_bench_refuses_unbounded_or_garbled_sizes_with_a_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _parse(["--ports", "20000-20002"]).port_range == range(20000, 20003)
    assert _parse([]).port_range is None
    for argv, said in [
        (["--ports", "abc"], "--ports takes a range"),
        (["--paced-seconds", "301"], "300 s a paced one"),
        (["--read", "0"], "--read: between"),
    ]:
        with pytest.raises(SystemExit):
            _parse(argv)
        assert said in capsys.readouterr().err
