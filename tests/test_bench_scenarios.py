"""Every line of bench/scenarios.py is a module `make bench` can run with the arguments given."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench.scenarios import SCENARIOS
from tests.servers import ROOT


@pytest.mark.parametrize("line", SCENARIOS)
def test_each_scenario_runs_with_its_arguments(line: str) -> None:
    # --help after the line's own arguments: argparse checks those, then prints and exits 0.
    done = subprocess.run(
        [sys.executable, "-m", *line.split(), "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("usage:")
