"""The app's URLs plus two trivial views: the floor every page is measured against.

Served only with ``bench.settings``; the product's ``debrief.urls`` has no bench routes.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block main %}<h1>Floor</h1>{% endblock %}'
)


def bare(request: HttpRequest) -> HttpResponse:
    """No database, no template: only the server, the middleware stack and the HTTP round trip."""
    return HttpResponse("ok")


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    """A trivial signed-in page: the session, the coach and the base layout, nothing else."""
    return HttpResponse(_PAGE.render({}, request))


def query_count_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Counts the queries of a request that asks (``X-Bench-Queries: 1``), in a reply header.

    A request carrying ``X-Bench-CPU: 1`` gets the serving process's CPU milliseconds spent on
    it in ``X-Bench-CPU`` (the machine's load stretches wall times, much less CPU time).
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.headers.get("X-Bench-CPU") == "1":
            began = time.process_time()
            response = get_response(request)
            response["X-Bench-CPU"] = f"{(time.process_time() - began) * 1000:.2f}"
            return response
        if request.headers.get("X-Bench-Queries") != "1":
            return get_response(request)
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = get_response(request)
        response["X-Bench-Queries"] = str(count)
        return response

    return middleware


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("debrief.urls")),
]
