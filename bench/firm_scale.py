"""One coach alone against the same coach in a firm of 50, over HTTP: `python -m bench.firm_scale`.

Issue 13's firm figures. Two throw-away installations (``bench/served.py``; on PostgreSQL two
scratch databases, ``<name>_bench_alone`` and ``<name>_bench_firm``): in the first, one coach
with the demo generator's practice of ``--sessions`` sessions (and the demo's accreditation
records) beside the firm's administrator; in the second the same coach (same generator, same
seed: the same coachees, sessions and words) and ``--coaches`` - 1 others of the same size, each
with their own seed. Both are made side by side, the firm's practices and search index in two
``manage.py shell`` processes at once on PostgreSQL (the index built ahead, as after an import),
then analysed (``served.analyze``: the planner's statistics, as autovacuum leaves them on a
default server; without them the firm's goal scores were read by a scan of every coach's, and
the coachee page was some 35% slower in the firm).

1. Pages. ``--runs`` times, both installations served at once (``manage.py serve``,
   ``bench.settings``: the product plus the floor page), on loopback ports from ``--ports``
   (a branch's range on a shared machine; any free port without it). In the firm,
   every other coach first opens home and searches once (untimed), so the process holds what a
   firm's traffic leaves in it. Then ``--rounds`` interleaved rounds (after ``--warmup``) of
   every coach page of the URL conf worth timing, the floor among them, each page asked of the
   alone server and of the firm's back to back (which first alternates), so whatever the machine
   does hits both of a pair. Per page: the median alone and in the firm, each as a ratio to its
   own floor in the same start, the change of that ratio (and its spread over the starts), the
   queries (``X-Bench-Queries``) and the page size alone and in the firm. Verdict: the firm's
   ratio within 10% of the alone one and no more queries. Also timed: the bare view signed in
   and signed out (what signing in costs a request), and in a shell the firm's roles check (its
   two queries) and the check a new coachee's first sealed value makes.
2. Memory. For each bound in ``--bounds`` (``DEBRIEF_SEARCH_INDEX_COACHES``), gunicorn as
   docs/deployment.md starts it, with one worker (so one process sees every coach): every coach
   opens home, then every coach searches once (a first search: their sealed index read from
   the database), then every coach searches again (warm if the bound kept them, read again if
   not). The worker's resident memory (VmRSS) after each step, and both rounds' median and p95.

Not a test: it exits 0 unless the bench itself breaks. The machine may be shared: it prints the
load average and the CPU seconds of the bench's own processes; trust ratios, not milliseconds.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench import served
from bench.figures import percentile
from bench.practice import ACCREDITATION
from bench.practices import Practice, create
from bench.workers import gunicorn, worker_memory_mb

SEARCH = "/search/?" + urlencode({"q": "confidence"})
TARGET = 1.10  # the firm's ratio to the floor at most 10% above the coach's alone
FLOOR = "floor (signed-in, base layout only)"
BARE_IN = "bare view, signed in"
BARE_OUT = "bare view, signed out"


def pages(p: Practice) -> dict[str, str]:
    """Every coach page worth timing, from the URL conf (forms' GETs; no downloads)."""
    return {
        FLOOR: "/bench/floor/",
        BARE_IN: "/bench/bare/",
        BARE_OUT: "/bench/bare/",
        "home": "/",
        "coachee list": "/coachees/",
        f"coachee page ({p.busiest} sessions)": p.coachee,
        "reflection view": p.view,
        "reflection edit": p.edit,
        "new session": "/sessions/new/",
        "search, one word": SEARCH,
        "insights, whole practice": "/insights/",
        "insights, one coachee": p.insights_coachee,
        "actions": "/actions/",
        "ICF log": "/icf-log/",
        "practice": "/practice/",
        "practice, ICF progress": "/practice/icf/",
        "practice, clients": "/practice/clients/",
        "calendar": "/calendar/",
        "reminders": "/reminders/",
        "templates": "/templates/",
        "techniques": "/techniques/",
    }


@dataclass
class Side:
    """One installation's figures: per page, one list of ms per start; queries; page size."""

    name: str
    times: dict[str, list[list[float]]] = field(default_factory=dict)
    queries: dict[str, int] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)

    def median(self, page: str) -> float:
        return statistics.median(statistics.median(r) for r in self.times[page])

    def ratios(self, page: str) -> list[float]:
        """Per start: the page's median / the floor's median in that start."""
        return [
            statistics.median(mine) / statistics.median(floor)
            for mine, floor in zip(self.times[page], self.times[FLOOR], strict=True)
        ]

    def ratio(self, page: str) -> float:
        return statistics.median(self.ratios(page))


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the servers, the shells)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


_INDEX = """
from debrief.accounts.models import User
from debrief.search import index
for coach_id in User.objects.filter(email__in=%r).values_list("id", flat=True):
    index.index_for(coach_id)  # builds and stores the sealed shards
    index.forget(coach_id)
"""

# Generation only (never in a served process): every coachee here is new, with a fresh random
# code, so the keystore's check that nothing is sealed under a code before it makes that code's
# key can only answer no; skipping it keeps 50 practices from scanning an ever larger
# installation once per coachee (the cost itself is timed in _SHELL_FIGURES).
FRESH_KEYS = "import debrief.privacy.sealed as _s; _s.has_sealed_values = lambda code=None: False"


def _generate(env: dict[str, str], coaches: int, sessions: int) -> tuple[Practice, list[Practice]]:
    """The administrator, the measured coach (seed 1), then the others, two shells at a time."""
    began = time.perf_counter()
    served.sign_in(env, "admin@example.com")  # the first account: the firm's administrator
    specs = [(f"coach{n}@example.com", sessions, n + 1) for n in range(coaches)]
    target = create(env, specs[:1], ACCREDITATION, edits=1, prelude=FRESH_KEYS)[specs[0][0]]
    rest = specs[1:]
    # Two shells at once on PostgreSQL (2 cores, one process each); SQLite has one writer.
    shells = 2 if env.get("DATABASE_URL", "").startswith("postgres") else 1
    parts = [rest[n::shells] for n in range(shells) if rest[n::shells]]
    with ThreadPoolExecutor(shells) as pool:
        made = pool.map(
            lambda part: create(env, part, ACCREDITATION, edits=1, prelude=FRESH_KEYS), parts
        )
        others = [p for part in made for p in part.values()]
    generated = time.perf_counter() - began
    began = time.perf_counter()
    emails = [email for email, *_ in specs]
    with ThreadPoolExecutor(shells) as pool:  # as build_search_index does, a share per shell
        list(
            pool.map(
                lambda part: served.shell(env, _INDEX % (part,)),
                [emails[n::shells] for n in range(shells)],
            )
        )
    print(
        f"  {coaches} coaches: practices generated in {generated:.0f} s, their search index "
        f"built in {time.perf_counter() - began:.0f} s"
    )
    return target, others


_SHELL_FIGURES = """
import statistics, time, uuid
from debrief.accounts.models import User
from debrief.privacy.keystore import keystore, new_owner_code
from debrief.privacy.sealed import has_sealed_values
from debrief.firm.models import FirmSettings
from debrief.firm.roles import membership_of
coach = User.objects.get(email="coach0@example.com")
times = []
for n in range(250):
    began = time.perf_counter()
    membership_of(coach)
    FirmSettings.current()
    if n >= 50:
        times.append((time.perf_counter() - began) * 1000)
scans = []
for n in range(5):
    began = time.perf_counter()
    has_sealed_values(uuid.uuid4())  # what a key for a code from elsewhere checks first
    scans.append((time.perf_counter() - began) * 1000)
fresh = []
for n in range(5):
    code = new_owner_code()  # as Coachee.code's default draws it
    began = time.perf_counter()
    keystore().data_key(code, create=True)  # a new coachee's first sealed value
    fresh.append((time.perf_counter() - began) * 1000)
    keystore().destroy(code)
print(
    "ROLES=%.3f SCAN=%.1f FRESH=%.1f"
    % (statistics.median(times), statistics.median(scans), statistics.median(fresh))
)
"""


def _shell_figures(env: dict[str, str]) -> tuple[float, float, float]:
    """ms of the roles check's two queries (as the middleware makes them), of the check that
    nothing is sealed under a code from elsewhere (an import, a restore) before its key is made,
    and of making a new coachee's key (a code the process drew, which skips that check)."""
    out = served.shell(env, _SHELL_FIGURES).rsplit("ROLES=", 1)[1]
    roles, rest = out.split(" SCAN=")
    scan, fresh = rest.split(" FRESH=")
    return float(roles), float(scan), float(fresh)


def _time_pages(
    sides: list[tuple[Side, str, Practice, list[Practice]]], rounds: int, warmup: int
) -> None:
    """Both installations served at once, each page asked of one then the other, back to back.

    Whatever the shared machine does at that moment, it does to both requests of a pair.
    """
    timed = []  # (side, page name, client, path)
    for side, base, target, others in sides:
        for other in others:  # what a firm's traffic leaves in the process (untimed)
            coach = served.Coach(base, other.session)
            coach.get("/")
            coach.get(SEARCH)
        me, nobody = served.Coach(base, target.session), served.Coach(base, "")
        clients = [
            (name, nobody if name == BARE_OUT else me, path) for name, path in pages(target).items()
        ]
        timed.append([(side, *c) for c in clients])
        for name, _, _ in clients:
            side.times.setdefault(name, []).append([])
    pairs = list(zip(*timed, strict=True))  # per page: (alone's request, the firm's)
    for _ in range(warmup):
        for pair in pairs:
            for _, _, who, path in pair:
                who.get(path)
    for n in range(rounds):
        shift = n % len(pairs)
        for pair in pairs[shift:] + pairs[:shift]:
            for side, name, who, path in pair if n % 2 == 0 else pair[::-1]:
                answer = who.get(path)
                side.times[name][-1].append(answer.ms)
                side.size[name] = len(answer.body)
    for pair in pairs:
        for side, name, who, path in pair:
            if name not in side.queries:
                who.get(path)  # a first request may fill a cache or refresh the sign-in's expiry
                answer = who.get(path, headers={"X-Bench-Queries": "1"})
                side.queries[name] = int(answer.headers.get("X-Bench-Queries", "-1"))


def _noise(alone: Side, firm: Side, page: str) -> float:
    """The spread (max - min) of the starts' changes: how far one start can be trusted."""
    each = [f / a - 1 for a, f in zip(alone.ratios(page), firm.ratios(page), strict=True)]
    return max(each) - min(each)


def _report_pages(alone: Side, firm: Side, coaches: int, roles: dict[str, float]) -> bool:
    print(
        f"\nPages for one coach alone and in a firm of {coaches} (median ms over starts; "
        "x floor: median / floor median, same start)"
    )
    heads = (
        "page", "alone ms", "firm ms", "alone x", "firm x", "change", "noise", "queries", "KB",
        "verdict",
    )  # fmt: skip
    rows = [heads]
    ok = True
    for name in alone.times:
        a, f = alone.ratio(name), firm.ratio(name)
        qa, qf = alone.queries.get(name, -1), firm.queries.get(name, -1)
        if name == FLOOR:
            verdict, change = "(the floor)", ""
        else:
            change = f"{(f / a - 1) * 100:+.0f}%"
            good = f <= TARGET * a and qf <= qa
            ok = ok and good
            verdict = "PASS" if good else "FAIL" + ("" if qf <= qa else ": more queries")
        rows.append(
            (
                name,
                f"{alone.median(name):.1f}",
                f"{firm.median(name):.1f}",
                "" if name == FLOOR else f"{a:.2f}",
                "" if name == FLOOR else f"{f:.2f}",
                change,
                "" if name == FLOOR else f"{_noise(alone, firm, name) * 100:.0f}%",
                f"{qa} / {qf}",
                f"{alone.size[name] / 1024:.0f} / {firm.size[name] / 1024:.0f}",
                verdict,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(heads))]
    for row in rows:
        print(
            "  ".join(
                c.ljust(w) if i in (0, 9) else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
    verdict = "PASS" if ok else "FAIL"
    print(
        "change: firm x floor / alone x floor - 1. noise: the spread (max - min) of that change "
        "over the starts; a change inside it is not a finding. KB: page size."
    )
    print(f"every page within {TARGET - 1:.0%} of alone and no more queries: {verdict}")
    for side in (alone, firm):
        signed = side.median(BARE_IN) - side.median(BARE_OUT)
        ms = roles[side.name]
        print(
            f"{side.name}: signing in costs a request {signed:.1f} ms (bare view signed in, "
            f"{side.queries[BARE_IN]} queries, less signed out, {side.queries[BARE_OUT]}); the "
            f"roles check's 2 queries take {ms:.2f} ms (median of 200 in a shell): "
            f"{ms / side.median(FLOOR) * 100:.1f}% of the floor, "
            f"{ms / side.median('home') * 100:.1f}% of home"
        )
    return ok


def _memory(
    env: dict[str, str],
    target: Practice,
    others: list[Practice],
    bounds: list[int],
    ports: range | None,
) -> None:
    everyone = [target, *others]
    print(
        f"\nSearch index bound and memory: gunicorn, 1 worker, {len(everyone)} coaches of "
        f"{target.sessions:,} sessions (VmRSS of the worker, MB)"
    )
    heads = (
        "bound", "after home", "after 1st search", "after 2nd search",
        "1st search med/p95 ms", "2nd search med/p95 ms",
    )  # fmt: skip
    print("  ".join(heads))
    grown: dict[int, float] = {}
    for bound in bounds:
        variables = dict(env, DEBRIEF_SEARCH_INDEX_COACHES=str(bound), DEBRIEF_THREADS="4")
        with gunicorn(variables, 1, ports) as (base, master):
            coaches = [served.Coach(base, p.session) for p in everyone]
            for coach in coaches:
                coach.get("/")
            home = worker_memory_mb(master)[0]
            rounds = []
            sizes = []
            for _ in range(2):
                rounds.append([coach.get(SEARCH).ms for coach in coaches])
                sizes.append(worker_memory_mb(master)[0])
        grown[bound] = sizes[0] - home
        first, second = (f"{statistics.median(r):.0f} / {percentile(r, 95):.0f}" for r in rounds)
        print(
            f"{bound:>5}  {home:>10.0f}  {sizes[0]:>16.0f}  {sizes[1]:>16.0f}  {first:>21}  "
            f"{second:>21}"
        )
    held = {b: min(b, len(everyone)) for b in bounds}
    top = max(bounds)
    per = grown[top] / held[top]
    print(
        f"memory per coach's index (bound {top}: growth after every coach searched once / "
        f"{held[top]} indexes held): {per:.1f} MB, {per * 2**20 / target.sessions / 1024:.1f} KB "
        "a session"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.firm_scale", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--coaches", type=int, default=50, help="coaches in the firm")
    parser.add_argument("--sessions", type=int, default=1000, help="sessions per coach")
    parser.add_argument("--runs", type=int, default=3, help="fresh servers per installation")
    parser.add_argument("--rounds", type=int, default=10, help="timed rounds per server")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds per server first")
    parser.add_argument(
        "--bounds", default="8,16,32,50", help="search index bounds to measure ('' none)"
    )
    parser.add_argument(
        "--ports", default="", help="a branch's port range on a shared machine, e.g. 20100-20199"
    )
    args = parser.parse_args(argv)
    try:
        ports = served.port_range(args.ports)
    except ValueError as error:
        parser.error(str(error))
    bounds = [int(b) for b in args.bounds.split(",") if b.strip()]
    if not 2 <= args.coaches <= 100 or not 1 <= args.runs <= 10 or args.sessions < 50:
        parser.error("keep it bounded: 2-100 coaches, 1-10 runs, at least 50 sessions")
    if any(b < 1 for b in bounds):
        parser.error("--bounds are whole numbers, at least 1")
    started, cpu = time.perf_counter(), _cpu()
    print(
        f"Firm scale over HTTP: {os.cpu_count()} CPUs, load {_load()}; "
        f"{'postgresql' if os.environ.get('DATABASE_URL', '').startswith('postgres') else 'sqlite'}"
    )
    settings = {"DJANGO_SETTINGS_MODULE": "bench.settings"}
    with ExitStack() as stack:
        alone_env = stack.enter_context(served.environment("bench_alone", **settings))
        firm_env = stack.enter_context(served.environment("bench_firm", **settings))

        vacuum: dict[int, str] = {}  # the server's autovacuum setting, by installation

        def install(env: dict[str, str], coaches: int) -> tuple[Practice, list[Practice], float]:
            began = time.perf_counter()
            served.manage(env, "migrate", "--noinput")
            target, others = _generate(env, coaches, args.sessions)
            vacuum[coaches] = served.analyze(env)
            return target, others, time.perf_counter() - began

        with ThreadPoolExecutor(2) as pool:  # the small one alongside the big one
            alone_job = pool.submit(install, alone_env, 1)
            firm_job = pool.submit(install, firm_env, args.coaches)
            alone_target, _, alone_made = alone_job.result()
            firm_target, others, firm_made = firm_job.result()
        print(
            f"made, side by side: alone, 1 coach x {args.sessions:,} sessions in "
            f"{alone_made:.0f} s; firm, {args.coaches} coaches x {args.sessions:,} sessions in "
            f"{firm_made:.0f} s (migrate, generate, index, analyse)"
        )
        if vacuum.get(args.coaches):
            print(
                "  both analysed (ANALYZE) before timing: what autovacuum does within a minute "
                f"on a default server (this one: autovacuum {vacuum[args.coaches]})"
            )
        alone, firm = Side("alone"), Side("firm")
        began = time.perf_counter()
        for _ in range(args.runs):
            with (
                served.server(alone_env, ports) as alone_base,
                served.server(firm_env, ports) as firm_base,
            ):
                sides = [
                    (alone, alone_base, alone_target, []),
                    (firm, firm_base, firm_target, others),
                ]
                _time_pages(sides, args.rounds, args.warmup)
        print(
            f"pages: {args.runs} starts each, {time.perf_counter() - began:.0f} s; load {_load()}"
        )
        shell = {"alone": _shell_figures(alone_env), "firm": _shell_figures(firm_env)}
        _report_pages(alone, firm, args.coaches, {k: v[0] for k, v in shell.items()})
        print(
            "a new coachee's data key (a code the process drew): "
            f"{shell['alone'][2]:.1f} ms alone, {shell['firm'][2]:.1f} ms in the firm; "
            "a key for a code from elsewhere (an import, a restore) first checks that nothing "
            f"in the installation is sealed under it: {shell['alone'][1]:.0f} ms alone, "
            f"{shell['firm'][1]:.0f} ms in the firm (medians of 5, in a shell)"
        )
        if bounds:
            began = time.perf_counter()
            _memory(firm_env, firm_target, others, bounds, ports)
            print(f"memory: {time.perf_counter() - began:.0f} s; load {_load()}")
    print(
        f"\nThe bench took {(time.perf_counter() - started) / 60:.1f} min, "
        f"{_cpu() - cpu:.0f} CPU s in its own processes; load at the end {_load()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
