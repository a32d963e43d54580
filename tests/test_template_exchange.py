"""Templates as YAML files: export -> import gives the same template; bad files say where."""

from __future__ import annotations

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.prompts import exchange
from debrief.prompts.models import ReflectionTemplate

GOOD = """\
format: debrief-template
format_version: 1
name: Walk and talk
description: For sessions held outdoors.
sections:
- key: after
  title: Afterwards
  phase: post
  groups:
  - title: ''
    prompts:
    - key: route
      text: Where did you walk?
      kind: short_text
    - key: pace
      text: How was the pace?
      kind: rating
      scale_min: 1
      scale_max: 10
      low_label: Slow
      high_label: Brisk
"""


def _import(client: Client, content: bytes, name: str = "t.yaml") -> str:
    upload = SimpleUploadedFile(name, content, content_type="application/yaml")
    response = client.post(reverse("template_import"), {"file": upload}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "slug",
    [
        "coaching-session-reflection",
        "grow",
        "gibbs-reflective-cycle",
        "what-so-what-now-what",
        "kolb-learning-cycle",
        "five-minute-reflection",
    ],
)
def test_export_then_import_gives_an_identical_template(
    alice_client: Client, alice: User, slug: str
) -> None:
    source = ReflectionTemplate.objects.get(slug=slug)
    response = alice_client.get(reverse("template_export", args=[source.code]))
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert f'filename="{slug}.debrief.yaml"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("# A Debrief reflection template")
    html = _import(alice_client, response.content)
    assert "Imported" in html
    copy = ReflectionTemplate.objects.get(owner=alice)
    assert (copy.name, copy.description) == (source.name, source.description)
    assert copy.latest_version().parsed == source.latest_version().parsed
    assert copy.latest_version().parsed.prompts() == source.latest_version().parsed.prompts()


@pytest.mark.django_db
def test_an_exported_file_is_readable_yaml_with_the_prompts() -> None:
    source = ReflectionTemplate.objects.get(slug="grow")
    text = exchange.to_yaml(source.name, source.description, source.latest_version().parsed)
    data = yaml.safe_load(text)
    assert data["name"] == "GROW" and data["format"] == "debrief-template"
    assert "What has the coachee committed to?" in text  # plain text, not escaped


def test_a_hand_written_file_imports(alice_client: Client, alice: User) -> None:
    _import(alice_client, GOOD.encode())
    template = ReflectionTemplate.objects.get(owner=alice)
    prompts = template.latest_version().parsed.prompts()
    assert [p.key for p in prompts] == ["route", "pace"]
    assert (prompts[1].scale_max, prompts[1].high_label) == (10, "Brisk")


BAD_FILES = [
    # (what is wrong, the file, the message the coach sees)
    ("not YAML", GOOD.replace("  phase: post", "  phase: [post"), "Line 9, column 9"),
    ("tab indentation", GOOD.replace("  title: Afterwards", "\ttitle: Afterwards"), "Line 7"),
    ("a list, not a template", "- one\n- two\n", "does not look like a Debrief template"),
    ("empty file", "", "does not look like a Debrief template"),
    ("no name", GOOD.replace("name: Walk and talk\n", ""), "'name' is missing or empty"),
    ("no sections", GOOD.split("sections:")[0], "missing 'sections'"),
    ("unknown top field", GOOD.replace("description:", "colour: blue\ndescription:"), "Line 4"),
    ("unknown kind", GOOD.replace("kind: short_text", "kind: essay"), "Line 14: Section 1"),
    ("unknown kind named", GOOD.replace("kind: short_text", "kind: essay"), "unknown kind 'essay'"),
    ("empty text", GOOD.replace("text: Where did you walk?", "text: ''"), "Line 13"),
    ("duplicate key", GOOD.replace("key: pace", "key: route"), "'route' is used twice"),
    ("bad key", GOOD.replace("key: pace", "key: Pace Setting"), "Line 15"),
    ("scale too long", GOOD.replace("scale_max: 10", "scale_max: 12"), "Line 19"),
    ("scale not a number", GOOD.replace("scale_max: 10", "scale_max: ten"), "whole number"),
    ("bad phase", GOOD.replace("phase: post", "phase: later"), "Line 8: Section 1: phase"),
    ("typo in a prompt field", GOOD.replace("low_label", "low_lable"), "unknown field 'low_lable'"),
    (
        "choice without options",
        GOOD.replace("kind: short_text", "kind: single_choice"),
        "missing 'options'",
    ),
    ("wrong format version", GOOD.replace("format_version: 1", "format_version: 7"), "Line 2"),
    ("not UTF-8", None, "not UTF-8"),
    ("python object", "!!python/object:os.system\nname: x\n", "Line 1"),
]


@pytest.mark.parametrize("label, content, message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_says_where_and_imports_nothing(
    alice_client: Client, alice: User, label: str, content: str | None, message: str
) -> None:
    raw = content.encode() if content is not None else "name: Caf\xe9\n".encode("latin-1")
    html = _import(alice_client, raw)
    assert "This file cannot be imported." in html
    assert message.replace("'", "&#x27;") in html, label
    assert "Nothing was imported." in html
    assert not ReflectionTemplate.objects.filter(owner=alice).exists()


def test_each_bad_file_has_its_own_message() -> None:
    messages = set()
    for _label, content, _message in BAD_FILES:
        raw = content.encode() if content is not None else b"name: Caf\xe9\n"
        with pytest.raises(exchange.ImportProblem) as problem:
            exchange.read(raw)
        messages.add(str(problem.value))
    assert len(messages) >= len(BAD_FILES) - 2  # "empty" and "a list" share one, as do the kinds


def test_a_huge_file_is_refused(alice_client: Client, alice: User) -> None:
    html = _import(alice_client, b"#" * (exchange.MAX_BYTES + 10))
    assert "a template file is at most 200,000" in html
    assert not ReflectionTemplate.objects.filter(owner=alice).exists()


def test_no_file_chosen_says_what_to_do(alice_client: Client) -> None:
    response = alice_client.post(reverse("template_import"))
    assert "Choose a template file (.yaml) to import." in response.content.decode()


def test_another_coachs_template_cannot_be_exported(bob_client: Client, alice: User) -> None:
    from debrief.prompts.library import copy_template
    from debrief.prompts.models import brief_template

    mine = copy_template(brief_template(), alice)
    assert bob_client.get(reverse("template_export", args=[mine.code])).status_code == 404


def test_importing_the_same_file_twice_gives_two_names(alice_client: Client, alice: User) -> None:
    source = ReflectionTemplate.objects.get(slug="grow")
    content = alice_client.get(reverse("template_export", args=[source.code])).content
    assert "Imported “GROW”" in _import(alice_client, content)
    again = _import(alice_client, content)
    assert "Imported as “GROW (2)”: you already have a template called “GROW”." in again
    assert "Imported as “GROW (3)”" in _import(alice_client, content)
    names = sorted(ReflectionTemplate.objects.filter(owner=alice).values_list("name", flat=True))
    assert names == ["GROW", "GROW (2)", "GROW (3)"]
    third = ReflectionTemplate.objects.get(owner=alice, name="GROW (3)")
    assert third.latest_version().parsed.title == "GROW (3)"
