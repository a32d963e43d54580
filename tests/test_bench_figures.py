"""The bench's arithmetic (bench/figures.py): verdicts across runs, the table, the previous run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.figures import (
    Figure,
    Target,
    by_name,
    by_size,
    percentile,
    previous,
    save,
    summarise,
    summarise_all,
    table,
    verdict,
)


def _figure(name: str, runs: list[list[float]], target: Target | None = None) -> Figure:
    return Figure(name, target or Target(), runs=runs)


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 95) == 95.0
    assert percentile(values, 50) == 50.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([3.0, 1.0, 2.0], 100) == 3.0


def test_ratio_is_taken_against_the_floor_of_the_same_run() -> None:
    # The second run ran on a busy machine: everything doubled, the floor too. Dividing the
    # medians across runs (60 / 10) would say 6x; run by run the page is 3x its floor twice.
    floor = _figure("floor", [[10.0] * 3, [20.0] * 3, [10.0] * 3])
    page = _figure("page", [[30.0] * 3, [60.0] * 3, [60.0] * 3], Target(ratio=4))
    summary = summarise(page, floor, {})
    assert summary.ratio == pytest.approx(3.0)
    assert summary.ratio_spread == pytest.approx((3.0, 6.0))
    assert summary.median == 60.0
    assert summary.median_spread == (30.0, 60.0)
    assert summary.verdict == "PASS"


def test_a_page_slower_than_its_ratio_fails_naming_the_ratio() -> None:
    floor = _figure("floor", [[10.0] * 3, [10.0] * 3])
    page = _figure("page", [[120.0] * 3, [110.0] * 3], Target(ratio=10))
    assert summarise(page, floor, {}).verdict == "FAIL: 11.5x floor"


def test_p95_is_the_median_of_the_runs_p95_and_counts_the_runs_over() -> None:
    quiet = [10.0] * 18 + [20.0, 20.0]
    noisy = [10.0] * 18 + [90.0, 90.0]
    floor = _figure("floor", [[5.0] * 20] * 3)
    page = _figure("page", [quiet, noisy, quiet], Target(p95_ms=50))
    summary = summarise(page, floor, {})
    assert summary.p95 == 20.0  # one noisy run does not flip the verdict...
    assert summary.p95_spread == (20.0, 90.0)
    assert summary.p95_runs_over == 1  # ...but it shows
    assert summary.verdict == "PASS"
    assert "1/3 runs over" in table([summary])


def test_few_samples_per_run_pool_for_the_p95() -> None:
    # Cold paths: one sample per run, so the p95 is over every run's sample.
    cold = _figure("first search", [[100.0], [400.0], [120.0]], Target(median_ms=300))
    summary = summarise(cold, None, {})
    assert summary.p95 == 400.0
    assert summary.median == 120.0
    assert summary.samples == 3
    assert summary.verdict == "PASS"
    slow = _figure("first search", [[310.0], [400.0], [120.0]], Target(median_ms=300))
    assert summarise(slow, None, {}).verdict == "FAIL: median 310 ms"


def test_versus_compares_with_an_earlier_figure_of_the_same_run() -> None:
    floor = _figure("floor", [[5.0] * 3])
    small = _figure("search (3,000)", [[20.0] * 3])
    flat = _figure("search (10,000)", [[29.0] * 3], Target(versus=("search (3,000)", 1.5)))
    grows = _figure("search (10,000)", [[31.0] * 3], Target(versus=("search (3,000)", 1.5)))
    assert summarise_all([floor, small, flat], floor)[2].verdict == "PASS"
    assert summarise_all([floor, small, grows], floor)[2].verdict == "FAIL: 1.6x search (3,000)"


def test_a_figure_without_target_has_no_verdict_and_empty_figures_are_left_out() -> None:
    floor = _figure("floor", [[5.0] * 3])
    summaries = summarise_all([floor, _figure("never timed", [[]])], floor)
    assert [s.name for s in summaries] == ["floor"]
    assert summaries[0].verdict == "-"
    assert summaries[0].ratio is None


def test_every_missed_target_is_named() -> None:
    floor = _figure("floor", [[1.0] * 3])
    page = _figure("page", [[60.0] * 3], Target(ratio=10, median_ms=50, p95_ms=55))
    summary = summarise(page, floor, {})
    assert verdict(summary, page.target, {}) == "FAIL: 60.0x floor; median 60 ms; p95 60 ms"


def test_the_table_prints_the_previous_run_beside_with_the_change() -> None:
    floor = _figure("floor", [[10.0] * 3])
    home = _figure("home", [[30.0] * 3], Target(ratio=10))
    summaries = summarise_all([floor, home], floor)
    text = table(summaries, {"home": {"median": 40.0, "ratio": 2.0, "p95": 45.0}})
    header, _, home_line = text.splitlines()
    assert "prev median" in header and "x floor change" in header
    assert home_line.split()[-5:] == ["40.0", "2.0", "45.0", "-25%", "+50%"]
    assert "3.0 (3.0-3.0)" in home_line
    assert "prev" not in table(summaries)


def test_previous_finds_the_latest_earlier_run_with_the_same_sizes(tmp_path: Path) -> None:
    floor = _figure("floor", [[10.0] * 3])
    summaries = summarise_all([floor], floor)
    config = {"database": "sqlite", "sessions": 3000, "large": 10000, "small": 300, "runs": 5}
    save(tmp_path, config, summaries, "20261201T100000Z")
    save(tmp_path, {**config, "runs": 3}, summaries, "20261201T110000Z")  # runs may differ
    save(tmp_path, {**config, "sessions": 300}, summaries, "20261201T113000Z")  # sizes may not
    save(tmp_path, {**config, "database": "postgresql"}, summaries, "20261201T114000Z")
    (tmp_path / "broken.json").write_text("{not json")
    found = previous(tmp_path, config, before="20261201T120000Z")
    assert found is not None
    assert found["stamp"] == "20261201T110000Z"
    assert by_name(found)["floor"]["median"] == 10.0
    assert previous(tmp_path, config, before="20261201T100000Z") is None
    assert json.loads((tmp_path / "20261201T100000Z-sqlite.json").read_text())["config"] == config


def test_the_table_by_size_puts_each_page_at_each_size_with_its_ratio() -> None:
    floor = _figure("floor", [[10.0] * 3] * 3)
    small = _figure("home (300)", [[15.0] * 3] * 3)
    big = _figure("home (3,000)", [[20.0] * 3] * 3)
    search = _figure("search (3,000)", [[40.0] * 3] * 3)
    summaries = summarise_all([floor, small, big, search], floor)
    rows = [
        ("home", {300: "home (300)", 3000: "home (3,000)"}),
        ("search", {3000: "search (3,000)"}),
    ]
    lines = by_size(summaries, rows, [300, 3000, 10000]).splitlines()
    assert lines[0].split("  ")[0] == "median ms (x floor)"
    assert "300 sessions" in lines[0] and "10,000 sessions" in lines[0]
    assert lines[1].startswith("home") and "15.0 (1.5x)" in lines[1] and "20.0 (2.0x)" in lines[1]
    # Not timed at 300 or 10,000: blank cells, the 3,000 figure under its own column.
    search_line = lines[2]
    assert search_line.startswith("search") and search_line.rstrip().endswith("40.0 (4.0x)")
    assert lines[0].index("3,000 sessions") < search_line.index("40.0")


def test_queries_are_judged_flat_between_the_two_largest_practices():
    from bench.run import flat_verdict

    sizes = (300, 3000, 10000)
    assert flat_verdict(16, 17, 17, sizes) == "PASS: flat (16 at 300)"
    assert flat_verdict(13, 13, 13, sizes) == "PASS: flat"
    assert flat_verdict(13, 13, 14, sizes) == "FAIL: 13 at 3,000, 14 at 10,000"
    # Without a large practice, from the small to the big one, as before.
    assert flat_verdict(16, 17, None, sizes) == "FAIL: 16 at 300, 17 at 3,000"
    assert flat_verdict(13, 13, None, sizes) == "PASS: flat"
