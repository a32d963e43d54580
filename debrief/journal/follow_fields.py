"""What the reflection page brings from earlier sessions, outside the template.

The actions still open from an earlier session, with their review in this one (fields
``r-<code>-choice`` / ``-note``), and last session's plans with how they went (``lt-<key>``,
the answer ``lt.<key>``). Goal progress is an answer kind (``followup.answers``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from debrief.followup import carry

if TYPE_CHECKING:
    from debrief.journal.reflection import Snapshot


def load(snap: Snapshot) -> None:
    session = snap.reflection.session
    carried, snap.reviews = carry.carried_actions(session)
    snap.carried = {str(a.code): a for a in carried}
    for code in snap.carried:
        review = snap.reviews.get(code)
        snap.values[f"r-{code}-choice"] = review.choice if review else ""
        snap.values[f"r-{code}-note"] = review.note if review else ""
    snap.last_time = carry.last_time(session, session.coachee.display_name)
    for item in snap.last_time:
        answer = snap.answers.get(item.answer_key)
        snap.values[f"lt-{item.key}"] = answer.text if answer else ""
