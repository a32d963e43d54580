"""Saving a reflection field by field: writes, conflicts, bad input and action items."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from debrief.followup.models import ActionItem
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.journal.reflection import field_hash, save_fields


def _post(fields: dict[str, str], bases: dict[str, str] | None = None) -> QueryDict:
    q = QueryDict(mutable=True)
    for name, value in fields.items():
        q[name] = value
        q[f"base:{name}"] = (bases or {}).get(name, field_hash(""))
    return q


def _answer(session: CoachingSession, key: str) -> Answer:
    return Answer.objects.get(reflection=session.reflection, prompt_key=key)


def _autosave(client: Client, session: CoachingSession, data: dict[str, str]) -> Any:
    return client.post(
        reverse("reflection_edit", args=[session.code]), data, HTTP_ACCEPT="application/json"
    )


def test_a_new_answer_is_stored(session: CoachingSession) -> None:
    result = save_fields(session.reflection, _post({"p-primary_goals": "Clarify the promotion"}))
    assert result.ok
    assert result.saved == ["p-primary_goals"]
    assert _answer(session, "primary_goals").text == "Clarify the promotion"
    assert result.hashes["p-primary_goals"] == field_hash("Clarify the promotion")


def test_a_pre_session_plan_keeps_the_reflection_planned(session: CoachingSession) -> None:
    save_fields(session.reflection, _post({"p-primary_goals": "Plan"}))
    session.reflection.refresh_from_db()
    assert session.reflection.status == Reflection.Status.PLANNED


def test_a_post_session_answer_makes_it_a_draft(session: CoachingSession) -> None:
    save_fields(session.reflection, _post({"p-main_topics": "Delegation"}))
    session.reflection.refresh_from_db()
    assert session.reflection.status == Reflection.Status.DRAFT


def test_a_stale_save_is_refused_with_both_versions(session: CoachingSession) -> None:
    save_fields(session.reflection, _post({"p-main_topics": "From tab A"}))
    # Tab B loaded the page before A saved: its base is the empty value.
    result = save_fields(session.reflection, _post({"p-main_topics": "From tab B"}))
    assert not result.ok
    [conflict] = result.conflicts
    assert (conflict.yours, conflict.theirs) == ("From tab B", "From tab A")
    assert conflict.label == "Briefly describe the main topics discussed."
    assert _answer(session, "main_topics").text == "From tab A"
    assert "p-main_topics" not in result.hashes  # B still has not seen A's text


def test_keeping_my_version_after_a_conflict_saves_it(session: CoachingSession) -> None:
    save_fields(session.reflection, _post({"p-main_topics": "From tab A"}))
    bases = {"p-main_topics": field_hash("From tab A")}  # B chose "keep mine"
    result = save_fields(session.reflection, _post({"p-main_topics": "From tab B"}, bases))
    assert result.ok
    assert _answer(session, "main_topics").text == "From tab B"


def test_a_field_this_page_did_not_touch_is_left_alone(session: CoachingSession) -> None:
    """Without JavaScript the whole form is posted, including fields changed elsewhere."""
    save_fields(session.reflection, _post({"p-main_topics": "From tab A"}))
    stale_page = _post({"p-main_topics": "", "p-key_insights": "New from B"})
    result = save_fields(session.reflection, stale_page)
    assert result.ok
    assert _answer(session, "main_topics").text == "From tab A"
    assert _answer(session, "key_insights").text == "New from B"


def test_saving_the_same_text_twice_is_not_a_conflict(session: CoachingSession) -> None:
    save_fields(session.reflection, _post({"p-main_topics": "Same"}))
    result = save_fields(session.reflection, _post({"p-main_topics": "Same"}))
    assert result.ok
    assert result.hashes["p-main_topics"] == field_hash("Same")


def test_ratings_and_comments_are_stored_together(session: CoachingSession) -> None:
    fields = {"p-listening-rating": "4", "p-listening": "Held the silence well"}
    assert save_fields(session.reflection, _post(fields)).ok
    answer = _answer(session, "listening")
    assert (answer.rating, answer.text) == (4, "Held the silence well")
    assert save_fields(
        session.reflection,
        _post({"p-listening-rating": ""}, {"p-listening-rating": field_hash("4")}),
    ).ok
    assert _answer(session, "listening").rating is None


def test_a_rating_out_of_range_is_refused(session: CoachingSession) -> None:
    for bad in ("0", "6", "five", "3.5", "-1"):
        result = save_fields(session.reflection, _post({"p-listening-rating": bad}))
        assert "p-listening-rating" in result.errors
        assert "from 1 to 5" in result.errors["p-listening-rating"]
    assert not Answer.objects.filter(prompt_key="listening").exists()


def test_nul_characters_are_refused_and_other_fields_still_saved(session: CoachingSession) -> None:
    result = save_fields(
        session.reflection, _post({"p-main_topics": "bad\x00text", "p-key_insights": "fine"})
    )
    assert "NUL character" in result.errors["p-main_topics"]
    assert _answer(session, "key_insights").text == "fine"
    assert not Answer.objects.filter(prompt_key="main_topics").exists()


def test_an_over_long_answer_is_refused_with_the_limit(session: CoachingSession) -> None:
    result = save_fields(session.reflection, _post({"p-main_topics": "x" * 50_001}))
    assert "50,000" in result.errors["p-main_topics"]
    short = save_fields(session.reflection, _post({"p-materials_prepared": "y" * 501}))
    assert "500" in short.errors["p-materials_prepared"]


def test_unknown_fields_are_ignored(session: CoachingSession) -> None:
    result = save_fields(session.reflection, _post({"p-nonexistent": "x", "coach": "1"}))
    assert result.ok and result.saved == []
    assert not Answer.objects.exists()


def test_new_actions_are_real_items_with_owner_and_due_date(session: CoachingSession) -> None:
    data = QueryDict(mutable=True)
    data["new-coachee_actions-text"] = "Draft the team charter"
    data["new-coachee_actions-due"] = "2026-03-16"
    data["new-coach_actions-text"] = "Send the values exercise"
    result = save_fields(session.reflection, data)
    assert result.ok
    assert result.actions_changed == {"coachee_actions", "coach_actions"}
    items = {a.owner: a for a in ActionItem.objects.filter(session=session)}
    assert items["coachee"].text == "Draft the team charter"
    assert items["coachee"].due == date(2026, 3, 16)
    assert items["coach"].due is None
    assert all(a.coachee_id == session.coachee_id and a.status == "open" for a in items.values())
    session.reflection.refresh_from_db()
    assert session.reflection.status == Reflection.Status.DRAFT


def test_a_new_action_with_a_bad_due_date_is_not_created(session: CoachingSession) -> None:
    data = QueryDict(mutable=True)
    data["new-coachee_actions-text"] = "Something"
    data["new-coachee_actions-due"] = "2026-02-30"
    result = save_fields(session.reflection, data)
    assert "real date" in result.errors["new-coachee_actions-due"]
    assert not ActionItem.objects.exists()


def test_existing_actions_are_edited_and_removed_by_clearing(session: CoachingSession) -> None:
    action = ActionItem.objects.create(
        coach=session.coach, coachee=session.coachee, session=session, owner="coach", text="Call"
    )
    prefix = f"a-{action.code}"
    result = save_fields(
        session.reflection,
        _post(
            {f"{prefix}-status": "done", f"{prefix}-due": "2026-04-01"},
            {f"{prefix}-status": field_hash("open"), f"{prefix}-due": field_hash("")},
        ),
    )
    assert result.ok
    action.refresh_from_db()
    assert action.status == "done" and action.closed_at is not None
    assert action.due == date(2026, 4, 1)
    result = save_fields(
        session.reflection, _post({f"{prefix}-text": ""}, {f"{prefix}-text": field_hash("Call")})
    )
    assert result.ok and result.actions_changed == {"coach_actions"}
    assert not ActionItem.objects.filter(pk=action.pk).exists()


def test_autosave_answers_in_json(alice_client: Client, session: CoachingSession) -> None:
    response = _autosave(
        alice_client, session, {"p-main_topics": "Delegation", "base:p-main_topics": field_hash("")}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] == ["p-main_topics"]
    assert body["status"] == "Draft"
    assert body["hashes"] == {"p-main_topics": field_hash("Delegation")}


def test_autosave_conflict_is_409_with_both_versions(
    alice_client: Client, session: CoachingSession
) -> None:
    _autosave(alice_client, session, {"p-main_topics": "A", "base:p-main_topics": field_hash("")})
    response = _autosave(
        alice_client, session, {"p-main_topics": "B", "base:p-main_topics": field_hash("")}
    )
    assert response.status_code == 409
    [conflict] = response.json()["conflicts"]
    assert conflict["yours"] == "B" and conflict["theirs"] == "A"
    assert conflict["theirs_hash"] == field_hash("A")


def test_autosave_bad_input_is_400_with_a_message(
    alice_client: Client, session: CoachingSession
) -> None:
    response = _autosave(alice_client, session, {"p-main_topics": "x\x00y"})
    assert response.status_code == 400
    assert "NUL" in response.json()["errors"]["p-main_topics"]


def test_autosave_new_action_returns_the_new_list(
    alice_client: Client, session: CoachingSession
) -> None:
    response = _autosave(alice_client, session, {"new-coach_actions-text": "Book the room"})
    html = response.json()["actions_html"]["coach_actions"]
    assert "Book the room" in html
    assert 'id="actions-coach_actions"' in html


def test_full_form_post_with_an_error_keeps_what_was_typed(
    alice_client: Client, session: CoachingSession
) -> None:
    typed = "A long thought that must not be lost " * 3
    response = alice_client.post(
        reverse("reflection_edit", args=[session.code]),
        {"p-main_topics": typed, "p-obstacles": "x" * 50_001, "op": "save"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert typed.strip() in html
    assert "Some answers could not be saved" in html
    assert _answer(session, "main_topics").text == typed


def test_full_form_post_conflict_shows_both_versions(
    alice_client: Client, session: CoachingSession
) -> None:
    save_fields(session.reflection, _post({"p-main_topics": "Saved elsewhere"}))
    response = alice_client.post(
        reverse("reflection_edit", args=[session.code]),
        {"p-main_topics": "Typed here", "base:p-main_topics": field_hash(""), "op": "save"},
    )
    html = response.content.decode()
    assert "Changed in another window" in html
    assert "Saved elsewhere" in html and "Typed here" in html
    # Submitting again keeps the coach's version: the base now names the saved text.
    assert f'value="{field_hash("Saved elsewhere")}"' in html


def test_save_and_complete(alice_client: Client, session: CoachingSession) -> None:
    response = alice_client.post(
        reverse("reflection_edit", args=[session.code]),
        {"p-main_topics": "Done", "op": "complete"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reflection_view", args=[session.code])
    session.reflection.refresh_from_db()
    assert session.reflection.status == Reflection.Status.COMPLETE
    assert session.reflection.completed_at is not None


def test_reading_view_shows_answers_ratings_and_actions(
    alice_client: Client, session: CoachingSession
) -> None:
    save_fields(
        session.reflection,
        _post({"p-main_topics": "Line one\nLine two", "p-listening-rating": "4"}),
    )
    ActionItem.objects.create(
        coach=session.coach, coachee=session.coachee, session=session, owner="coach", text="Call"
    )
    html = alice_client.get(reverse("reflection_view", args=[session.code])).content.decode()
    assert "Line one<br>Line two" in html
    assert 'aria-label="4 out of 5"' in html
    assert "Call" in html
    assert "unanswered prompts are not shown here" in html
    assert "Not answered" not in html
