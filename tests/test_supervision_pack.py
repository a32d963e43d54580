"""The supervision pack (issue 12 point 3): flag, choose, review, redact, download: no names."""

from __future__ import annotations

import io
import subprocess
import zipfile
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.coachees.models import Coachee
from debrief.exports.models import SupervisionFlag, SupervisionPack
from debrief.exports.pack import MAX_SESSIONS
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.journal.models import Answer, CoachingSession
from debrief.lib.words import fold
from debrief.techniques.models import Technique, TechniqueUse
from tests.conftest import make_coachee, make_session
from tests.test_export import reauthenticate

# A name no text would hold by chance, in every field a coachee has.
FULL, PREFERRED = "Xanthippe Vorslund-Kaarma", "Xanthé"
EMAIL, ORGANISATION = "x.vorslund@kaarma-works.example", "Kaarma Works Oy"
SECRET = "Bgsecret-Tangerine-3390"  # background and contact details never leave
FORBIDDEN = ("xanthippe", "vorslund", "kaarma", "xanthe", "bgsecret", "x.vorslund")


def _named_everywhere(coach: User) -> Coachee:
    coachee = make_coachee(
        coach,
        name=FULL,
        preferred_name=PREFERRED,
        pronouns="she/her",
        email=EMAIL,
        organisation=ORGANISATION,
        background=f"{SECRET} background about Xanthippe",
        engagement_start=date(2026, 1, 5),
    )
    goal = Goal.objects.create(
        coach=coach,
        coachee=coachee,
        title="XANTHIPPE to lead Kaarma Works Oy's board",
        description="vorslund-kaarma wants it",
    )
    first = make_session(coachee, 1, date=date(2026, 3, 2))
    second = make_session(coachee, 2, date=date(2026, 3, 16))
    for session in (first, second):
        reflection = session.reflection
        texts = {
            "main_topics": f"Xanthe said {EMAIL} was wrong; XANTHIPPE’s boss Bartholomew agreed.",
            "self_learning": "I noticed xanthé and Vorslund both go quiet. Kaarma works too.",
            "listening": "Listened to Xanthippe Vorslund-Kaarma closely",
            "lt.coachee_next_steps": "xanthippe did them",
        }
        for key, text in texts.items():
            Answer.objects.create(reflection=reflection, prompt_key=key, text=text, rating=None)
        technique, _ = Technique.objects.get_or_create(coach=coach, slug="s", name="Silence")
        TechniqueUse.objects.create(
            coach=coach,
            reflection=reflection,
            technique=technique,
            prompt_key="techniques",
            effectiveness=4,
            note="Xanthé needed it",
        )
        GoalProgress.objects.create(
            coach=coach, goal=goal, session=session, score=5, note="Vorslund is closer"
        )
        ActionItem.objects.create(
            coach=coach,
            coachee=coachee,
            session=session,
            owner="coachee",
            text=f"Xanthippe to email {ORGANISATION}",
        )
    action = ActionItem.objects.filter(session=first).first()
    assert action is not None
    ActionReview.objects.create(
        coach=coach, action=action, session=second, choice="carry", note="XANTHE half way"
    )
    return coachee


def _flag(client: Client, session: CoachingSession, note: str) -> None:
    url = reverse("supervision_flag", args=[session.code])
    response = client.post(url, {"for_supervision": "on", "note": note})
    assert response.status_code == 302


def _make_pack(client: Client, **data: str) -> SupervisionPack:
    response = client.post(reverse("supervision_packs"), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return SupervisionPack.objects.get(code=response["Location"].rstrip("/").split("/")[-1])


def _pdf_text(content: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return done.stdout.decode()


def _zip_text(response: Any) -> tuple[list[str], str]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    return names, "\n".join(archive.read(n).decode() for n in names)


def _assert_nowhere(text: str, where: str) -> None:
    folded = fold(text)
    for token in FORBIDDEN:
        assert token not in folded, (where, token)


@pytest.fixture
def coachee(alice: User) -> Coachee:
    return _named_everywhere(alice)


def test_a_name_through_every_field_appears_nowhere_in_the_pack(
    alice_client: Client, alice: User, coachee: Coachee
) -> None:
    sessions = list(coachee.sessions.order_by("number"))
    _flag(alice_client, sessions[0], "What felt stuck with Xanthippe at Kaarma Works Oy")
    _flag(alice_client, sessions[1], "xanthe again")
    pack = _make_pack(alice_client, flagged_only="on")
    review = alice_client.get(reverse("supervision_pack", args=[pack.code])).content.decode()
    _assert_nowhere(review.split('pack-preview"', 1)[1], "review page")
    assert "Session 1 with Client A" in review
    assert "Client A’s email" in review and "Client A’s organisation" in review
    reauthenticate(alice_client)
    pdf = alice_client.get(reverse("supervision_pack_pdf", args=[pack.code]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    _assert_nowhere(text, "pdf")
    info = subprocess.run(["pdfinfo", "-"], input=pdf.content, capture_output=True, check=True)
    _assert_nowhere(info.stdout.decode(), "pdf metadata")
    for expected in ("Client A", "What felt stuck with Client A", "Silence", "Page 1 of"):
        assert expected in text, expected
    names, markdown = _zip_text(
        alice_client.get(reverse("supervision_pack_markdown", args=[pack.code]))
    )
    _assert_nowhere(markdown, "markdown")
    _assert_nowhere(" ".join(names), "file names")
    assert names == ["Client A/2026-03-02 session 01.md", "Client A/2026-03-16 session 02.md"]
    assert "coachee: Client A" in markdown and "for_supervision:" in markdown
    for response in (pdf,):
        _assert_nowhere(response["Content-Disposition"], "file name")


def test_the_review_marks_names_left_and_redactions_are_applied_and_kept(
    alice_client: Client, alice: User, coachee: Coachee
) -> None:
    pack = _make_pack(alice_client, coachee=str(coachee.code))
    url = reverse("supervision_pack", args=[pack.code])
    review = alice_client.get(url).content.decode()
    assert '<mark class="maybe-name">Bartholomew</mark>' in review
    assert 'name="redact" value="Bartholomew"' in review
    response = alice_client.post(url, {"redact": ["Bartholomew"], "more": "Silence\n\n"})
    assert response.status_code == 302
    pack.refresh_from_db()
    assert pack.redaction_list == ["Bartholomew", "Silence"]
    review = alice_client.get(url).content.decode()
    assert "Bartholomew" not in review.split('pack-preview"', 1)[1]
    reauthenticate(alice_client)
    text = _pdf_text(alice_client.get(reverse("supervision_pack_pdf", args=[pack.code])).content)
    assert "Bartholomew" not in text and "[redacted]" in text
    assert "Silence" not in text  # a redaction reaches the coach's technique names too
    assert "2 words redacted by hand" in " ".join(text.split())
    alice_client.post(url, {"op": "clear"})
    pack.refresh_from_db()
    assert pack.redaction_list == []


def test_making_a_pack_is_on_the_trail_with_counts_never_content(
    alice_client: Client, alice: User, coachee: Coachee
) -> None:
    pack = _make_pack(alice_client, coachee=str(coachee.code))
    alice_client.post(reverse("supervision_pack", args=[pack.code]), {"more": "Bartholomew"})
    reauthenticate(alice_client)
    alice_client.get(reverse("supervision_pack_pdf", args=[pack.code]))
    _zip_text(alice_client.get(reverse("supervision_pack_markdown", args=[pack.code])))
    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).order_by("at")
    assert [e.detail for e in events] == [
        {"format": f, "sessions": 2, "coachees": 1, "redactions": 1}
        for f in ("supervision-pack-pdf", "supervision-pack-markdown")
    ]
    assert all(e.subject == str(pack.code) for e in events)


def test_other_coachees_mentioned_get_their_own_pseudonym(
    alice_client: Client, alice: User, coachee: Coachee
) -> None:
    other = make_coachee(alice, name="Ingrid Halvorsen")
    session = coachee.sessions.get(number=1)
    Answer.objects.filter(reflection=session.reflection, prompt_key="main_topics").update(
        rating=None
    )
    answer = Answer.objects.get(reflection=session.reflection, prompt_key="main_topics")
    answer.text = "Ingrid's name came up; so did halvorsen."
    answer.save()
    pack = _make_pack(alice_client, coachee=str(coachee.code), date_to="2026-03-05")
    review = alice_client.get(reverse("supervision_pack", args=[pack.code])).content.decode()
    assert "Client B&#x27;s name came up; so did Client B." in review
    assert "Ingrid" not in review and "Halvorsen" not in review.replace(other.name, "")


def test_the_flag_page_marks_and_unmarks(alice_client: Client, coachee: Coachee) -> None:
    session = coachee.sessions.get(number=1)
    _flag(alice_client, session, "What I want to look at")
    flag = SupervisionFlag.objects.get(reflection=session.reflection)
    assert flag.note == "What I want to look at"
    page = alice_client.get(reverse("supervision_flag", args=[session.code])).content.decode()
    assert "What I want to look at" in page and "checked" in page
    alice_client.post(reverse("supervision_flag", args=[session.code]), {"note": ""})
    assert not SupervisionFlag.objects.filter(reflection=session.reflection).exists()


def test_another_coachs_pack_and_sessions_are_404(
    alice_client: Client, bob_client: Client, coachee: Coachee
) -> None:
    pack = _make_pack(alice_client, coachee=str(coachee.code))
    reauthenticate(bob_client)
    session = coachee.sessions.get(number=1)
    for name, target in (
        ("supervision_pack", pack),
        ("supervision_pack_pdf", pack),
        ("supervision_pack_markdown", pack),
        ("supervision_flag", session),
    ):
        response = bob_client.get(reverse(name, args=[target.code]))
        assert response.status_code == 404, name
    response = bob_client.post(reverse("supervision_pack_delete", args=[pack.code]))
    assert response.status_code == 404
    assert SupervisionPack.objects.filter(pk=pack.pk).exists()
    # Bob cannot put alice's coachee in a pack of his own either.
    response = bob_client.post(reverse("supervision_packs"), {"coachee": str(coachee.code)})
    assert response.status_code == 400
    assert not SupervisionPack.objects.filter(coach__email="bob@example.com").exists()


# --- bad input: every case is a page with a reason (400) or a 404, never a 500 ----------------

PACK_CASES: list[tuple[dict[str, Any], int]] = [
    ({"date_from": "2026-05-01", "date_to": "2026-01-01"}, 400),
    ({"date_from": "yesterday"}, 400),
    ({"date_to": "2026-02-30"}, 400),
    ({"date_from": "0001-01-01"}, 400),
    ({"date_to": "9999-12-31"}, 400),
    ({"date_from": "2" * 5000}, 400),
    ({"date_from": "2026-01-01\x00"}, 400),
    ({"coachee": "not-a-uuid"}, 400),
    ({"coachee": str(uuid4())}, 400),
    ({"coachee": ["a", "b"]}, 400),
    ({"flagged_only": "on"}, 400),  # nothing flagged yet: an empty selection
    ({"date_from": "2030-01-01"}, 400),  # nothing in range
    ({"flagged_only": "\x00"}, 400),
]


def test_bad_pack_choices_are_refused_with_a_reason(alice_client: Client, coachee: Coachee) -> None:
    tried = 0
    for data, expected in PACK_CASES:
        response = alice_client.post(reverse("supervision_packs"), data)
        assert response.status_code == expected, data
        assert "message-error" in response.content.decode(), data
        tried += 1
    assert tried == len(PACK_CASES) == 13
    assert not SupervisionPack.objects.exists()


def test_too_many_sessions_for_one_pack(alice_client: Client, alice: User) -> None:
    many = make_coachee(alice, name="Many")
    for n in range(MAX_SESSIONS + 1):
        make_session(many, n + 1)
    response = alice_client.post(reverse("supervision_packs"), {})
    assert response.status_code == 400
    assert f"More than {MAX_SESSIONS} sessions" in response.content.decode()


REDACTION_CASES: list[dict[str, Any]] = [
    {"more": "\n".join(f"word{i}" for i in range(500))},
    {"redact": [f"w{i}" for i in range(250)]},
    {"more": "x" * 100_000},
    {"more": "a\x00b"},
    {"more": "\n" * 10_000},
    {"more": "<script>alert(1)</script>"},
    {"op": "unknown"},
    {"redact": ["", " ", "\t"]},
]


def test_huge_or_odd_redaction_lists_never_break_the_pack(
    alice_client: Client, coachee: Coachee
) -> None:
    pack = _make_pack(alice_client, coachee=str(coachee.code))
    url = reverse("supervision_pack", args=[pack.code])
    statuses = [alice_client.post(url, data).status_code for data in REDACTION_CASES]
    assert statuses == [400, 400, 400, 302, 302, 302, 302, 302]
    pack.refresh_from_db()
    assert pack.redaction_list == ["ab", "<script>alert(1)</script>"]
    page = alice_client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in page


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    more=st.text(max_size=300),
    redact=st.lists(st.text(max_size=40), max_size=5),
    date_from=st.text(max_size=12),
)
def test_any_text_gives_a_page_never_a_500(
    alice_client: Client, coachee: Coachee, more: str, redact: list[str], date_from: str
) -> None:
    pack = SupervisionPack.objects.filter(coach=coachee.coach).first()
    if pack is None:
        pack = _make_pack(alice_client, coachee=str(coachee.code))
    response = alice_client.post(
        reverse("supervision_pack", args=[pack.code]), {"more": more, "redact": redact}
    )
    assert response.status_code in (302, 400)
    response = alice_client.post(reverse("supervision_packs"), {"date_from": date_from})
    assert response.status_code in (302, 400)
    pack.redactions = ""
    pack.save()


def test_odd_flags_and_sessions_without_a_reflection(alice_client: Client, alice: User) -> None:
    coachee = make_coachee(alice, name="Plain")
    session = make_session(coachee)
    url = reverse("supervision_flag", args=[session.code])
    cases = [
        ({"for_supervision": "on", "note": "x" * 5001}, 400),
        ({"for_supervision": "on", "note": "a\x00b"}, 400),
        ({"for_supervision": "on", "note": ""}, 302),
        ({"for_supervision": ["on", "off"], "note": "twice"}, 302),
        ({"note": "not ticked"}, 302),
    ]
    for data, expected in cases:
        assert alice_client.post(url, data).status_code == expected, data
    bare = CoachingSession.objects.create(
        coach=alice, coachee=coachee, number=2, date=date(2026, 3, 9), duration_minutes=60
    )
    reauthenticate(alice_client)
    for name in ("supervision_flag", "export_reflection_pdf", "export_reflection_markdown"):
        assert alice_client.get(reverse(name, args=[bare.code])).status_code == 404, name


def test_the_packs_page_lists_packs_by_date_and_size_without_names(
    alice_client: Client, coachee: Coachee
) -> None:
    pack = _make_pack(alice_client, coachee=str(coachee.code))
    page = alice_client.get(reverse("supervision_packs")).content.decode()
    assert reverse("supervision_pack", args=[pack.code]) in page
    assert "2 sessions" in page
    _assert_nowhere(page.split("Packs you made", 1)[1], "packs list")


def test_a_packs_own_key_is_made_without_reading_the_whole_installation(
    alice_client: Client, coachee: Coachee
) -> None:
    """The pack's code is drawn here, so its key skips the scan for values sealed under it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.test_keys_refused import _sealed_value_checks

    pack = _make_pack(alice_client, coachee=str(coachee.code))
    url = reverse("supervision_pack", args=[pack.code])
    with CaptureQueriesContext(connection) as queries:
        alice_client.post(url, {"more": "Bartholomew"})
    pack.refresh_from_db()
    assert pack.redaction_list == ["Bartholomew"]  # sealed under the pack's own key
    assert _sealed_value_checks(queries.captured_queries, pack.code) == []
