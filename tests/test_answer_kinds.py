"""Every prompt kind saved and read back: the stored rows, the edit page, the read view, exports."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.journal.models import Answer, Reflection
from debrief.journal.reflection import field_hash, missing_required, save_fields, snapshot
from debrief.prompts import library
from debrief.prompts.definition import parse
from debrief.techniques.answers import field_name
from debrief.techniques.models import Technique, TechniqueUse
from tests.conftest import make_session

KINDS_TEMPLATE: dict[str, Any] = {
    "title": "Every kind",
    "sections": [
        {
            "key": "all",
            "title": "All kinds",
            "phase": "post",
            "groups": [
                {
                    "title": "",
                    "prompts": [
                        {"key": "story", "text": "What happened?", "kind": "long_text"},
                        {"key": "gist", "text": "In a line", "kind": "short_text"},
                        {
                            "key": "energy",
                            "text": "Energy",
                            "kind": "rating",
                            "scale_min": 1,
                            "scale_max": 10,
                            "low_label": "Flat",
                            "high_label": "Buzzing",
                        },
                        {"key": "supervise", "text": "Take to supervision?", "kind": "yes_no"},
                        {"key": "minutes_over", "text": "Minutes over time", "kind": "number"},
                        {
                            "key": "mood",
                            "text": "Their mood",
                            "kind": "single_choice",
                            "options": ["Calm", "Anxious", "Hopeful"],
                        },
                        {
                            "key": "stages",
                            "text": "Stages reached",
                            "kind": "multiple_choice",
                            "options": ["Goal", "Reality", "Options", "Will"],
                            "required": True,
                        },
                        {"key": "techniques", "text": "Techniques", "kind": "techniques"},
                        {"key": "todo", "text": "Actions", "kind": "actions", "owner": "coach"},
                        {"key": "goal_progress", "text": "Goals", "kind": "goal_progress"},
                    ],
                }
            ],
        }
    ],
}


def _post(fields: dict[str, Any]) -> QueryDict:
    q = QueryDict(mutable=True)
    for name, value in fields.items():
        if isinstance(value, list):
            q.setlist(name, value)
        else:
            q[name] = value
        q[f"base:{name}"] = field_hash("")
    return q


@pytest.fixture
def reflection(alice: User, coachee: Coachee) -> Reflection:
    template = library.create(alice, "Every kind", "", parse(KINDS_TEMPLATE))
    reflection = make_session(coachee, 7).reflection
    reflection.template_version = template.latest_version()
    reflection.save()
    return reflection


@pytest.fixture
def silence() -> Technique:
    return Technique.objects.get(coach=None, slug="silence")


@pytest.fixture
def reframing() -> Technique:
    return Technique.objects.get(coach=None, slug="reframing")


def test_each_value_kind_is_stored_and_read_back(reflection: Reflection) -> None:
    result = save_fields(
        reflection,
        _post(
            {
                "p-story": "We talked about the move.",
                "p-gist": "The move",
                "p-energy-rating": "8",
                "p-energy": "Lively",
                "p-supervise": "yes",
                "p-minutes_over": "7.50",
                "p-mood": "Hopeful",
                "p-stages": ["", "Will", "Goal"],
            }
        ),
    )
    assert result.ok, result.errors
    answers = {a.prompt_key: a for a in Answer.objects.filter(reflection=reflection)}
    assert answers["story"].text == "We talked about the move."
    assert answers["gist"].text == "The move"
    assert (answers["energy"].rating, answers["energy"].text) == (8, "Lively")
    assert (answers["supervise"].rating, answers["supervise"].text) == (1, "")
    assert answers["minutes_over"].text == "7.5"
    assert answers["mood"].text == "Hopeful"
    assert answers["stages"].text == "Goal\nWill"  # in the template's order
    values = snapshot(reflection).values
    assert values["p-supervise"] == "yes"
    assert values["p-stages"] == "Goal\nWill"


def test_yes_no_stores_no_as_zero_and_can_be_cleared(reflection: Reflection) -> None:
    save_fields(reflection, _post({"p-supervise": "no"}))
    assert Answer.objects.get(reflection=reflection, prompt_key="supervise").rating == 0
    q = _post({"p-supervise": ""})
    q["base:p-supervise"] = field_hash("no")
    save_fields(reflection, q)
    assert Answer.objects.get(reflection=reflection, prompt_key="supervise").rating is None


def test_unticking_every_option_is_saved(reflection: Reflection) -> None:
    save_fields(reflection, _post({"p-stages": ["", "Goal"]}))
    q = QueryDict(mutable=True)
    q.setlist("p-stages", [""])  # the blank hidden value: nothing ticked any more
    q["base:p-stages"] = field_hash("Goal")
    result = save_fields(reflection, q)
    assert result.saved == ["p-stages"]
    assert Answer.objects.get(reflection=reflection, prompt_key="stages").text == ""


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("p-supervise", "maybe", "Choose yes or no."),
        ("p-minutes_over", "seven", "Enter a number"),
        ("p-minutes_over", "1e20", "Enter a number"),
        ("p-minutes_over", "NaN", "Enter a number"),
        ("p-mood", "Furious", "Choose from the options listed."),
        ("p-stages", "Goal\nSideways", "Choose from the options listed."),
        ("p-energy-rating", "11", "Choose a score from 1 to 10."),
    ],
)
def test_bad_values_are_refused_with_a_reason(
    reflection: Reflection, field: str, value: str, message: str
) -> None:
    result = save_fields(reflection, _post({field: value}))
    assert message in result.errors[field]
    assert not Answer.objects.filter(reflection=reflection).exists()


def test_a_technique_is_ticked_rated_and_noted(
    reflection: Reflection, silence: Technique, reframing: Technique
) -> None:
    fields = {
        field_name("techniques", silence.code, "used"): "yes",
        field_name("techniques", silence.code, "rating"): "4",
        field_name("techniques", silence.code, "note"): "She found her own answer.",
        field_name("techniques", reframing.code, "rating"): "2",  # a rating alone ticks it
    }
    result = save_fields(reflection, _post(fields))
    assert result.ok, result.errors
    uses = {u.technique.slug: u for u in TechniqueUse.objects.filter(reflection=reflection)}
    assert set(uses) == {"silence", "reframing"}
    assert (uses["silence"].effectiveness, uses["silence"].note) == (
        4,
        "She found her own answer.",
    )
    assert uses["silence"].prompt_key == "techniques"
    assert uses["silence"].coach_id == reflection.coach_id
    assert uses["reframing"].effectiveness == 2
    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.DRAFT


def test_unticking_a_technique_removes_its_use(reflection: Reflection, silence: Technique) -> None:
    used = field_name("techniques", silence.code, "used")
    rating = field_name("techniques", silence.code, "rating")
    save_fields(reflection, _post({used: "yes", rating: "3"}))
    # A page without JavaScript posts every field: the box now unticked, the rating untouched.
    q = QueryDict(mutable=True)
    q.setlist(used, [""])
    q[f"base:{used}"] = field_hash("yes")
    q[rating] = "3"
    q[f"base:{rating}"] = field_hash("3")
    result = save_fields(reflection, q)
    assert result.ok
    assert not TechniqueUse.objects.filter(reflection=reflection).exists()


def test_a_stale_technique_note_is_a_conflict(reflection: Reflection, silence: Technique) -> None:
    note = field_name("techniques", silence.code, "note")
    save_fields(reflection, _post({note: "From tab A"}))
    result = save_fields(reflection, _post({note: "From tab B"}))  # base: the empty note
    [conflict] = result.conflicts
    assert (conflict.yours, conflict.theirs) == ("From tab B", "From tab A")
    assert conflict.label == "Silence (note)"
    assert TechniqueUse.objects.get(reflection=reflection).note == "From tab A"


def test_a_bad_technique_rating_is_refused(reflection: Reflection, silence: Technique) -> None:
    rating = field_name("techniques", silence.code, "rating")
    result = save_fields(reflection, _post({rating: "9"}))
    assert "from 1 to 5" in result.errors[rating]
    assert not TechniqueUse.objects.exists()


def test_another_coachs_technique_cannot_be_ticked(reflection: Reflection, bob: User) -> None:
    bobs = Technique.objects.create(coach=bob, slug="bobs-way", name="Bob's way")
    result = save_fields(reflection, _post({field_name("techniques", bobs.code, "used"): "yes"}))
    assert result.saved == []
    assert not TechniqueUse.objects.exists()


def test_the_edit_page_shows_every_kind(
    alice_client: Client, reflection: Reflection, silence: Technique
) -> None:
    save_fields(
        reflection,
        _post({"p-mood": "Calm", field_name("techniques", silence.code, "used"): "yes"}),
    )
    html = alice_client.get(reverse("reflection_edit", args=[reflection.session.code])).content
    page = html.decode()
    assert 'name="p-supervise" value="yes"' in page
    assert 'name="p-mood" value="Calm" checked' in page
    assert 'type="checkbox" name="p-stages" value="Reality"' in page
    assert f'name="{field_name("techniques", silence.code, "used")}" value="yes" checked' in page
    assert 'Stages reached <span class="required-mark">(required)</span>' in page
    assert 'name="p-goal_progress"' not in page  # goal progress is drawn from the goals


def test_the_read_view_shows_every_answer(
    alice_client: Client, reflection: Reflection, silence: Technique
) -> None:
    save_fields(
        reflection,
        _post(
            {
                "p-supervise": "no",
                "p-minutes_over": "12",
                "p-stages": ["", "Goal", "Options"],
                field_name("techniques", silence.code, "rating"): "5",
                field_name("techniques", silence.code, "note"): "Worth the wait",
            }
        ),
    )
    page = alice_client.get(reverse("reflection_view", args=[reflection.session.code]))
    html = page.content.decode()
    for text in ("Take to supervision?", ">No<", ">12<", "Goal, Options", "Silence"):
        assert text in html, text
    assert "Worth the wait" in html


def test_required_prompts_hold_back_completion(
    alice_client: Client, reflection: Reflection
) -> None:
    url = reverse("reflection_status", args=[reflection.session.code])
    response = alice_client.post(url, {"status": "complete"}, follow=True)
    # The prompt is named as a link to it.
    expected = 'this template asks you to answer <a href="#prompt-stages">“Stages reached”</a>'
    assert expected in response.content.decode()
    reflection.refresh_from_db()
    assert reflection.status != Reflection.Status.COMPLETE
    save_fields(reflection, _post({"p-stages": ["", "Will"]}))
    assert missing_required(snapshot(reflection)) == []
    alice_client.post(url, {"status": "complete"})
    reflection.refresh_from_db()
    assert reflection.status == Reflection.Status.COMPLETE


def test_the_export_holds_every_answer(
    alice_client: Client, reflection: Reflection, silence: Technique
) -> None:
    from debrief.exchange.export import build_export

    save_fields(
        reflection,
        _post(
            {
                "p-supervise": "yes",
                "p-minutes_over": "3",
                "p-mood": "Anxious",
                "p-stages": ["", "Reality"],
                field_name("techniques", silence.code, "rating"): "4",
                field_name("techniques", silence.code, "note"): "Long pause, then the insight",
            }
        ),
    )
    # With the self-assessment (techniques) included: by default the coachee's copy leaves it out.
    export = build_export(reflection.session.coachee, private=True)
    data = json.loads(json.dumps(export, default=str))
    [session] = [s for s in data["sessions"] if s["number"] == 7]
    prompts = {p["key"]: p for s in session["reflection"]["sections"] for p in s["prompts"]}
    assert prompts["supervise"]["answer"] == "yes"
    assert prompts["minutes_over"]["answer"] == "3"
    assert prompts["mood"]["answer"] == "Anxious"
    assert prompts["stages"]["answer"] == ["Reality"]
    assert prompts["techniques"]["techniques"] == [
        {
            "technique": "Silence",
            "technique_slug": "silence",
            "effectiveness": 4,
            "note": "Long pause, then the insight",
        }
    ]


def test_technique_notes_are_encrypted_at_rest(reflection: Reflection, silence: Technique) -> None:
    from django.db import connection

    note = field_name("techniques", silence.code, "note")
    save_fields(reflection, _post({note: "Canary-Quince-5521"}))
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM techniques_techniqueuse")
        [(stored,)] = cursor.fetchall()
    assert "Canary-Quince-5521" not in str(stored)
