"""The demo practice's accreditation records: bodies, supervision, mentoring, CPD, feedback.

Dated relative to ``today`` so the progress pages always look lived-in: an ICF ACC awarded
two years and eight months ago (renewal due in about four months, mentor coaching still short),
an EMCC Foundation award, the AC as a next step; supervision every five weeks until two months
ago (so this quarter has none yet), and CPD a little short of 16 hours over the last year.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.icflog.log import months_before
from debrief.icflog.models import OpeningBalance
from debrief.journal.models import CoachingSession
from debrief.practice.models import (
    BodyChoice,
    ClientFeedback,
    ClientFlags,
    CPDEntry,
    MentoringEntry,
    PracticeProfile,
    SupervisionEntry,
)

SUPERVISION = (
    (
        "Rescuing: the pull to solve a coachee's problem when the session gets stuck.",
        "Notice the urge, name it to myself and hand the question back. Silence is work too.",
    ),
    (
        "Contracting with a sponsor who wants updates on the coaching.",
        "Agree in the three-way meeting what the sponsor hears and what stays in the room.",
    ),
    (
        "A coachee whose wellbeing worried me between sessions.",
        "Where coaching ends and a referral begins; keep the signposting list to hand.",
    ),
    (
        "My tiredness on a day of four sessions, and how it showed in the last one.",
        "No more than three sessions a day, with a proper break before the last.",
    ),
    (
        "Group sessions: holding the quieter voices.",
        "Use a round at the start and at the end; let pairs talk before the whole group.",
    ),
)

CPD = (
    # (days ago, title, provider, hours, category, coach training, learning)
    (
        40,
        "Coaching presence in practice",
        "Coaching Supervision Academy",
        "3",
        "core",
        False,
        "Staying with what the coachee says rather than my next question.",
    ),
    (
        95,
        "Ethics in coaching: boundaries and dual roles",
        "ICF UK Chapter",
        "3",
        "ethics",
        False,
        "A checklist for conflicts of interest when a sponsor is also a client.",
    ),
    (
        170,
        "Team coaching foundations",
        "Academy of Executive Coaching",
        "6",
        "core",
        True,
        "How a team's purpose differs from the sum of its members' goals.",
    ),
    (
        300,
        "Building a coaching business",
        "Coaching at Work conference",
        "2",
        "resource",
        False,
        "Write the offer in the client's words.",
    ),
    (
        420,
        "Psychological safety for leaders",
        "CIPD",
        "4",
        "resource",
        False,
        "Amy Edmondson's learning zone model, for sessions with new managers.",
    ),
    (
        520,
        "Powerful questions masterclass",
        "ICF UK Chapter",
        "4",
        "core",
        False,
        "Shorter questions; one at a time.",
    ),
    (
        640,
        "Mental health awareness for coaches",
        "Mind",
        "3",
        "resource",
        False,
        "Signs that a coachee needs a referral, and how to raise it kindly.",
    ),
    (
        760,
        "Coaching ethics refresher",
        "EMCC UK",
        "1.5",
        "ethics",
        False,
        "The Global Code of Ethics side by side with the ICF Code.",
    ),
)

FEEDBACK = (
    (
        20,
        0,
        "The sessions gave me space to think before I act. I feel far more settled in the role.",
    ),
    (
        75,
        1,
        "Practical and challenging in the right way. The reframing changed how I see my team.",
    ),
    (130, 3, "I came in wanting answers and left with better questions. Thank you."),
    (
        190,
        None,
        "Helpful, calm and well prepared every time. I would recommend coaching to colleagues.",
    ),
    (250, 0, "You noticed what I was not saying. That made the difference."),
)


def _sessions_before(coach: User, day: date, count: int) -> list[CoachingSession]:
    return list(
        CoachingSession.objects.for_coach(coach).filter(date__lte=day).order_by("-date")[:count]
    )


def add_accreditation(coach: User, today: date) -> int:
    """Give the demo coach their accreditation records; the number of entries made."""
    PracticeProfile.objects.create(
        coach=coach, first_practised_on=months_before(today, 52), training_hours=Decimal(64)
    )
    OpeningBalance.objects.create(
        coach=coach, paid_hours=Decimal(142), pro_bono_hours=Decimal(26), clients=16
    )
    BodyChoice.objects.create(
        coach=coach, body="icf", level_held="acc", awarded_on=months_before(today, 32)
    )
    BodyChoice.objects.create(
        coach=coach, body="emcc", level_held="foundation", awarded_on=months_before(today, 26)
    )
    BodyChoice.objects.create(coach=coach, body="ac", level_held="", route="executive")
    coachees = sorted(Coachee.objects.for_coach(coach), key=lambda c: c.created)
    for c in coachees:
        executive = "Self-funded" not in c.organisation and "charity" not in c.organisation
        ClientFlags.objects.create(coach=coach, coachee=c, executive=executive)
    made = 0
    day = months_before(today, 2) - timedelta(days=3)
    for i in range(12):  # every five weeks, back from two months ago
        themes, learning = SUPERVISION[i % len(SUPERVISION)]
        group = i % 3 == 2
        entry = SupervisionEntry.objects.create(
            coach=coach,
            date=day,
            supervisor="Reflective practice group" if group else "Dr Helen Carter",
            mode="group" if group else "individual",
            hours=Decimal("1.5") if group else Decimal(1),
            themes=themes,
            learning=learning,
        )
        entry.sessions.set(_sessions_before(coach, day, 2))
        day -= timedelta(days=35)
        made += 1
    for months, hours, mode in (
        (7, "1", "individual"),
        (6, "2", "group"),
        (4, "1", "individual"),
        (3, "2", "group"),
    ):
        MentoringEntry.objects.create(
            coach=coach,
            date=months_before(today, months),
            mentor="Priya Raman",
            mentor_email="priya.raman@mentor.example",
            mentor_credential="PCC",
            mode=mode,
            hours=Decimal(hours),
        )
        made += 1
    for days, title, provider, hours, category, training, learning in CPD:
        CPDEntry.objects.create(
            coach=coach,
            date=today - timedelta(days=days),
            title=title,
            provider=provider,
            hours=Decimal(hours),
            category=category,
            coach_training=training,
            learning=learning,
        )
        made += 1
    for days, who, text in FEEDBACK:
        coachee = coachees[who] if who is not None and who < len(coachees) else None
        ClientFeedback.objects.create(
            coach=coach, coachee=coachee, date=today - timedelta(days=days), text=text
        )
        made += 1
    return made
