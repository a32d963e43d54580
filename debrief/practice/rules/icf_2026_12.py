"""ICF credentials (ACC, PCC, MCC) and their renewal, as checked on 1 December 2026."""

from __future__ import annotations

from datetime import date

from debrief.practice.rules import Level, RuleSet, Source, d

RULES = RuleSet(
    body="icf",
    version="2026-12",
    checked=date(2026, 12, 1),
    sources=(
        Source(
            "ICF: Professional development (credential renewal, CCE)",
            "https://coachingfederation.org/credentialing/coaching-competencies/professional-development",
        ),
        Source(
            "ICF: Frequently asked questions (credentialing)",
            "https://coachingfederation.org/faqs?fwp_faqs_categories=credentialing",
        ),
        Source(
            "Mentor coaching hours: ICF requirements (a guide quoting ICF's Mentor Coaching page)",
            "https://mentorcoaching.ai/en/blog/mentor-coaching-hours-icf-requirements-guide",
        ),
        Source(
            "The Coaching Talks: Mentor coaching (ACC renewal)",
            "https://thecoachingtalks.com/mentor-coaching",
        ),
        Source(
            "ICF support: What information does ICF require for the client coaching log?",
            "https://icfsupport.freshdesk.com/support/solutions/articles/5000653702-what-information-does-icf-require-for-the-client-coaching-log-",
        ),
    ),
    levels=(
        Level(
            "acc",
            "ACC",
            {
                "hours": d(100),
                "paid_hours": d(75),
                "clients": d(8),
                "recent_hours": d(25),  # in the 18 months before applying
                "training_hours": d(60),
                "mentor_hours": d(10),  # over at least 3 months
                "mentor_one_to_one": d(3),  # of the 10, at least 3 one to one
            },
            mentor="PCC",
        ),
        Level(
            "pcc",
            "PCC",
            {
                "hours": d(500),
                "paid_hours": d(450),
                "clients": d(25),
                "recent_hours": d(50),
                "training_hours": d(125),
                "mentor_hours": d(10),
                "mentor_one_to_one": d(3),
            },
            mentor="PCC",
        ),
        Level(
            "mcc",
            "MCC",
            {
                "hours": d(2500),
                "paid_hours": d(2250),
                "clients": d(35),
                "training_hours": d(200),
                "mentor_hours": d(10),
                "mentor_one_to_one": d(3),
            },
            mentor="MCC",
        ),
    ),
    renewal_years=3,
    renewal_needs={
        "cce": d(40),
        "core_cce": d(24),  # Core Competencies, ethics included
        "ethics_cce": d(3),
        "acc_mentor_hours": d(10),  # ACC renewal only, over at least 3 months
        "mentor_months": d(3),
        "mentor_one_to_one": d(3),
    },
    caps={"resource_cce": d(16), "mentor_cce": d(10), "supervision_cce": d(10)},
    notes=(
        "1 hour of learning is 1 CCE unit.",
        "Mentor coaching and coaching supervision count as Core Competencies CCE, each up to "
        "10 units. The ICF's FAQ says 'up to 10 hours of Coaching Supervision and Mentor "
        "Coaching', which some read as 10 for both together: check before you rely on more.",
        "Groups of more than 15 people do not count; group hours are not multiplied.",
        "Each person in a group counts as a client.",
        "Mentor coaching: 10 hours over at least 3 months, at least 3 of them one to one (group "
        "mentor coaching with no more than 10 people). For ACC and PCC the mentor holds PCC or "
        "MCC; for MCC, MCC. For an ACC renewal, Debrief counts a mentor with any ICF credential "
        "(an ACC who has renewed may qualify): check your mentor's eligibility with the ICF.",
    ),
)
