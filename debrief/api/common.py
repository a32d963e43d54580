"""What every API operation shares: the coach behind the token, form data, refusals, pages."""

from __future__ import annotations

from datetime import date, time
from typing import Any, TypeVar, cast

from django import forms
from django.http import HttpRequest
from pydantic import Field

from debrief.api.schemas import Input
from debrief.lib.http import AuthedRequest

FORM_INVALID = "Some fields need changing: see errors."


class Refused(Exception):
    """A request the page's form (or rule) refused: a 422 with what to change, by field."""

    def __init__(self, errors: dict[str, list[str]], detail: str = FORM_INVALID) -> None:
        super().__init__(detail)
        self.errors = errors
        self.detail = detail


def coach_request(request: HttpRequest) -> AuthedRequest:
    """The request, whose user the token auth has set to the token's coach."""
    return cast(AuthedRequest, request)


def _as_form_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    return str(value)


def form_data(initial: dict[str, Any], change: Input) -> dict[str, Any]:
    """The stored values with the request's on top, as a page would post them."""
    merged = {name: _as_form_value(value) for name, value in initial.items()}
    for name, value in change.model_dump(exclude_unset=True).items():
        merged[name] = _as_form_value(value)
    return merged


F = TypeVar("F", bound=forms.Form)


def valid(form: F) -> F:
    """``form`` once it is valid; otherwise a refusal with its errors."""
    if not form.is_valid():
        raise Refused({name: [str(m) for m in msgs] for name, msgs in form.errors.items()})
    return form


class Paging(Input):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)
