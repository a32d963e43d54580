"""What each built-in kind says about a stored answer: empty or not, as data, text, Markdown.

Exporters (PDF, Markdown, the supervision pack) call ``kind.value`` and then ``as_text`` or
``as_markdown`` for each prompt; these tests pin what they get for every kind. The field-name
language of the reflection page is checked here too: each name parses to one typed field.
"""

from __future__ import annotations

from datetime import date

import pytest

from debrief.coachees.models import Coachee
from debrief.followup.carry import LastTime
from debrief.followup.models import ActionItem, Goal, GoalProgress
from debrief.journal import fields
from debrief.journal.answers.base import kind_of
from debrief.journal.models import Reflection
from debrief.journal.reflection import Snapshot, save_fields, snapshot
from debrief.lib import markdown
from debrief.prompts import kinds
from debrief.techniques.models import Technique
from tests.test_answer_kinds import _post, reflection, silence

__all__ = ["reflection", "silence"]


@pytest.fixture
def stored(reflection: Reflection, silence: Technique) -> Snapshot:
    session = reflection.session
    goal = Goal.objects.create(coach=session.coach, coachee=session.coachee, title="Lead *well*")
    earlier = Coachee.objects.get(pk=session.coachee_id).sessions.create(
        coach=session.coach, number=6, date=date(2026, 2, 2), duration_minutes=60
    )
    GoalProgress.objects.create(coach=session.coach, goal=goal, session=earlier, score=4)
    ActionItem.objects.create(
        coach=session.coach,
        coachee=session.coachee,
        session=session,
        owner="coach",
        text="Send the <article>",
        due=date(2026, 3, 20),
    )
    result = save_fields(
        reflection,
        _post(
            {
                "p-story": "We talked about the move.\nThen # the team.",
                "p-gist": "The move",
                "p-energy-rating": "8",
                "p-energy": "Lively",
                "p-supervise": "yes",
                "p-minutes_over": "7.50",
                "p-mood": "Hopeful",
                "p-stages": ["", "Will", "Goal"],
                f"t-techniques-{silence.code}-rating": "4",
                f"t-techniques-{silence.code}-note": "Long pause",
                f"g-{goal.code}-score": "6",
                f"g-{goal.code}-note": "First meeting held",
            }
        ),
    )
    assert result.ok, result.errors
    return snapshot(reflection)


def _read(snap: Snapshot, key: str, how: str) -> object:
    prompt = snap.definition.by_key[key]
    kind = kind_of(prompt)
    value = kind.value(prompt, snap)
    return getattr(kind, how)(prompt, value)


TEXT = {
    "story": "We talked about the move.\nThen # the team.",
    "gist": "The move",
    "energy": "8 on a scale of 1 to 10\n\nLively",
    "supervise": "Yes",
    "minutes_over": "7.5",
    "mood": "Hopeful",
    "stages": "Goal, Will",
    "techniques": "- Silence: 4 of 5 for effectiveness (Long pause)",
    "todo": "- Send the <article> (open, due 20 March 2026)",
    "goal_progress": "- Lead *well*: 6 of 10 (last time 4). First meeting held",
}
MARKDOWN = {
    "story": "We talked about the move.\\\nThen # the team.",
    "gist": "The move",
    "energy": "**8** on a scale of 1 to 10\n\nLively",
    "supervise": "Yes",
    "minutes_over": "7.5",
    "mood": "Hopeful",
    "stages": "- Goal\n- Will",
    "techniques": "- **Silence**: 4 of 5 for effectiveness (Long pause)",
    "todo": "- Send the \\<article\\> (open, due 20 March 2026)",
    "goal_progress": "- **Lead \\*well\\***: 6 of 10 (last time 4). First meeting held",
}


@pytest.mark.parametrize("key", list(TEXT))
def test_each_kind_reads_as_plain_text(stored: Snapshot, key: str) -> None:
    assert _read(stored, key, "as_text") == TEXT[key]


@pytest.mark.parametrize("key", list(MARKDOWN))
def test_each_kind_reads_as_markdown_with_the_coachs_words_escaped(
    stored: Snapshot, key: str
) -> None:
    assert _read(stored, key, "as_markdown") == MARKDOWN[key]


def test_an_unanswered_reflection_is_empty_everywhere(reflection: Reflection) -> None:
    snap = snapshot(reflection)
    for prompt in snap.definition.prompts():
        kind = kind_of(prompt)
        value = kind.value(prompt, snap)
        assert kind.is_empty(prompt, value), prompt.key
        assert kind.as_text(prompt, value) == "", prompt.key
        assert kind.as_markdown(prompt, value) == "", prompt.key


def test_a_comment_alone_does_not_answer_a_rating(reflection: Reflection) -> None:
    save_fields(reflection, _post({"p-energy": "Flat today"}))
    snap = snapshot(reflection)
    prompt = snap.definition.by_key["energy"]
    kind = kind_of(prompt)
    value = kind.value(prompt, snap)
    assert not kind.is_empty(prompt, value) and not kind.is_answered(prompt, value)
    assert kind.as_text(prompt, value) == "Flat today"


def test_the_registry_lists_every_kind_in_the_editors_order() -> None:
    assert kinds.names() == (
        "session",
        "long_text",
        "short_text",
        "rating",
        "yes_no",
        "number",
        "single_choice",
        "multiple_choice",
        "techniques",
        "actions",
        "goal_progress",
    )
    assert [k.name for k in kinds.menu()] == list(kinds.names()[1:])  # facts are not chosen
    with pytest.raises(ValueError, match="already registered"):
        kinds.register(type("Imposter", (type(kinds.get("rating")),), {}))


def test_every_field_name_parses_once_into_its_typed_field(stored: Snapshot) -> None:
    # A plan comes back when its prompt is flagged ``carry`` (here: one asked about now).
    earlier = stored.reflection.session
    stored.last_time.append(LastTime("coachee_next_steps", "Last time:", "How?", "Go", earlier))
    goal = next(iter(stored.goals))
    action = next(iter(stored.actions))
    technique = next(iter(stored.techniques))
    expected = {
        "p-story": fields.PromptField,
        "p-energy-rating": fields.PromptField,
        f"t-techniques-{technique}-note": fields.TechniqueField,
        f"a-{action}-due": fields.ActionField,
        "new-todo-text": fields.NewActionField,
        f"r-{action}-choice": fields.ReviewField,
        "lt-coachee_next_steps": fields.LastTimeField,
        f"g-{goal}-score": fields.GoalField,
    }
    for name, kind in expected.items():
        assert type(fields.parse(stored, name)) is kind, name
    rating = fields.parse(stored, "p-energy-rating")
    assert isinstance(rating, fields.PromptField) and rating.part == "rating"
    for unknown in (
        "p-nothing",
        "p-story-rating",  # a long text has no score
        "p-techniques",  # techniques are answered per technique
        "new-todo-due",  # travels with its text
        "new-story-text",  # not an actions prompt
        "lt-story",  # not a plan that comes back
        f"t-story-{technique}-note",  # not a techniques prompt
        f"a-{action}-colour",
        "base:p-story",
        "csrfmiddlewaretoken",
        "x",
    ):
        assert fields.parse(stored, unknown) is None, unknown


@pytest.mark.parametrize(
    ("written", "markdown_text"),
    [
        ("# Not a heading", "\\# Not a heading"),
        ("1. Not a list", "1\\. Not a list"),
        ("- nor this", "\\- nor this"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("[a link](http://example.com)", "\\[a link\\](http://example.com)"),
        ("*stress* and _this_", "\\*stress\\* and \\_this\\_"),
        ("3 weeks in", "3 weeks in"),
        ("7.5 hours, -3 degrees", "7.5 hours, -3 degrees"),
        ("## Two\n===\n---", "\\## Two\\\n\\===\\\n\\---"),
        ("Line one\nline two\n\nNew paragraph", "Line one\\\nline two\n\nNew paragraph"),
        ("  \n", ""),
    ],
)
def test_a_coachs_text_never_becomes_markdown(written: str, markdown_text: str) -> None:
    assert markdown.text(written) == markdown_text
