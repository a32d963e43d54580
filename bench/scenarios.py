"""The standalone bench scenarios `make bench` runs after its own figures, one module a line.

Each is a module runnable as ``python -m <module>``, with the arguments given after its name,
that sets up what it needs (``bench/served.py`` for a served installation) and prints its
figures and verdicts.
A branch adding a scenario adds its line here. ``make bench BENCH_ARGS=--no-scenarios`` skips
them all; run one alone with ``.venv/bin/python -m <module> --help``.
"""

from __future__ import annotations

SCENARIOS = [
    "bench.practice",
    "bench.calendar_import",
    "bench.backup",
    "bench.exports",
    "bench.workers",
    "bench.search",
    "bench.firm",
    "bench.firm_scale",
    "bench.insights",
    "bench.sealing",  # the sealed-value wrapper against AES-GCM alone (issue 15: within 3x)
    "bench.portable --against-jrnl",  # the journal export beside jrnl's, 10,000 sessions
]
