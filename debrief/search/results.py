"""A search as the query string asks for it, and its results as data.

The search page, its JSON twin and the API's search all run this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef

from debrief.journal.models import Reflection
from debrief.lib.http import AuthedRequest
from debrief.lib.words import Query, parse_query
from debrief.search.engine import Filters, search
from debrief.search.forms import SearchForm
from debrief.search.index import index_for
from debrief.search.passages import Group, groups_for
from debrief.search.places import section_choices
from debrief.techniques.models import Technique, TechniqueUse

PAGE_SIZE = 20


def _coachees(request: AuthedRequest) -> dict[str, tuple[int, str]]:
    """The coach's coachees by code: (id, name), sorted by name (names sort in Python).

    Read from the coach's search index, which opens each name once and sorts them once.
    """
    return index_for(request.user.id).coachees


def _techniques(request: AuthedRequest) -> dict[str, tuple[int, str]]:
    """Techniques the coach has used in a reflection, by code: (id, name).

    ``EXISTS`` per technique, not a join made distinct: a few index probes instead of a pass
    over every use in the practice (12.5 -> 2.3 ms of CPU at 10,000 sessions).
    """
    uses = TechniqueUse.objects.filter(coach=request.user, technique=OuterRef("pk"))
    used = Technique.objects.available_to(request.user).filter(Exists(uses))
    return {str(t.code): (t.id, t.name) for t in used.order_by("name")}


def _form(request: AuthedRequest) -> tuple[SearchForm, dict[str, Any]]:
    coachees, techniques = _coachees(request), _techniques(request)
    versions = set(
        Reflection.objects.for_coach(request.user)
        .values_list("template_version_id", flat=True)
        .distinct()
    )
    form = SearchForm(
        request.GET,
        coachees=[(code, name) for code, (_, name) in coachees.items()],
        sections=section_choices(versions),
        techniques=[(code, name) for code, (_, name) in techniques.items()],
    )
    return form, {"coachees": coachees, "techniques": techniques}


def _filters(data: dict[str, Any], known: dict[str, Any]) -> Filters:
    coachee = known["coachees"].get(data.get("coachee") or "")
    technique = known["techniques"].get(data.get("technique") or "")
    return Filters(
        coachee_id=coachee[0] if coachee else None,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        section=data.get("section") or "",
        technique_id=technique[0] if technique else None,
        state=data.get("state") or "",
    )


def _page(request: AuthedRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


@dataclass
class Found:
    form: SearchForm
    query: Query
    groups: list[Group]
    total: int
    page: int
    has_next: bool


def run(request: AuthedRequest) -> Found:
    """The search the query string asks for (the form's errors, if any, on ``form``)."""
    form, known = _form(request)
    query, groups, total, has_next = parse_query(""), [], 0, False
    page = _page(request)
    if form.is_valid():
        query = parse_query(form.cleaned_data["q"])
        sort = form.cleaned_data["sort"] or "best"
        results = search(request.user, query, _filters(form.cleaned_data, known), sort)
        total = results.total
        page = min(page, max(1, -(-total // PAGE_SIZE)))  # past the end: the last page
        shown = results.page(page, PAGE_SIZE)
        has_next = page * PAGE_SIZE < total
        names = {cid: (name, code) for code, (cid, name) in known["coachees"].items()}
        groups = groups_for(request.user, shown, query, names)
    return Found(form, query, groups, total, page, has_next)


def payload(
    form: SearchForm, query: Query, groups: list[Group], total: int, page: int, has_next: bool
) -> dict[str, Any]:
    """The results as JSON data: the page's JSON twin and the API's search both send this."""
    return {
        "query": form.cleaned_data.get("q", ""),
        "searched_for": list(query.shown),
        "total": total,
        "page": page,
        "has_next": has_next,
        "results": [
            {
                "title": g.title,
                "url": g.url,
                "when": g.when,
                "state": g.status,
                "session": g.session_code or None,
                "coachee": g.coachee_code,
                "score": round(g.score, 4),
                "passages": [p.as_json() for p in g.passages],
                "more_places": g.more,
            }
            for g in groups
        ],
    }
