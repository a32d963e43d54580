"""The JSON API (docs/api.md): one NinjaAPI, its error shapes, and the operations' routers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from ninja import NinjaAPI
from ninja.errors import ValidationError

from debrief.api.common import Refused
from debrief.api.ops import coachees, followup, reflections, search, sessions

DESCRIPTION = """What a coach can do on Debrief's pages, as JSON. Authenticate with a personal
access token from Security › API tokens: `Authorization: Bearer dbr_…`. A read-only token
gets 403 on any change. Another coach's code, like a code that does not exist, is a 404."""

api = NinjaAPI(
    title="Debrief API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,  # Swagger UI loads scripts from elsewhere, which our CSP refuses
    openapi_url="/openapi.json",
)
# Answers are coachee content: no browser or proxy keeps a copy of a response.
api.add_decorator(never_cache, mode="view")
for router in (coachees, sessions, reflections, followup, search):
    api.add_router("", router.router)


@api.exception_handler(Refused)
def _refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    return api.create_response(request, {"detail": exc.detail, "errors": exc.errors}, status=422)


def _where(loc: list[object]) -> str:
    # ("body", "body", "name") or ("query", "limit"): the field's name as the caller wrote it.
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_where(list(error.get("loc", ()))), []).append(str(error.get("msg")))
    detail = "The request does not match the API's schema: see errors."
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)
