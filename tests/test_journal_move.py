"""A journal that moves: the whole journal as one JSON file, and back into an empty account."""

from __future__ import annotations

import base64
import copy
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
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
from debrief.followup.models import ActionItem, ActionReview, Goal
from debrief.icflog.log import OpeningLine
from debrief.icflog.models import OpeningBalance, save_opening
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.portable import journal_out
from debrief.portable.format import schema
from debrief.portable.journal_check import JournalFileError, _inline, read_journal
from debrief.portable.journal_in import import_journal
from debrief.portable.journal_out import journal_text
from debrief.portable.quick_schema import compile_schema
from debrief.practice import certificates
from debrief.practice.models import (
    BodyChoice,
    ClientFeedback,
    ClientFlags,
    CPDEntry,
    MentoringEntry,
    PracticeProfile,
    SupervisionEntry,
)
from debrief.privacy.keystore import keystore
from debrief.prompts.library import copy_template
from debrief.prompts.models import ReflectionTemplate, TemplateVersion, brief_template
from debrief.techniques.models import Technique, TechniqueUse
from tests.conftest import PASSWORD, make_coach, make_coachee, make_session, sealed_v3

CANARY = "Zebedee-Quartz-4417"
NOWHERE = "00000000-0000-4000-8000-00000000abcd"
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
    save_opening(coach, [OPENING_CLIENT])
    practice_records(coach, person, [first, second])


OPENING_CLIENT = OpeningLine(
    client=f"{CANARY} Ltd", paid_hours=Decimal(12), pro_bono_hours=Decimal(0), people=4,
    contact="ops@example.org", group=True, group_size=4, first=date(2019, 1, 2),
    last=date(2019, 6, 30),
)  # fmt: skip
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"


def practice_records(coach: User, person: Coachee, sessions: list[CoachingSession]) -> None:
    """Every kind of practice record: supervision bringing sessions, mentoring, CPD with a
    certificate, feedback (from a coachee and anonymous), bodies, the profile, a flag."""
    PracticeProfile.objects.create(
        coach=coach, first_practised_on=date(2018, 5, 1), training_hours=Decimal("64.5")
    )
    BodyChoice.objects.create(coach=coach, body="icf", level_held="acc", awarded_on=TODAY)
    BodyChoice.objects.create(coach=coach, body="ac", level_held="", route="executive")
    supervision = SupervisionEntry.objects.create(
        coach=coach, date=date(2026, 9, 10), hours=Decimal("1.5"), supervisor="Dr Ruth Lane",
        themes=f"{CANARY} and the stuck feeling", learning="slow down",
    )  # fmt: skip
    supervision.sessions.set(sessions)
    MentoringEntry.objects.create(
        coach=coach, date=date(2026, 8, 1), hours=Decimal(1), mentor="Sam Ode",
        mentor_email="sam@example.org", mentor_credential="MCC", mode="group",
    )  # fmt: skip
    cpd = CPDEntry.objects.create(
        coach=coach, date=date(2026, 7, 1), hours=Decimal("6.25"), provider="Coach School",
        title="Ethics day", category="ethics", coach_training=True, learning="contracting",
        certificate_type="pdf", certificate_size=len(PDF), certificate_name="ethics.pdf",
    )  # fmt: skip
    certificates.store(cpd.code, PDF)
    CPDEntry.objects.create(
        coach=coach, date=date(2026, 7, 2), hours=Decimal(2), provider="Book", title="Reading"
    )
    ClientFeedback.objects.create(
        coach=coach, coachee=person, date=date(2026, 9, 9), text=f"{CANARY} found it useful"
    )
    ClientFeedback.objects.create(coach=coach, date=date(2026, 9, 11), text="Anonymous thanks")
    ClientFlags.objects.create(coach=coach, coachee=person, executive=True)


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
    assert data["format"] == "debrief-journal" and data["version"] == 2
    assert data["counts"] == {"coachees": 4, "sessions": 22}
    assert data["templates"][0]["versions"][0]["definition"]["sections"]
    assert data["techniques"] == [
        {"slug": "walk-and-talk", "name": "Walk and talk", "description": "", "retired": False}
    ]
    assert data["opening_balances"] == [
        {
            "client": "", "contact": "", "group": False, "group_size": None, "first": None,
            "last": None, "paid_hours": "120.50", "pro_bono_hours": "8.00", "clients": 11,
        },
        {
            "client": f"{CANARY} Ltd", "contact": "ops@example.org", "group": True,
            "group_size": 4, "first": "2019-01-02", "last": "2019-06-30", "paid_hours": "12.00",
            "pro_bono_hours": "0.00", "clients": 4,
        },
    ]  # fmt: skip
    practice = data["practice"]
    assert practice["profile"] == {"first_practised_on": "2018-05-01", "training_hours": "64.50"}
    assert [b["body"] for b in practice["bodies"]] == ["ac", "icf"]
    assert practice["supervision"][0]["themes"] == f"{CANARY} and the stuck feeling"
    zeb_sessions = {s["code"] for s in _zeb(data)["sessions"]}
    assert set(practice["supervision"][0]["sessions"]) == zeb_sessions
    assert practice["mentoring"][0]["mentor_credential"] == "MCC"
    cert = practice["cpd"][0]["certificate"]
    assert (cert["kind"], cert["name"], base64.b64decode(cert["data"])) == (
        "pdf",
        "ethics.pdf",
        PDF,
    )
    assert practice["cpd"][1]["certificate"] is None
    assert [f["coachee"] for f in practice["client_feedback"]] == [_zeb(data)["code"], None]
    assert practice["executive_coachees"] == [_zeb(data)["code"]]
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


def test_the_file_is_the_same_whatever_the_size_of_a_batch_of_sessions(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    rich_journal(alice)
    stamp = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    whole = journal_text(alice, stamp)
    monkeypatch.setattr(journal_out, "BATCH", 2)  # batches of two sessions, and one of one
    assert journal_text(alice, stamp) == whole


def test_codes_in_the_file_are_written_as_the_database_holds_them(alice: User) -> None:
    rich_journal(alice)
    data = json.loads(journal_text(alice))
    sessions = [s for c in data["coachees"] for s in c["sessions"]]

    def codes(model: Any) -> set[str]:
        return {str(code) for code in model.objects.for_coach(alice).values_list("code", flat=True)}

    assert {s["code"] for s in sessions} == codes(CoachingSession)
    assert {s["reflection"]["code"] for s in sessions if s["reflection"]} == codes(Reflection)
    assert {a["code"] for s in sessions for a in s["actions"]} == codes(ActionItem)
    reviewed = {r["action"] for s in sessions for r in s["action_reviews"]}
    assert reviewed and reviewed <= codes(ActionItem)
    scored = {p["goal"] for s in sessions for p in s["goal_progress"]}
    assert scored and scored <= codes(Goal)


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
    for key in ("supervision", "mentoring", "cpd", "client_feedback"):
        for e in data["practice"][key]:
            seen.setdefault(e["code"], f"#{len(seen)}")
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
        names = [bytes(row[0]) for row in cursor.fetchall()]
        cursor.execute("SELECT text FROM journal_answer")
        answers = [bytes(row[0]) for row in cursor.fetchall()]
    assert all(map(sealed_v3, names))
    assert not any(CANARY.encode() in a for a in answers)
    zeb = [c for c in Coachee.objects.for_coach(newcomer) if c.preferred_name == "Zeb"]
    assert zeb[0].name == CANARY


def test_a_value_that_does_not_open_reads_in_the_file_as_on_a_page(alice: User) -> None:
    rich_journal(alice)
    action = ActionItem.objects.for_coach(alice).order_by("pk")[0]
    person = action.coachee
    other = ActionItem.objects.for_coach(alice).exclude(coachee=person).order_by("pk")[0]
    damaged, kept = Answer.objects.filter(reflection__session__coachee=person).order_by("pk")[:2]
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM journal_answer WHERE id = %s", [damaged.pk])
        token = bytes(cursor.fetchone()[0])
        cursor.execute(
            "UPDATE journal_answer SET text = %s WHERE id = %s",
            [token[:-6] + b"AAAAAA", damaged.pk],
        )
        cursor.execute("SELECT text FROM followup_actionitem WHERE id = %s", [other.pk])
        theirs = cursor.fetchone()[0]  # sealed with another coachee's key
        cursor.execute(
            "UPDATE followup_actionitem SET text = %s WHERE id = %s", [theirs, action.pk]
        )
    on_page = [Answer.objects.get(pk=damaged.pk).text, ActionItem.objects.get(pk=action.pk).text]
    assert on_page == [
        "This note cannot be opened: it is damaged.",
        "This note cannot be opened: it was sealed for another coachee.",
    ]
    data = json.loads(journal_text(alice))
    mine = next(c for c in data["coachees"] if c["code"] == str(person.code))["sessions"]
    answers = [a["text"] for s in mine if s["reflection"] for a in s["reflection"]["answers"]]
    actions = [a["text"] for s in mine for a in s["actions"]]
    assert [t for t in answers if t.startswith("This note")] == on_page[:1]
    assert [t for t in actions if t.startswith("This note")] == on_page[1:]
    assert kept.text in answers and kept.text
    assert not any(t.startswith(("v1.", "v2.")) for t in answers + actions)


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
    "newer version": (lambda d: d.update(version=3), "newer Debrief"),
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
    # The practice records (version 2).
    "supervision of an absent session": (
        lambda d: d["practice"]["supervision"][0]["sessions"].append(NOWHERE),
        f"practice.supervision[0].sessions: no session {NOWHERE} in the file",
    ),
    "supervision names a session twice": (
        lambda d: d["practice"]["supervision"][0]["sessions"].append(
            d["practice"]["supervision"][0]["sessions"][0]
        ),
        "a session is named twice",
    ),
    "feedback from an absent coachee": (
        lambda d: d["practice"]["client_feedback"][0].update(coachee=NOWHERE),
        f"practice.client_feedback[0].coachee: no coachee {NOWHERE}",
    ),
    "executive flag of an absent coachee": (
        lambda d: d["practice"]["executive_coachees"].append(NOWHERE),
        "practice.executive_coachees: no coachee",
    ),
    "certificate bytes changed": (
        lambda d: d["practice"]["cpd"][0]["certificate"].update(
            data=base64.b64encode(b"MZ" + PDF[2:]).decode()
        ),
        "practice.cpd[0].certificate: the certificate is not the PDF file it says",
    ),
    "certificate cut short": (
        lambda d: d["practice"]["cpd"][0]["certificate"].update(
            data=d["practice"]["cpd"][0]["certificate"]["data"][:-8]
        ),
        "practice.cpd[0].certificate",
    ),
    "certificate not base64": (
        lambda d: d["practice"]["cpd"][0]["certificate"].update(data="%%%"),
        "practice.cpd[0].certificate.data",
    ),
    "certificate of another kind": (
        lambda d: d["practice"]["cpd"][0]["certificate"].update(kind="exe"),
        "practice.cpd[0].certificate.kind",
    ),
    "practice code used twice": (
        lambda d: d["practice"]["mentoring"][0].update(code=d["practice"]["cpd"][0]["code"]),
        "is used twice",
    ),
    "practice code of a session": (
        lambda d: d["practice"]["mentoring"][0].update(
            code=d["coachees"][0]["sessions"][0]["code"]
        ),
        "is used twice",
    ),
    "hours of zero": (
        lambda d: d["practice"]["mentoring"][0].update(hours="0"),
        "practice.mentoring[0].hours: 0 is not more than 0",
    ),
    "unknown body": (
        lambda d: d["practice"]["bodies"][0].update(body="xyz"),
        "practice.bodies[0].body",
    ),
    "body twice": (
        lambda d: d["practice"]["bodies"].append(d["practice"]["bodies"][0]),
        "appears twice",
    ),
    "level of no body": (
        lambda d: d["practice"]["bodies"][1].update(level_held="grandmaster"),
        "is no level of icf",
    ),
    "practice part missing": (lambda d: d.pop("practice"), "'practice' is a required property"),
    "impossible supervision date": (
        lambda d: d["practice"]["supervision"][0].update(date="2026-13-01"),
        "practice.supervision[0].date: 2026-13-01 is not a date",
    ),
    "opening row ends before it starts": (
        lambda d: d["opening_balances"][1].update(last="2018-01-01"),
        "opening_balances[1].last: 2018-01-01 is before 2019-01-02",
    ),
    "opening group too large": (
        lambda d: d["opening_balances"][1].update(group_size=40),
        "opening_balances[1].group_size",
    ),
    "opening hours negative": (
        lambda d: d["opening_balances"][0].update(paid_hours="-3"),
        "opening_balances[0].paid_hours",
    ),
    "a version 1 key in a version 2 file": (
        lambda d: d.update(opening_balance=None),
        "opening_balance",
    ),
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
    assert data["coachees"] == [] and data["opening_balances"] == []
    assert data["practice"] == {
        "profile": None, "bodies": [], "supervision": [], "mentoring": [], "cpd": [],
        "client_feedback": [], "executive_coachees": [],
    }  # fmt: skip
    assert CANARY.encode() not in body and b"Dr Ruth Lane" not in body


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


# ---- version 2: the practice records and the hours before Debrief per client -------------

V1_FILE = Path(__file__).parent / "journals" / "journal-v1.json"


def test_a_version_1_file_written_by_an_older_debrief_still_imports(bob: User) -> None:
    raw = V1_FILE.read_bytes()
    assert json.loads(raw)["version"] == 1
    done = import_journal(bob, read_journal(raw))
    assert (done.coachees, done.sessions) == (2, 6)
    (row,) = OpeningBalance.objects.for_coach(bob)
    assert (row.client, row.paid_hours, row.pro_bono_hours, row.clients) == (
        "", Decimal("64.25"), Decimal(3), 9
    )  # fmt: skip
    again = json.loads(journal_text(bob))
    assert again["version"] == 2 and again["practice"]["supervision"] == []
    old = json.loads(raw)
    assert [c["name"] for c in again["coachees"]] == [c["name"] for c in old["coachees"]]
    assert again["coachees"][0]["sessions"] == old["coachees"][0]["sessions"]


def test_a_file_of_a_newer_version_is_refused_saying_what_to_do(bob: User) -> None:
    raw = json.dumps({"format": "debrief-journal", "version": 7, "anything": []}).encode()
    error = _refused(None, bob, raw)
    assert "version 7" in error.summary and "reads versions 1 to 2" in error.summary
    assert "update Debrief" in error.summary and "Nothing was imported" in error.summary


def test_the_practice_records_arrive_sealed_with_their_certificate(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    rich_journal(alice)
    first = journal_text(alice)
    with django_capture_on_commit_callbacks(execute=True):
        vanish(alice)
    newcomer = make_coach("new@example.com")
    import_journal(newcomer, read_journal(first.encode()))
    cpd = CPDEntry.objects.for_coach(newcomer).get(title="Ethics day")
    assert certificates.load(cpd.code) == PDF
    assert CANARY.encode() not in certificates._path(cpd.code).read_bytes()
    supervision = SupervisionEntry.objects.for_coach(newcomer).get()
    assert supervision.sessions.count() == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT themes FROM practice_supervisionentry")
        themes = bytes(cursor.fetchone()[0])
        cursor.execute("SELECT text FROM practice_clientfeedback")
        feedback = [bytes(row[0]) for row in cursor.fetchall()]
        cursor.execute("SELECT client FROM icflog_openingbalance")
        clients = [bytes(row[0]) for row in cursor.fetchall()]
    assert not any(CANARY.encode() in v for v in [themes, *feedback, *clients])
    assert sealed_v3(themes) and sum(map(sealed_v3, clients)) == 1


def test_the_practice_records_come_back_with_new_codes_on_the_same_installation(
    alice: User,
) -> None:
    rich_journal(alice)
    first = json.loads(journal_text(alice))
    newcomer = make_coach("new@example.com")
    done = import_journal(newcomer, read_journal(json.dumps(first).encode()))
    assert done.new_codes
    again = json.loads(journal_text(newcomer))
    old_codes = {e["code"] for e in first["practice"]["supervision"] + first["practice"]["cpd"]}
    new_codes = {e["code"] for e in again["practice"]["supervision"] + again["practice"]["cpd"]}
    assert not old_codes & new_codes
    zeb = _zeb(again)
    assert set(again["practice"]["supervision"][0]["sessions"]) == {
        s["code"] for s in zeb["sessions"]
    }
    assert again["practice"]["executive_coachees"] == [zeb["code"]]
    assert again["practice"]["cpd"][0]["certificate"] == first["practice"]["cpd"][0]["certificate"]


def test_an_account_with_practice_records_is_not_empty(
    good_file: dict[str, Any], bob: User
) -> None:
    MentoringEntry.objects.create(coach=bob, date=TODAY, hours=Decimal(1), mentor="Someone")
    error = _refused(good_file, bob)
    assert "practice records" in error.summary


# ---- the quick schema check agrees with jsonschema ---------------------------------------


def test_the_quick_schema_check_agrees_with_jsonschema(good_file: dict[str, Any]) -> None:
    assert compile_schema(_inline(schema(), schema()["$defs"]))(good_file)
    compared = 0
    for name, (change, _) in sorted(TAMPERINGS.items()):
        data = _tampered(good_file, change)
        version = data.get("version")
        if version not in (1, 2) or data.get("format") != "debrief-journal":
            continue  # refused before any schema
        full = _inline(schema(version), schema(version)["$defs"])
        expected = not list(Draft202012Validator(full).iter_errors(data))
        assert compile_schema(full)(data) is expected, name
        compared += 1
    assert compared >= 35


@pytest.mark.parametrize(
    ("node", "value", "valid"),
    [
        ({"type": "integer"}, True, False),
        ({"type": "integer"}, 3.0, True),
        ({"type": "integer"}, 3.5, False),
        ({"const": 1}, True, False),
        ({"enum": [0, 1]}, 1.0, True),
        ({"type": "string", "pattern": "^a$"}, "a\n", True),  # re.search, as jsonschema does
        ({"type": "string", "maxLength": 2}, "ééé", False),
        ({"type": ["object", "null"], "required": ["x"]}, None, True),
        ({"type": "object", "additionalProperties": False, "properties": {}}, {"y": 1}, False),
        ({"type": "array", "maxItems": 1, "items": {"type": "string"}}, ["a", 2], False),
        ({"minimum": 1}, "0", True),
    ],
)
def test_the_quick_schema_check_follows_json_schemas_rules(
    node: Any, value: Any, valid: bool
) -> None:
    assert list(Draft202012Validator(node).iter_errors(value)) is not valid
    assert compile_schema(node)(value) is valid


def test_the_quick_schema_check_refuses_a_keyword_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="oneOf"):
        compile_schema({"oneOf": [{"type": "null"}]})
