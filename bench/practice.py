"""The practice pages beside home and the floor, at 3,000 sessions: `python -m bench.practice`.

A scenario of `make bench` (``bench/scenarios.py``): the demo practice plus the demo's
accreditation records in a throw-away installation, served by ``manage.py serve`` with
``bench.settings``, and over HTTP the practice page, each body's progress and the ICF log timed in
interleaved rounds with home and the floor page, in ``--runs`` fresh servers. Verdicts as in
``make bench``: the median against the floor of the same run, and p95 across runs.
"""

from __future__ import annotations

import argparse
import sys

from bench import figures, practices, served
from bench.figures import Figure, Target

PAGE = Target(ratio=10, p95_ms=50)
ACCREDITATION = (
    "from debrief.demo.accreditation import add_accreditation; add_accreditation(coach, today)"
)
PAGES = {
    "floor (signed-in, base layout only)": "/bench/floor/",
    "home": "/",
    "practice": "/practice/",
    "progress ICF": "/practice/icf/",
    "progress EMCC": "/practice/emcc/",
    "progress AC": "/practice/ac/",
    "ICF log": "/icf-log/",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.practice", description=__doc__)
    parser.add_argument("--sessions", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3, help="fresh servers")
    parser.add_argument("--rounds", type=int, default=12, help="timed rounds per run")
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args(argv)
    figs = [
        Figure(name, Target() if url.startswith("/bench/") else PAGE) for name, url in PAGES.items()
    ]
    with served.environment("practicebench", DJANGO_SETTINGS_MODULE="bench.settings") as env:
        served.manage(env, "migrate", "--noinput")
        email = "bench-practice@example.com"
        coach = practices.create(env, [(email, args.sessions, 1)], ACCREDITATION)[email]
        for run in range(args.runs):
            with served.server(env) as base:
                who = served.Coach(base, coach.session)
                timed = [
                    (fig, practices.getter(who, url))
                    for fig, url in zip(figs, PAGES.values(), strict=True)
                ]
                practices.interleave(timed, run, args.rounds, args.warmup)
    print(
        f"Practice pages over HTTP at {args.sessions:,} sessions: {args.runs} runs x "
        f"{args.rounds} interleaved rounds"
    )
    print(figures.table(figures.summarise_all(figs, figs[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
