"""The chart module: SVG that renders for empty, one-point and dense data, safe under our CSP."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from debrief.lib.charts import EMPTY_TEXT, Series, bar_chart, line_chart, standalone

SVG = "{http://www.w3.org/2000/svg}"


def _parsed(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 (our own output): well-formed, or it raises


def _dots(svg: str) -> int:
    return svg.count('class="dot ')


def _lines(svg: str) -> int:
    return len(re.findall(r'class="line reactive', svg))


def _assert_csp_safe(svg: str) -> None:
    assert "<script" not in svg
    assert "<style" not in svg
    assert " style=" not in svg
    assert "javascript:" not in svg


def test_an_empty_chart_says_so_in_words_with_no_axis_to_misread() -> None:
    svg = line_chart("Listening", [], [Series("Each session", [])])
    root = _parsed(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "Listening"
    assert root.find(f"{SVG}title") is not None
    assert EMPTY_TEXT in svg
    assert _dots(svg) == 0 and _lines(svg) == 0
    assert 'class="major">0' not in svg  # no y axis labels
    _assert_csp_safe(svg)


def test_one_point_is_a_dot_not_a_line() -> None:
    svg = line_chart("Listening", ["3 Mar"], [Series("Each session", [4])], y_range=(1, 5))
    _parsed(svg)
    assert _dots(svg) == 1
    assert _lines(svg) == 0
    _assert_csp_safe(svg)


def test_two_points_are_not_joined_into_a_trend() -> None:
    svg = line_chart("Listening", ["3 Mar", "17 Mar"], [Series("Each session", [4, 2])])
    assert _dots(svg) == 2
    assert _lines(svg) == 0


def test_dense_data_draws_lines_and_keeps_the_axis_readable() -> None:
    labels = [f"Day {i}" for i in range(300)]
    values: list[float | None] = [1 + (i % 5) for i in range(300)]
    values[10] = None  # a gap stays a gap
    svg = line_chart(
        "Engagement",
        labels,
        [Series("Each session", values, style="dots"), Series("Average", values, style="line")],
        y_range=(1, 5),
        description="Ratings from 1 to 5.",
    )
    root = _parsed(svg)
    assert _dots(svg) == 299
    assert _lines(svg) >= 1
    shown = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text.startswith("Day ")]
    assert 2 <= len(shown) <= 9, shown  # a few labels under the axis, not 300 on top of each other
    assert root.find(f"{SVG}desc") is not None and "Ratings from 1 to 5." in svg
    _assert_csp_safe(svg)


def test_bar_chart_renders_for_empty_single_and_dense_data() -> None:
    assert EMPTY_TEXT in bar_chart("Sessions per month", [], [Series("Sessions", [])])
    one = bar_chart("Sessions per month", ["Mar 2026"], [Series("Sessions", [3])])
    assert one.count('class="rect reactive') == 1
    months = [f"M{i}" for i in range(60)]
    dense = bar_chart("Sessions per month", months, [Series("Sessions", list(range(60)))])
    assert dense.count('class="rect reactive') == 60
    for svg in (one, dense):
        _parsed(svg)
        _assert_csp_safe(svg)


def test_titles_are_escaped() -> None:
    svg = line_chart('<script>alert("x")</script>', ["a"], [Series("<b>", [1])])
    _parsed(svg)
    assert "<script>" not in svg and "<b>" not in svg


@pytest.mark.parametrize("values", [[], [3], [1, 2, 3, 4, 5]])
def test_standalone_embeds_the_stylesheet_once(values: list[float | None]) -> None:
    svg = standalone(line_chart("Listening", [str(v) for v in values], [Series("x", values)]))
    root = _parsed(svg)
    styles = root.findall(f"{SVG}style")
    assert len(styles) == 1 and ".pygal-chart" in (styles[0].text or "")


def test_each_chart_is_drawn_wide_and_narrow_for_a_phone() -> None:
    labels = [f"Day {i}" for i in range(40)]
    chart = line_chart("Engagement", labels, [Series("Each session", [3] * 40)], y_range=(1, 5))
    wide, narrow = _parsed(chart), _parsed(chart.narrow)
    assert (wide.get("data-size"), narrow.get("data-size")) == ("wide", "narrow")
    assert narrow.get("aria-label") == "Engagement" and narrow.find(f"{SVG}title") is not None
    assert wide.get("viewBox") == "0 0 600 300" and narrow.get("viewBox") == "0 0 360 320"

    def shown(root: ElementTree.Element) -> list[str]:
        return [t.text for t in root.iter(f"{SVG}text") if t.text and t.text.startswith("Day ")]

    assert len(shown(narrow)) < len(shown(wide))  # fewer x labels where there is less room
    # A string is the wide drawing (files, PDFs); a template prints both, and CSS picks one.
    assert 'data-size="narrow"' not in str(chart) and standalone(chart).count("<svg") == 1
    assert chart.__html__() == str(chart) + chart.narrow
    _assert_csp_safe(chart.narrow)
    bar = bar_chart("Sessions per month", ["Mar 2026"], [Series("Sessions", [3])])
    assert bar.narrow.count('class="rect reactive') == 1


def test_a_long_chart_draws_the_x_axis_only_where_a_label_is_printed() -> None:
    labels = [f"Day {i}" for i in range(95)]
    svg = line_chart("Engagement", labels, [Series("Each session", [3] * 95)], y_range=(1, 5))
    for drawn in (svg, svg.narrow):
        axis = next(g for g in _parsed(drawn).iter(f"{SVG}g") if g.get("class") == "axis x")
        groups = axis.findall(f"{SVG}g")
        assert 2 <= len(groups) <= 6  # one per printed label, not 95 with empty ones
        assert all((g.find(f"{SVG}text").text or "").startswith("Day ") for g in groups)  # type: ignore[union-attr]


def _drawn_by(kind: type, narrow: bool = False, points: int = 4) -> str:
    from debrief.lib import charts

    chart = kind(**charts._config([Series("a", [1])], narrow=narrow, y_title="Hours"))
    chart.title = "Same"
    chart.x_labels = [f"Day {i}" for i in range(points)]
    chart.add("a", [1, None, 3, 4, *range(points - 4)], show_dots=True)
    chart.add("b", [2, 2, None, 5], stroke=False)  # shorter: pygal pads it with gaps
    chart.add_xml_filter(charts._strip)
    return str(chart.render(is_unicode=True))


def test_our_pygal_subclasses_draw_what_pygal_draws() -> None:
    """charts._Line and _Bar look pygal's options up Python's own way, prepare plain series
    without pygal's dir() per option, write no tooltip data, stylesheet or script and write
    the SVG as text: the drawing, less what ``_strip`` cuts anyway, must not change (a pygal
    upgrade that keeps its options elsewhere fails here, not on a page)."""
    import pygal

    from debrief.lib import charts

    for ours, theirs in ((charts._Line, pygal.Line), (charts._Bar, pygal.Bar)):
        for narrow, points in ((False, 4), (True, 4), (False, 95)):
            drawn = _drawn_by(ours, narrow, points)
            assert drawn == _drawn_by(theirs, narrow, points)
            assert len(drawn) > 3000
    assert _drawn_by(charts._Line).count('class="dot ') == 6


def test_no_pygal_option_is_also_a_property_of_our_charts() -> None:
    """Our charts share one ``__dict__`` with the state they draw with, so an option is found
    by Python's lookup, which ranks a class's properties above it (pygal's ranks the option
    first): the two agree only while no option shares a name with a property."""
    from debrief.lib import charts

    for kind in (charts._Line, charts._Bar):
        chart = kind(**charts._config([Series("a", [1])], narrow=False))
        chart.add("a", [1, 2, 3])
        chart.setup()
        options = set(chart.state.__dict__)
        descriptors = {
            name
            for klass in type(chart).__mro__
            for name, value in vars(klass).items()
            if hasattr(type(value), "__set__") or hasattr(type(value), "__delete__")
        }
        assert len(options) > 100
        assert not options & (descriptors - {"__dict__", "__weakref__"})
        assert chart.__dict__ is chart.state.__dict__


def test_a_chart_drawn_leaves_no_reference_cycle_behind() -> None:
    """While drawing, the chart shares its state's ``__dict__``, which holds the drawing, whose
    ``graph`` is the chart: a cycle, unless ``teardown`` gives the chart its own dict back. Left
    as cycles, a page's charts were thousands of objects for the garbage collector, whose full
    collection then landed in the next request (about 100 ms of CPU on the bench's server)."""
    import gc

    from debrief.lib import charts

    values = [float(v % 5 + 1) for v in range(95)]
    gc.collect()
    gc.disable()
    try:
        charts._line.__wrapped__(
            "Cycles", tuple(map(str, range(95))), (Series("a", values),), (1, 5), "", ""
        )
        charts._bar.__wrapped__("Bars", ("a", "b"), (Series("b", [1, 2]),), "", "", True)
        assert gc.collect() == 0
    finally:
        gc.enable()
