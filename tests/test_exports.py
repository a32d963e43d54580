"""PDF and Markdown of a reflection, a coachee's dossier and the whole journal (issue 12, 1-2)."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import date, time
from typing import Any

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, Goal, GoalProgress
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.prompts import kinds, library
from debrief.prompts.definition import parse
from debrief.techniques.models import Technique, TechniqueUse
from tests.conftest import make_coachee, make_session
from tests.test_export import reauthenticate

CANARY = "Canary-Quince-5521"
ARABIC = "تقدم جيد في الجلسة"  # "good progress in the session"

EVERY_KIND: dict[str, Any] = {
    "title": "Every kind",
    "sections": [
        {
            "key": "info",
            "title": "Session information",
            "phase": "info",
            "groups": [
                {
                    "title": "",
                    "prompts": [
                        {"key": "who", "text": "Coachee", "kind": "session", "fact": "coachee"}
                    ],
                }
            ],
        },
        {
            "key": "after",
            "title": "Afterwards",
            "groups": [
                {
                    "title": "",
                    "prompts": [
                        {"key": "story", "text": "What happened?", "kind": "long_text"},
                        {"key": "gist", "text": "In a line", "kind": "short_text"},
                        {
                            "key": "how",
                            "text": "How did it go?",
                            "kind": "rating",
                            "scale_min": 1,
                            "scale_max": 10,
                        },
                        {"key": "again", "text": "Would you do it again?", "kind": "yes_no"},
                        {"key": "minutes", "text": "Minutes of silence", "kind": "number"},
                        {
                            "key": "energy",
                            "text": "Their energy",
                            "kind": "single_choice",
                            "options": ["Low", "High"],
                        },
                        {
                            "key": "stages",
                            "text": "Stages reached",
                            "kind": "multiple_choice",
                            "options": ["Goal", "Reality", "Will"],
                        },
                        {"key": "tech", "text": "Techniques", "kind": "techniques"},
                        {
                            "key": "theirs",
                            "text": "Their actions",
                            "kind": "actions",
                            "owner": "coachee",
                        },
                        {"key": "mine", "text": "My actions", "kind": "actions", "owner": "coach"},
                        {"key": "goals", "text": "Goal progress", "kind": "goal_progress"},
                    ],
                }
            ],
        },
    ],
}


def _every_kind_session(coach: User) -> CoachingSession:
    coachee = make_coachee(coach, name=f'{CANARY} "Q": Smith', preferred_name="Quin")
    template = library.create(coach, "Every kind", "", parse(EVERY_KIND))
    session = make_session(
        coachee, 3, date=date(2026, 12, 1), start_time=time(9, 30), duration_minutes=75
    )
    reflection = session.reflection
    reflection.template_version = template.latest_version()
    reflection.status = Reflection.Status.COMPLETE
    reflection.save()
    answers = {
        "story": ("# Not a heading\n\nShe said *this* [link](http://x) <b>x</b>", None),
        "gist": (ARABIC, None),
        "how": ("A comment on the score", 7),
        "again": ("", 1),
        "minutes": ("4.5", None),
        "energy": ("High", None),
        "stages": ("Goal\nWill", None),
    }
    for key, (text, rating) in answers.items():
        Answer.objects.create(reflection=reflection, prompt_key=key, text=text, rating=rating)
    technique = Technique.objects.create(coach=coach, slug="silence", name="Silence")
    TechniqueUse.objects.create(
        coach=coach,
        reflection=reflection,
        technique=technique,
        prompt_key="tech",
        effectiveness=4,
        note="Long pause",
    )
    for owner, text in (("coachee", "Draft the plan"), ("coach", "Send the article")):
        ActionItem.objects.create(
            coach=coach,
            coachee=coachee,
            session=session,
            owner=owner,
            text=text,
            due=date(2026, 12, 15),
        )
    goal = Goal.objects.create(coach=coach, coachee=coachee, title="Lead the board meeting")
    GoalProgress.objects.create(coach=coach, goal=goal, session=session, score=6, note="Closer")
    return session


def _pdf_text(content: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return done.stdout.decode()


def _front_matter(text: str) -> dict[str, Any]:
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, text[:200]
    data: dict[str, Any] = yaml.safe_load(match.group(1))
    return data


@pytest.fixture
def every(alice: User) -> CoachingSession:
    return _every_kind_session(alice)


def test_the_template_uses_every_registered_kind() -> None:
    used = {p["kind"] for s in EVERY_KIND["sections"] for g in s["groups"] for p in g["prompts"]}
    assert used == set(kinds.names())


def test_reflection_markdown_has_front_matter_and_every_kind(
    alice_client: Client, every: CoachingSession
) -> None:
    reauthenticate(alice_client)
    response = alice_client.get(reverse("export_reflection_markdown", args=[every.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert CANARY not in response["Content-Disposition"]
    text = response.content.decode()
    data = _front_matter(text)
    assert data["date"] == date(2026, 12, 1)
    assert data["coachee"] == "Quin"
    assert (data["session"], data["duration_minutes"], data["format"]) == (3, 75, "Video call")
    assert (data["template"], data["template_version"]) == ("Every kind", 1)
    assert data["ratings"] == [{"prompt": "How did it go?", "score": 7, "scale": 10}]
    assert data["techniques"] == [{"technique": "Silence", "effectiveness": 4}]
    assert data["actions"] == [
        {"for": "coachee", "text": "Draft the plan", "status": "open", "due": date(2026, 12, 15)},
        {"for": "coach", "text": "Send the article", "status": "open", "due": date(2026, 12, 15)},
    ]
    body = text.split("\n---\n", 1)[1]
    for expected in (
        "\\# Not a heading",  # the coach's text never becomes markup
        "She said \\*this\\* \\[link\\](http://x) \\<b\\>x\\</b\\>",
        ARABIC,
        "**7** on a scale of 1 to 10",
        "A comment on the score",
        "### Would you do it again?\n\nYes",
        "4.5",
        "### Their energy\n\nHigh",
        "- Goal\n- Will",
        "- **Silence**: 4 of 5 for effectiveness (Long pause)",
        "- Draft the plan (open, due 15 December 2026)",
        "- Send the article (open, due 15 December 2026)",
        "- **Lead the board meeting**: 6 of 10. Closer",
        "# Session 3 with Quin",
        "Tuesday 1 December 2026",
    ):
        assert expected in body, expected


def test_a_name_with_quotes_and_colons_stays_one_yaml_value(
    alice_client: Client, alice: User
) -> None:
    coachee = make_coachee(alice, name='A "B": C\nD')
    session = make_session(coachee)
    reauthenticate(alice_client)
    text = alice_client.get(reverse("export_reflection_markdown", args=[session.code]))
    assert _front_matter(text.content.decode())["coachee"] == 'A "B": C\nD'


def test_reflection_pdf_reads_like_the_read_view(
    alice_client: Client, every: CoachingSession
) -> None:
    reauthenticate(alice_client)
    response = alice_client.get(reverse("export_reflection_pdf", args=[every.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    text = _pdf_text(response.content)
    for expected in (
        "Session 3 with Quin, 1 December 2026",  # the running header and the heading
        "Tuesday 1 December 2026, 09:30",
        "# Not a heading",
        "She said *this* [link](http://x) <b>x</b>",
        "7 / 10",
        "A comment on the score",
        "Yes",
        "High",
        "Silence",
        "Long pause",
        "Draft the plan",
        "due 15 December 2026",
        "Lead the board meeting",
        "Page 1 of 1",
    ):
        assert expected in text, expected
    # Right-to-left text comes out in its logical order (pdftotext reads it as written).
    assert ARABIC in text


def test_downloads_ask_for_the_password_and_outsiders_get_404(
    alice_client: Client, bob_client: Client, every: CoachingSession
) -> None:
    urls = [
        reverse("export_reflection_pdf", args=[every.code]),
        reverse("export_reflection_markdown", args=[every.code]),
        reverse("export_coachee_pdf", args=[every.coachee.code]),
        reverse("export_coachee_markdown", args=[every.coachee.code]),
    ]
    for url in urls:
        response = alice_client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
    reauthenticate(bob_client)
    for url in [*urls, reverse("export_coachee", args=[every.coachee.code])]:
        response = bob_client.get(url)
        assert response.status_code == 404
        assert CANARY not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def _dossier_world(coach: User) -> Coachee:
    coachee = make_coachee(
        coach, name=CANARY, email="q@example.org", background="Private background"
    )
    goal = Goal.objects.create(coach=coach, coachee=coachee, title="Speak up in meetings")
    for n in range(1, 6):
        session = make_session(coachee, n, date=date(2026, n, 10))
        Answer.objects.create(
            reflection=session.reflection, prompt_key="main_topics", text=f"Topic of month {n}"
        )
        GoalProgress.objects.create(coach=coach, goal=goal, session=session, score=n + 2)
    return coachee


def test_dossier_pdf_of_a_date_range_with_chosen_details_and_a_vector_chart(
    alice_client: Client, alice: User
) -> None:
    coachee = _dossier_world(alice)
    reauthenticate(alice_client)
    url = reverse("export_coachee_pdf", args=[coachee.code])
    query = "?date_from=2026-02-01&date_to=2026-04-30&details=name&details=email"
    response = alice_client.get(url + query)
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert "Topic of month 1" not in text and "Topic of month 5" not in text
    for n in (2, 3, 4):
        assert f"Topic of month {n}" in text
    assert "q@example.org" in text and "Private background" not in text
    assert "Speak up in meetings" in text
    assert "Sessions from 1 February 2026 to 30 April 2026: 3." in " ".join(text.split())
    # The chart is vector graphics: no image is embedded in the PDF.
    assert b"/Subtype /Image" not in response.content
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.detail == {"format": "dossier-pdf", "sessions": 3}


def test_a_date_range_dossier_charts_its_own_scores_under_a_cover_with_no_session_header(
    alice_client: Client, alice: User
) -> None:
    coachee = _dossier_world(alice)  # scores 3 to 7, one a month from January to May
    reauthenticate(alice_client)
    url = reverse("export_coachee_pdf", args=[coachee.code])
    response = alice_client.get(url + "?date_from=2026-02-01&date_to=2026-04-30&details=name")
    pages = _pdf_text(response.content).split("\f")
    text = " ".join(" ".join(pages).split())
    assert "From 4 of 10 at session 2 to 6 of 10 at session 4 (up 2, 3 scores)." in text
    assert "the scores given in the sessions of this dossier only" in text
    # The first page opens with the cover: the session starting below it is named once, by its
    # own heading, not also by the running header above the cover.
    first = pages[0].strip()
    assert first.startswith(f"{CANARY}: coaching dossier"), first[:80]
    heading = f"Session 2 with {CANARY}, 10 February 2026"
    assert " ".join(first.split()).count(heading) == 1
    # The next session's pages are headed with it, and every page is numbered.
    assert all(f"Page {n} of {len(pages) - 1}" in page for n, page in enumerate(pages[:-1], 1))


def test_a_goal_not_scored_in_the_range_says_so(alice_client: Client, alice: User) -> None:
    coachee = _dossier_world(alice)
    reauthenticate(alice_client)
    url = reverse("export_coachee_pdf", args=[coachee.code])
    response = alice_client.get(url + "?date_from=2026-06-01&details=name")
    text = " ".join(_pdf_text(response.content).split())
    assert "Speak up in meetings" in text and "Not scored in these sessions." in text
    assert "From 3 of 10" not in text


@pytest.mark.parametrize(
    "query",
    [
        "?date_from=2026-05-01&date_to=2026-01-01",
        "?date_from=not-a-date",
        "?date_to=3000-01-01",
        "?details=password",
        "?date_from=0001-01-01",
        "?date_from=" + "9" * 500,
    ],
)
def test_a_bad_choice_is_the_page_again_with_why(
    alice_client: Client, alice: User, query: str
) -> None:
    coachee = _dossier_world(alice)
    reauthenticate(alice_client)
    for name in ("export_coachee_pdf", "export_coachee_markdown"):
        response = alice_client.get(reverse(name, args=[coachee.code]) + query)
        assert response.status_code == 400
        assert "message-error" in response.content.decode()


def _zip(response: Any) -> zipfile.ZipFile:
    assert response.streaming, "a journal export must be streamed"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_whole_journal_is_a_streamed_zip_one_file_per_session(
    alice_client: Client, alice: User, bob: User
) -> None:
    _dossier_world(alice)
    twin = make_coachee(alice, name=CANARY)  # the same name: a folder of its own
    make_session(twin, 1, date=date(2026, 2, 2))
    slash = make_coachee(alice, name="A/B: C?")
    make_session(slash, 1)
    make_session(make_coachee(bob, name="Bob's coachee"))
    reauthenticate(alice_client)
    response = alice_client.get(reverse("export_journal_markdown"))
    assert response["Content-Type"] == "application/zip"
    names = _zip(response).namelist()
    assert len(names) == 7
    folders = {n.split("/")[0] for n in names}
    assert len(folders) == 3 and "A B C" in folders
    assert f"{CANARY}/2026-01-10 session 01.md" in names
    archive = _zip(alice_client.get(reverse("export_journal_markdown")))
    data = _front_matter(archive.read(f"{CANARY}/2026-03-10 session 03.md").decode())
    assert (data["coachee"], data["session"]) == (CANARY, 3)
    assert not any("Bob" in n for n in names)
    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert [e.detail for e in events] == [
        {"format": "journal-markdown-zip", "sessions": 7, "coachees": 3}
    ] * 2


def test_a_coachees_sessions_as_markdown_zip(alice_client: Client, alice: User) -> None:
    coachee = _dossier_world(alice)
    reauthenticate(alice_client)
    url = reverse("export_coachee_markdown", args=[coachee.code]) + "?date_from=2026-04-01"
    names = _zip(alice_client.get(url)).namelist()
    assert names == [f"{CANARY}/2026-04-10 session 04.md", f"{CANARY}/2026-05-10 session 05.md"]


def test_the_read_view_and_coachee_page_link_to_the_exports(
    alice_client: Client, every: CoachingSession
) -> None:
    page = alice_client.get(reverse("reflection_view", args=[every.code])).content.decode()
    for name in ("export_reflection_pdf", "export_reflection_markdown", "supervision_flag"):
        assert reverse(name, args=[every.code]) in page
    coachee_page = alice_client.get(reverse("coachee_detail", args=[every.coachee.code]))
    assert reverse("export_coachee", args=[every.coachee.code]) in coachee_page.content.decode()
    assert alice_client.get(reverse("exports")).status_code == 200


def _queries_for_journal(client: Client, coach: User, sessions: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name in ("One", "Two"):
        coachee = make_coachee(coach, name=name)
        for n in range(1, sessions + 1):
            session = make_session(coachee, n, date=date(2026, 1, 1 + n))
            Answer.objects.create(reflection=session.reflection, prompt_key="main_topics", text="t")
            ActionItem.objects.create(
                coach=coach, coachee=coachee, session=session, owner="coach", text="a"
            )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("export_journal_markdown"))
        assert len(_zip(response).namelist()) == 2 * sessions
    return len(queries)


def test_the_journal_is_read_in_bulk_not_session_by_session(
    alice_client: Client, alice: User, bob_client: Client, bob: User
) -> None:
    reauthenticate(alice_client)
    reauthenticate(bob_client)
    few = _queries_for_journal(alice_client, alice, 2)
    many = _queries_for_journal(bob_client, bob, 12)
    assert many == few


TRICKY = [
    "Plain name",
    'A "B": C\nD',
    "yes",
    "No",
    "null",
    "~",
    "1e3",
    "0x1F",
    "2026-01-02",
    "14:30",
    " leading",
    "trailing ",
    "- a list?",
    "a #comment",
    "O'Brien (née Ünal)",
    "tab\there\r\nand \x00\x07\x1b\x7f\x85\x9f",
    "line\u2028separator\u2029paragraph",
    "\ufeffbom",
    "سارة",
    "emoji 🙂",
    "",
    "*star &anchor !tag |pipe >fold {brace} [bracket] %percent @at `tick`",
]


@pytest.mark.parametrize("value", TRICKY)
def test_front_matter_written_directly_reads_back_as_the_same_values(value: str) -> None:
    from debrief.exports.markdown import _direct

    data = {
        "date": date(2026, 3, 10),
        "coachee": value,
        "session": 3,
        "ratings": [{"prompt": value, "score": None, "scale": 10}],
        "actions": [{"for": "next", "text": value, "status": "open", "due": date(2026, 4, 1)}],
        "empty": [],
    }
    written = _direct(data)
    assert written is not None  # the direct path, not PyYAML's
    assert yaml.safe_load(written) == data
