"""What insights keep of each reflection, so a page reads one small row per session.

A ``SessionSummary`` holds a reflection's ratings, its technique uses and the terms its answers
use (the themes' words), worked out once from its answers (the terms when first asked for).
Saving or deleting an answer or a technique use drops its reflection's summary
(``receivers.py``); a reflection without one, new or written in bulk, gets it at the next
insights page that reads it (``summaries.py``). The terms are coachee text, sealed with the
coachee's data key like their notes, so erasing a coachee leaves nothing readable, and the
summaries go with their reflections by cascade.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.db import models

from debrief.journal.models import Reflection
from debrief.privacy.fields import PrivateTextField
from debrief.privacy.owners import reflection_coachee_code


class SessionSummary(models.Model):
    reflection = models.OneToOneField(
        Reflection, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    # Plain numbers and template keys, as the answers and uses they come from store them:
    # {"ratings": {prompt key: rating}, "uses": [[use id, technique id, effectiveness, noted]]}
    # (one column, read for every session of the practice: one value to decode per row).
    figures = models.JSONField(default=dict)
    # One term a line: the term as search sees it, a tab, the words as first written. Worked
    # out (opening every answer) only once themes ask for them: the whole-practice page, which
    # shows no themes, builds summaries without reading any text.
    terms = PrivateTextField(max_length=None)
    has_terms = models.BooleanField(default=False)
    built = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Summary of reflection {self.reflection_id}"

    def private_row(self) -> str:
        return str(self.reflection_id)

    def private_owner(self) -> UUID:
        return reflection_coachee_code(self.reflection_id)


class PracticeMonth(models.Model):
    """One month of a coach's practice, added up (``months.py``): what the whole-practice page
    reads instead of every session. Numbers and ids only (no coachee text): not sealed."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_months"
    )
    month = models.DateField()  # its first day
    figures = models.JSONField(default=dict)  # ``months.MonthFigures``
    chart = models.JSONField(default=dict)  # the part of them its charts read
    zone = models.CharField(max_length=64)  # the time zone the habit was judged in
    rows = models.PositiveIntegerField(default=0)  # the month's sessions, held or not
    built = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coach", "month"], name="unique_practice_month")
        ]

    def __str__(self) -> str:
        return f"Practice month {self.month:%Y-%m} of coach {self.coach_id}"


class PracticeTotal(models.Model):
    """The coach's kept months added up (``months.py``), all but their charts: one row the
    whole-practice page reads for its techniques, coachees and goals. Dropped with any month."""

    coach = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_total"
    )
    before = models.DateField()  # the months before this one
    zone = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)  # the sessions they were built from
    figures = models.JSONField(default=dict)
    built = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Practice total of coach {self.coach_id}"
