"""Search at two practice sizes, over HTTP: `python -m bench.search`.

A scenario of `make bench` (``bench/scenarios.py``). One throw-away installation
(``bench/served.py``) gets two coaches from the demo generator, ``--small`` (3,000) and
``--large`` (10,000) sessions, and their sealed search index is built ahead
(``manage.py build_search_index``, as after an import). Then:

1. ``--starts`` fresh ``manage.py serve`` processes, each asked first for the floor page and then
   for one coach's search (which coach goes first alternates): the first search after a start;
2. ``--runs`` fresh servers, each timing ``--rounds`` interleaved rounds of the floor page and
   the searches of both coaches (one word, two words, a phrase), after ``--warmup`` untimed ones;
3. each coach's index in memory, measured in a ``manage.py shell`` with ``tracemalloc`` (what
   building the index keeps allocated), and the served process's peak memory;
4. the serving process's CPU time (``/proc/<pid>/stat``) for each first search, and per request
   over ``CPU_REQUESTS`` one-word searches and floor pages after each warm run: on a loaded
   machine wall-clock times mostly measure the other processes, CPU time what search costs.

Verdicts: the large practice's one-word median at most 1.5x the small one's and under 40 ms;
the first search after a start under 300 ms at the small size. Not a test: it exits 0 unless the
bench itself breaks. ``--reuse DIR`` keeps the generated SQLite installation in ``DIR`` and reuses
it next time (13,000 sessions take minutes to generate); ``--ports 20300-20319`` picks the
loopback ports to serve on.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from urllib.parse import urlencode

from bench import figures, practices, served
from bench.figures import Figure, Target

PORTS = "8280-8299"  # the search branch's default range on the shared machine (--ports)
WORD = "confidence"
CPU_REQUESTS = 10  # requests per server CPU figure (the clock ticks every 10 ms)
QUERIES = {"one word": WORD, "two words": "confidence goal", "phrase": '"next step"'}

_MEMORY = """
import gc, json, tracemalloc
from debrief.accounts.models import User
from debrief.search import index
out = {}
for email in EMAILS:
    coach = User.objects.get(email=email)
    index.index_for(coach.id)  # warm the keystore, layouts and imports: not the index's
    index.forget(coach.id)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    view = index.index_for(coach.id)
    gc.collect()
    out[email] = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del view
    index.forget(coach.id)
print("MEMORY=" + json.dumps(out))
"""


def _search(words: str) -> str:
    return "/search/?" + urlencode({"q": words})


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--small", type=int, default=3000, help="sessions of the smaller practice")
    parser.add_argument("--large", type=int, default=10000, help="sessions of the larger one")
    parser.add_argument("--runs", type=int, default=3, help="fresh servers for warm figures")
    parser.add_argument("--rounds", type=int, default=20, help="timed rounds per run")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--starts", type=int, default=6, help="fresh servers for first searches")
    parser.add_argument("--reuse", type=Path, help="keep and reuse the installation (SQLite)")
    parser.add_argument("--ports", default=PORTS, help="loopback ports to serve on, first-last")
    args = parser.parse_args(argv)
    first, _, last = args.ports.partition("-")
    if not (first.isdigit() and last.isdigit() and 1024 <= int(first) <= int(last) < 65536):
        parser.error("--ports must be two port numbers, first-last (e.g. 8280-8299)")
    args.ports = range(int(first), int(last) + 1)
    return args


def _first_searches(
    env: dict[str, str], coaches: dict[int, practices.Practice], starts: int, ports: range
) -> tuple[list[Figure], dict[int, list[float]]]:
    """The first search of a coach after a fresh start, ``starts`` times per coach."""
    sizes = sorted(coaches)
    figs = {n: Figure(f"first search after a start ({n:,})", ratio=False) for n in sizes}
    figs[sizes[0]].target = Target(median_ms=300)
    cpu: dict[int, list[float]] = {n: [] for n in sizes}
    for start in range(starts):
        with served.server(env, ports) as base:
            order = sizes if start % 2 == 0 else sizes[::-1]
            who = {n: served.Coach(base, coaches[n].session) for n in sizes}
            who[order[0]].get("/bench/floor/")  # the start-up's own first request, untimed
            for n in order:
                before = served.cpu_ms(base)
                figs[n].add(start, who[n].get(_search(WORD)).ms)
                cpu[n].append(served.cpu_ms(base) - before)
    return [figs[n] for n in sizes], cpu


def _warm_cpu(base: str, who: dict[int, served.Coach], cpu: dict[str, list[float]]) -> None:
    """Server CPU per request of the floor and each size's one-word search (10 in a row)."""
    paths = {"floor": (next(iter(who.values())), "/bench/floor/")}
    paths.update({f"{n:,}": (coach, _search(WORD)) for n, coach in who.items()})
    for label, (coach, path) in paths.items():
        before = served.cpu_ms(base)
        for _ in range(CPU_REQUESTS):
            coach.get(path)
        cpu.setdefault(label, []).append((served.cpu_ms(base) - before) / CPU_REQUESTS)


def _warm(
    env: dict[str, str], coaches: dict[int, practices.Practice], args: argparse.Namespace
) -> tuple[list[Figure], list[float], dict[str, list[float]]]:
    small, large = sorted(coaches)
    cpu: dict[str, list[float]] = {}
    floor = Figure("floor (signed-in, base layout only)")
    figs = [floor]
    peaks = []
    names = {}
    for n in (small, large):
        for label in QUERIES:
            name = f"search, {label} ({n:,})"
            names[(n, label)] = name
            target = None
            if label == "one word" and n == large:
                target = Target(median_ms=40, versus=(names[(small, label)], 1.5))
            figs.append(Figure(name, target or Target()))
    for run in range(args.runs):
        with served.server(env, args.ports) as base:
            who = {n: served.Coach(base, coaches[n].session) for n in (small, large)}
            timed = [(floor, practices.getter(who[small], "/bench/floor/"))]
            i = 1
            for n in (small, large):
                for words in QUERIES.values():
                    timed.append((figs[i], practices.getter(who[n], _search(words))))
                    i += 1
            practices.interleave(timed, run, args.rounds, args.warmup)
            _warm_cpu(base, who, cpu)
            peaks.append(served.peak_memory_mb(base))
    return figs, peaks, cpu


def _index_memory(env: dict[str, str], coaches: dict[int, practices.Practice]) -> dict[int, float]:
    emails = [coaches[n].email for n in sorted(coaches)]
    found = served.shell(env, _MEMORY.replace("EMAILS", repr(emails))).rsplit("MEMORY=", 1)[1]
    by_email = json.loads(found)
    return {n: by_email[coaches[n].email] / 1024 / 1024 for n in sorted(coaches)}


def _spread(values: list[float]) -> str:
    """Median and range of a list of ms, e.g. ``150 (140-170)``."""
    return f"{statistics.median(values):.1f} ({min(values):.0f}-{max(values):.0f})"


def _ratio_line(summaries: list[figures.Summary], small: int, large: int) -> str:
    medians = {s.name: s.median for s in summaries}
    a, b = medians[f"search, one word ({small:,})"], medians[f"search, one word ({large:,})"]
    ratio = b / a if a else float("inf")
    ok = "met" if ratio <= 1.5 and b < 40 else "MISSED"
    return (
        f"search, one word: {large:,}/{small:,} median ratio {ratio:.2f} "
        f"(target <=1.5, and under 40 ms: {b:.1f} ms): {ok}"
    )


def _practices(env: dict[str, str], args: argparse.Namespace) -> dict[str, practices.Practice]:
    """The two practices, generated or copied from ``--reuse``; migrations run either way."""
    specs = [
        ("bench-search-small@example.com", args.small, 11),
        ("bench-search-large@example.com", args.large, 12),
    ]
    return practices.reused(
        env, args.reuse, f"{args.small}-{args.large}", lambda: practices.create(env, specs, edits=1)
    )


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    with served.environment("searchbench", DJANGO_SETTINGS_MODULE="bench.settings") as env:
        made = _practices(env, args)
        served.manage(env, "build_search_index")
        coaches = {p.sessions: p for p in made.values()}
        first, first_cpu = _first_searches(env, coaches, args.starts, args.ports)
        warm, peaks, warm_cpu = _warm(env, coaches, args)
        memory = _index_memory(env, coaches)
    print(
        f"Search over HTTP at {args.small:,} and {args.large:,} sessions: {args.runs} runs x "
        f"{args.rounds} interleaved rounds; first search: {args.starts} fresh starts"
    )
    summaries = figures.summarise_all(warm + first, warm[0])
    print(figures.table(summaries))
    print(_ratio_line(summaries, args.small, args.large))
    for n, spent in first_cpu.items():
        print(f"first search after a start ({n:,}): server CPU {_spread(spent)} ms")
    floor_cpu = statistics.median(warm_cpu.pop("floor"))
    for label, spent in warm_cpu.items():
        median = statistics.median(spent)
        print(
            f"search, one word ({label}): server CPU {_spread(spent)} ms per request, "
            f"{median / floor_cpu:.1f}x the floor's {floor_cpu:.1f} ms"
        )
    for n, mb in memory.items():
        print(f"index in memory, {n:,} sessions: {mb:.1f} MB (tracemalloc, one coach)")
    print(f"served process peak memory: {statistics.median(peaks):.0f} MB (median of runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
