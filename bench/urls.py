"""The app's URLs plus two trivial views: the floor every page is measured against."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block main %}<h1>Floor</h1>{% endblock %}'
)


def bare(request: HttpRequest) -> HttpResponse:
    """No database, no template: only the middleware stack and the test client's own cost."""
    return HttpResponse("ok")


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    """A trivial signed-in page: the session, the coach and the base layout, nothing else."""
    return HttpResponse(_PAGE.render({}, request))


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("debrief.urls")),
]
