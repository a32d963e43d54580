"""The built-in technique vocabulary, in our own words. Coaches add their own beside it."""

from __future__ import annotations

from typing import Any

VOCABULARY: tuple[tuple[str, str, str], ...] = (
    ("powerful-questions", "Powerful questions", "Open questions that widen the coachee's view."),
    ("active-listening", "Active listening", "Full attention to what is said and what is not."),
    ("reframing", "Reframing", "Offering another way to see the same situation."),
    ("scaling-questions", "Scaling questions", "Asking for a score from 0 to 10 and exploring it."),
    ("silence", "Silence", "Leaving space for the coachee to think."),
    ("visualisation", "Visualisation", "Imagining a future or a scene in detail."),
    ("grow-model", "GROW model", "Goal, Reality, Options, Will as the shape of a conversation."),
    ("challenging", "Challenging", "Respectfully questioning an assumption or a story."),
    ("summarising", "Summarising", "Playing back what was heard, in brief."),
    ("paraphrasing", "Paraphrasing", "Restating the coachee's words to check understanding."),
    ("goal-setting", "Goal setting", "Shaping an aim the coachee can act on."),
    ("feedback", "Feedback", "Sharing an observation, with permission."),
    ("values-exploration", "Values exploration", "Surfacing what matters most to the coachee."),
    ("accountability", "Accountability", "Agreeing how progress will be checked."),
    ("role-play", "Role play", "Rehearsing a conversation or a situation."),
)


def seed(technique_model: Any) -> None:
    for slug, name, description in VOCABULARY:
        technique_model.objects.get_or_create(
            coach=None, slug=slug, defaults={"name": name, "description": description}
        )
