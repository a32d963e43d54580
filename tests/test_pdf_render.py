"""lib/pdf.py: Python's cyclic collector is paused while WeasyPrint draws, and always back after."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from debrief.lib import pdf


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def _watching() -> Any:
    """Our fetcher, noting whether the collector runs as WeasyPrint fetches the stylesheet."""

    class Watching(pdf._fetcher_class()):  # type: ignore[misc]
        seen: list[bool] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            self.seen.append(gc.isenabled())
            return super().fetch(url, headers)

    return Watching(pdf._prefix(), pdf._find)


def test_the_collector_is_off_while_drawing_and_on_again_after() -> None:
    watching = _watching()
    html = '<link rel="stylesheet" href="/static/exports/pdf.css"><p>Hello</p>'
    assert pdf.render_pdf(html, url_fetcher=watching).startswith(b"%PDF-")
    assert watching.seen == [False]
    assert gc.isenabled()


def test_the_collector_comes_back_when_drawing_fails() -> None:
    with pytest.raises(RuntimeError), pdf._collector_paused:
        assert not gc.isenabled()
        raise RuntimeError("WeasyPrint failed")
    assert gc.isenabled()


def test_overlapping_renders_keep_it_off_until_the_last_ends() -> None:
    pause = pdf._CollectorPause()
    pause.__enter__()
    pause.__enter__()  # a second thread's render
    pause.__exit__(None, None, None)
    assert not gc.isenabled()
    pause.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_switched_off_elsewhere_stays_off() -> None:
    gc.disable()
    with pdf._collector_paused:
        pass
    assert not gc.isenabled()
