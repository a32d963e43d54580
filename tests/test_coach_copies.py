"""Rows kept about a coachee copy their coach from a parent; a row whose coach differs is refused.

Every query starts from ``for_coach(user)`` on the row's own ``coach``, so a row whose coach is
not its parent's would show one coach what another coach's key seals (issue 11).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from debrief.accounts.models import User
from debrief.demo.practice import create_practice
from debrief.diary.models import CalendarEvent, CalendarSource
from debrief.exports.models import DossierJob, SupervisionFlag, SupervisionPack
from debrief.exports.pack import make_pack
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.journal.models import CoachingSession, Reflection
from debrief.lib.ownership import CoacheeOwned, CoachMismatch, coachee_owned_models, mismatched
from debrief.portable.journal_check import read_journal
from debrief.portable.journal_in import import_journal
from debrief.portable.journal_out import journal_text
from debrief.practice.models import ClientFeedback, ClientFlags
from debrief.supervision.models import Share
from debrief.techniques.models import TechniqueUse
from tests.conftest import make_coachee, make_session

MODELS: list[type[CoacheeOwned]] = [
    CoachingSession,
    Reflection,
    ActionItem,
    Goal,
    GoalProgress,
    ActionReview,
    TechniqueUse,
    ClientFeedback,
    ClientFlags,
    SupervisionFlag,
    SupervisionPack,
    DossierJob,
    CalendarEvent,
    Share,
]
# Models with a coach and a parent that has one too, which do not copy the parent's coach:
# the search index's shards are derived from the notes (rebuilt, never edited), and a
# technique may be a built-in one, which has no coach.
NOT_COPIES = {("search.SearchShard", "coachee"), ("search.SearchShard", "session")}
PARENT_MAY_DIFFER = {("techniques.TechniqueUse", "technique")}
CASES = [(model, parent) for model in MODELS for parent in model.coach_from]


def _parents(coach: User) -> dict[str, Any]:
    coachee = make_coachee(coach, "Sam Lee")
    session = make_session(coachee, date=date(2026, 3, 9))
    action = ActionItem.objects.create(
        coach=coach, coachee=coachee, session=session, owner="coach", text="Send the notes"
    )
    return {
        "coachee": coachee,
        "session": session,
        "reflection": session.reflection,
        "goal": Goal.objects.create(coach=coach, coachee=coachee, title="Delegate more"),
        "action": action,
        "source": CalendarSource.objects.create(coach=coach, kind=CalendarSource.Kind.FILE),
        "pack": make_pack(coach, [session]),
    }


@pytest.mark.parametrize("by_id", [False, True], ids=["parent loaded", "parent by id"])
@pytest.mark.parametrize(("model", "parent"), CASES, ids=[f"{m.__name__}.{p}" for m, p in CASES])
def test_a_row_whose_coach_is_not_its_parents_is_refused(
    alice: User, bob: User, model: type[CoacheeOwned], parent: str, by_id: bool
) -> None:
    ours, theirs = _parents(alice), _parents(bob)
    chosen = {name: ours[name] for name in model.coach_from}
    chosen[parent] = theirs[parent]  # one parent of bob's, everything else alice's
    if by_id:
        values: dict[str, Any] = {f"{name}_id": row.pk for name, row in chosen.items()}
    else:
        values = dict(chosen)
    before = model._base_manager.count()
    with pytest.raises(CoachMismatch, match=f"its {parent} belongs to coach {bob.pk}"):
        model(coach=alice, **values).save()  # type: ignore[misc]
    assert model._base_manager.count() == before


def test_changing_a_stored_rows_coach_is_refused_and_nothing_changes(
    alice: User, bob: User
) -> None:
    action = _parents(alice)["action"]
    assert isinstance(action, ActionItem)
    action.coach = bob
    with pytest.raises(CoachMismatch):
        action.save(update_fields=["coach"])
    assert ActionItem.objects.get(pk=action.pk).coach_id == alice.pk


def test_a_row_saved_as_it_was_read_asks_nothing_of_its_parents(alice: User) -> None:
    action = ActionItem.objects.get(pk=_parents(alice)["action"].pk)  # no parent loaded
    action.due = date(2026, 4, 1)
    with CaptureQueriesContext(connection) as queries:
        action.save()
    parents = [q["sql"] for q in queries if '"coach_id" FROM' in q["sql"]]
    assert parents == []
    action.coachee = make_coachee(User.objects.create_user(email="c@example.com"), "Other")
    with pytest.raises(CoachMismatch):
        action.save()  # but a row given another parent is checked again


def test_a_row_with_its_parents_coach_saves(alice: User) -> None:
    ours = _parents(alice)
    progress = GoalProgress(coach=alice, goal=ours["goal"], session=ours["session"], score=6)
    progress.save()
    assert GoalProgress.objects.for_coach(alice).get().score == 6
    assert mismatched(GoalProgress) == []


def test_every_model_that_copies_a_parents_coach_checks_it() -> None:
    checked = {m._meta.label for m in coachee_owned_models()}
    assert checked == {m._meta.label for m in MODELS}
    copies = set()
    for model in (m for m in _all_models() if _has_coach(m)):
        for field in model._meta.get_fields():
            parent = (field.many_to_one or field.one_to_one) and field.concrete
            if parent and field.name != "coach" and _has_coach(field.related_model):
                copies.add((model._meta.label, field.name))
    declared = {(m._meta.label, p) for m in MODELS for p in m.coach_from}
    assert copies - NOT_COPIES - PARENT_MAY_DIFFER == declared


def _all_models() -> list[type[models.Model]]:
    from django.apps import apps

    return list(apps.get_models())


def _has_coach(model: Any) -> bool:
    return any(f.name == "coach" and f.concrete for f in model._meta.get_fields())


def test_bulk_writers_take_each_rows_coach_from_its_parent(alice: User, bob: User) -> None:
    # The demo generator and the journal importer write with bulk_create, which skips save().
    create_practice(alice, sessions=30, coachees=3, seed=5, today=date(2026, 3, 4))
    import_journal(bob, read_journal(journal_text(alice).encode()))
    assert GoalProgress.objects.for_coach(bob).exists()
    assert TechniqueUse.objects.for_coach(bob).exists()
    assert {m.__name__: mismatched(m) for m in MODELS} == {m.__name__: [] for m in MODELS}


def test_mismatched_finds_a_row_written_around_save(alice: User, bob: User) -> None:
    ours = _parents(alice)
    ActionItem.objects.filter(pk=ours["action"].pk).update(coach=bob)
    assert mismatched(ActionItem) == [
        ("coachee", ours["action"].pk),
        ("session", ours["action"].pk),
    ]
