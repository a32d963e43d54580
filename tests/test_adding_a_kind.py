"""Adding an answer kind is one class and its templates: a kind defined only here.

The traffic light (green, amber or red) keeps a one-letter code in the prompt's answer and
reads as its colour, so every place it shows (the page, the read view, exports, search) has
to go through the kind to get it right. Its templates are in tests/templates/test_kinds/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.journal.answers.base import AnswerKind, Cleaned, Page, field_name, kind_of
from debrief.journal.answers.text import TextView
from debrief.journal.models import Answer, Reflection
from debrief.journal.reflection import field_hash, snapshot
from debrief.prompts import kinds, library
from debrief.prompts.definition import DefinitionError, Prompt, fail, parse
from debrief.prompts.definition import Path as DefinitionPath
from debrief.prompts.kinds import Getter
from debrief.search import places
from tests.conftest import make_session
from tests.test_export import reauthenticate

LIGHTS = {"g": "Green", "a": "Amber", "r": "Red"}
TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass
class LightView(TextView):
    @property
    def lights(self) -> list[tuple[str, str]]:
        offered = self.prompt.lights
        return [(code, label) for code, label in LIGHTS.items() if label.lower() in offered]

    @property
    def display(self) -> str:
        return LIGHTS.get(self.value, "")


class TrafficLightKind(AnswerKind):
    name = "traffic_light"
    label = "Traffic light (green, amber or red)"
    menu_order = 65
    attributes = ("lights",)
    settings_template = "test_kinds/traffic_light/settings.html"
    preview_template = "test_kinds/traffic_light/preview.html"
    edit_template = "test_kinds/traffic_light/edit.html"
    read_template = "test_kinds/traffic_light/read.html"

    def parse_settings(
        self, data: Mapping[str, Any], where: str, path: DefinitionPath
    ) -> dict[str, Any]:
        lights = data.get("lights", ["green", "amber", "red"])
        known = [label.lower() for label in LIGHTS.values()]
        if not isinstance(lights, list) or not lights or any(x not in known for x in lights):
            raise fail(where, "'lights' must list green, amber or red.", (*path, "lights"))
        return {"lights": tuple(lights)}

    def settings_data(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"lights": list(settings["lights"])}

    def settings_from_form(self, get: Getter, data: QueryDict, prefix: str) -> dict[str, Any]:
        return {"lights": get("lights").split()}

    def clean(self, prompt: Prompt, part: str, raw: str) -> Cleaned:
        value = raw.strip()
        if value in ("", *LIGHTS):
            return value, None
        return value, "Choose green, amber or red."

    def shown(self, prompt: Prompt, part: str, value: str) -> str:
        return LIGHTS.get(value, "")

    def view(self, prompt: Prompt, page: Page) -> LightView:
        return LightView(prompt, self, page.field(field_name(prompt)))

    def as_data(self, prompt: Prompt, value: str) -> dict[str, Any]:
        return {"answer": LIGHTS.get(value, ""), "code": value}

    def as_text(self, prompt: Prompt, value: str) -> str:
        return LIGHTS.get(value, "")

    def search_text(self, prompt: Prompt, text: str) -> str:
        return LIGHTS.get(text, text)


TEMPLATE: dict[str, Any] = {
    "title": "With a light",
    "sections": [
        {
            "key": "after",
            "title": "Afterwards",
            "groups": [
                {
                    "title": "",
                    "prompts": [
                        {"key": "story", "text": "What happened?", "kind": "long_text"},
                        {
                            "key": "light",
                            "text": "How did it go overall?",
                            "kind": "traffic_light",
                            "lights": ["green", "amber", "red"],
                            "required": True,
                        },
                    ],
                }
            ],
        }
    ],
}


@pytest.fixture(autouse=True)
def traffic_light(settings: Any) -> Iterator[None]:
    kinds.register(TrafficLightKind)
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [*engine["DIRS"], TEMPLATES]
    settings.TEMPLATES = [engine]
    places._layouts.clear()  # version ids repeat between tests; layouts are kept by id
    yield
    kinds.unregister(TrafficLightKind.name)
    places._layouts.clear()


@pytest.fixture
def reflection(alice: User, coachee: Coachee) -> Reflection:
    template = library.create(alice, "With a light", "", parse(TEMPLATE))
    reflection = make_session(coachee, 4).reflection
    reflection.template_version = template.latest_version()
    reflection.save()
    return reflection


def _edit_url(reflection: Reflection) -> str:
    return reverse("reflection_edit", args=[reflection.session.code])


def _post_light(client: Client, reflection: Reflection, value: str, **extra: Any) -> Any:
    stored = snapshot(reflection).values.get("p-light", "")
    data = {"p-light": value, "base:p-light": field_hash(stored), "op": "save"}
    return client.post(_edit_url(reflection), data, **extra)


def test_the_kind_is_offered_and_owns_its_attributes(alice_client: Client, alice: User) -> None:
    assert TrafficLightKind.name in [k.name for k in kinds.menu()]
    definition = parse(TEMPLATE)
    assert parse(definition.as_data()) == definition
    assert definition.by_key["light"].lights == ("green", "amber", "red")
    bad = json.loads(json.dumps(TEMPLATE))
    bad["sections"][0]["groups"][0]["prompts"][1]["lights"] = ["blue"]
    with pytest.raises(DefinitionError) as found:
        parse(bad)
    assert "'lights' must list green, amber or red" in str(found.value)
    assert found.value.path == ("sections", 0, "groups", 0, "prompts", 1, "lights")

    template = library.create(alice, "With a light", "", definition)
    editor = alice_client.get(reverse("template_edit", args=[template.code])).content.decode()
    assert '<option value="traffic_light" selected>Traffic light' in editor
    assert 'name="s0-g0-p1-lights" value="green amber red"' in editor  # its settings
    assert "<span>● green</span>" in editor  # its preview


def test_it_saves_through_the_page_and_reads_back(
    alice_client: Client, reflection: Reflection
) -> None:
    page = alice_client.get(_edit_url(reflection)).content.decode()
    assert 'name="p-light" value="a"> Amber</label>' in page
    response = _post_light(alice_client, reflection, "a")
    assert response.status_code == 302
    assert Answer.objects.get(reflection=reflection, prompt_key="light").text == "a"

    read = alice_client.get(reverse("reflection_view", args=[reflection.session.code]))
    assert '<p class="traffic-light-read">Light: Amber</p>' in read.content.decode()
    answer = kind_of(reflection.template_version.parsed.by_key["light"])
    assert answer.as_markdown(reflection.template_version.parsed.by_key["light"], "a") == "Amber"


def test_a_bad_value_is_refused_and_nothing_is_lost(
    alice_client: Client, reflection: Reflection
) -> None:
    response = _post_light(alice_client, reflection, "blue")
    assert response.status_code == 200
    assert "Choose green, amber or red." in response.content.decode()
    assert not Answer.objects.filter(reflection=reflection, prompt_key="light").exists()


def test_a_stale_save_shows_both_colours(alice_client: Client, reflection: Reflection) -> None:
    _post_light(alice_client, reflection, "g")
    data = {"p-light": "r", "base:p-light": field_hash("")}
    response = alice_client.post(_edit_url(reflection), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    [conflict] = response.json()["conflicts"]
    assert (conflict["yours"], conflict["theirs"]) == ("r", "g")
    assert "<blockquote>Red</blockquote>" in conflict["html"]
    assert '<blockquote class="conflict-theirs">Green</blockquote>' in conflict["html"]


def test_it_holds_back_completion_while_unanswered(
    alice_client: Client, reflection: Reflection
) -> None:
    url = reverse("reflection_status", args=[reflection.session.code])
    response = alice_client.post(url, {"status": "complete"}, follow=True)
    html = response.content.decode()
    assert (
        'this template asks you to answer <a href="#prompt-light">“How did it go overall?”</a>'
        in html
    )
    _post_light(alice_client, reflection, "g")
    alice_client.post(url, {"status": "complete"})
    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.COMPLETE


def test_it_is_exported_as_its_colour(
    alice_client: Client, alice: User, reflection: Reflection
) -> None:
    _post_light(alice_client, reflection, "a")
    reauthenticate(alice_client)
    coachee = reflection.session.coachee
    data = alice_client.get(reverse("coachee_export_json", args=[coachee.code])).json()
    [session] = data["sessions"]
    [prompt] = [p for p in session["reflection"]["sections"][0]["prompts"] if p["key"] == "light"]
    assert prompt == {
        "key": "light",
        "text": "How did it go overall?",
        "kind": "traffic_light",
        "answer": "Amber",
        "code": "a",
    }
    html = alice_client.get(reverse("coachee_export_html", args=[coachee.code])).content.decode()
    assert re.search(r"<h4>How did it go overall\?</h4>\s*<p>Amber</p>", html)


def test_search_finds_it_by_its_colour(alice_client: Client, reflection: Reflection) -> None:
    _post_light(alice_client, reflection, "a")
    response = alice_client.get(reverse("search"), {"q": "amber", "format": "json"})
    [group] = response.json()["results"]
    [passage] = group["passages"]
    assert passage["text"] == "Amber"
    assert passage["label"] == "How did it go overall?"
    assert passage["url"].endswith("#prompt-light")
