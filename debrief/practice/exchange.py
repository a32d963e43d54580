"""What the practice records hold about one coachee, for their subject-access export.

Only client feedback names a coachee; supervision entries refer to sessions (listed here too,
as the dates the coach brought a session of theirs to supervision, without the supervision
notes, which are the coach's own and hold several coachees' matters).
"""

from __future__ import annotations

from typing import Any

from debrief.coachees.models import Coachee
from debrief.practice.models import ClientFeedback, ClientFlags, SupervisionEntry


def export_for(coachee: Coachee) -> dict[str, Any]:
    coach = coachee.coach
    feedback = ClientFeedback.objects.for_coach(coach).filter(coachee=coachee).order_by("date")
    supervised = (
        SupervisionEntry.objects.for_coach(coach)
        .filter(sessions__coachee=coachee)
        .values_list("date", "sessions__code")
        .order_by("date")
    )
    flags = ClientFlags.objects.for_coach(coach).filter(coachee=coachee).first()
    return {
        "client_feedback": [
            {"code": f.code, "date": f.date, "feedback": f.text, "created": f.created}
            for f in feedback
        ],
        "sessions_taken_to_supervision": [
            {"date": day, "session": code} for day, code in supervised if code is not None
        ],
        "executive_coaching": bool(flags and flags.executive),
    }
