"""Insights over HTTP at a large practice, cold and warm: `python -m bench.insights`.

A scenario of `make bench` (``bench/scenarios.py``). One throw-away installation
(``bench/served.py``) gets a generated practice of ``--sessions`` sessions (default 10,000) and,
with ``--also``, a second coach with a smaller one, to show whether the page grows with the
practice. Then ``--runs`` times a fresh ``manage.py serve`` is started as ``make run`` starts it,
and over loopback HTTP:

1. cold: the first insights page of the busiest coachee (with its themes) after the start, and
   the first whole-practice page (which comes first alternates run by run, so neither always
   pays for the other's warm-up);
2. warm: ``--rounds`` interleaved rounds of the floor page, the whole-practice page, the
   coachee's insights page and the coachee's own page (which shows insights' progress section);
3. after an edit: an answer saved by autosave, then the coachee's insights page, ``--edits``
   times per run.

Before the runs, one server answers the first whole-practice page and then the busiest coachee's
insights page on the freshly generated data, each timed on its own, since each builds what insights
keep once (``insights/summaries.py``, ``insights/months.py``): the first builds every session's
summary without opening any text (ratings, technique uses) and the kept months; the second adds
the theme terms to the summaries it reads, its coachee's held sessions' and the practice
sample's (94 and 396 at 10,000 sessions), opening their 11,700 answers and finding their words,
0.6-0.8 s of CPU (1.1-1.8 s before words were folded once a pass). Every run below then starts
a fresh server on what these left in the database, as after an upgrade or an import and its
first look.

Beside each wall-clock figure, the serving process's CPU milliseconds for the same requests
(``X-Bench-CPU``, ``bench/urls.py``): on a machine others load, the figure that says what this
code costs. Verdicts (issue 15): the whole practice under 150 ms median, a cold coachee page with
themes under 200 ms. Medians are the median of each run's median, p95 over every run's samples, with
the spread across runs. ``--reuse DIR`` keeps the generated SQLite installation in ``DIR`` and
reuses it next time (a 10,000-session practice takes minutes to generate); migrations still run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench import figures, practices, served
from bench.figures import Figure, Target
from bench.practices import Practice

PORTS = "8160-8179"  # this scenario's own range on the shared machine (``--ports`` for another)
WHOLE = Target(median_ms=150)
COLD = Target(median_ms=200)
BIG, SMALL = "bench-insights@example.com", "bench-insights-small@example.com"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.insights", description=__doc__)
    parser.add_argument("--sessions", type=int, default=10000, help="sessions of the practice")
    parser.add_argument("--also", type=int, default=0, help="a second, smaller practice (0: none)")
    parser.add_argument("--runs", type=int, default=5, help="fresh servers (cold samples)")
    parser.add_argument("--rounds", type=int, default=10, help="warm rounds per run")
    parser.add_argument("--warmup", type=int, default=1, help="untimed warm rounds per run")
    parser.add_argument("--edits", type=int, default=2, help="edits per run, each then timed")
    parser.add_argument("--reuse", type=Path, help="keep and reuse the installation (SQLite)")
    parser.add_argument("--ports", default=PORTS, help="loopback ports to serve on, first-last")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.rounds < 1 or args.sessions < 10:
        parser.error("--runs and --rounds must be at least 1, --sessions at least 10")
    first, _, last = args.ports.partition("-")
    if not (first.isdigit() and last.isdigit() and 1024 <= int(first) <= int(last) < 65536):
        parser.error("--ports must be two port numbers, first-last (e.g. 8160-8179)")
    args.ports = range(int(first), int(last) + 1)
    return args


def _specs(args: argparse.Namespace) -> list[tuple[str, int, int]]:
    specs = [(BIG, args.sessions, 1)]
    if args.also:
        specs.append((SMALL, args.also, 2))
    return specs


def _prepare(env: dict[str, str], args: argparse.Namespace) -> dict[str, Practice]:
    """The practices, generated or copied from ``--reuse``; migrations run either way."""
    sizes = "-".join(str(n) for _, n, _ in _specs(args))
    return practices.reused(
        env, args.reuse, sizes, lambda: practices.create(env, _specs(args), edits=args.edits)
    )


class _Figures:
    def __init__(self) -> None:
        self.all: dict[str, Figure] = {}
        self.cpu: dict[str, Figure] = {}  # the same requests' server CPU ms, printed apart

    def __call__(self, name: str, target: Target | None = None, ratio: bool = True) -> Figure:
        if name not in self.all:
            self.all[name] = Figure(name, target or Target(), ratio=ratio)
            self.cpu[name] = Figure(f"CPU: {name}", ratio=False)
        return self.all[name]

    def getter(self, figure: Figure, coach: served.Coach, path: str, run: int) -> practices.Request:
        """A GET of ``path`` that adds its server CPU ms to ``figure``'s CPU twin in ``run``."""

        def request() -> served.Response:
            answer = coach.get(path, headers={"X-Bench-CPU": "1"})
            cpu = {k.lower(): v for k, v in answer.headers.items()}.get("x-bench-cpu", "nan")
            self.cpu[figure.name].add(run, float(cpu))
            return answer

        return request


def _run(
    fig: _Figures,
    who: dict[str, served.Coach],
    plan: dict[str, Practice],
    run: int,
    args: argparse.Namespace,
) -> None:
    big, coach = plan[BIG], who[BIG]
    n = f"{big.sessions:,}"
    cold = [
        (fig(f"cold: first coachee insights (themes), {n}", COLD, False), big.insights_coachee),
        (fig(f"cold: first whole-practice insights, {n}", ratio=False), "/insights/"),
    ]
    for figure, path in cold if run % 2 == 0 else cold[::-1]:
        figure.add(run, fig.getter(figure, coach, path, run)().ms)
    pages = [
        (fig("floor (signed-in, base layout only)"), coach, "/bench/floor/"),
        (fig(f"insights, whole practice, {n}", WHOLE), coach, "/insights/"),
        (fig(f"insights, busiest coachee ({big.busiest}), {n}"), coach, big.insights_coachee),
        (fig(f"coachee page (its progress section), {n}"), coach, big.coachee),
    ]
    if SMALL in plan:
        small = plan[SMALL]
        whole_small = fig(f"insights, whole practice, {small.sessions:,}")
        pages.append((whole_small, who[SMALL], "/insights/"))
    timed = [(figure, fig.getter(figure, by, path, run)) for figure, by, path in pages]
    practices.interleave(timed, run, args.rounds, args.warmup)
    for figure, _, _ in pages:  # the warm-up rounds are not timed: nor is their CPU
        del fig.cpu[figure.name].runs[run][: args.warmup]
    save = practices.Autosave(coach, big.edits[run % len(big.edits)])
    after = fig(f"after an edit: coachee insights, {n}", ratio=False)
    for _ in range(args.edits):
        save()
        after.add(run, fig.getter(after, coach, big.insights_coachee, run)().ms)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    fig = _Figures()
    with served.environment("insightsbench", DJANGO_SETTINGS_MODULE="bench.settings") as env:
        plan = _prepare(env, args)
        with served.server(env, args.ports) as base:
            # As after an upgrade, or an import: the first page builds what it lacks. Timed
            # apart; every run below starts a fresh server on what this left in the database.
            first = fig(f"first insights page after generating {args.sessions:,}", ratio=False)
            coach = served.Coach(base, plan[BIG].session)
            first.add(0, fig.getter(first, coach, "/insights/", 0)().ms)
            # The busiest coachee's page adds the theme terms to the summaries it reads (its
            # sessions' and the practice sample's, once): left in, that was one of the runs'
            # cold samples below, not a restart's.
            built = fig(f"first coachee insights after generating {args.sessions:,}", ratio=False)
            built.add(0, fig.getter(built, coach, plan[BIG].insights_coachee, 0)().ms)
        for run in range(args.runs):
            with served.server(env, args.ports) as base:
                who = {email: served.Coach(base, p.session) for email, p in plan.items()}
                _run(fig, who, plan, run, args)
    floor = fig("floor (signed-in, base layout only)")
    database = "PostgreSQL" if "DATABASE_URL" in env else "SQLite"
    print(
        f"Insights over HTTP ({database}): {args.runs} fresh servers, {args.rounds} warm rounds "
        f"and {args.edits} edits each; cold figures one sample per server"
    )
    print(figures.table(figures.summarise_all(fig.all.values(), floor)))
    print("\nThe same requests' CPU milliseconds in the serving process:")
    print(figures.table(figures.summarise_all(fig.cpu.values(), floor)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
