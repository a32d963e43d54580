"""Search timings for `make bench`: p95 at 3,000 and 10,000 sessions, and memory per request.

The 3,000-session coach is the bench's big practice; a fourth coach gets 10,000 sessions. For
each, the sealed index is built once (its one-off cost is printed), then read back as a new
process would (the first search after a start), then every query is timed through the search
page, interleaved with the floor page so both see the same machine, and once more right after
each of a few answer edits (the index refreshes that one session). Memory per request is the
tracemalloc peak of one request, measured apart from the timings (tracing slows Python down).
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from typing import Any
from urllib.parse import urlencode

QUERIES = {
    "one word": "confidence",
    "two words": "feedback delegate",
    "quoted phrase": '"next session"',
}
TARGETS_MS = {3000: 150.0, 10000: 500.0}
MEMORY_TARGET_MB = 200.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--search-sessions",
        type=int,
        default=10000,
        help="sessions of the extra practice for the search bench (0 to skip it)",
    )
    parser.add_argument("--search-iterations", type=int, default=60, help="timed searches each")


def _url(words: str) -> str:
    return "/search/?" + urlencode({"q": words})


def _get(client: Any, url: str) -> None:
    from bench.run import _get as get

    get(client, url)


def _timed(client: Any, url: str) -> float:
    started = time.perf_counter_ns()
    _get(client, url)
    return (time.perf_counter_ns() - started) / 1e6


def _peak_mb(client: Any, url: str) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        _get(client, url)
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def _index_costs(coach: Any, client: Any) -> tuple[float, float, float]:
    """Seconds to build the index from the notes, to read it back sealed, and that peak MB."""
    from debrief.search import index

    index.forget_all()
    started = time.perf_counter()
    index.index_for(coach.id)
    built = time.perf_counter() - started
    index.forget_all()
    started = time.perf_counter()
    index.index_for(coach.id)
    loaded = time.perf_counter() - started
    index.forget_all()
    cold_peak = _peak_mb(client, _url(QUERIES["one word"]))
    return built, loaded, cold_peak


def _after_edits(coach: Any, client: Any, iterations: int) -> tuple[list[float], float]:
    """Search times right after an answer was edited, and the peak MB of one such search."""
    from debrief.journal.models import Answer

    answers = list(
        Answer.objects.filter(reflection__coach=coach)
        .exclude(text="")
        .order_by("?")[: iterations + 1]
    )
    times, peak = [], 0.0
    for n, answer in enumerate(answers):
        answer.text = answer.text + " Edited."
        answer.save()
        if n == iterations:
            peak = _peak_mb(client, _url(QUERIES["one word"]))
        else:
            times.append(_timed(client, _url(QUERIES["one word"])))
    return times, peak


def _results(client: Any, url: str) -> int:
    response = client.get(url + "&format=json")
    return int(response.json()["total"])


def measure_coach(coach: Any, sessions: int, iterations: int) -> None:
    from bench.run import Page, _client

    client = _client(coach)
    built, loaded, cold_peak = _index_costs(coach, client)
    print(
        f"\nSearch at {sessions:,} sessions: index built from the notes in {built:.1f} s "
        f"(once), read back sealed in {loaded * 1000:.0f} ms (first search after a start, "
        f"peak {cold_peak:.0f} MB)"
    )
    pages = [Page("floor (trivial signed-in page)", "/bench/floor/", [])]
    pages += [Page(f"{name}: {words}", _url(words), []) for name, words in QUERIES.items()]
    for _ in range(5):
        for page in pages:
            _get(client, page.url)
    gc.collect()
    for _ in range(iterations):
        for page in pages:
            page.times_ms.append(_timed(client, page.url))
    floor, target = pages[0], TARGETS_MS.get(sessions)
    print(
        f"{'search':<36} {'results':>7} {'median ms':>9} {'p95 ms':>8} {'p95/floor':>9} "
        f"{'peak MB':>8}  target: {f'p95 < {target:.0f} ms, ' if target else ''}"
        f"< {MEMORY_TARGET_MB:.0f} MB per request"
    )
    edited = Page("one word, just after an edit", _url(QUERIES["one word"]), [])
    edited.times_ms, edited_peak = _after_edits(coach, client, min(iterations, 40))
    for page in [*pages, edited]:
        found = "" if page is floor else str(_results(client, page.url))
        peak = edited_peak if page is edited else _peak_mb(client, page.url)
        verdict = "(the floor)" if page is floor else _verdict(page.p95, peak, target)
        print(
            f"{page.name:<36} {found:>7} {page.median:>9.2f} {page.p95:>8.2f} "
            f"{page.p95 / floor.p95:>8.1f}x {peak:>8.1f}  {verdict}"
        )


def _verdict(p95: float, peak: float, target: float | None) -> str:
    misses = []
    if target is not None and p95 >= target:
        misses.append(f"p95 {p95:.0f} ms ≥ {target:.0f} ms")
    if peak >= MEMORY_TARGET_MB:
        misses.append(f"{peak:.0f} MB ≥ {MEMORY_TARGET_MB:.0f} MB")
    return "PASS" if not misses else "FAIL: " + "; ".join(misses)


def run(args: argparse.Namespace, big: Any) -> None:
    """The search bench: the bench's big coach, then (unless skipped) a bigger practice."""
    from bench.run import _practice

    measure_coach(big, args.sessions, args.search_iterations)
    if args.search_sessions:
        coach, secs = _practice("bench-search@example.com", args.search_sessions, args.seed + 3)
        print(f"\n({args.search_sessions:,}-session practice generated in {secs:.1f} s)")
        measure_coach(coach, args.search_sessions, args.search_iterations)
