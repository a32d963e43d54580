"""The app's URLs plus a trivial view: the floor every page is measured against."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def floor(request: HttpRequest) -> HttpResponse:
    """No database, no template: only the middleware stack and the test client's own cost."""
    return HttpResponse("ok")


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("debrief.urls")),
]
