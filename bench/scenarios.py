"""The standalone bench scenarios `make bench` runs after its own figures, one module a line.

Each is a module runnable as ``python -m <module>`` with no arguments, that sets up what it
needs (``bench/served.py`` for a served installation) and prints its figures and verdicts.
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
]
