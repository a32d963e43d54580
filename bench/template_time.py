"""The home and coachee pages' template time (issue 15): ``python -m bench.template_time``.

Builds a practice (``--sessions``, default 3,000, the demo generator, 40 coachees) in a
throw-away installation (SQLite, or a scratch PostgreSQL database when DATABASE_URL points at
one), or uses the installation in ``--data-dir`` as it is. Then, in this process, for two pages
of the practice's coach, the home page and the busiest coachee's page: the page's view builds
its context (untimed: its queries are not template time), and the page's template is rendered
from that context (timed: the CPU time of this thread, which a shared machine's load inflates
less than wall time), ``--repeats`` times, a fresh context each time (what a template computes
lazily is computed in every timed render). The render is Django's ``render``, so the timed part
ends with the page encoded to UTF-8 for the response: for the busiest coachee's page, 270,000
characters (215,000 of them its three inline SVG charts), that alone is about 0.8 ms.

It prints, a line per page, the median and the spread, and a digest of the page's HTML with the
CSRF tokens blanked (they differ at every render): two runs, before and after a change, must
print the same digests. Under each, the median CPU time of the rest of the request (the middleware,
the view and its queries, without the rendering): work moved out of the template into
the view shows there, so a change that only moves work is seen to. Not a test: exits 0.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import statistics
import sys
import time
from contextlib import ExitStack
from types import ModuleType
from typing import Any

from bench import served

SETUP = """
from django.utils import timezone
from debrief.demo.practice import create_practice
create_practice(coach, sessions={sessions}, coachees=40, seed=12, today=timezone.localdate())
"""
EMAIL = "templates@example.com"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _captured(coach: Any, views: ModuleType, url: str) -> tuple[Any, str, dict[str, Any], float]:
    """The request, template name and context the view of ``url`` renders (not rendered), and
    the CPU ms of the request without its rendering (middleware, view, queries).

    ``views`` is the module of the view, whose ``render`` is swapped for a catcher meanwhile.
    """
    from django.http import HttpResponse
    from django.test import Client

    seen: list[tuple[Any, str, dict[str, Any]]] = []

    def capture(request: Any, template: str, ctx: dict[str, Any]) -> HttpResponse:
        seen.append((request, template, ctx))
        return HttpResponse("")

    client = Client(HTTP_HOST="localhost")  # an allowed host, as a browser on the laptop sends
    client.force_login(coach)
    real, views.render = views.render, capture  # type: ignore[attr-defined]
    began = time.thread_time()
    try:
        answer = client.get(url)
    finally:
        views.render = real  # type: ignore[attr-defined]
    taken = (time.thread_time() - began) * 1000
    if not seen:
        raise served.BenchError(f"{url} answered {answer.status_code}, not rendered")
    return (*seen[0], taken)


def _busiest() -> tuple[Any, int]:
    from django.db.models import Count

    from debrief.coachees.models import Coachee

    found = Coachee.objects.annotate(n=Count("sessions")).order_by("-n", "pk").first()
    if found is None:
        raise served.BenchError("the practice has no coachees")
    return found, found.n


def _measure(
    coach: Any, views: ModuleType, url: str, repeats: int
) -> tuple[list[float], list[float], str]:
    """CPU ms of each timed render of ``url``'s template, of the rest of each request (untimed
    in the template's figure), and the digest of its HTML."""
    from django.shortcuts import render

    times, around, digests = [], [], set()
    for i in range(repeats + 1):
        request, template, ctx, before = _captured(coach, views, url)
        began = time.thread_time()
        html = render(request, template, ctx).content
        taken = (time.thread_time() - began) * 1000
        if i:  # the first fills the template loader's cache
            times.append(taken)
            around.append(before)
        digests.add(hashlib.sha256(_CSRF.sub("", html.decode()).encode()).hexdigest()[:16])
    if len(digests) != 1:
        raise served.BenchError(f"{url}'s HTML changed between renders: {sorted(digests)}")
    return times, around, digests.pop()


def _pages(repeats: int) -> list[tuple[str, list[float], list[float], str]]:
    """(what, template times, rest of request times, digest) for the home page and the
    busiest coachee's page."""
    from django.urls import reverse

    from debrief.coachees import views as coachee_views
    from debrief.journal import views as journal_views

    coachee, sessions = _busiest()
    pages = [
        ("home page", journal_views, reverse("home")),
        (
            f"coachee page, busiest coachee ({sessions} sessions)",
            coachee_views,
            reverse("coachee_detail", args=[coachee.code]),
        ),
    ]
    return [(what, *_measure(coachee.coach, v, url, repeats)) for what, v, url in pages]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.template_time", description=__doc__)
    parser.add_argument("--sessions", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--data-dir", help="an installation to use as it is (SQLite)")
    args = parser.parse_args(argv)
    if args.sessions < 1 or args.repeats < 1:
        parser.error("--sessions and --repeats at least 1")
    with ExitStack() as stack:
        if args.data_dir:
            env = dict(os.environ, DEBRIEF_DATA_DIR=args.data_dir)
        else:
            env = stack.enter_context(served.environment("templates"))
            served.manage(env, "migrate", "--noinput")
            served.sign_in(env, EMAIL, SETUP.format(sessions=args.sessions))
        os.environ.update(env, DJANGO_SETTINGS_MODULE="debrief.settings")
        import django

        django.setup()
        pages = _pages(args.repeats)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"template time, {args.repeats} renders a page, CPU ms (load {load}):")
    for what, times, around, digest in pages:
        print(
            f"  {what}: median {statistics.median(times):.1f} "
            f"({min(times):.1f}-{max(times):.1f}); HTML digest {digest}"
        )
        rest = statistics.median(around)
        print(f"    the rest of the request, view and middleware: median {rest:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
