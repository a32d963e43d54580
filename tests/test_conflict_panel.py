"""One conflict panel for every field: both versions, with or without JavaScript.

Another window saves first; then this page posts over it. Without JavaScript the page comes
back with the panel under each field that changed elsewhere; with JavaScript (autosave) the
409 reply carries the same panel for the script to insert. Either way nothing is overwritten
until the coach saves again.
"""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.journal.reflection import field_hash, snapshot
from debrief.prompts import library
from debrief.prompts.definition import parse
from debrief.techniques.answers import field_name as technique_field
from debrief.techniques.models import Technique, TechniqueUse
from tests.conftest import make_session
from tests.follow_helpers import goal_template_version, save, use_template

PANEL = re.compile(r'<div class="conflict" role="alert" data-for="([^"]+)">(.*?)\n</div>', re.S)


@pytest.fixture
def scene(alice_client: Client, coachee: Coachee) -> dict[str, Any]:
    """Session 2 with a goal, an action carried from session 1, a plan from last time, a
    technique and an action of its own, each saved "in another window" first."""
    s1 = make_session(coachee, 1, date=date(2026, 3, 2))
    s2 = make_session(coachee, 2, date=date(2026, 3, 16))
    use_template(s2, goal_template_version())
    carried = ActionItem.objects.create(
        coach=coachee.coach, coachee=coachee, session=s1, owner="coachee", text="Draft the charter"
    )
    Answer.objects.create(
        reflection=s1.reflection, prompt_key="coachee_next_steps", text="Talk to Sam"
    )
    goal = Goal.objects.create(coach=coachee.coach, coachee=coachee, title="Lead the team")
    own = ActionItem.objects.create(
        coach=coachee.coach, coachee=coachee, session=s2, owner="coach", text="Send the article"
    )
    silence = Technique.objects.get(coach=None, slug="silence")
    theirs = {
        "p-main_topics": "Saved elsewhere: the restructure",
        "p-listening-rating": "4",
        f"g-{goal.code}-score": "6",
        f"g-{goal.code}-note": "Saved elsewhere: first team meeting held",
        f"r-{carried.code}-choice": "done",
        f"r-{carried.code}-note": "Saved elsewhere: sent on Friday",
        "lt-coachee_next_steps": "Saved elsewhere: Sam agreed",
        f"t-techniques-{silence.code}-note": "Saved elsewhere: a long pause",
        f"a-{own.code}-text": "Saved elsewhere: send the book",
    }
    assert save(alice_client, s2, **theirs).status_code == 200
    yours = {
        "p-main_topics": "Typed here: the new manager",
        "p-listening-rating": "2",
        f"g-{goal.code}-score": "3",
        f"g-{goal.code}-note": "Typed here: <b>still</b> waiting",
        f"r-{carried.code}-choice": "drop",
        f"r-{carried.code}-note": "Typed here: no longer needed",
        "lt-coachee_next_steps": "Typed here: not yet",
        f"t-techniques-{silence.code}-note": "Typed here: no pause",
        f"a-{own.code}-text": "Typed here: send the podcast",
    }
    return {
        "session": s2,
        "goal": goal,
        "carried": carried,
        "own": own,
        "theirs": theirs,
        "yours": yours,
    }


def _stale_post(
    client: Client, session: CoachingSession, fields: dict[str, str], **extra: Any
) -> Any:
    """The page loaded before the other window saved: every base is the hash of nothing."""
    data = {**fields, **{f"base:{name}": field_hash("") for name in fields}, "op": "save"}
    return client.post(reverse("reflection_edit", args=[session.code]), data, **extra)


def _panels(html: str) -> dict[str, str]:
    return {name: unescape(re.sub(r"<[^>]+>", " ", body)) for name, body in PANEL.findall(html)}


def test_without_javascript_every_field_shows_both_versions(
    alice_client: Client, scene: dict[str, Any]
) -> None:
    response = _stale_post(alice_client, scene["session"], scene["yours"])
    assert response.status_code == 200
    html = response.content.decode()
    panels = _panels(html)
    assert set(panels) == set(scene["yours"])  # one panel per field that changed elsewhere
    for body in panels.values():
        assert "Changed in another window." in body
        assert "Nothing has been overwritten." in body
        assert "save again to keep it" in body
        assert "Keep my version" not in body  # buttons only where a script can act on them
    goal, carried = scene["goal"], scene["carried"]
    # Goal and review fields now show both versions too (they said only "save again").
    score = panels[f"g-{goal.code}-score"]
    assert "“Goal: Lead the team (score)”" in score and "3 of 10" in score and "6 of 10" in score
    note = panels[f"g-{goal.code}-note"]
    assert "Typed here: <b>still</b> waiting" in note and "first team meeting held" in note
    assert "&lt;b&gt;still&lt;/b&gt;" in html  # the coach's text is escaped, never markup
    choice = panels[f"r-{carried.code}-choice"]
    assert "“Earlier action: Draft the charter (what became of it)”" in choice
    assert "Drop" in choice and "Done" in choice
    assert "Typed here: no longer needed" in panels[f"r-{carried.code}-note"]
    assert "Saved elsewhere: Sam agreed" in panels["lt-coachee_next_steps"]
    rating = panels["p-listening-rating"]
    assert "(score)” was saved elsewhere" in rating and "2 of 5" in rating and "4 of 5" in rating
    action = panels[f"a-{scene['own'].code}-text"]
    assert "“Action: Saved elsewhere: send the book”" in action and "send the podcast" in action
    # Saving again keeps the coach's version: each base now names the saved value.
    for name, value in scene["theirs"].items():
        assert f'name="base:{name}" value="{field_hash(value)}"' in html, name


def test_nothing_is_overwritten_until_the_coach_saves_again(
    alice_client: Client, scene: dict[str, Any]
) -> None:
    session, goal, carried = scene["session"], scene["goal"], scene["carried"]
    _stale_post(alice_client, session, scene["yours"])
    progress = GoalProgress.objects.get(goal=goal, session=session)
    assert (progress.score, progress.note) == (6, "Saved elsewhere: first team meeting held")
    assert ActionReview.objects.get(action=carried).choice == "done"
    assert TechniqueUse.objects.get().note == "Saved elsewhere: a long pause"

    # Saving again, with the bases the page now carries, keeps the coach's version.
    data = {**scene["yours"], "op": "save"}
    data.update({f"base:{n}": field_hash(v) for n, v in scene["theirs"].items()})
    response = alice_client.post(reverse("reflection_edit", args=[session.code]), data)
    assert response.status_code == 302
    progress.refresh_from_db()
    assert (progress.score, progress.note) == (3, "Typed here: <b>still</b> waiting")
    assert ActionReview.objects.get(action=carried).choice == "drop"


def test_autosave_gets_the_same_panel_with_its_two_buttons(
    alice_client: Client, scene: dict[str, Any]
) -> None:
    goal = scene["goal"]
    name = f"g-{goal.code}-note"
    response = _stale_post(
        alice_client, scene["session"], {name: scene["yours"][name]}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 409
    [conflict] = response.json()["conflicts"]
    assert conflict["field"] == name and conflict["theirs_hash"] == field_hash(
        scene["theirs"][name]
    )
    panel = conflict["html"]
    assert panel.startswith(f'<div class="conflict" role="alert" data-for="{name}">')
    assert "Choose which version to keep." in panel
    assert 'data-conflict="keep">Keep my version</button>' in panel
    assert 'data-conflict="use">Use the saved version</button>' in panel
    assert "<blockquote>Typed here: &lt;b&gt;still&lt;/b&gt; waiting</blockquote>" in panel
    assert "first team meeting held</blockquote>" in panel


# --- every field kind, one stale write at a time ----------------------------------------------


@pytest.fixture
def kinds(alice_client: Client, alice: User, coachee: Coachee) -> dict[str, Any]:
    """A reflection on a template with every kind of prompt, each field saved "in another
    window" first; ``yours`` is what this (stale) page then sends for each."""
    from tests.test_answer_kinds import KINDS_TEMPLATE

    template = library.create(alice, "Every kind", "", parse(KINDS_TEMPLATE))
    session = make_session(coachee, 3, date=date(2026, 3, 9))
    Reflection.objects.filter(session=session).update(template_version=template.latest_version())
    own = ActionItem.objects.create(
        coach=alice, coachee=coachee, session=session, owner="coach", text="Send the article"
    )
    silence = Technique.objects.get(coach=None, slug="silence")
    theirs: dict[str, str | list[str]] = {
        "p-gist": "Saved elsewhere: the move",
        "p-energy": "Saved elsewhere: lively",
        "p-energy-rating": "8",
        "p-supervise": "yes",
        "p-minutes_over": "7.5",
        "p-mood": "Hopeful",
        "p-stages": ["Goal", "Will"],
        technique_field("techniques", silence.code, "rating"): "4",
        f"a-{own.code}-due": "2026-03-20",
        f"a-{own.code}-status": "done",
    }
    yours: dict[str, str | list[str]] = {
        "p-gist": "Typed here: the new job",
        "p-energy": "Typed here: flat",
        "p-energy-rating": "3",
        "p-supervise": "no",
        "p-minutes_over": "12",
        "p-mood": "Anxious",
        "p-stages": ["Reality"],
        technique_field("techniques", silence.code, "rating"): "2",
        f"a-{own.code}-due": "2026-04-01",
        f"a-{own.code}-status": "dropped",
    }
    for name, value in theirs.items():
        stored = snapshot(Reflection.objects.get(session=session)).values
        data = {name: value, f"base:{name}": field_hash(stored.get(name, "")), "op": "save"}
        response = alice_client.post(
            reverse("reflection_edit", args=[session.code]), data, HTTP_ACCEPT="application/json"
        )
        assert response.status_code == 200, (name, response.json())
    return {"session": session, "yours": yours}


# Every field kind of the reflection page, by the scene it is in and one field of it. (A
# technique's tick box has two states: a stale page that changes it can only agree with the
# other window, so it never conflicts.)
FIELD_KINDS = {
    "long text": ("scene", "p-main_topics"),
    "rating score": ("scene", "p-listening-rating"),
    "goal score": ("scene", "g-{goal}-score"),
    "goal note": ("scene", "g-{goal}-note"),
    "review choice": ("scene", "r-{carried}-choice"),
    "review note": ("scene", "r-{carried}-note"),
    "last time": ("scene", "lt-coachee_next_steps"),
    "technique note": ("scene", "t-techniques-{silence}-note"),
    "action text": ("scene", "a-{own}-text"),
    "short text": ("kinds", "p-gist"),
    "rating comment": ("kinds", "p-energy"),
    "yes/no": ("kinds", "p-supervise"),
    "number": ("kinds", "p-minutes_over"),
    "single choice": ("kinds", "p-mood"),
    "multiple choice": ("kinds", "p-stages"),
    "technique rating": ("kinds", "t-techniques-{silence}-rating"),
    "action due": ("kinds", "a-{own}-due"),
    "action status": ("kinds", "a-{own}-status"),
}


def _one_stale(request: pytest.FixtureRequest, kind: str) -> tuple[Any, str, Any, str, Any]:
    """The scene, the field's name, what this page sends, its base, the stored value.

    The page was opened before the other window saved: its base is the hash of nothing."""
    which, pattern = FIELD_KINDS[kind]
    world = request.getfixturevalue(which)
    codes = {
        "silence": Technique.objects.get(coach=None, slug="silence").code,
        "goal": world.get("goal").code if world.get("goal") else "",
        "carried": world.get("carried").code if world.get("carried") else "",
        "own": world.get("own").code if world.get("own") else ActionItem.objects.get().code,
    }
    name = pattern.format(**codes)
    session = world["session"]
    stored = snapshot(Reflection.objects.get(session=session)).values.get(name, "")
    return session, name, world["yours"][name], field_hash(""), stored


@pytest.mark.parametrize("javascript", [False, True], ids=["without JS", "with JS"])
@pytest.mark.parametrize("kind", list(FIELD_KINDS))
def test_a_stale_write_of_each_field_kind_shows_both_versions_and_loses_nothing(
    request: pytest.FixtureRequest, alice_client: Client, kind: str, javascript: bool
) -> None:
    session, name, yours, base, stored = _one_stale(request, kind)
    assert stored  # the other window saved something
    data = {name: yours, f"base:{name}": base, "op": "save"}
    accept = {"Accept": "application/json"} if javascript else {}  # as autosave.js sends
    url = reverse("reflection_edit", args=[session.code])
    response = alice_client.post(url, data, headers=accept)
    if javascript:
        assert response.status_code == 409
        [conflict] = response.json()["conflicts"]
        assert conflict["field"] == name and conflict["theirs_hash"] == field_hash(stored)
        raw = dict(PANEL.findall(conflict["html"]))
        assert PANEL.fullmatch(conflict["html"].strip())  # the one template, nothing else
    else:
        assert response.status_code == 200
        html = response.content.decode()
        raw = dict(PANEL.findall(html))
        assert "Some answers were changed in another window" in html
        # Saving again would keep the coach's version: the base now names the stored value.
        assert f'name="base:{name}" value="{field_hash(stored)}"' in html
    assert set(raw) == {name}  # one panel, for this field only
    body = unescape(re.sub(r"<[^>]+>", " ", raw[name]))
    assert "Changed in another window." in body and "Nothing has been overwritten." in body
    assert ("Choose which version to keep." in body) == javascript
    assert ("save again to keep it" in body) == (not javascript)
    # Both versions, as a coach reads them: this page's, then the one saved elsewhere.
    assert "Your version (on this page, not saved)" in body
    assert "Saved version (from the other window)" in body
    mine, theirs = (
        unescape(re.sub(r"<[^>]+>", "", q)).strip()
        for q in re.findall(r"<blockquote[^>]*>(.*?)</blockquote>", raw[name], re.S)
    )
    assert mine != theirs and theirs != "(empty)", (mine, theirs)
    if isinstance(yours, str) and yours.startswith("Typed here"):
        assert mine == yours and theirs == stored
    now = snapshot(Reflection.objects.get(session=session)).values.get(name, "")
    assert now == stored  # nothing overwritten
