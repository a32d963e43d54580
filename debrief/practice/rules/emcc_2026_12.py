"""EMCC Global Individual Accreditation (EIA), as checked on 1 December 2026."""

from __future__ import annotations

from datetime import date

from debrief.practice.rules import Level, RuleSet, Source, d

_EVERY_LEVEL = {
    "feedback_12m": d(5),  # items of client feedback in the last 12 months
    "cpd_12m": d(16),  # hours of CPD a year
    "supervision_quarters": d(4),  # an hour of supervision in each of the last 4 quarters
    "reflections_12m": d(5),  # written reflections on practice in the last 12 months
}

RULES = RuleSet(
    body="emcc",
    version="2026-12",
    checked=date(2026, 12, 1),
    sources=(
        Source(
            "EMCC: Levels of accreditation for EIA",
            "https://emccapr.org/accreditation-panels/levels-of-accreditation-for-eia/",
        ),
        Source(
            "EMCC Global: Individual Accreditation renewal",
            "https://accreditation.emccshop.org/product-category/emcc-global-individual-accreditation-renewal",
        ),
    ),
    levels=(
        Level(
            "foundation",
            "Foundation",
            {"years": d(1), "hours": d(50), "clients": d(5), **_EVERY_LEVEL},
        ),
        Level(
            "practitioner",
            "Practitioner",
            {"years": d(3), "hours": d(100), "clients": d(10), **_EVERY_LEVEL},
        ),
        Level(
            "senior",
            "Senior Practitioner",
            {"years": d(5), "hours": d(250), "clients": d(20), **_EVERY_LEVEL},
        ),
        Level(
            "master",
            "Master Practitioner",
            {"years": d(7), "hours": d(500), "clients": d(40), **_EVERY_LEVEL},
        ),
    ),
    renewal_years=5,
    renewal_needs={"cpd_12m": d(16), "supervision_quarters": d(4)},
    notes=(
        "Foundation and Practitioner were read on EMCC's levels page; the Senior and Master "
        "Practitioner figures are those commonly published (5 and 7 years, 250 and 500 hours, "
        "20 and 40 clients): check them with EMCC before you apply.",
        "Completed reflections in Debrief count as written reflections on practice.",
        "Supervision is checked over the last four complete calendar quarters.",
        "Renewal is every five years from the award; it asks that you keep coaching, stay in "
        "supervision and keep up your CPD.",
    ),
)
