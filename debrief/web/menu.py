"""The links of every page's header and menus (base.html), reversed once per process.

They are the same on every page: reversing them in the template (``{% url %}``) cost about
20 reversals a page, a fifth of the home page's template time (``bench.template_time``).
The template reads them from ``site_links`` instead, set by the context processor below.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

# Every route base.html links to, by URL name.
LINKED = (
    "home",
    "coachee_list",
    "practice",
    "template_library",
    "insights",
    "calendar",
    "firm_people",
    "supervise_home",
    "session_new",
    "search",
    "account_security",
    "audit_trail",
    "retention",
    "backup",
    "journal_move",
    "exports",
    "shares",
    "reminders",
    "account_logout",
)


@lru_cache(maxsize=8)
def _reversed(prefix: str, urlconf: str) -> dict[str, str]:
    # ``prefix`` is part of the key only: ``reverse`` reads the script prefix itself.
    return {name: reverse(name, urlconf=urlconf) for name in LINKED}


def site_links(request: HttpRequest) -> dict[str, object]:
    """``site_links``: each of ``LINKED`` by name, as ``{% url name %}`` would give it."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return {"site_links": _reversed(get_script_prefix(), str(urlconf))}
