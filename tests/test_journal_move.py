"""A journal that moves: the whole journal as one JSON file, and back into an empty account."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from jsonschema import Draft202012Validator

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.demo.practice import create_practice
from debrief.followup.models import ActionItem, ActionReview
from debrief.icflog.models import OpeningBalance
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.portable.format import schema
from debrief.portable.journal_check import JournalFileError, read_journal
from debrief.portable.journal_in import import_journal
from debrief.portable.journal_out import journal_text
from debrief.privacy.keystore import keystore
from debrief.prompts.library import copy_template
from debrief.prompts.models import ReflectionTemplate, TemplateVersion, brief_template
from debrief.techniques.models import Technique, TechniqueUse
from tests.conftest import PASSWORD, make_coach, make_coachee, make_session

CANARY = "Zebedee-Quartz-4417"
TODAY = date(2026, 11, 30)


def rich_journal(coach: User) -> None:
    """A practice with every kind of record the file holds."""
    create_practice(coach, sessions=20, coachees=3, seed=3, today=TODAY)
    own = copy_template(brief_template(), coach)
    coach.default_template = own
    coach.save(update_fields=["default_template"])
    person = make_coachee(
        coach, name=CANARY, preferred_name="Zeb", email="zeb@example.org", default_template=own
    )
    first = make_session(person, 1, date=date(2026, 9, 1), start_time=None)
    second = make_session(person, 2, date=date(2026, 9, 8), kind="group", group_size=4)
    Reflection.objects.filter(session=second).update(template_version=own.latest_version())
    reflection = second.reflection
    reflection.refresh_from_db()
    Answer.objects.create(reflection=reflection, prompt_key="main_topics", text=f"{CANARY} said")
    walk = Technique.objects.create(coach=coach, slug="walk-and-talk", name="Walk and talk")
    TechniqueUse.objects.create(
        coach=coach, reflection=reflection, technique=walk, prompt_key="techniques",
        effectiveness=4, note="outside helped",
    )  # fmt: skip
    action = ActionItem.objects.create(
        coach=coach, coachee=person, session=first, owner="coachee", text="Call the sponsor"
    )
    ActionReview.objects.create(
        coach=coach, action=action, session=second, choice="carry", note="not yet"
    )
    OpeningBalance.objects.create(
        coach=coach, paid_hours=Decimal("120.5"), pro_bono_hours=Decimal(8), clients=11
    )


def vanish(coach: User) -> None:
    """Remove the coach and all theirs, so their codes and slugs are free (another installation)."""
    Coachee.objects.filter(coach=coach).delete()
    TemplateVersion.objects.filter(template__owner=coach).delete()
    ReflectionTemplate.objects.filter(owner=coach).delete()
    Technique.objects.filter(coach=coach).delete()
    coach.delete()


def without_stamp(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    data.pop("exported_at")
    return data


def test_the_schema_file_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(schema())


def test_an_export_follows_the_schema_and_holds_every_kind_of_record(alice: User) -> None:
    rich_journal(alice)
    data = json.loads(journal_text(alice))
    assert list(Draft202012Validator(schema()).iter_errors(data)) == []
    assert data["format"] == "debrief-journal" and data["version"] == 1
    assert data["counts"] == {"coachees": 4, "sessions": 22}
    assert data["templates"][0]["versions"][0]["definition"]["sections"]
    assert data["techniques"] == [
        {"slug": "walk-and-talk", "name": "Walk and talk", "description": "", "retired": False}
    ]
    assert data["opening_balance"] == {
        "paid_hours": "120.50",
        "pro_bono_hours": "8.00",
        "clients": 11,
    }
    zeb = next(c for c in data["coachees"] if c["name"] == CANARY)
    second = zeb["sessions"][1]
    assert second["kind"] == "group" and second["group_size"] == 4
    assert second["action_reviews"][0]["action"] == zeb["sessions"][0]["actions"][0]["code"]
    assert second["reflection"]["techniques"][0]["technique"] == "walk-and-talk"
    assert any(a["text"] == f"{CANARY} said" for a in second["reflection"]["answers"])
    assert any(s["goal_progress"] for c in data["coachees"] for s in c["sessions"])


def test_round_trip_into_an_empty_account_gives_the_same_file(alice: User) -> None:
    rich_journal(alice)
    first = journal_text(alice)
    vanish(alice)  # as if on another installation: the codes are free again
    newcomer = make_coach("new@example.com")
    done = import_journal(newcomer, read_journal(first.encode()))
    assert (done.coachees, done.sessions, done.new_codes) == (4, 22, False)
    assert without_stamp(journal_text(newcomer)) == without_stamp(first)


def _codes_by_position(data: dict[str, Any]) -> dict[str, Any]:
    """The file with every code replaced by where it first appears."""
    seen: dict[str, str] = {}
    text = json.dumps(data)
    for c in data["coachees"]:
        for code in [c["code"], *(g["code"] for g in c["goals"])]:
            seen.setdefault(code, f"#{len(seen)}")
        for s in c["sessions"]:
            seen.setdefault(s["code"], f"#{len(seen)}")
            if s["reflection"]:
                seen.setdefault(s["reflection"]["code"], f"#{len(seen)}")
            for a in s["actions"]:
                seen.setdefault(a["code"], f"#{len(seen)}")
    for code, place in seen.items():
        text = text.replace(code, place)
    return json.loads(text)


def test_importing_on_the_same_installation_gives_new_codes_and_the_same_journal(
    alice: User, bob: User
) -> None:
    rich_journal(alice)
    first = journal_text(alice)
    done = import_journal(bob, read_journal(first.encode()))
    assert done.new_codes
    again = without_stamp(journal_text(bob))
    original = without_stamp(first)
    assert not {c["code"] for c in again["coachees"]} & {c["code"] for c in original["coachees"]}
    # The copied template keeps its name and versions, under a slug of its own.
    assert again["templates"][0]["slug"] != original["templates"][0]["slug"]
    for data in (again, original):
        slug = data["templates"][0]["slug"]
        data["templates"][0]["slug"] = "own"
        data["coach"]["default_template"]["slug"] = "own"
        text = json.dumps(data).replace(f'"slug": "{slug}"', '"slug": "own"')
        data.clear()
        data.update(json.loads(text))
    assert _codes_by_position(again) == _codes_by_position(original)


def test_imported_text_is_sealed_in_the_database(alice: User) -> None:
    rich_journal(alice)
    first = journal_text(alice)
    vanish(alice)
    newcomer = make_coach("new@example.com")
    import_journal(newcomer, read_journal(first.encode()))
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM coachees_coachee")
        names = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT text FROM journal_answer")
        answers = [row[0] for row in cursor.fetchall()]
    assert all(n.startswith("v1.") for n in names)
    assert not any(CANARY in a for a in answers)
    zeb = [c for c in Coachee.objects.for_coach(newcomer) if c.preferred_name == "Zeb"]
    assert zeb[0].name == CANARY


# ---- refusals: nothing imported -----------------------------------------------------------


@pytest.fixture
def good_file(alice: User) -> dict[str, Any]:
    rich_journal(alice)
    data: dict[str, Any] = json.loads(journal_text(alice))
    vanish(alice)
    return data


def _refused(data: Any, newcomer: User, raw: bytes | None = None) -> JournalFileError:
    keys_before = set(keystore().codes())
    body = raw if raw is not None else json.dumps(data).encode()
    with pytest.raises(JournalFileError) as caught:
        import_journal(newcomer, read_journal(body))
    assert not Coachee.objects.for_coach(newcomer).exists()
    assert not CoachingSession.objects.for_coach(newcomer).exists()
    assert set(keystore().codes()) == keys_before
    return caught.value


def _tampered(good: dict[str, Any], change: Any) -> dict[str, Any]:
    data = copy.deepcopy(good)
    change(data)
    return data


def _zeb(data: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in data["coachees"] if c["name"] == CANARY)


TAMPERINGS: dict[str, tuple[Any, str]] = {
    "newer version": (lambda d: d.update(version=2), "newer Debrief"),
    "no format": (lambda d: d.pop("format"), "not a Debrief journal"),
    "wrong type": (
        lambda d: d["coachees"][0]["sessions"][0].update(duration_minutes="sixty"),
        "coachees[0].sessions[0].duration_minutes: 'sixty' is not of type 'integer'",
    ),
    "negative duration": (
        lambda d: d["coachees"][0]["sessions"][0].update(duration_minutes=-5),
        "less than the minimum of 1",
    ),
    "missing field": (lambda d: d["coachees"][0].pop("name"), "'name' is a required property"),
    "unknown field": (lambda d: d["coachees"][0].update(shoe_size=9), "shoe_size"),
    "enormous string": (
        lambda d: d["coachees"][0].update(background="x" * 60_000),
        "coachees[0].background",
    ),
    "duplicate code": (
        lambda d: d["coachees"][1].update(code=d["coachees"][0]["code"]),
        "is used twice",
    ),
    "duplicate session number": (
        lambda d: d["coachees"][0]["sessions"][1].update(number=1),
        "appears twice",
    ),
    "absent goal": (
        lambda d: _zeb(d)["sessions"][1]["goal_progress"].append(
            {"goal": "00000000-0000-4000-8000-000000000000", "score": 3, "note": ""}
        ),
        "no goal 00000000-0000-4000-8000-000000000000",
    ),
    "absent action": (
        lambda d: _zeb(d)["sessions"][1]["action_reviews"][0].update(
            action="00000000-0000-4000-8000-000000000001"
        ),
        "no action",
    ),
    "absent template": (
        lambda d: d["coachees"][0]["sessions"][0]["reflection"]["template"].update(slug="nope"),
        "no template “nope” version",
    ),
    "absent technique": (
        lambda d: _zeb(d)["sessions"][1]["reflection"]["techniques"][0].update(technique="zz"),
        "no technique “zz”",
    ),
    "bad template definition": (
        lambda d: d["templates"][0]["versions"][0]["definition"].update(sections="x"),
        "templates[0].versions[0].definition",
    ),
    "impossible date": (
        lambda d: d["coachees"][0]["sessions"][0].update(date="2026-02-31"),
        "is not a date",
    ),
    "counts do not match": (lambda d: d["counts"].update(sessions=41), "it may be cut short"),
    "a session missing": (lambda d: d["coachees"][0]["sessions"].pop(), "it may be cut short"),
}


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_a_tampered_file_is_refused_with_where_and_nothing_imported(
    name: str, good_file: dict[str, Any]
) -> None:
    change, expected = TAMPERINGS[name]
    error = _refused(_tampered(good_file, change), make_coach("new@example.com"))
    told = " ".join([error.summary, *error.problems])
    assert expected in told
    assert len(told) < 3000  # an enormous value is never echoed back whole


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\xff\xfe{\x00}\x00", "not UTF-8"),
        (b'{"format": "debrief-journal", "version": 1', "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nests"),
        (b'{"format": "debrief-journal", "format": "x"}', "appears twice"),
        (b'{"a":' * 50 + b"1" + b"}" * 50, "nests more than 40"),
        (b"", "not valid JSON"),
    ],
    ids=["utf-16", "cut short", "deep nesting", "repeated key", "nesting past bound", "empty"],
)
def test_bytes_that_are_not_a_journal_are_refused(raw: bytes, expected: str, bob: User) -> None:
    error = _refused(None, bob, raw)
    assert expected in error.summary


def test_an_account_that_is_not_empty_is_refused(good_file: dict[str, Any], bob: User) -> None:
    make_coachee(bob, name="Already here")
    with pytest.raises(JournalFileError, match="already holds coachees"):
        import_journal(bob, read_journal(json.dumps(good_file).encode()))
    assert Coachee.objects.for_coach(bob).count() == 1


def test_a_failure_midway_leaves_nothing(
    good_file: dict[str, Any], bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from debrief.portable import journal_in

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(journal_in, "_write_reviews", broken)
    keys_before = set(keystore().codes())
    with pytest.raises(RuntimeError):
        import_journal(bob, read_journal(json.dumps(good_file).encode()))
    assert not Coachee.objects.for_coach(bob).exists()
    assert not Technique.objects.for_coach(bob).exists()
    assert set(keystore().codes()) == keys_before


# ---- through the front door ---------------------------------------------------------------


def _signed_up(email: str) -> Client:
    client = Client()
    response = client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]
    return client


def test_export_asks_for_the_password_then_streams_the_file(
    alice_client: Client, alice: User
) -> None:
    rich_journal(alice)
    response = alice_client.get(reverse("journal_export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    alice_client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = alice_client.get(reverse("journal_export"))
    assert response.status_code == 200 and response.streaming
    assert response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert json.loads(body)["counts"]["sessions"] == 22


def test_another_coachs_export_holds_nothing_of_alices(alice: User, bob_client: Client) -> None:
    rich_journal(alice)
    bob_client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    body = b"".join(bob_client.get(reverse("journal_export")).streaming_content)  # type: ignore[attr-defined]
    data = json.loads(body)
    assert data["coachees"] == [] and data["opening_balance"] is None
    assert CANARY.encode() not in body


def test_a_new_account_imports_a_file_through_the_page(alice: User, settings: Any) -> None:
    settings.DEBRIEF_OPEN_SIGNUP = True
    rich_journal(alice)
    raw = journal_text(alice).encode()
    vanish(alice)
    client = _signed_up("moved@example.com")
    upload = SimpleUploadedFile("journal.json", raw, content_type="application/json")
    response = client.post(reverse("journal_import"), {"file": upload})
    assert response.status_code == 302 and response["Location"] == reverse("coachee_list")
    page = client.get(reverse("coachee_list")).content.decode()
    assert "Your journal is here: 4 coachees and 22 sessions." in page
    assert "Zeb" in page


def test_the_page_shows_why_a_file_was_refused(bob_client: Client) -> None:
    upload = SimpleUploadedFile("j.json", b'{"format": "debrief-journal", "version": 7}')
    page = bob_client.post(reverse("journal_import"), {"file": upload}).content.decode()
    assert "version 7 of the journal format" in page and "Nothing was imported." in page


def test_a_large_upload_is_held_in_memory_never_in_a_temporary_file(
    bob_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.files import uploadedfile

    def no_temp_files(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", no_temp_files)
    padding = " " * (4 * 1024 * 1024)  # past Django's 2.5 MB in-memory limit
    raw = ('{"format": "debrief-journal", "version": 9' + padding + "}").encode()
    page = bob_client.post(reverse("journal_import"), {"file": SimpleUploadedFile("j.json", raw)})
    assert "version 9 of the journal format" in page.content.decode()


def test_a_file_past_the_bound_is_refused_unread(
    bob_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from debrief.portable import format as journal_format

    monkeypatch.setattr(journal_format, "MAX_BYTES", 1000)
    upload = SimpleUploadedFile("j.json", b" " * 5000)
    page = bob_client.post(reverse("journal_import"), {"file": upload}).content.decode()
    assert "The file is over 1,000 bytes" in page and "Nothing was imported." in page
