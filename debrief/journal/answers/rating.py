"""A rating: a score on the prompt's scale (1-5 or 1-10, labels for the ends) and a comment.

Two fields: ``p-<key>-rating`` (the score, the answer's rating) and ``p-<key>`` (the comment,
the answer's text). Insights charts the scores over time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.http import QueryDict

from debrief.journal.answers.base import (
    AnswerKind,
    Cleaned,
    Page,
    PromptView,
    clean_text,
    field_name,
    register,
)
from debrief.journal.models import Answer
from debrief.lib import markdown
from debrief.privacy.fields import LONG_TEXT_LIMIT
from debrief.prompts.definition import Path, Prompt, fail, integer_value, text_value
from debrief.prompts.kinds import Getter

if TYPE_CHECKING:
    from debrief.journal.fields import Conflict, FieldView

SCORE = "rating"  # the part of the page's field name that holds the score


class Rated(NamedTuple):
    score: int | None
    comment: str


@dataclass
class RatingView(PromptView):
    comment: FieldView
    score: FieldView

    @property
    def conflicts(self) -> list[Conflict]:
        return [f.conflict for f in (self.comment, self.score) if f.conflict]

    @property
    def is_empty(self) -> bool:
        return not self.comment.value and not self.score.value


@register
class RatingKind(AnswerKind):
    name = "rating"
    label = "Rating (a score, with labels for the ends)"
    tag = "Rating"
    menu_order = 30
    attributes = ("scale_min", "scale_max", "low_label", "high_label")
    parts = ("", SCORE)
    comment_limit = LONG_TEXT_LIMIT
    settings_template = "answers/rating/settings.html"
    preview_template = "answers/rating/preview.html"
    edit_template = "answers/rating/edit.html"
    read_template = "answers/rating/read.html"
    export_template = "answers/rating/export.html"
    print_template = "answers/rating/print.html"

    # --- the definition ---------------------------------------------------------------------

    def parse_settings(self, data: Mapping[str, Any], where: str, path: Path) -> dict[str, Any]:
        low = integer_value(data, "scale_min", 1, where, path)
        high = integer_value(data, "scale_max", 5, where, path)
        settings = {
            "scale_min": low,
            "scale_max": high,
            "low_label": text_value(data, "low_label", where, path),
            "high_label": text_value(data, "high_label", where, path),
        }
        if low not in (0, 1):
            raise fail(where, "'scale_min' must be 0 or 1.", (*path, "scale_min"))
        if not low < high <= 10:
            raise fail(where, "the rating scale is empty or longer than 10.", (*path, "scale_max"))
        return {**settings, "scale": range(low, high + 1)}

    def settings_data(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        data = {"scale_min": settings["scale_min"], "scale_max": settings["scale_max"]}
        for end in ("low_label", "high_label"):
            if settings[end]:
                data[end] = settings[end]
        return data

    def settings_from_form(self, get: Getter, data: QueryDict, prefix: str) -> dict[str, Any]:
        settings: dict[str, Any] = {"scale_min": 1, "scale_max": 10 if get("scale") == "10" else 5}
        for end in ("low_label", "high_label"):
            if get(end):
                settings[end] = get(end)
        return settings

    def describe(self, prompt: Prompt) -> str:
        return f"{self.tag}, {prompt.scale_min} to {prompt.scale_max}"

    # --- the page -----------------------------------------------------------------------------

    def stored(self, prompt: Prompt, part: str, answer: Answer | None) -> str:
        if part != SCORE:
            return answer.text if answer else ""
        return "" if answer is None or answer.rating is None else str(answer.rating)

    def clean(self, prompt: Prompt, part: str, raw: str) -> Cleaned:
        if part != SCORE:
            return clean_text(raw, self.comment_limit)
        value = raw.strip()
        if value == "":
            return value, None
        try:
            score = int(value) if value.isascii() else None
        except ValueError:
            score = None
        if score is None or score not in prompt.scale:
            return value, f"Choose a score from {prompt.scale_min} to {prompt.scale_max}."
        return str(score), None

    def store(self, prompt: Prompt, part: str, answer: Answer, value: str) -> None:
        if part == SCORE:
            answer.rating = int(value) if value else None
        else:
            answer.text = value

    def shown(self, prompt: Prompt, part: str, value: str) -> str:
        if part != SCORE:
            return value
        return f"{value} of {prompt.scale_max}" if value else "Not rated"

    def label_of(self, prompt: Prompt, part: str) -> str:
        return f"{prompt.text} ({'score' if part == SCORE else 'comment'})"

    def view(self, prompt: Prompt, page: Page) -> RatingView:
        comment = page.field(field_name(prompt))
        return RatingView(prompt, self, comment, page.field(field_name(prompt, SCORE)))

    # --- the stored answer ----------------------------------------------------------------------

    def value(self, prompt: Prompt, record: Any) -> Rated:
        answer = record.answers.get(prompt.key)
        return Rated(answer.rating, answer.text) if answer else Rated(None, "")

    def is_empty(self, prompt: Prompt, value: Rated) -> bool:
        return value.score is None and not value.comment

    def is_answered(self, prompt: Prompt, value: Rated) -> bool:
        return value.score is not None  # a comment alone does not answer a rating

    def as_data(self, prompt: Prompt, value: Rated) -> dict[str, Any]:
        return {
            "answer": value.comment,
            "rating": value.score,
            "scale": [prompt.scale_min, prompt.scale_max],
        }

    def _scored(self, prompt: Prompt, score: str) -> str:
        return f"{score} on a scale of {prompt.scale_min} to {prompt.scale_max}"

    def as_text(self, prompt: Prompt, value: Rated) -> str:
        parts = [] if value.score is None else [self._scored(prompt, str(value.score))]
        return "\n\n".join([*parts, value.comment] if value.comment else parts)

    def as_markdown(self, prompt: Prompt, value: Rated) -> str:
        parts = [] if value.score is None else [self._scored(prompt, f"**{value.score}**")]
        return "\n\n".join([*parts, markdown.text(value.comment)] if value.comment else parts)

    def front_matter(self, prompt: Prompt, value: Rated) -> tuple[str, Any] | None:
        if value.score is None:
            return None
        item = {"prompt": prompt.text, "score": value.score, "scale": prompt.scale_max}
        return "ratings", item

    def chart_scale(self, prompt: Prompt) -> tuple[int, int]:
        return prompt.scale_min, prompt.scale_max
