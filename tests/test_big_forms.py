"""Large but legitimate forms are saved; beyond the limits, a page that says what happened.

Issue 10 point 6: Django's defaults (1,000 fields, 2.5 MB) refused a 200-prompt template and
six long answers posted without JavaScript, with a bare "Bad Request".
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from debrief.journal.models import Answer, CoachingSession
from debrief.prompts.models import ReflectionTemplate
from tests.test_templates import _form_of

# A long answer at the limit, in a script whose every character is 12 bytes once form-encoded.
LONG = "✍🏽" * 25_000
SIX = [
    "main_topics",
    "key_insights",
    "progress_towards_goals",
    "breakthroughs",
    "obstacles",
    "challenges_addressed",
]


def _as_a_browser_posts(client: Client, url: str, data: dict[str, Any]) -> Any:
    """A form without JavaScript: application/x-www-form-urlencoded, as every browser sends."""
    return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")


def _big_template(client: Client, prompts: int) -> ReflectionTemplate:
    section = {
        "key": "big",
        "title": "Everything",
        "phase": "post",
        "groups": [
            {
                "title": "",
                "prompts": [
                    {"key": f"q{n}", "text": f"Question {n}?", "kind": "rating"}
                    for n in range(prompts)
                ],
            }
        ],
    }
    data = {"format": "debrief-template", "format_version": 1, "name": "Big", "sections": [section]}
    upload = SimpleUploadedFile("big.yaml", yaml.safe_dump(data).encode())
    response = client.post(reverse("template_import"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ReflectionTemplate.objects.get(name="Big")


def test_a_200_prompt_template_saves_from_the_editor(alice_client: Client) -> None:
    template = _big_template(alice_client, 200)
    form = _form_of(alice_client, template)
    assert len(form) > 1_000, len(form)  # more than Django's default allows
    url = reverse("template_edit", args=[template.code])
    changed = form | {"s0-g0-p199-text": "Last, reworded?", "op": "save"}
    response = _as_a_browser_posts(alice_client, url, changed)
    assert response.status_code == 302, response.content.decode()[:500]
    assert template.latest_version().parsed.prompts()[-1].text == "Last, reworded?"


def test_six_long_answers_save_without_javascript(
    alice_client: Client, session: CoachingSession
) -> None:
    data: dict[str, Any] = {f"p-{key}": LONG for key in SIX} | {"op": "save"}
    response = _as_a_browser_posts(
        alice_client, reverse("reflection_edit", args=[session.code]), data
    )
    assert response.status_code in (200, 302), response.content.decode()[:500]
    stored = {a.prompt_key: a.text for a in Answer.objects.filter(reflection__session=session)}
    assert stored == {key: LONG for key in SIX}


def test_too_many_fields_get_a_page_that_says_so(
    alice_client: Client, session: CoachingSession
) -> None:
    data = {f"x{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = alice_client.post(reverse("reflection_edit", args=[session.code]), data)
    assert response.status_code == 413
    page = response.content.decode()
    assert "more than Debrief accepts at once" in page
    assert "Nothing from this page was saved" in page
    assert 'class="topbar"' in page  # our layout, not a bare "Bad Request"


def test_too_much_text_gets_a_page_that_says_so(
    alice_client: Client, session: CoachingSession
) -> None:
    data = {"p-main_topics": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    url = reverse("reflection_edit", args=[session.code])
    response = _as_a_browser_posts(alice_client, url, data)
    assert response.status_code == 413
    assert "more than Debrief accepts at once" in response.content.decode()
    assert not Answer.objects.exists()
