"""Server-rendered SVG charts (pygal), safe to inline under our strict Content-Security-Policy.

API (used by insights, and by followup for the goal-progress chart on the coachee page):

- ``line_chart(title, x_labels, series, *, y_range=None, y_title="", description="") -> str``
- ``bar_chart(title, x_labels, series, *, y_title="", description="", whole=False) -> str``
- ``Series(name, values, style="both" | "line" | "dots")``: one named list of numbers (None = gap)
- ``standalone(svg) -> str``: the same SVG with the chart stylesheet embedded, for a file of
  its own, an ``<img>`` or a PDF.

The SVG returned for a page carries no ``<style>``, no ``<script>`` and no ``style`` attribute
(pygal's own are removed): its look comes from ``debrief/charts.css``, which a page links and
``standalone`` embeds. Every chart has a ``<title>`` and ``<desc>`` (``role="img"``); pages put
the figures in a table beside it, so nothing is only in the picture.

Honesty rules: a series with fewer than ``MIN_POINTS_FOR_LINE`` values is drawn as dots only
(no line through two points), and a chart with no values at all says so in words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape
from pathlib import Path
from typing import Any, Literal

import pygal

MIN_POINTS_FOR_LINE = 3
MAX_X_LABELS = 6
WIDTH, HEIGHT = 600, 300
STYLESHEET = Path(__file__).parent.parent / "static" / "debrief" / "charts.css"
EMPTY_TEXT = "Nothing to chart yet"
CACHED_CHARTS = 256

# pygal's inline stylesheet and script live in <defs>; its tooltip overlay (for its script) is
# the only element with a style attribute. Comments carry pygal's version and today's date.
_DEFS = re.compile(r"<defs>.*?</defs>", re.S)
_COMMENTS = re.compile(r"<!--.*?-->", re.S)
_TOOLTIPS = re.compile(r'<g transform="[^"]*" class="plot tooltip-overlay">.*?</g></g>', re.S)
# Each dot carries <desc> elements with its value and position for pygal's tooltip script, which
# we do not use: they double the size of a chart. The figures are in the page beside it.
_TOOLTIP_DATA = re.compile(r'<desc class="[^"]*">[^<]*</desc>')
_OPEN_TAG = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" id="" class="pygal-chart"')


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    style: Literal["both", "line", "dots"] = "both"

    @property
    def count(self) -> int:
        return sum(v is not None for v in self.values)


def _config(series: Sequence[Series], **extra: Any) -> dict[str, Any]:
    long_names = any(len(s.name) > 24 for s in series)
    return {
        "js": [],
        "disable_xml_declaration": True,
        "no_prefix": True,
        "width": WIDTH,
        "height": HEIGHT,
        "margin": 12,
        "margin_right": 30,  # room for the last x label of a line, centred on the edge
        "margin_bottom": 30,  # pygal's own sum leaves a bottom legend half outside the picture
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 1 if long_names else 3,
        "legend_font_size": 14,
        "label_font_size": 13,
        "major_label_font_size": 13,
        "title_font_size": 17,
        "truncate_label": -1,
        "truncate_legend": -1,  # goal titles are read in full
        "no_data_text": EMPTY_TEXT,
        **extra,
    }


def _sparse_labels(x_labels: Sequence[str]) -> list[str]:
    """Every label kept in place, but only every few printed, so they never run together."""
    every = max(1, -(-len(x_labels) // MAX_X_LABELS))  # ceiling
    return [label if i % every == 0 else "" for i, label in enumerate(x_labels)]


def _series_options(series: Series) -> dict[str, Any]:
    style = series.style
    if style != "dots" and series.count < MIN_POINTS_FOR_LINE:
        style = "dots"  # a line through one or two points suggests a trend that is not there
    if style == "dots":
        return {"stroke": False, "show_dots": True, "dots_size": 4}
    if style == "line":
        return {"show_dots": False, "stroke_style": {"width": 3}}
    return {"show_dots": True, "dots_size": 3}


def _finish(chart: Any, title: str, description: str) -> str:
    svg: str = chart.render(is_unicode=True)
    svg = _TOOLTIPS.sub("", _COMMENTS.sub("", _DEFS.sub("", svg)))
    svg = _TOOLTIP_DATA.sub("", svg)
    label = escape(title, quote=True)
    opening = (
        '<svg xmlns="http://www.w3.org/2000/svg" class="pygal-chart" role="img" '
        f'aria-label="{label}"'
    )
    svg, found = _OPEN_TAG.subn(opening, svg, count=1)
    if not found or "<script" in svg or "<style" in svg or " style=" in svg:
        raise ValueError("pygal's output changed: the chart would break the page's CSP")
    if description:
        svg = svg.replace("</title>", f"</title><desc>{escape(description)}</desc>", 1)
    return svg


def _has_values(series: Sequence[Series]) -> bool:
    return any(s.count for s in series)


def _frozen(series: Sequence[Series]) -> tuple[Series, ...]:
    return tuple(Series(s.name, tuple(s.values), s.style) for s in series)


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_range: tuple[float, float] | None = None,
    y_title: str = "",
    description: str = "",
) -> str:
    """A line chart, one point per x label; ``None`` leaves a gap in a series."""
    return _line(title, tuple(x_labels), _frozen(series), y_range, y_title, description)


def bar_chart(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_title: str = "",
    description: str = "",
    whole: bool = False,
) -> str:
    """A bar chart, one group of bars per x label, starting at zero.

    ``whole``: the values are counts, so the axis is labelled in whole numbers only.
    """
    return _bar(title, tuple(x_labels), _frozen(series), y_title, description, whole)


# Rendering is the slow part (5-20 ms a chart) and a page is mostly re-read unchanged, so the
# last charts drawn are kept, in this process's memory only, keyed by everything they show.
@lru_cache(maxsize=CACHED_CHARTS)
def _line(
    title: str,
    x_labels: tuple[str, ...],
    series: tuple[Series, ...],
    y_range: tuple[float, float] | None,
    y_title: str,
    description: str,
) -> str:
    extra: dict[str, Any] = {"y_title": y_title, "allow_interruptions": True}
    if y_range is not None:
        low, high = y_range
        step = 1 if high - low <= 10 else max(1, round((high - low) / 5))
        extra.update(range=y_range, y_labels=list(range(int(low), int(high) + 1, step)))
    if not _has_values(series):
        extra = {"show_y_labels": False, "show_y_guides": False}  # no axis for nothing
    chart = pygal.Line(**_config(series, **extra))
    chart.title = title
    if _has_values(series):
        chart.x_labels = _sparse_labels(x_labels)
        for s in series:
            chart.add(s.name, list(s.values), **_series_options(s))
    return _finish(chart, title, description)


@lru_cache(maxsize=CACHED_CHARTS)
def _bar(
    title: str,
    x_labels: tuple[str, ...],
    series: tuple[Series, ...],
    y_title: str,
    description: str,
    whole: bool,
) -> str:
    extra: dict[str, Any] = {"y_title": y_title, "include_x_axis": True}
    if not _has_values(series):
        extra = {"show_y_labels": False, "show_y_guides": False}
    elif whole:
        top = max(v or 0 for s in series for v in s.values)
        step = max(1, math.ceil(top / 6))
        extra["y_labels"] = list(range(0, int(top) + step + 1, step))
    chart = pygal.Bar(**_config(series, **extra))
    chart.title = title
    if _has_values(series):
        chart.x_labels = _sparse_labels(x_labels)
        for s in series:
            chart.add(s.name, [0 if v is None else v for v in s.values])
    return _finish(chart, title, description)


def forget() -> None:
    """Drop every kept chart (after an erasure: a chart may name the coachee or their goal)."""
    _line.cache_clear()
    _bar.cache_clear()


@cache
def stylesheet() -> str:
    return STYLESHEET.read_text()


def standalone(svg: str) -> str:
    """The chart as a document of its own (file, ``<img>``, PDF): its stylesheet embedded."""
    style = f"<style>{escape(stylesheet(), quote=False)}</style>"
    return re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + style, svg, count=1)
