"""Shared by the API tests: a token for a coach, and a client that sends it."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from debrief.accounts.models import User
from debrief.api import tokens

API = "/api/v1"


def make_token(coach: User, scope: str = "write", days: int = 30, name: str = "script") -> str:
    return tokens.make_token(coach, name, scope, days)[1]


class Api:
    """A client that calls the API with one bearer token (or none)."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        kwargs: dict[str, Any] = {"headers": self.headers}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        elif query:
            kwargs["data"] = query
        return getattr(self.client, method.lower())(API + path, **kwargs)

    def get(self, path: str, **query: Any) -> Any:
        return self.call("GET", path, **query)

    def post(self, path: str, body: Any) -> Any:
        return self.call("POST", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.call("PATCH", path, body)

    def delete(self, path: str) -> Any:
        return self.call("DELETE", path)
