"""The per-prompt ``carry`` flag: which answers come back as "last time you planned..."."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.prompts import exchange
from debrief.prompts.definition import DefinitionError, parse
from debrief.prompts.models import ReflectionTemplate
from tests.conftest import make_session
from tests.follow_helpers import save
from tests.test_carry_forward import _edit_html
from tests.test_templates import _copy, _edit, _form_of

MIGRATION = importlib.import_module("debrief.prompts.migrations.0005_carry_forward_flags")
FLAGGED = {
    "coaching-session-reflection": {"coachee_next_steps", "improvement_steps"},
    "grow": {"next_time"},
    "gibbs-reflective-cycle": {"next_time"},
    "kolb-learning-cycle": {"experiment"},
    "what-so-what-now-what": {"next_time"},
    "five-minute-reflection": {"remember"},
}


def _on(session: CoachingSession, template: ReflectionTemplate) -> CoachingSession:
    Reflection.objects.filter(session=session).update(template_version=template.latest_version())
    return CoachingSession.objects.get(pk=session.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", list(FLAGGED))
def test_every_built_in_flags_its_planning_prompts(slug: str) -> None:
    definition = ReflectionTemplate.objects.get(slug=slug).latest_version().parsed
    assert {p.key for p in definition.carried()} == FLAGGED[slug]


def test_kolbs_experiment_comes_back_and_its_follow_up_is_saved(
    alice_client: Client, coachee: Coachee
) -> None:
    kolb = ReflectionTemplate.objects.get(slug="kolb-learning-cycle")
    s1 = _on(make_session(coachee, 1, date=date(2026, 3, 2)), kolb)
    s2 = _on(make_session(coachee, 2, date=date(2026, 3, 16)), kolb)
    assert (
        save(alice_client, s1, **{"p-experiment": "Stay silent for ten seconds"}).status_code == 200
    )
    html = _edit_html(alice_client, s2)
    assert "Last time, to “What will you try in your next sessions”, you wrote:" in html
    assert "Stay silent for ten seconds" in html
    assert save(alice_client, s2, **{"lt-experiment": "Managed it twice"}).status_code == 200
    stored = Answer.objects.get(reflection__session=s2, prompt_key="lt.experiment")
    assert stored.text == "Managed it twice"


def test_a_key_the_page_does_not_ask_about_is_refused(
    alice_client: Client, coachee: Coachee
) -> None:
    make_session(coachee, 1, date=date(2026, 3, 2))
    s2 = make_session(coachee, 2, date=date(2026, 3, 16))
    response = save(alice_client, s2, **{"lt-main_topics": "sneaked in"})
    assert "lt-main_topics" not in response.json()["saved"]  # not a field of this page
    assert not Answer.objects.filter(prompt_key="lt.main_topics").exists()


def test_with_no_plan_last_time_it_looks_further_back(
    alice_client: Client, coachee: Coachee
) -> None:
    s1 = make_session(coachee, 1, date=date(2026, 3, 2))
    make_session(coachee, 2, date=date(2026, 3, 9))  # a quick session: no plan written
    s3 = make_session(coachee, 3, date=date(2026, 3, 16))
    save(alice_client, s1, **{"p-coachee_next_steps": "Ask for the stretch project"})
    html = _edit_html(alice_client, s3)
    assert "Ask for the stretch project" in html
    assert "Last time you planned these next steps with Priya Shah:" in html


def test_the_editor_turns_the_flag_on_and_off(alice_client: Client, coachee: Coachee) -> None:
    mine = _copy(alice_client, ReflectionTemplate.objects.get(slug="grow"))
    form = _form_of(alice_client, mine)
    [own_key] = [k for k, v in form.items() if v == "options_found"]
    prefix = own_key.removesuffix("-key")
    assert form.get(f"{prefix}-carry") is None
    next_time = next(k for k, v in form.items() if v == "next_time").removesuffix("-key")
    assert form[f"{next_time}-carry"] == "1"
    form[f"{prefix}-carry"] = "1"
    del form[f"{next_time}-carry"]
    assert _edit(alice_client, mine, form, "save").status_code == 302
    definition = mine.latest_version().parsed
    assert [p.key for p in definition.carried()] == ["options_found"]

    s1 = _on(make_session(coachee, 1, date=date(2026, 3, 2)), mine)
    s2 = _on(make_session(coachee, 2, date=date(2026, 3, 16)), mine)
    save(alice_client, s1, **{"p-options_found": "Ask HR", "p-next_time": "Slow down"})
    html = _edit_html(alice_client, s2)
    assert "Ask HR" in html and "Slow down" not in html


def test_a_flagged_rating_is_refused_with_where() -> None:
    data = {
        "title": "T",
        "sections": [
            {
                "key": "a",
                "title": "A",
                "groups": [
                    {"prompts": [{"key": "r", "text": "How?", "kind": "rating", "carry": True}]}
                ],
            }
        ],
    }
    with pytest.raises(DefinitionError) as raised:
        parse(data)
    assert "only a written answer" in str(raised.value)
    assert raised.value.path[-1] == "carry"


def test_the_yaml_file_carries_the_flag_both_ways(alice_client: Client, alice: User) -> None:
    gibbs = ReflectionTemplate.objects.get(slug="gibbs-reflective-cycle")
    text = exchange.to_yaml(gibbs.name, gibbs.description, gibbs.latest_version().parsed)
    prompts = [
        p for s in yaml.safe_load(text)["sections"] for g in s["groups"] for p in g["prompts"]
    ]
    assert [p["key"] for p in prompts if p.get("carry")] == ["next_time"]
    edited = text.replace("carry: true", "carry: maybe")
    upload = SimpleUploadedFile("t.yaml", edited.encode(), content_type="application/yaml")
    html = alice_client.post(reverse("template_import"), {"file": upload}, follow=True)
    assert "&#x27;carry&#x27; must be true or false." in html.content.decode()


def test_the_migration_flags_the_old_list_in_a_coachs_copy() -> None:
    copy = {
        "title": "Mine",
        "sections": [
            {
                "key": "a",
                "title": "A",
                "groups": [
                    {
                        "prompts": [
                            {"key": "coachee_next_steps", "text": "Next?", "kind": "long_text"},
                            {"key": "improvement_steps", "text": "Better?", "kind": "rating"},
                            {"key": "other", "text": "Else?", "kind": "long_text"},
                        ]
                    }
                ],
            }
        ],
    }
    assert MIGRATION._flag_legacy(copy)
    assert [p.key for p in parse(copy).carried()] == ["coachee_next_steps"]
    assert not MIGRATION._flag_legacy(copy)  # run twice: nothing more to do
