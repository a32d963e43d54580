"""The shapes the API reads and writes (pydantic, through django-ninja): its OpenAPI document.

Inputs check only types and choices; every rule a page applies (lengths, NUL characters,
dates, a taken session number) is applied by that page's own form, so both say the same.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt

CoacheeStatus = Literal["active", "paused", "completed", "archived"]
SessionFormat = Literal["in_person", "video", "phone"]
Payment = Literal["paid", "pro_bono"]
SessionKind = Literal["individual", "group"]
ReflectionStatus = Literal["planned", "draft", "complete"]
ActionStatus = Literal["open", "done", "dropped"]
GoalStatus = Literal["active", "achieved", "dropped"]


class Input(BaseModel):
    """A request body or query: plain pydantic. (ninja's ``Schema`` also reads attributes of
    any object, which would take a JSON string body ``"AAA"`` as ``{"title": "Aaa"}``.)"""

    model_config = ConfigDict(extra="ignore")


def _iso_day(value: Any) -> Any:
    # pydantic alone would also take a number of seconds since 1970 ("0") for a date.
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return value
    raise ValueError("Enter the date as YYYY-MM-DD, like 2026-03-14.")


DAY_PATTERN = r"^(19[0-9][0-9]|20[0-9][0-9]|2100)-[0-9]{2}-[0-9]{2}$"


def _day(schema: dict[str, Any]) -> None:
    schema["pattern"] = DAY_PATTERN


def _day_kept(schema: dict[str, Any]) -> None:
    schema["pattern"] = DAY_PATTERN
    schema.pop("default", None)


# A date in a request: YYYY-MM-DD, from 1900 to 2100 (the forms' own bounds).
Day = Annotated[dt.date, BeforeValidator(_iso_day), Field(json_schema_extra=_day)]
# The same for a date that may be left out but never emptied (a session's date).
DayKept = Annotated[dt.date, BeforeValidator(_iso_day), Field(json_schema_extra=_day_kept)]
LEFT_OUT: Any = Field(None)


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


# A field that may be left out (it keeps its stored value) but not sent as null: it is never
# empty (a name, a status, a date of session). Nullable fields are the ones a page may clear.
KEEP: Any = Field(None, json_schema_extra=_no_default)


def _some_text(schema: dict[str, Any]) -> None:
    _no_default(schema)
    schema["minLength"] = 1  # the form also refuses text that is only spaces


# The same for a text the form requires (a coachee's name, a goal).
KEEP_TEXT: Any = Field(None, json_schema_extra=_some_text)
SOME_TEXT: Any = Field(json_schema_extra=_some_text)


# --- errors -------------------------------------------------------------------------------


class Message(Schema):
    detail: str


class Invalid(Schema):
    """A request the forms refused: what to change, by field."""

    detail: str
    errors: dict[str, list[str]]


ERRORS: dict[int, Any] = {401: Message, 404: Message, 422: Invalid, 429: Message}
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 400: Message, 403: Message}


# --- coachees -----------------------------------------------------------------------------


class CoacheeOut(Schema):
    code: UUID
    name: str
    preferred_name: str
    pronouns: str
    email: str
    organisation: str
    engagement_start: dt.date | None
    status: CoacheeStatus
    background: str
    notes_consent_on: dt.date | None
    icf_log_listing: bool
    created: dt.datetime
    updated: dt.datetime


class CoacheeChange(Input):
    """Fields left out keep their stored value."""

    name: str = KEEP_TEXT
    preferred_name: str | None = None
    pronouns: str | None = None
    email: str | None = None
    organisation: str | None = None
    engagement_start: Day | None = None
    status: CoacheeStatus = KEEP
    background: str | None = None
    notes_consent_on: Day | None = None
    icf_log_listing: StrictBool = KEEP


class CoacheeNew(CoacheeChange):
    name: str = SOME_TEXT  # the one thing Debrief needs


# --- sessions -----------------------------------------------------------------------------


class ReflectionBrief(Schema):
    status: ReflectionStatus
    template: str
    template_version: int


class SessionOut(Schema):
    code: UUID
    coachee: UUID
    number: int
    date: dt.date
    start_time: str | None = Field(pattern=r"^[0-2][0-9]:[0-5][0-9]$", description="HH:MM")
    duration_minutes: int
    format: SessionFormat
    payment: Payment
    kind: SessionKind
    group_size: int | None
    cancelled: bool
    reflection: ReflectionBrief
    created: dt.datetime
    updated: dt.datetime


class SessionChange(Input):
    """Fields left out keep their stored value (a session stays with its coachee)."""

    date: DayKept = LEFT_OUT
    start_time: str | None = Field(None, description="HH:MM, local time; empty for none.")
    duration_minutes: StrictInt = KEEP
    number: StrictInt = KEEP
    format: SessionFormat = KEEP
    payment: Payment = KEEP
    kind: SessionKind = KEEP
    group_size: StrictInt | None = None


class SessionNew(SessionChange):
    coachee: UUID
    date: Day
    duration_minutes: StrictInt = 60
    number: StrictInt | None = Field(  # type: ignore[assignment]
        None, description="Left out or null: the coachee's next number."
    )
    template: UUID | None = Field(
        None, description="A template's code; left out: the coachee's or your default."
    )


# --- reflections --------------------------------------------------------------------------


class PromptOut(Schema):
    key: str
    section: str
    text: str
    kind: str
    required: bool
    answer: dict[str, Any] = Field(description="The answer in its kind's own shape.")


class FieldOut(Schema):
    value: str
    hash: str = Field(description="Send it back as the field's base when you change it.")


class ReflectionOut(Schema):
    session: UUID
    status: ReflectionStatus
    template: str
    template_version: int
    completed_at: dt.datetime | None
    updated: dt.datetime
    prompts: list[PromptOut]
    fields: dict[str, FieldOut] = Field(
        description="Every field of the reflection page by name (p-<key>, a-<code>-text...)."
    )


class ReflectionChange(Input):
    fields: dict[str, str | list[str]] = Field(
        description="New values by field name; a list for a multiple-choice answer.",
        examples=[{"p-main_topics": "Delegation", "p-listening-rating": "4"}],
    )
    bases: dict[str, str] = Field(
        default_factory=dict,
        description="For each field, the hash of the value you last read. Left out: you "
        "expected it empty. A stale base is a 409 with both versions.",
    )


class ConflictOut(Schema):
    field: str
    label: str
    yours: str
    theirs: str
    theirs_hash: str


class Saved(Invalid):
    """What a reflection save did: on a 409 or 422, fields without a problem are saved too.

    (A 422 for a request that does not match this schema has only ``detail`` and ``errors``.)
    """

    saved: list[str] = Field(default_factory=list)
    hashes: dict[str, str] = Field(default_factory=dict)
    conflicts: list[ConflictOut] = Field(default_factory=list)
    status: ReflectionStatus | None = None


class StatusChange(Input):
    status: Literal["complete", "draft"]


# --- actions and goals --------------------------------------------------------------------


class ActionOut(Schema):
    code: UUID
    coachee: UUID
    session: UUID
    owner: Literal["coachee", "coach"]
    text: str
    due: dt.date | None
    status: ActionStatus
    overdue: bool
    created: dt.datetime
    closed_at: dt.datetime | None


class ActionChange(Input):
    status: ActionStatus


class GoalOut(Schema):
    code: UUID
    coachee: UUID
    title: str
    description: str
    target_date: dt.date | None
    status: GoalStatus
    created: dt.datetime
    closed_at: dt.datetime | None


class GoalChange(Input):
    title: str = KEEP_TEXT
    description: str | None = None
    target_date: Day | None = None
    status: GoalStatus = KEEP


class GoalNew(GoalChange):
    title: str = SOME_TEXT


# --- search -------------------------------------------------------------------------------


class PassageOut(Schema):
    label: str
    section: str
    url: str
    text: str
    highlights: list[list[int]]


class SearchHit(Schema):
    title: str
    url: str
    when: str
    state: str
    session: str | None
    coachee: str
    score: float
    passages: list[PassageOut]
    more_places: int


class SearchOut(Schema):
    query: str
    searched_for: list[str]
    total: int
    page: int
    has_next: bool
    results: list[SearchHit]


# --- lists --------------------------------------------------------------------------------


class CoacheePage(Schema):
    count: int
    items: list[CoacheeOut]


class SessionPage(Schema):
    count: int
    items: list[SessionOut]


class ActionPage(Schema):
    count: int
    items: list[ActionOut]


class GoalList(Schema):
    items: list[GoalOut]
