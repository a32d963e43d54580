"""The bench's arithmetic, with no Django and no server: summaries, verdicts, tables, results.

A *figure* is one thing timed (a page, a first request after a start, an autosave), sampled in
each of several *runs* (a run is one fresh ``manage.py serve`` process). Per run it has a median
and a p95; across runs the bench reports the median of those and their spread (min-max), so a
reader sees how much one run can be trusted. Verdicts are judged on the across-run medians:

- ``ratio``: the figure's median over the floor page's median *in the same run*, which cancels
  most of what a shared machine's load does to both;
- ``median_ms`` / ``p95_ms``: absolute targets; for p95 the number of runs over the target is
  shown too, so a verdict that one noisy run would flip is visible as such;
- ``versus``: the figure's median at most ``factor`` times another figure's (flat in the size).
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MIN_SAMPLES_FOR_P95 = 20  # fewer samples per run: the p95 is taken over every run's samples


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with ``pct`` per cent of values at or below."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Target:
    median_ms: float | None = None
    p95_ms: float | None = None
    ratio: float | None = None  # median / floor median, same run
    versus: tuple[str, float] | None = None  # (other figure, factor): median <= factor x other's

    def describe(self) -> str:
        parts = []
        if self.ratio is not None:
            parts.append(f"<{self.ratio:g}x floor")
        if self.median_ms is not None:
            parts.append(f"median <{self.median_ms:g}")
        if self.p95_ms is not None:
            parts.append(f"p95 <{self.p95_ms:g}")
        if self.versus is not None:
            parts.append(f"≤{self.versus[1]:g}x {self.versus[0]}")
        return ", ".join(parts) or "-"


@dataclass
class Figure:
    name: str
    target: Target = field(default_factory=Target)
    runs: list[list[float]] = field(default_factory=list)  # ms, one list per run
    queries: int | None = None
    ratio: bool = True  # False: a figure the floor says nothing about (start-up)

    def add(self, run: int, ms: float) -> None:
        while len(self.runs) <= run:
            self.runs.append([])
        self.runs[run].append(ms)


@dataclass
class Summary:
    name: str
    samples: int
    runs: int
    median: float
    median_spread: tuple[float, float]
    p95: float
    p95_spread: tuple[float, float]
    ratio: float | None
    ratio_spread: tuple[float, float] | None
    p95_runs_over: int | None  # runs whose p95 missed the p95 target
    target: str
    verdict: str
    queries: int | None = None


def _spread(values: Sequence[float]) -> tuple[float, float]:
    return (min(values), max(values))


def _p95(runs: list[list[float]]) -> tuple[float, tuple[float, float], list[float]]:
    """(p95, its spread, per-run p95s): per run if runs are long enough, else pooled."""
    if min(len(r) for r in runs) >= MIN_SAMPLES_FOR_P95:
        each = [percentile(r, 95) for r in runs]
        return statistics.median(each), _spread(each), each
    pooled = [ms for r in runs for ms in r]
    return percentile(pooled, 95), _spread(pooled), [percentile(r, 95) for r in runs]


def summarise(figure: Figure, floor: Figure | None, medians: dict[str, float]) -> Summary:
    """One figure across runs, against the floor's runs; ``medians`` holds other figures'."""
    runs = [r for r in figure.runs if r]
    if not runs:
        raise ValueError(f"{figure.name}: no samples")
    run_medians = [statistics.median(r) for r in runs]
    p95, p95_spread, run_p95s = _p95(runs)
    ratio = ratio_spread = None
    if floor is not None and floor is not figure and figure.ratio:
        ratios = [
            statistics.median(mine) / statistics.median(theirs)
            for mine, theirs in zip(figure.runs, floor.runs, strict=False)
            if mine and theirs
        ]
        if ratios:
            ratio, ratio_spread = statistics.median(ratios), _spread(ratios)
    summary = Summary(
        name=figure.name,
        samples=sum(len(r) for r in runs),
        runs=len(runs),
        median=statistics.median(run_medians),
        median_spread=_spread(run_medians),
        p95=p95,
        p95_spread=p95_spread,
        ratio=ratio,
        ratio_spread=ratio_spread,
        p95_runs_over=None,
        target=figure.target.describe(),
        verdict="",
        queries=figure.queries,
    )
    if figure.target.p95_ms is not None:
        summary.p95_runs_over = sum(1 for p in run_p95s if p >= figure.target.p95_ms)
    summary.verdict = verdict(summary, figure.target, medians)
    return summary


def verdict(summary: Summary, target: Target, medians: dict[str, float]) -> str:
    """PASS, FAIL with each missed target, or "-" when the figure has no target."""
    misses = []
    checked = False
    if target.ratio is not None and summary.ratio is not None:
        checked = True
        if summary.ratio >= target.ratio:
            misses.append(f"{summary.ratio:.1f}x floor")
    if target.median_ms is not None:
        checked = True
        if summary.median >= target.median_ms:
            misses.append(f"median {summary.median:.0f} ms")
    if target.p95_ms is not None:
        checked = True
        if summary.p95 >= target.p95_ms:
            misses.append(f"p95 {summary.p95:.0f} ms")
    if target.versus is not None and target.versus[0] in medians:
        checked = True
        other, factor = target.versus
        if summary.median > factor * medians[other]:
            misses.append(f"{summary.median / medians[other]:.1f}x {other}")
    if not checked:
        return "-"
    return "FAIL: " + "; ".join(misses) if misses else "PASS"


def summarise_all(figures: Iterable[Figure], floor: Figure) -> list[Summary]:
    """Every figure with samples, in order; ``versus`` targets read earlier figures' medians."""
    out: list[Summary] = []
    medians: dict[str, float] = {}
    for figure in figures:
        if not any(figure.runs):
            continue
        summary = summarise(figure, floor, medians)
        medians[figure.name] = summary.median
        out.append(summary)
    return out


def _ms(value: float) -> str:
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def _range(spread: tuple[float, float] | None, fmt: str = "ms") -> str:
    if spread is None:
        return ""
    if fmt == "x":
        return f"{spread[0]:.1f}-{spread[1]:.1f}"
    return f"{_ms(spread[0])}-{_ms(spread[1])}"


def _change(new: float, old: float | None) -> str:
    if not old:
        return ""
    return f"{(new - old) / old * 100:+.0f}%"


def table(summaries: list[Summary], previous: dict[str, dict[str, Any]] | None = None) -> str:
    """The figures as a fixed-width table; with ``previous``, that run's median and p95 beside."""
    heads = ["figure", "n", "median ms (runs)", "x floor (runs)", "p95 ms (spread)", "queries"]
    heads += ["target", "verdict"]
    if previous is not None:
        heads += ["prev median", "prev x floor", "prev p95", "change", "x floor change"]
    rows = [heads]
    for s in summaries:
        p95 = f"{_ms(s.p95)} ({_range(s.p95_spread)})"
        if s.p95_runs_over:
            p95 += f" {s.p95_runs_over}/{s.runs} runs over"
        ratio = "" if s.ratio is None else f"{s.ratio:.1f} ({_range(s.ratio_spread, 'x')})"
        row = [
            s.name,
            str(s.samples),
            f"{_ms(s.median)} ({_range(s.median_spread)})",
            ratio,
            p95,
            "" if s.queries is None else str(s.queries),
            s.target,
            s.verdict,
        ]
        if previous is not None:
            old = previous.get(s.name, {})
            old_ratio = old.get("ratio")
            row += [
                _ms(old["median"]) if "median" in old else "",
                f"{old_ratio:.1f}" if old_ratio else "",
                _ms(old["p95"]) if "p95" in old else "",
                _change(s.median, old.get("median")),
                _change(s.ratio, old_ratio) if s.ratio is not None else "",
            ]
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(heads))]
    numeric = {1, 5, 8, 9, 10, 11, 12}

    def line(row: list[str]) -> str:
        cells = [
            cell.rjust(width) if i in numeric else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    return "\n".join(line(r) for r in rows)


def by_size(
    summaries: list[Summary], rows: list[tuple[str, dict[int, str]]], sizes: list[int]
) -> str:
    """The issue's table: one line per page, one column per practice size.

    ``rows`` names, for each page, the figure timed at each size (sessions -> figure name).
    Each cell is the median in ms with its ratio to the floor of the same run; a size the
    page was not timed at is left blank.
    """
    found = {s.name: s for s in summaries}
    heads = ["median ms (x floor)"] + [f"{n:,} sessions" for n in sizes]
    lines = [heads]
    for page, names in rows:
        cells = [page]
        for n in sizes:
            s = found.get(names.get(n, ""))
            if s is None:
                cells.append("")
            elif s.ratio is None:
                cells.append(_ms(s.median))
            else:
                cells.append(f"{_ms(s.median)} ({s.ratio:.1f}x)")
        lines.append(cells)
    widths = [max(len(r[i]) for r in lines) for i in range(len(heads))]
    return "\n".join(
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in lines
    )


def save(folder: Path, config: dict[str, Any], summaries: list[Summary], stamp: str) -> Path:
    """Write one run's results as JSON in ``folder``; returns the file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stamp}-{config.get('database', 'db')}.json"
    body = {"stamp": stamp, "config": config, "figures": [asdict(s) for s in summaries]}
    path.write_text(json.dumps(body, indent=2) + "\n")
    return path


def comparable(config: dict[str, Any]) -> dict[str, Any]:
    """The part of a configuration two runs must share to be compared figure by figure."""
    return {k: config.get(k) for k in ("database", "sessions", "large", "small")}


def previous(folder: Path, config: dict[str, Any], before: str) -> dict[str, Any] | None:
    """The latest saved run older than ``before`` with the same database and sizes, if any."""
    wanted = comparable(config)
    best: dict[str, Any] | None = None
    for path in sorted(folder.glob("*.json")):
        try:
            body = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        stamp = str(body.get("stamp", ""))
        if stamp >= before or comparable(body.get("config", {})) != wanted:
            continue
        if best is None or stamp > str(best["stamp"]):
            best = body
    return best


def by_name(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in body.get("figures", []) if "name" in f}
