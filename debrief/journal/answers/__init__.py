"""The answer kinds: one class per way of answering a prompt, registered by name.

``base.AnswerKind`` says what a kind owns; this package holds the kinds whose answers are the
reflection's own ``Answer`` rows (text, rating, yes/no, number, choices) and session facts.
``followup.answers`` holds actions and goal progress, ``techniques.answers`` the techniques.
Each registers itself when its app is ready; ``prompts.kinds`` is the registry.
"""

from __future__ import annotations


def register_kinds() -> None:
    """Import the kind modules of this app: each registers its kinds."""
    from debrief.journal.answers import choices, rating, session, text, values  # noqa: F401
