"""Association for Coaching individual accreditation, as checked on 1 December 2026."""

from __future__ import annotations

from datetime import date

from debrief.practice.rules import Level, RuleSet, Source, d

RULES = RuleSet(
    body="ac",
    version="2026-12",
    checked=date(2026, 12, 1),
    sources=(
        Source(
            "AC Coach and Executive Coach Accreditation Scheme overview (levels)",
            "https://scribd.com/document/474245075/AC-Coach-Levels",
        ),
        Source(
            "AC: Executive Coach Accreditation live assessment supporting documents",
            "https://www.associationforcoaching.com/page/executive-coach-accreditation-live-assessment-supporting-documents",
        ),
        Source(
            "AC Accreditation Corner: Ten questions I'm always asked",
            "https://www.associationforcoaching.com/blogpost/1744367/314538/Ten-questions-I-m-always-asked-by-Jeannette-Marshall",
        ),
    ),
    levels=(
        Level(
            "foundation",
            "Foundation",
            {"training_hours": d(35), "hours": d(75), "supervision_months": d(3), "cpd_log": d(1)},
        ),
        Level(
            "coach",
            "Coach",
            {
                "training_hours": d(40),
                "hours": d(250),
                "supervision_months": d(6),
                "cpd_3y": d(30),
            },
        ),
        Level(
            "professional",
            "Professional",
            {
                "training_hours": d(60),
                "hours": d(750),
                "supervision_months": d(9),
                "cpd_3y": d(36),
            },
        ),
        Level(
            "master",
            "Master",
            {
                "training_hours": d(80),
                "hours": d(1500),
                "supervision_months": d(12),
                "cpd_3y": d(42),
            },
        ),
    ),
    renewal_years=3,
    renewal_needs={"cpd_3y": d(30)},
    notes=(
        "Sources disagree on the AC's figures; these are the scheme overview's: coach training "
        "35/40/60/80 hours, coaching experience 75/250/750/1,500 hours, 3/6/9/12 months of "
        "supervision, and a CPD log (Foundation) or 30/36/42 hours over 3 years.",
        "Months of supervision are the calendar months in which you had supervision.",
        "On the Executive Coach route, only executive coaching counts as experience: coaching "
        "in the context of the coachee's work, at any level (mark those coachees below).",
        "Accreditation is renewed every 3 years.",
    ),
)
