"""XSS payloads through every free-text field: no page renders active markup from them."""

from __future__ import annotations

from html.parser import HTMLParser

from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem
from debrief.journal.models import Answer, CoachingSession
from debrief.prompts.models import default_template_version
from tests.conftest import make_session

PAYLOADS = [
    "<script>alert('xss-1')</script>",
    '"><img src=x onerror=alert("xss-2")>',
    "'><svg onload=alert('xss-3')>",
    "<a href=\"javascript:alert('xss-4')\">click</a>",
    "</textarea><script>alert('xss-5')</script>",
    "{{ request }}{% debug %}<iframe src=//evil.example></iframe>",
    "<<SCRIPT>alert('xss-7');//<</SCRIPT>",
    "<div style=\"background:url(javascript:alert('xss-8'))\">x</div>",
]
URL_ATTRS = {"href", "src", "action", "formaction", "data", "style", "srcdoc"}
ACTIVE_TAGS = {"img", "svg", "iframe", "object", "embed", "style", "base", "form"}


class _ActiveMarkup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self._in_script = True
        ours = tag == "svg" and dict(attrs).get("class") == "pygal-chart"  # lib/charts.py
        if tag in ACTIVE_TAGS and tag != "form" and not ours:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            # Text inside value="..." is inert; a URL-bearing attribute is not.
            if name in URL_ATTRS and value and "javascript:" in value.replace(" ", "").lower():
                self.found.append(f"{tag} {name}={value}")

    def handle_data(self, data: str) -> None:
        if self._in_script and "xss" in data:
            self.found.append("inline script")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def _active_markup(html: str) -> list[str]:
    parser = _ActiveMarkup()
    parser.feed(html)
    return parser.found


def _fill_everything(alice: User) -> CoachingSession:
    payload = iter(PAYLOADS * 20)
    coachee = Coachee.objects.create(
        coach=alice,
        name=next(payload),
        preferred_name=next(payload),
        pronouns=next(payload)[:60],
        organisation=next(payload),
        background=next(payload),
    )
    session = make_session(coachee)
    for prompt in default_template_version().parsed.prompts():
        if prompt.is_written or prompt.kind == "rating":
            Answer.objects.create(
                reflection=session.reflection,
                prompt_key=prompt.key,
                text=next(payload),
                rating=3 if prompt.kind == "rating" else None,
            )
    for owner in ("coachee", "coach"):
        ActionItem.objects.create(
            coach=alice, coachee=coachee, session=session, owner=owner, text=next(payload)
        )
    return session


def test_no_page_renders_active_markup_from_coachee_text(alice: User, alice_client: Client) -> None:
    session = _fill_everything(alice)
    pages = [
        reverse("home"),
        reverse("coachee_list"),
        reverse("coachee_detail", args=[session.coachee.code]),
        reverse("coachee_edit", args=[session.coachee.code]),
        reverse("session_new") + f"?coachee={session.coachee.code}",
        reverse("session_edit", args=[session.code]),
        reverse("session_delete", args=[session.code]),
        reverse("reflection_edit", args=[session.code]),
        reverse("reflection_view", args=[session.code]),
        reverse("session_next_number") + f"?coachee={session.coachee.code}",
        reverse("search") + "?q=alert+xss",  # passages of every payload, marked
        reverse("search") + "?q=%3Cscript%3Ealert(%27xss-9%27)%3C/script%3E",  # the query itself
    ]
    for url in pages:
        response = alice_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert _active_markup(html) == [], url
        assert "xss-1" in html or "xss" in html, f"{url} should show the (escaped) text"


def test_autosave_response_escapes_action_html(alice: User, alice_client: Client) -> None:
    session = _fill_everything(alice)
    response = alice_client.post(
        reverse("reflection_edit", args=[session.code]),
        {"new-coach_actions-text": PAYLOADS[1]},
        HTTP_ACCEPT="application/json",
    )
    html = response.json()["actions_html"]["coach_actions"]
    assert _active_markup(html) == []
    assert "&quot;&gt;&lt;img" in html


def test_the_checker_would_catch_active_markup() -> None:
    assert _active_markup('<p><img src=x onerror="alert(1)"></p>') == ["<img>", "img onerror="]
    assert _active_markup("<script>alert('xss')</script>") == ["inline script"]
    assert _active_markup('<a href="javascript:alert(1)">x</a>') == ["a href=javascript:alert(1)"]
