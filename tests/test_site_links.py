"""The header's and menus' links (debrief/web/menu.py): reversed once, the same as {% url %}."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client, override_settings
from django.urls import reverse

from debrief.web import menu

BASE = Path(menu.__file__).resolve().parent.parent / "templates" / "base.html"


def test_every_link_base_html_reads_is_reversed() -> None:
    read = set(re.findall(r"site_links\.(\w+)", BASE.read_text()))
    assert read == set(menu.LINKED)  # a name missing from LINKED would print an empty href


def test_the_links_are_what_url_reversing_gives(alice_client: Client) -> None:
    page = alice_client.get(reverse("home")).content.decode()
    for name in ("coachee_list", "insights", "account_security", "reminders", "search"):
        assert f'href="{reverse(name)}"' in page or f'action="{reverse(name)}"' in page


@override_settings(FORCE_SCRIPT_NAME="/journal/")
def test_links_follow_the_script_prefix(alice_client: Client) -> None:
    from django.urls import set_script_prefix

    set_script_prefix("/journal/")
    try:
        links = menu.site_links(alice_client.get(reverse("home")).wsgi_request)["site_links"]
        assert links["home"] == "/journal/"  # type: ignore[index]
        assert links["insights"] == reverse("insights")  # type: ignore[index]
    finally:
        set_script_prefix("/")
