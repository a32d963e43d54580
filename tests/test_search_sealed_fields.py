"""Search reads every sealed field through its model, and none drops out unnoticed.

Walks every model of every app: each ``PrivateTextField`` is either indexed (and then a note
written in it through the model is found by the search page and its passage opens) or left out
on purpose with a reason (``documents.NOT_INDEXED``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.journal.models import Answer, CoachingSession
from debrief.privacy.fields import PrivateTextField
from debrief.search.documents import INDEXED, NOT_INDEXED, session_documents
from debrief.techniques.models import Technique, TechniqueUse
from tests.conftest import make_coachee, make_session

WORD = "Quillowmere"  # a word no template or generator writes


def _private_fields() -> set[str]:
    return {
        f"{model._meta.app_label}.{model.__name__}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.fields
        if isinstance(field, PrivateTextField)
    }


def test_every_private_field_is_indexed_or_left_out_with_a_reason() -> None:
    fields = _private_fields()
    assert not set(INDEXED) & set(NOT_INDEXED)
    assert fields - set(INDEXED) - set(NOT_INDEXED) == set(), "new private fields: index them"
    assert set(INDEXED) | set(NOT_INDEXED) <= fields, "listed fields that no longer exist"
    assert all(len(reason) > 20 for reason in NOT_INDEXED.values())


Write = Callable[[User, Coachee, CoachingSession, str], Any]


def _goal(coach: User, coachee: Coachee, **fields: str) -> Goal:
    return Goal.objects.create(coach=coach, coachee=coachee, **{"title": "A goal", **fields})


def _action(coach: User, coachee: Coachee, session: CoachingSession, text: str) -> ActionItem:
    return ActionItem.objects.create(
        coach=coach, coachee=coachee, session=session, owner="coachee", text=text
    )


def _profile(field: str) -> Write:
    def write(coach: User, coachee: Coachee, session: CoachingSession, text: str) -> None:
        setattr(coachee, field, text)
        coachee.save()

    return write


def _technique(coach: User, coachee: Coachee, session: CoachingSession, text: str) -> None:
    grow, _ = Technique.objects.get_or_create(
        coach=coach, slug="grow", defaults={"name": "GROW model"}
    )
    TechniqueUse.objects.create(
        coach=coach,
        reflection=session.reflection,
        technique=grow,
        prompt_key="techniques_used",
        note=text,
    )


def _review(coach: User, coachee: Coachee, session: CoachingSession, text: str) -> None:
    earlier = make_session(coachee, session.number + 100)
    action = _action(coach, coachee, earlier, "Call the sponsor")
    ActionReview.objects.create(
        coach=coach, action=action, session=session, choice="done", note=text
    )


WRITERS: dict[str, Write] = {
    "journal.Answer.text": lambda coach, coachee, session, text: Answer.objects.create(
        reflection=session.reflection, prompt_key="main_topics", text=text
    ),
    "followup.ActionItem.text": _action,
    "techniques.TechniqueUse.note": _technique,
    "followup.GoalProgress.note": lambda coach, coachee, session, text: GoalProgress.objects.create(
        coach=coach, goal=_goal(coach, coachee), session=session, score=4, note=text
    ),
    "followup.ActionReview.note": _review,
    "coachees.Coachee.name": _profile("name"),
    "coachees.Coachee.preferred_name": _profile("preferred_name"),
    "coachees.Coachee.email": _profile("email"),
    "coachees.Coachee.organisation": _profile("organisation"),
    "coachees.Coachee.background": _profile("background"),
    "followup.Goal.title": lambda coach, coachee, session, text: _goal(coach, coachee, title=text),
    "followup.Goal.description": lambda coach, coachee, session, text: _goal(
        coach, coachee, description=text
    ),
}


def test_every_indexed_field_has_a_case_below() -> None:
    assert set(WRITERS) == set(INDEXED)


@pytest.mark.parametrize("field", sorted(INDEXED))
def test_a_note_in_every_indexed_field_is_found_and_opens(
    field: str, alice: User, alice_client: Client
) -> None:
    coachee = make_coachee(alice, "Priya Shah")
    session = make_session(coachee, 1)
    alice_client.get(reverse("search"), {"q": "anything"})  # an index made before the note
    text = f"{WORD}@example.com" if field.endswith(".email") else f"Spoke of {WORD} at length"
    WRITERS[field](alice, coachee, session, text)
    found = alice_client.get(reverse("search"), {"q": WORD.lower(), "format": "json"}).json()
    passages = [p["text"] for r in found["results"] for p in r["passages"]]
    assert any(text in p for p in passages), (field, found)


def test_reading_the_documents_of_more_sessions_takes_no_more_queries(
    alice: User, alice_client: Client
) -> None:
    coachee = make_coachee(alice, "Priya Shah")
    sessions = [make_session(coachee, n) for n in (1, 2, 3)]
    for n, session in enumerate(sessions):
        for field in INDEXED:
            if not field.startswith(("coachees.", "followup.Goal.")):
                WRITERS[field](alice, coachee, session, f"Note {n} on {WORD}")
    counts = []
    for chosen in (sessions[:1], sessions):
        with CaptureQueriesContext(connection) as queries:
            docs = session_documents([s.id for s in chosen])
        counts.append(len(queries))
        assert all(docs[s.id] for s in chosen)
    assert counts[0] == counts[1]
    kinds = {kind for per in docs.values() for kind, _, _ in per}
    assert kinds == {"answer", "action", "technique", "progress", "review"}
