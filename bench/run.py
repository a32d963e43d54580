"""`make bench`: the served application timed over HTTP beside a trivial page, run after run.

One throw-away installation (``bench/served.py``: a data directory, SQLite there or a scratch
``<name>_bench`` PostgreSQL database) gets four coaches from the demo generator: the big practice
(``--sessions``, default 3,000), a large one for search and insights (``--large``, default
10,000; 0 leaves it out), a small one (``--small``, 300) whose query counts are printed beside
theirs (flat is judged from the big to the large one: the small one can run a query fewer
where one of its lists is empty), and a
30-session one whose pages the others must not see and where the warm rounds' autosave saves
(an edit makes its coach's search and insights catch up, which must not land in another
practice's warm figures). The search index is built
ahead (``manage.py build_search_index``), as after an import.

Then ``--runs`` times (default 3), a fresh ``manage.py serve`` (``bench.settings``: the product's
settings plus the floor page's URL) is started as ``make run`` starts it, and over loopback HTTP:

1. cold paths, one sample per start each: the first page after the start, the first search and
   the first insights page of a coach after the start (which of the two comes first alternates
   start by start, so neither always pays for the other's warm-up). The first start's coachee
   insights page is also the first ever: it builds its summaries, with their theme terms, for
   the coachee's sessions and the practice sample (``bench.insights`` times that apart), so it
   is one slow sample of the ten, in the p95 and not the median;
2. warm pages, ``--rounds`` interleaved rounds (default 10, after ``--warmup`` untimed ones), the
   floor among them, so every page's median is divided by the floor's median of the same run;
3. ``--edits`` times (default 5): an answer saved by autosave, then the first search, insights
   page and coachee page after that edit.

A start only samples its cold paths once, so ``--cold`` more starts (default 7) time only those
(and a few floor requests after them, for their ratio): each cold path is sampled runs + cold
times (10 by default, as often as a warm page within a run), each first page after an edit
runs x edits times (15).

The pages of issue 15's table (reflection view, coachee page, home, search for one word, insights
of the whole practice) are timed at each of the three sizes (``--small``, ``--sessions``,
``--large``) in the same rounds, and printed once more as a table by size: median ms and its
ratio to the floor, one column per size.

Verdicts are on the median across starts of each start's median (and of its ratio to the floor
of the same start), and on p95 across runs, with each spread printed. Results go to
``bench/results/`` (JSON, and the printed table as text; not in git); the latest earlier run with
the same database and sizes is printed beside. The time each phase of the bench took is printed
last. Finally the standalone scenarios of ``bench/scenarios.py`` run (``--no-scenarios`` skips
them). Not a test: it exits 0 unless the bench itself breaks.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode

from bench import figures, practices, served
from bench.figures import Figure, Target
from bench.practices import Practice

PORTS = range(8180, 8200)  # the speed branch's range on the shared machine (TEAM.md)
COLD_FLOOR_SAMPLES = 5  # floor requests after a cold-only start's cold paths, for their ratio
FLOOR = "floor (signed-in, base layout only)"
COLD_FLOOR = "floor after the cold paths (cold-only starts)"
RESULTS = served.ROOT / "bench" / "results"
PAGE = Target(ratio=10, p95_ms=50)
SEARCH_WORD = "confidence"
# The pages of issue 15's table, timed at every practice size (small, big, large).
BY_SIZE = [
    "reflection view",
    "coachee page",
    "home",
    "search, one word",
    "insights, whole practice",
]


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=3000, help="sessions of the big practice")
    parser.add_argument(
        "--large", type=int, default=10000, help="sessions for search and insights (0: none)"
    )
    parser.add_argument("--small", type=int, default=300, help="sessions to compare queries at")
    parser.add_argument("--runs", type=int, default=3, help="fresh servers, each timed alike")
    parser.add_argument(
        "--cold", type=int, default=7, help="more fresh servers timing only the cold paths"
    )
    parser.add_argument("--rounds", type=int, default=10, help="timed rounds of pages per run")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds per run first")
    parser.add_argument("--edits", type=int, default=5, help="edits per run, each then timed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-scenarios", action="store_true", help="skip bench/scenarios.py")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.rounds < 1 or args.sessions < 10 or args.small < 10:
        parser.error("--runs and --rounds must be at least 1, sizes at least 10")
    if args.cold < 0 or args.edits < 0:
        parser.error("--cold and --edits cannot be negative")
    return args


def _search(words: str) -> str:
    return "/search/?" + urlencode({"q": words})


@dataclass
class Plan:
    """Every figure of one bench, and the practices they read."""

    big: Practice
    small: Practice
    other: Practice
    large: Practice | None
    figs: dict[str, Figure] = field(default_factory=dict)
    # page; queries for the small, the big and the large practice (None: not counted there)
    flat: list[tuple[str, int, int, int | None]] = field(default_factory=list)
    sized: dict[str, dict[int, str]] = field(default_factory=dict)  # page -> sessions -> figure
    isolated: bool = False

    def fig(self, name: str, target: Target | None = None, ratio: bool = True) -> Figure:
        if name not in self.figs:
            self.figs[name] = Figure(name, target or Target(), ratio=ratio)
        return self.figs[name]


def _n(p: Practice) -> str:
    return f"{p.sessions:,}"


def _warm(plan: Plan, coach: dict[str, served.Coach]) -> list[tuple[Figure, practices.Request]]:
    big, small, large = plan.big, plan.small, plan.large
    c = coach[big.email]

    def page(
        name: str, who: served.Coach, path: str, target: Target | None = None
    ) -> tuple[Figure, practices.Request]:
        return (plan.fig(name, target), practices.getter(who, path))

    def sized(kind: str, p: Practice, name: str, path: str, target: Target | None = None) -> None:
        plan.sized.setdefault(kind, {})[p.sessions] = name
        timed.append(page(name, coach[p.email], path, target))

    timed = [
        page(FLOOR, c, "/bench/floor/"),
        page("bare view (no template, no query of its own)", c, "/bench/bare/"),
    ]
    sized("home", big, f"home ({_n(big)})", "/", PAGE)
    sized("coachee page", big, f"coachee page ({big.busiest} sessions)", big.coachee, PAGE)
    sized("reflection view", big, "reflection view", big.view, PAGE)
    timed.append(page("reflection edit", c, big.edit, PAGE))
    search = Target(p95_ms=150)
    sized("search, one word", big, f"search, one word ({_n(big)})", _search(SEARCH_WORD), search)
    insights = Target(p95_ms=300)
    sized(
        "insights, whole practice",
        big,
        f"insights, whole practice ({_n(big)})",
        "/insights/",
        insights,
    )
    timed.append(page(f"insights, one coachee ({_n(big)})", c, big.insights_coachee, insights))
    # The same pages at the other sizes, for the table by size (named apart from the big's).
    others = [small] + ([large] if large is not None else [])
    for p in others:
        sized("home", p, f"home ({_n(p)})", "/", PAGE)
        sized("coachee page", p, f"coachee page ({p.busiest} of {_n(p)} sessions)", p.coachee, PAGE)
        sized("reflection view", p, f"reflection view ({_n(p)})", p.view, PAGE)
    sized(
        "search, one word", small, f"search, one word ({_n(small)})", _search(SEARCH_WORD), search
    )
    sized(
        "insights, whole practice",
        small,
        f"insights, whole practice ({_n(small)})",
        "/insights/",
        insights,
    )
    if large is not None:
        lc = coach[large.email]
        sized(
            "search, one word",
            large,
            f"search, one word ({_n(large)})",
            _search(SEARCH_WORD),
            Target(median_ms=40, p95_ms=500, versus=(f"search, one word ({_n(big)})", 1.5)),
        )
        sized(
            "insights, whole practice",
            large,
            f"insights, whole practice ({_n(large)})",
            "/insights/",
            Target(median_ms=150),
        )
        timed.append(page(f"insights, one coachee ({_n(large)})", lc, large.insights_coachee))
    # Saved in the 30-session practice: an edit invalidates its coach's search index and
    # insights, which would then be timed as if warm in the table by size.
    other = plan.other
    save = practices.Autosave(coach[other.email], other.edit)
    timed.append((plan.fig(f"autosave, one answer ({_n(other)})"), save))
    return timed


def _cold(plan: Plan, coach: dict[str, served.Coach], run: int) -> None:
    """First requests after a start: the floor, then each coach's search and insights."""
    big, large = plan.big, plan.large
    first = coach[big.email].get("/bench/floor/")
    plan.fig("first signed-in page after a start (floor)").add(run, first.ms)
    pairs = [
        (
            coach[big.email],
            (
                f"first search after a start ({_n(big)})",
                _search(SEARCH_WORD),
                Target(median_ms=300),
            ),
            (
                f"first coachee insights after a start ({_n(big)}, themes)",
                big.insights_coachee,
                Target(median_ms=200),
            ),
        )
    ]
    if large is not None:
        pairs.append(
            (
                coach[large.email],
                (f"first search after a start ({_n(large)})", _search(SEARCH_WORD), Target()),
                (
                    f"first insights after a start ({_n(large)}, whole practice)",
                    "/insights/",
                    Target(median_ms=900),
                ),
            )
        )
    for who, search, insights in pairs:
        for name, path, target in [search, insights] if run % 2 == 0 else [insights, search]:
            plan.fig(name, target).add(run, who.get(path).ms)


def _after_edits(plan: Plan, who: served.Coach, run: int, edits: int) -> None:
    big = plan.big
    for n in range(edits):
        save = practices.Autosave(who, big.edits[(run * edits + n) % len(big.edits)])
        plan.fig(f"autosave, one answer ({_n(big)})").add(run, save().ms)
        after = [
            (f"search after an edit ({_n(big)})", _search(SEARCH_WORD), Target(p95_ms=150)),
            (f"insights after an edit ({_n(big)})", "/insights/", Target(median_ms=900)),
            (f"coachee page after an edit ({big.busiest})", big.coachee, PAGE),
        ]
        for name, path, target in after:
            plan.fig(name, target).add(run, who.get(path).ms)


def _one_run(plan: Plan, env: dict[str, str], args: argparse.Namespace, run: int) -> float:
    """One fresh server, every figure sampled once more; returns its peak memory in MB."""
    began = time.perf_counter()
    with served.server(env, PORTS) as base:
        plan.fig("start-up (serve until it answers)", ratio=False).add(
            run, (time.perf_counter() - began) * 1000
        )
        everyone = [plan.big, plan.small, plan.other] + ([plan.large] if plan.large else [])
        # Making a Coach sends nothing: the server has answered only served.py's readiness
        # check (the sign-in page) when the first signed-in request below is timed.
        coach = {p.email: served.Coach(base, p.session) for p in everyone}
        _cold(plan, coach, run)
        timed = _warm(plan, coach)
        practices.interleave(timed, run, args.rounds, args.warmup)
        if run == 0:
            _count_queries(plan, coach)
        _after_edits(plan, coach[plan.big.email], run, args.edits)
        return served.peak_memory_mb(base)


def _cold_run(plan: Plan, env: dict[str, str], run: int) -> None:
    """One more fresh server, timing only its cold paths, then a few floor requests."""
    began = time.perf_counter()
    with served.server(env, PORTS) as base:
        plan.fig("start-up (serve until it answers)", ratio=False).add(
            run, (time.perf_counter() - began) * 1000
        )
        everyone = [plan.big] + ([plan.large] if plan.large else [])
        coach = {p.email: served.Coach(base, p.session) for p in everyone}
        _cold(plan, coach, run)
        floor = plan.fig(COLD_FLOOR, ratio=False)
        for _ in range(COLD_FLOOR_SAMPLES):
            floor.add(run, coach[plan.big.email].get("/bench/floor/").ms)


def _count_queries(plan: Plan, coach: dict[str, served.Coach]) -> None:
    """Queries of each page for each practice (untimed), and the 404 check.

    "Flat" is judged between the two largest practices (3,000 and 10,000 sessions by default):
    the smallest one can run a query fewer where a list is empty (home's overdue actions, say),
    which is not a page's queries growing with the practice. Without a large practice it is
    judged between the small and the big one.
    """
    big, small, large = plan.big, plan.small, plan.large

    def paths(attribute: str) -> tuple[str, str, str]:
        at = [getattr(p, attribute) if p else "" for p in (big, small, large)]
        return at[0], at[1], at[2]

    def same(path: str) -> tuple[str, str, str]:
        return path, path, (path if large else "")

    pages: list[tuple[str, tuple[str, str, str]]] = [
        (f"home ({_n(big)})", same("/")),
        (f"coachee page ({big.busiest} sessions)", paths("coachee")),
        ("reflection view", paths("view")),
        ("reflection edit", paths("edit")),
        (f"search, one word ({_n(big)})", same(_search(SEARCH_WORD))),
        (f"insights, whole practice ({_n(big)})", same("/insights/")),
        (f"insights, one coachee ({_n(big)})", paths("insights_coachee")),
    ]
    for name, (big_path, small_path, large_path) in pages:
        many = practices.queries(coach[big.email], big_path)
        few = practices.queries(coach[small.email], small_path)
        most = practices.queries(coach[large.email], large_path) if large and large_path else None
        plan.figs[name].queries = many
        plan.flat.append((name.split(" (")[0], few, many, most))
    answer = coach[big.email].get(plan.other.coachee, expect=[404])
    plan.isolated = answer.status == 404


def flat_verdict(few: int, many: int, most: int | None, sizes: tuple[int, int, int]) -> str:
    """A page's queries "flat" or not: from the big practice to the large one when the large
    one was counted (``most``), else from the small to the big (``sizes``: their sessions)."""
    small, big, large = sizes
    if most is None:
        return "PASS: flat" if few == many else f"FAIL: {few} at {small:,}, {many} at {big:,}"
    if most != many:
        return f"FAIL: {many} at {big:,}, {most} at {large:,}"
    return "PASS: flat" + (f" ({few} at {small:,})" if few != many else "")


def _database(env: dict[str, str]) -> str:
    return "postgresql" if env.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=served.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()


def _prepare(env: dict[str, str], args: argparse.Namespace) -> Plan:
    began = time.perf_counter()
    served.manage(env, "migrate", "--noinput")
    specs = [
        ("bench-big@example.com", args.sessions, args.seed),
        ("bench-small@example.com", args.small, args.seed + 1),
        ("bench-other@example.com", 30, args.seed + 2),
    ]
    if args.large:
        specs.append(("bench-large@example.com", args.large, args.seed + 3))
    made = practices.create(env, specs, edits=max(1, args.edits * args.runs))
    generated = time.perf_counter() - began
    began = time.perf_counter()
    served.manage(env, "build_search_index")
    served.analyze(env)  # PostgreSQL: plans from the data just made (served.analyze says why)
    print(
        f"Practices: {args.sessions:,}, {args.large:,}, {args.small:,} and 30 sessions "
        f"(migrated and generated in {generated:.0f} s); search index built ahead in "
        f"{time.perf_counter() - began:.0f} s (manage.py build_search_index)"
    )
    return Plan(
        big=made[specs[0][0]],
        small=made[specs[1][0]],
        other=made[specs[2][0]],
        large=made[specs[3][0]] if args.large else None,
    )


def _header(env: dict[str, str], args: argparse.Namespace) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"Debrief bench over HTTP: {_database(env)}, manage.py serve (waitress) on loopback, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load {load}"
    )
    print(
        f"{args.runs} runs (a fresh server each); per run {args.rounds} interleaved rounds after "
        f"{args.warmup} untimed, 1 sample of each cold path, {args.edits} edits; then "
        f"{args.cold} more fresh servers timing only the cold paths"
    )


def _report(plan: Plan, env: dict[str, str], args: argparse.Namespace, memory: list[float]) -> None:
    floor = plan.figs[FLOOR]
    after_cold = plan.figs.get(COLD_FLOOR)
    if after_cold is not None:  # each start's ratios against the floor timed in that start
        floor = Figure(FLOOR, runs=floor.runs[: args.runs] + after_cold.runs[args.runs :])
    summaries = figures.summarise_all(plan.figs.values(), floor)
    config = {
        "database": _database(env),
        "sessions": args.sessions,
        "large": args.large,
        "small": args.small,
        "runs": args.runs,
        "rounds": args.rounds,
        "warmup": args.warmup,
        "edits": args.edits,
        "cold": args.cold,
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "load": os.getloadavg()[0],
    }
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    before = figures.previous(RESULTS, config, stamp)
    old = figures.by_name(before) if before else None
    lines: list[str] = []

    def out(text: str = "") -> None:
        print(text)
        lines.append(text)

    out()
    out(figures.table(summaries, old))
    if before:
        c = before["config"]
        out(
            f"\nprev: the run of {before['stamp']} (commit {c.get('commit', '?')}, "
            f"{c.get('runs')} runs x {c.get('rounds')} rounds, load {c.get('load', 0):.1f})"
        )
    else:
        out("\n(no earlier run with this database and these sizes in bench/results/)")
    out(
        "n: samples (runs x rounds; cold paths 1 a start). (runs): min-max over the starts. "
        "x floor: median / the floor's median in the same start. p95: the median of the runs' "
        "p95s, or "
        f"pooled over the runs when a run has under {figures.MIN_SAMPLES_FOR_P95} samples "
        "(spread: of the runs' p95s, or of all samples)."
    )
    out(f"Load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    out(
        f"Server peak memory (VmHWM): {statistics.median(memory):.0f} MB "
        f"({min(memory):.0f}-{max(memory):.0f} over {len(memory)} runs)"
    )
    sizes = sorted({n for names in plan.sized.values() for n in names})
    out("\nPages by practice size (median ms across starts; x: its floor's median, same start):")
    out(figures.by_size(summaries, [(kind, plan.sized.get(kind, {})) for kind in BY_SIZE], sizes))
    out(
        f"\nQueries per page at {args.small:,}, {args.sessions:,} and {args.large:,} sessions "
        f"(flat = no N+1, judged from {args.sessions:,} on):"
    )
    for name, few, many, most in plan.flat:
        shown = "-" if most is None else most
        verdict = flat_verdict(few, many, most, (args.small, args.sessions, args.large))
        out(f"  {name:<28} {few:>5} {many:>5} {shown:>6}  {verdict}")
    isolated = "PASS" if plan.isolated else "FAIL"
    out(f"Isolation: another coach's coachee page gives 404: {isolated}")
    path = figures.save(RESULTS, config, summaries, stamp)
    path.with_suffix(".txt").write_text("\n".join(lines) + "\n")
    print(f"Results: {path.relative_to(served.ROOT)} (and the table above beside it, .txt)")


def _scenarios() -> None:
    from bench.scenarios import SCENARIOS

    for name in SCENARIOS:
        print(f"\n== python -m {name} ==", flush=True)
        command = [sys.executable, "-m", *name.split()]
        done = subprocess.run(command, cwd=served.ROOT, check=False)  # noqa: S603
        if done.returncode:
            print(f"(python -m {name} exited with {done.returncode})")


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    started = began = time.perf_counter()
    phases: dict[str, float] = defaultdict(float)
    with served.environment("bench", DJANGO_SETTINGS_MODULE="bench.settings") as env:
        _header(env, args)
        plan = _prepare(env, args)
        phases["generating the practices and the index"] = time.perf_counter() - began
        memory = []
        for run in range(args.runs):
            began = time.perf_counter()
            memory.append(_one_run(plan, env, args, run))
            print(f"  run {run + 1}/{args.runs}: {time.perf_counter() - began:.0f} s", flush=True)
            phases[f"{args.runs} full runs"] += time.perf_counter() - began
        for extra in range(args.cold):
            began = time.perf_counter()
            _cold_run(plan, env, args.runs + extra)
            phases[f"{args.cold} cold-only starts"] += time.perf_counter() - began
        print(f"  {args.cold} cold-only starts: {phases[f'{args.cold} cold-only starts']:.0f} s")
        _report(plan, env, args, memory)
    if not args.no_scenarios:
        began = time.perf_counter()
        _scenarios()
        phases["scenarios (bench/scenarios.py)"] = time.perf_counter() - began
    total = time.perf_counter() - started
    print(
        f"\nThe bench took {total / 60:.1f} min: "
        + "; ".join(f"{name} {seconds / 60:.1f} min" for name, seconds in phases.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
