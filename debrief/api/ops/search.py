"""Search your notes: the search page's form, engine and passages, as JSON."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import Field

from debrief.api import auth
from debrief.api.common import Refused, coach_request
from debrief.api.schemas import ERRORS, Input, SearchOut
from debrief.search import results

router = Router(tags=["search"])


class SearchQuery(Input):
    q: str = Field("", description='Words and "quoted phrases", all required.')
    coachee: str = Field("", description="A coachee's code.")
    date_from: str = Field("", description="YYYY-MM-DD")
    date_to: str = Field("", description="YYYY-MM-DD")
    section: str = Field("", description="One section's documents only (as the page offers).")
    technique: str = Field("", description="A technique's code: sessions where it was used.")
    state: str = Field("", description="planned, draft or complete")
    sort: str = Field("", description="best (the default) or newest")
    page: int = Field(1, ge=1, le=10_000)


@router.get("/search", response={200: SearchOut, **ERRORS}, auth=auth.read)
def search(request: HttpRequest, params: Query[SearchQuery]) -> dict[str, object]:
    """What the search page finds for the same query string, 20 sessions a page."""
    found = results.run(coach_request(request))
    if found.form.errors:
        raise Refused({n: [str(m) for m in msgs] for n, msgs in found.form.errors.items()})
    return results.payload(
        found.form, found.query, found.groups, found.total, found.page, found.has_next
    )
