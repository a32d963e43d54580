from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from debrief.lib.http import AuthedRequest
from debrief.lib.words import Query
from debrief.search.forms import SearchForm
from debrief.search.passages import Group
from debrief.search.results import PAGE_SIZE, payload, run


def _page_url(request: AuthedRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    params.pop("format", None)
    return "?" + params.urlencode()


def _wants_json(request: AuthedRequest) -> bool:
    if request.GET.get("format") == "json":
        return True
    return request.accepts("application/json") and not request.accepts("text/html")


def _json(
    form: SearchForm, query: Query, groups: list[Group], total: int, page: int, has_next: bool
) -> JsonResponse:
    if form.errors:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return JsonResponse(payload(form, query, groups, total, page, has_next))


@login_required
@require_GET
def search_page(request: AuthedRequest) -> HttpResponse:
    found = run(request)
    form, query, groups, total, page = (
        found.form,
        found.query,
        found.groups,
        found.total,
        found.page,
    )
    has_next = found.has_next
    if _wants_json(request):
        return _json(form, query, groups, total, page, has_next)
    ctx = {
        "form": form,
        "query": query,
        "groups": groups,
        "total": total,
        "page": page,
        "first_shown": (page - 1) * PAGE_SIZE + 1,
        "last_shown": (page - 1) * PAGE_SIZE + len(groups),
        "next_url": _page_url(request, page + 1) if has_next else "",
        "previous_url": _page_url(request, page - 1) if page > 1 else "",
        "filtering": form.is_valid() and form.filtering,
        "without_filters": "?" + _only_words(request),
        "searched": bool(request.GET.get("q", "").strip()),
    }
    return render(request, "search/results.html", ctx)


def _only_words(request: AuthedRequest) -> str:
    params = request.GET.copy()
    for name in list(params):
        if name not in ("q", "sort"):
            del params[name]
    return params.urlencode()
