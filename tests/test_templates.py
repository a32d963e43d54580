"""The template library: copy, edit with up/down, versions that never change, retire, defaults."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.prompts import editor, library
from debrief.prompts.models import ReflectionTemplate, brief_template, default_template_version
from tests.conftest import make_coachee, make_session

BUILTIN_NAMES = [
    "Coaching session reflection",
    "GROW",
    "Gibbs' reflective cycle",
    "What? So what? Now what?",
    "Kolb's learning cycle",
    "Five-minute reflection",
]


def _copy(client: Client, template: ReflectionTemplate) -> ReflectionTemplate:
    response = client.post(reverse("template_copy", args=[template.code]))
    assert response.status_code == 302
    assert "is yours to adapt" in client.get(response["Location"]).content.decode()
    return ReflectionTemplate.objects.exclude(owner=None).latest("created")


def _form_of(client: Client, template: ReflectionTemplate) -> dict[str, Any]:
    """Every field of the editor page, as a browser would post it."""
    html = client.get(reverse("template_edit", args=[template.code])).content.decode()
    data: dict[str, Any] = {}
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) in ("op",):
            continue
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', html):
        data[name] = value
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        found = chosen or re.search(r'value="([^"]*)"', body)
        data[name] = found.group(1) if found else ""
    return data


def _edit(client: Client, template: ReflectionTemplate, data: dict[str, Any], op: str) -> Any:
    return client.post(reverse("template_edit", args=[template.code]), {**data, "op": op})


def test_the_library_lists_every_built_in_with_when_to_use_it(alice_client: Client) -> None:
    html = alice_client.get(reverse("template_library")).content.decode()
    positions = [html.index(name.replace("'", "&#x27;")) for name in BUILTIN_NAMES]
    assert positions == sorted(positions)
    for template in ReflectionTemplate.objects.filter(owner=None):
        assert len(template.description) > 40
        assert template.description.replace("'", "&#x27;") in html
    assert html.count("Copy and adapt") == 6


@pytest.mark.django_db
def test_every_built_in_template_parses_and_uses_our_kinds() -> None:
    kinds = set()
    for template in ReflectionTemplate.objects.filter(owner=None):
        definition = template.latest_version().parsed
        assert definition.prompts()
        kinds |= {p.kind for p in definition.prompts()}
    assert {"rating", "yes_no", "single_choice", "multiple_choice", "techniques"} <= kinds


def test_copy_gives_the_coach_an_editable_template(alice_client: Client, alice: User) -> None:
    copy = _copy(alice_client, brief_template())
    assert copy.owner == alice and copy.name == "Coaching session reflection (my copy)"
    assert (
        copy.latest_version().parsed.prompts() == brief_template().latest_version().parsed.prompts()
    )
    assert alice_client.get(reverse("template_edit", args=[copy.code])).status_code == 200


def test_a_built_in_template_is_never_edited(alice_client: Client) -> None:
    brief = brief_template()
    response = alice_client.get(reverse("template_edit", args=[brief.code]), follow=True)
    assert "make a copy to adapt" in response.content.decode()
    response = alice_client.post(reverse("template_retire", args=[brief.code]))
    assert response.status_code == 404
    assert not ReflectionTemplate.objects.get(pk=brief.pk).retired


def test_saving_unchanged_prompts_makes_no_new_version(alice_client: Client) -> None:
    copy = _copy(alice_client, brief_template())
    response = _edit(alice_client, copy, _form_of(alice_client, copy), "save")
    assert response.status_code == 302
    assert copy.versions.count() == 1


def test_edit_add_a_rating_reorder_and_save_a_new_version(alice_client: Client) -> None:
    copy = _copy(alice_client, brief_template())
    data = _form_of(alice_client, copy)
    # Add a prompt to the "Summary of discussion" group (section 3, group 1)...
    page = _edit(alice_client, copy, data, "add-prompt:s2-g0").content.decode()
    assert 'name="s2-g0-p2-key"' in page
    data = _form_of_html(page)
    data |= {"s2-g0-p2-text": "How hopeful did they sound?", "s2-g0-p2-kind": "rating"}
    # ...show its rating settings, set a 1-10 scale with labels...
    data = _form_of_html(_edit(alice_client, copy, data, "refresh").content.decode())
    data |= {"s2-g0-p2-scale": "10", "s2-g0-p2-low_label": "Not at all"}
    data["s2-g0-p2-high_label"] = "Very"
    # ...move the first prompt of the group below the second...
    data = _form_of_html(_edit(alice_client, copy, data, "down:s2-g0-p0").content.decode())
    response = _edit(alice_client, copy, data, "save")
    assert response.status_code == 302
    version = copy.latest_version()
    assert version.number == 2
    group = version.parsed.sections[2].groups[0]
    assert [p.key for p in group.prompts][:2] == ["key_insights", "main_topics"]
    rating = group.prompts[2]
    assert (rating.kind, rating.scale_max, rating.low_label) == ("rating", 10, "Not at all")
    assert rating.key.startswith("q_")
    assert copy.versions.get(number=1).parsed.sections[2].groups[0].prompts[0].key == (
        "main_topics"
    )


def _form_of_html(html: str) -> dict[str, Any]:
    class _Fake:
        def get(self, url: str) -> Any:
            class R:
                content = html.encode()

            return R()

    return _form_of(_Fake(), brief_template())  # type: ignore[arg-type]


def test_a_bad_edit_is_not_saved_and_says_where(alice_client: Client) -> None:
    copy = _copy(alice_client, brief_template())
    data = _form_of(alice_client, copy) | {"s1-g0-p1-text": ""}
    response = _edit(alice_client, copy, data, "save")
    html = response.content.decode()
    assert (
        "Not saved: section 2, group 1, prompt 2 (specific_issues): &#x27;text&#x27; is empty"
        in html
    )
    assert 'href="#s1-g0-p1-text"' in html
    assert copy.versions.count() == 1


def test_old_reflections_render_identically_after_an_edit(
    alice_client: Client, coachee: Coachee, alice: User
) -> None:
    copy = _copy(alice_client, brief_template())
    alice.default_template = copy
    alice.save()
    session = make_session(coachee)
    Reflection.objects.filter(session=session).update(template_version=copy.latest_version())
    Answer.objects.create(reflection=session.reflection, prompt_key="main_topics", text="Moving")
    Answer.objects.create(reflection=session.reflection, prompt_key="listening", rating=4)
    view, edit = (
        reverse("reflection_view", args=[session.code]),
        reverse("reflection_edit", args=[session.code]),
    )
    before = [_without_token(alice_client.get(url).content.decode()) for url in (view, edit)]
    stored = [(a.prompt_key, a.text, a.rating) for a in Answer.objects.order_by("id")]
    # Reword main_topics, remove "listening", add a prompt: version 2.
    data = _form_of(alice_client, copy) | {"s2-g0-p0-text": "What did you talk about?"}
    data = _form_of_html(_edit(alice_client, copy, data, "remove:s3-g1-p1").content.decode())
    saved = alice_client.post(
        reverse("template_edit", args=[copy.code]), {**data, "op": "save"}, follow=True
    )
    assert "Saved as version 2" in saved.content.decode()  # the message is shown, and gone
    assert copy.latest_version().number == 2
    after = [_without_token(alice_client.get(url).content.decode()) for url in (view, edit)]
    import difflib

    for page_before, page_after in zip(before, after, strict=True):
        lines = page_before.splitlines(), page_after.splitlines()
        diff = list(difflib.unified_diff(*lines, lineterm=""))
        assert page_after == page_before, "\n".join(diff[:40])
    assert "Briefly describe the main topics discussed." in after[0]
    assert [(a.prompt_key, a.text, a.rating) for a in Answer.objects.order_by("id")] == stored
    # A new session is written with the new version.
    new = make_session(coachee, 2)
    assert default_template_version(alice, coachee).number == 2
    assert new.reflection.template_version.template == brief_template()


def _without_token(html: str) -> str:
    """The page less what is new on every render: the CSRF token and new actions' creation keys."""
    for key in re.findall(r'name="new-[^"]+-key" value="([^"]+)"', html):
        html = html.replace(key, "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_template_in_use_is_retired_not_deleted(alice_client: Client, coachee: Coachee) -> None:
    copy = _copy(alice_client, brief_template())
    session = make_session(coachee)
    Reflection.objects.filter(session=session).update(template_version=copy.latest_version())
    response = alice_client.post(reverse("template_delete", args=[copy.code]), follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert ReflectionTemplate.objects.filter(pk=copy.pk).exists()
    alice_client.post(reverse("template_retire", args=[copy.code]), {"retired": "1"})
    copy.refresh_from_db()
    assert copy.retired
    library_html = alice_client.get(reverse("template_library")).content.decode()
    assert "Retired" in library_html
    assert alice_client.get(reverse("reflection_view", args=[session.code])).status_code == 200
    alice_client.post(reverse("template_retire", args=[copy.code]), {"retired": "0"})
    copy.refresh_from_db()
    assert not copy.retired


def test_an_unused_template_can_be_deleted(alice_client: Client) -> None:
    copy = _copy(alice_client, brief_template())
    response = alice_client.post(reverse("template_delete", args=[copy.code]))
    assert response.status_code == 302
    assert not ReflectionTemplate.objects.filter(pk=copy.pk).exists()


def test_defaults_per_coach_and_per_coachee(alice_client: Client, alice: User) -> None:
    grow = ReflectionTemplate.objects.get(slug="grow")
    quick = ReflectionTemplate.objects.get(slug="five-minute-reflection")
    priya, tom = make_coachee(alice, "Priya"), make_coachee(alice, "Tom")
    response = alice_client.post(
        reverse("template_defaults"),
        {"default": str(quick.code), f"default-{priya.code}": str(grow.code)},
    )
    assert response.status_code == 302
    for coachee, expected in ((priya, "grow"), (tom, "five-minute-reflection")):
        alice_client.post(
            reverse("session_new"),
            {
                "coachee": str(coachee.code),
                "number": "1",
                "date": "2026-03-02",
                "duration_minutes": "60",
                "format": "video",
                "payment": "paid",
                "kind": "individual",
            },
        )
        session = CoachingSession.objects.get(coachee=coachee)
        assert session.reflection.template_version.template.slug == expected
    # A retired default falls back to the brief.
    alice.refresh_from_db()
    ReflectionTemplate.objects.filter(pk=quick.pk).update(retired=True)
    assert default_template_version(alice, tom) == brief_template().latest_version()


def test_defaults_refuse_another_coachs_template(
    alice_client: Client, alice: User, bob: User
) -> None:
    bobs = library.copy_template(brief_template(), bob)
    response = alice_client.post(reverse("template_defaults"), {"default": str(bobs.code)})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.default_template is None


def test_switching_a_draft_warns_and_keeps_matching_answers(
    alice_client: Client, session: CoachingSession
) -> None:
    reflection = session.reflection
    Answer.objects.create(reflection=reflection, prompt_key="main_topics", text="Delegation")
    Answer.objects.create(reflection=reflection, prompt_key="primary_goals", text="Plan")
    grow = ReflectionTemplate.objects.get(slug="grow")
    url = reverse("reflection_template", args=[session.code])
    response = alice_client.post(url, {"template": str(grow.code)})
    html = response.content.decode()
    assert "has no place in “GROW”" in html
    assert "Briefly describe the main topics discussed." in html
    reflection.refresh_from_db()
    assert reflection.template_version.template == brief_template()
    response = alice_client.post(url, {"template": str(grow.code), "confirm": "yes"})
    assert response.status_code == 302
    reflection.refresh_from_db()
    assert reflection.template_version.template == grow
    # Nothing was deleted: switching back shows the answers again.
    assert Answer.objects.filter(reflection=reflection).count() == 2
    alice_client.post(url, {"template": str(brief_template().code)})
    edit = alice_client.get(reverse("reflection_edit", args=[session.code])).content.decode()
    assert "Delegation" in edit


def test_switching_keeps_answers_that_map_without_asking(
    alice_client: Client, session: CoachingSession
) -> None:
    Answer.objects.create(reflection=session.reflection, prompt_key="main_topics", text="Moving")
    copy = library.copy_template(brief_template(), session.coach)
    url = reverse("reflection_template", args=[session.code])
    response = alice_client.post(url, {"template": str(copy.code)})
    assert response.status_code == 302
    edit = alice_client.get(reverse("reflection_edit", args=[session.code])).content.decode()
    assert "Moving" in edit and "Template: Coaching session reflection (my copy)" in edit


def test_a_complete_reflection_keeps_its_template(
    alice_client: Client, session: CoachingSession
) -> None:
    Reflection.objects.filter(pk=session.reflection.pk).update(status="complete")
    grow = ReflectionTemplate.objects.get(slug="grow")
    url = reverse("reflection_template", args=[session.code])
    alice_client.post(url, {"template": str(grow.code), "confirm": "yes"})
    session.reflection.refresh_from_db()
    assert session.reflection.template_version.template == brief_template()


def test_the_preview_shows_the_working_copy(alice_client: Client) -> None:
    copy = _copy(alice_client, brief_template())
    data = _form_of(alice_client, copy) | {"s2-g0-p0-text": "Freshly reworded prompt"}
    response = alice_client.post(reverse("template_preview", args=[copy.code]), data)
    assert "Freshly reworded prompt" in response.content.decode()
    assert copy.versions.count() == 1
    data["s2-g0-p0-text"] = ""
    response = alice_client.post(reverse("template_preview", args=[copy.code]), data)
    assert "The preview waits for one thing" in response.content.decode()


@pytest.mark.parametrize(
    "op, expected",
    [
        ("up:s0-g0-p1", "bac|d"),
        ("down:s0-g0-p0", "bac|d"),
        ("up:s0-g0-p0", "abc|d"),  # already first: nothing moves
        ("remove:s0-g0-p1", "ac|d"),
        ("down:s0-g0-p2", "ab|cd"),  # past the end of its group: into the next one
        ("up:s0-g1-p0", "abcd|"),
        ("down:s0-g0", "d|abc"),  # a whole group
        ("add-prompt:s0-g1", "abc|d?"),
        ("up:s9-g0-p0", "abc|d"),  # a stale page: nothing changes
        ("sideways:s0", "abc|d"),
    ],
)
def test_editor_ops(op: str, expected: str) -> None:
    prompts = [[{"key": k, "text": k, "kind": "long_text"} for k in keys] for keys in ("abc", "d")]
    working: dict[str, Any] = {
        "name": "T",
        "description": "",
        "sections": [
            {
                "key": "s",
                "title": "S",
                "phase": "post",
                "groups": [{"title": "", "prompts": p} for p in prompts],
            }
        ],
    }
    after, _ = editor.apply(working, op)
    groups = after["sections"][0]["groups"]
    shown = "|".join(
        "".join(p["key"] if len(p["key"]) == 1 else "?" for p in g["prompts"]) for g in groups
    )
    assert shown == expected
    assert [p["key"] for p in working["sections"][0]["groups"][0]["prompts"]] == list("abc")


def test_a_template_can_be_chosen_when_recording_a_session(
    alice_client: Client, coachee: Coachee
) -> None:
    kolb = ReflectionTemplate.objects.get(slug="kolb-learning-cycle")
    form = alice_client.get(reverse("session_new")).content.decode()
    assert '<option value="">The default for this coachee</option>' in form
    assert "Kolb&#x27;s learning cycle" in form
    response = alice_client.post(
        reverse("session_new"),
        {
            "coachee": str(coachee.code),
            "number": "1",
            "date": "2026-03-02",
            "duration_minutes": "60",
            "format": "video",
            "payment": "paid",
            "kind": "individual",
            "template": str(kolb.code),
        },
    )
    assert response.status_code == 302
    session = CoachingSession.objects.get(coachee=coachee)
    assert session.reflection.template_version == kolb.latest_version()
