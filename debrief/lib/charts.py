"""Server-rendered SVG charts (pygal), safe to inline under our strict Content-Security-Policy.

API (used by insights, and by followup for the goal-progress chart on the coachee page):

- ``line_chart(title, x_labels, series, *, y_range=None, y_title="", description="") -> str``
- ``bar_chart(title, x_labels, series, *, y_title="", description="", whole=False) -> str``
- ``Series(name, values, style="both" | "line" | "dots")``: one named list of numbers (None = gap)
- ``standalone(svg) -> str``: the same SVG with the chart stylesheet embedded, for a file of
  its own, an ``<img>`` or a PDF.

Each chart is drawn twice, without JavaScript: a ``Chart`` is the wide SVG (600 by 300, as a
string: for files, PDFs and tests) and carries a narrow one (``.narrow``, 360 wide, fewer x
labels, larger text) for phones. In a template, ``{{ chart }}`` prints both (``__html__``,
no ``|safe`` needed) and charts.css shows one: on a 390 px phone a wide chart would shrink its
labels to 7 px, the narrow one keeps them near their written size (tests/browser/test_charts.py).

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache, reduce
from html import escape
from pathlib import Path
from typing import Any, Literal
from xml.etree import ElementTree

import pygal
import pygal.svg
from pygal.adapters import decimal_to_float
from pygal.config import SerieConfig
from pygal.serie import Serie
from pygal.style import Style
from pygal.util import compose, ident

MIN_POINTS_FOR_LINE = 3
MAX_X_LABELS = 6
WIDTH, HEIGHT = 600, 300
# For phones: drawn about as wide as it is shown on a 390 px screen, so text keeps its size.
NARROW_WIDTH, NARROW_HEIGHT, NARROW_X_LABELS = 360, 320, 4
STYLESHEET = Path(__file__).parent.parent / "static" / "debrief" / "charts.css"
EMPTY_TEXT = "Nothing to chart yet"
CACHED_CHARTS = 256

# What pygal draws for its own stylesheet and script, which a page under our CSP does not run,
# is cut from the drawing before it is written out (``_strip``): the <defs> that hold them, the
# tooltip overlay (the only element with a style attribute), each dot's <desc> elements (its
# value and position, for the tooltips: they doubled a chart's size; the figures are in the
# page beside it) and the comments (pygal's version and today's date).
_TOOLTIP_OVERLAY = "plot tooltip-overlay"
# pygal's legend ids are for its script: the same in every chart, so a page would repeat them.
_SCRIPT_IDS = re.compile(r' id="activate-serie-\d+"')
_OPEN_TAG = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" id="" class="pygal-chart"')


def _unused(node: Any) -> bool:
    tag = node.tag
    if tag is ElementTree.Comment or tag == "defs":
        return True
    if tag == "desc":
        return bool(node.get("class"))
    return tag == "g" and node.get("class") == _TOOLTIP_OVERLAY


def _strip(root: Any) -> Any:
    """pygal's drawing less what only its script and stylesheet use (an xml filter)."""
    for parent in list(root.iter()):
        for child in [c for c in parent if _unused(c)]:
            parent.remove(child)
    return root


class _Options:
    """What our charts change in pygal's drawing, without changing the drawing.

    pygal looks every option up through a ``__getattribute__`` of its own (the state of the
    chart being drawn first, then the chart): four Python calls an attribute, tens of thousands
    a chart, a third of its drawing time. Here the chart and the state it draws with share one
    ``__dict__`` (the state's values over the chart's, as pygal's lookup ranks them), so an
    option is found by Python's own lookup, with no call of ours at all.
    ``tests/test_insights_charts.py`` checks that no option is also a property of the chart
    (which Python's lookup would rank first).
    """

    __getattribute__ = object.__getattribute__

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "state" and value is not None:  # pygal's setup, before anything is drawn
            shared = {**self.__dict__, **value.__dict__, "state": value, _OWN: self.__dict__}
            value.__dict__ = shared
            object.__setattr__(self, "__dict__", shared)
        else:  # into the state while there is one, as pygal does
            super().__setattr__(name, value)

    def teardown(self) -> None:
        """pygal's, and the chart gets its own ``__dict__`` back, as pygal leaves it.

        The shared one holds the drawing, whose ``graph`` is the chart: left in place, every
        chart drawn would be a reference cycle only the garbage collector frees, and a full
        collection over the process's objects lands in some later request.
        """
        own = self.__dict__.pop(_OWN, None)
        super().teardown()  # type: ignore[misc]
        if own is not None and self.__dict__.get("state") is None:  # unless PYGAL_KEEP_STATE
            own["state"] = None
            object.__setattr__(self, "__dict__", own)

    def prepare_values(self, raw: list[Any], offset: int = 0) -> list[Any] | None:
        """pygal's own, for the series our charts add: plain lists of numbers and None.

        pygal's asks ``dir()`` of a series' config once for each of the chart's 150 options,
        to copy the dozen that are series options too: a fifth of drawing a chart. Anything
        else (strict, logarithmic, dual or adapted values, dicts, rotated labels) is left to
        pygal's.
        """
        chart: Any = self
        if not _plain(chart, raw):
            return super().prepare_values(raw, offset)  # type: ignore[misc]
        for key in ("x_labels", "y_labels"):
            if getattr(chart, key):
                setattr(chart, key, list(getattr(chart, key)))
        if not raw:
            return None
        chart._adapt = reduce(compose, [ident, decimal_to_float])  # as pygal's, read later
        chart._x_adapt = ident
        width = max([len(values) for values, _ in raw] + [len(chart.x_labels or [])])
        shared = {k: v for k, v in chart.state.__dict__.items() if k in _serie_options()}
        series: list[Any] = []
        for values, options in raw:
            config = SerieConfig()
            config(**shared)
            config(**options)
            padded = [*values, *[None] * (width - len(values))]
            series.append(Serie(offset + len(series), list(map(chart._adapt, padded)), config, {}))
        return series

    def _tooltip_data(self, *args: Any, **kwargs: Any) -> None:
        """pygal writes each dot's value and place in <desc> elements for its tooltip script,
        three or four a dot, which ``_strip`` would only cut again: they are not written."""

    def _draw(self) -> None:
        super()._draw()  # type: ignore[misc]
        chart: Any = self
        chart.svg.__class__ = _Svg


class _Svg(pygal.svg.Svg):
    """pygal's drawing without its stylesheet and script, which ``_strip`` would only cut again.

    pygal fills ``<defs>`` with them after the chart is drawn: its CSS files read from disk and
    filled in, and every option as JSON for its script (a fifth of a chart's drawing time).
    """

    def add_styles(self) -> None:
        pass

    def add_scripts(self) -> None:
        pass

    def render(self, is_unicode: bool = False, pretty_print: bool = False) -> Any:
        """pygal's, written straight to text: pygal writes UTF-8 bytes through a codec, one
        call per piece of markup, and decodes them again (the same text; 0.8 ms a chart of
        95 points instead of 1.1)."""
        if not (is_unicode and self.graph.disable_xml_declaration) or pygal.svg.etree.lxml:
            return super().render(is_unicode, pretty_print)
        svg: Any = self  # pygal's attributes are untyped
        for xml_filter in svg.graph.xml_filters:
            svg.root = xml_filter(svg.root)
        return ElementTree.tostring(svg.root, encoding="unicode")


def _plain(chart: Any, raw: list[Any]) -> bool:
    """Whether ``raw`` holds only what our charts add, drawn with options they use."""
    if not all(isinstance(values, list | tuple) for values, _ in raw):
        return False
    unusual = chart.strict or chart.logarithmic or chart._dual or chart._adapters
    rotated = chart.x_label_rotation or chart.y_label_rotation
    return not (unusual or rotated or getattr(chart, "_x_adapters", None))


_OWN = "_chart_own_dict"  # the chart's own attributes, while it shares its state's


@cache
def _serie_options() -> frozenset[str]:
    """What a series' config has (pygal's test for which chart options a series takes)."""
    return frozenset(dir(SerieConfig()))


# pygal names a chart's CSS class after its Python class ("line-graph"): hence the same names.
_Line: Any = type("Line", (_Options, pygal.Line), {})
_Bar: Any = type("Bar", (_Options, pygal.Bar), {})


class Chart(str):
    """A chart's wide SVG; ``narrow`` is the same chart drawn for a phone.

    As a string it is the wide SVG alone; in a template (``__html__``) it is both, and
    charts.css shows the one that fits the screen.
    """

    narrow: str = ""

    def __html__(self) -> str:
        return f"{self}{self.narrow}"


def _pair(wide: str, narrow: str) -> Chart:
    chart = Chart(wide)
    chart.narrow = narrow
    return chart


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    style: Literal["both", "line", "dots"] = "both"

    @property
    def count(self) -> int:
        return sum(v is not None for v in self.values)


_WIDE_STYLE = Style(
    title_font_size=17, label_font_size=13, major_label_font_size=13, legend_font_size=14
)
_NARROW_STYLE = Style(
    title_font_size=18, label_font_size=14, major_label_font_size=14, legend_font_size=15
)


def _config(series: Sequence[Series], narrow: bool, **extra: Any) -> dict[str, Any]:
    long_names = any(len(s.name) > (12 if narrow else 24) for s in series)
    return {
        "js": [],
        "disable_xml_declaration": True,
        "no_prefix": True,
        "width": NARROW_WIDTH if narrow else WIDTH,
        "height": NARROW_HEIGHT if narrow else HEIGHT,
        "margin": 8 if narrow else 12,
        "margin_right": 34 if narrow else 30,  # room for the last x label of a line
        "margin_bottom": 30,  # pygal's own sum leaves a bottom legend half outside the picture
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 1 if long_names else (2 if narrow else 3),
        # The sizes pygal lays out by (its style's; pygal ignores them as options). charts.css
        # sets the sizes drawn: the same, or a little smaller, so nothing runs off the edge.
        "style": _NARROW_STYLE if narrow else _WIDE_STYLE,
        "truncate_label": -1,
        "truncate_legend": -1,  # goal titles are read in full
        "no_data_text": EMPTY_TEXT,
        **extra,
    }


def _label_every(x_labels: Sequence[str], most: int) -> int:
    """Print every n-th x label, so that at most ``most`` are printed and never run together."""
    return max(1, -(-len(x_labels) // most))  # ceiling


def _sparse_labels(x_labels: Sequence[str], every: int) -> list[str]:
    """Every label kept in place (a point for each), but only every ``every``-th printed."""
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


def _finish(chart: Any, title: str, description: str, narrow: bool) -> str:
    chart.add_xml_filter(_strip)
    svg: str = chart.render(is_unicode=True)
    svg = _SCRIPT_IDS.sub("", svg)
    label = escape(title, quote=True)
    opening = (
        '<svg xmlns="http://www.w3.org/2000/svg" class="pygal-chart" '
        f'data-size="{"narrow" if narrow else "wide"}" role="img" aria-label="{label}"'
    )
    svg, found = _OPEN_TAG.subn(opening, svg, count=1)
    if not found or "<script" in svg or "<style" in svg or " style=" in svg:
        raise ValueError("pygal's output changed: the chart would break the page's CSP")
    if description:
        svg = svg.replace("</title>", f"</title><desc>{escape(description)}</desc>", 1)
    return svg


def _drawn_twice(
    kind: Any,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    extra: dict[str, Any],
    description: str,
    add: Callable[[Any, Series], None],
) -> Chart:
    """A pygal chart of ``kind``, wide and narrow; ``add`` puts one series on it."""

    def draw(narrow: bool) -> str:
        chart = kind(**_config(series, narrow, **extra))
        chart.title = title
        if _has_values(series):
            every = _label_every(x_labels, NARROW_X_LABELS if narrow else MAX_X_LABELS)
            chart.x_labels = _sparse_labels(x_labels, every)
            # Only the printed labels get an axis group (a guide and a text): pygal would draw
            # one for each point, empty and hidden, most of a long chart's drawing and size.
            chart.x_labels_major_every = every
            chart.show_minor_x_labels = False
            for s in series:
                add(chart, s)
        return _finish(chart, title, description, narrow)

    return _pair(draw(False), draw(True))


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
) -> Chart:
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
) -> Chart:
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
) -> Chart:
    extra: dict[str, Any] = {"y_title": y_title, "allow_interruptions": True}
    if y_range is not None:
        low, high = y_range
        step = 1 if high - low <= 10 else max(1, round((high - low) / 5))
        extra.update(range=y_range, y_labels=list(range(int(low), int(high) + 1, step)))
    if not _has_values(series):
        extra = {"show_y_labels": False, "show_y_guides": False}  # no axis for nothing

    def add(chart: Any, s: Series) -> None:
        chart.add(s.name, list(s.values), **_series_options(s))

    return _drawn_twice(_Line, title, x_labels, series, extra, description, add)


@lru_cache(maxsize=CACHED_CHARTS)
def _bar(
    title: str,
    x_labels: tuple[str, ...],
    series: tuple[Series, ...],
    y_title: str,
    description: str,
    whole: bool,
) -> Chart:
    extra: dict[str, Any] = {"y_title": y_title, "include_x_axis": True}
    if not _has_values(series):
        extra = {"show_y_labels": False, "show_y_guides": False}
    elif whole:
        top = max(v or 0 for s in series for v in s.values)
        step = max(1, math.ceil(top / 6))
        extra["y_labels"] = list(range(0, int(top) + step + 1, step))

    def add(chart: Any, s: Series) -> None:
        chart.add(s.name, [0 if v is None else v for v in s.values])

    return _drawn_twice(_Bar, title, x_labels, series, extra, description, add)


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
