"""``Authorization: Bearer <token>``: who is calling, and whether the token may write.

A refused token (unknown, revoked, expired) counts against the caller's address like a
wrong password (``ACCOUNT_RATE_LIMITS["api_token_failed"]``); past the limit every token
from that address is refused with 429 until the window passes. Tokens are never logged.
"""

from __future__ import annotations

from typing import Any

from allauth.core.internal import ratelimit
from django.http import HttpRequest
from ninja.errors import HttpError, Throttled
from ninja.security import HttpBearer

from debrief.api import tokens
from debrief.api.models import ApiToken
from debrief.firm.roles import is_coach

FAILED = "api_token_failed"
SCOPE_MESSAGE = "This token is read-only. Make a token with read and write access to change things."


def _count_failure(request: HttpRequest, dry_run: bool = False) -> bool:
    """False once the address is over the limit. allauth's own counter, the one sign-ins use
    (the same cache, the same client address behind a proxy); its public ``consume`` skips
    GET requests, which most API calls are."""
    usage = ratelimit.consume(
        request, app="allauth.account", action=FAILED, limit_get=True, dry_run=dry_run
    )
    return usage is not None


class TokenAuth(HttpBearer):
    def __init__(self, *, write: bool) -> None:
        super().__init__()
        self.write = write

    def __call__(self, request: HttpRequest) -> Any:
        # HttpBearer's own __call__ logs a malformed header in DEBUG: that could be a token.
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not raw:
            return None
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        if not _count_failure(request, dry_run=True):
            raise Throttled(wait=60)
        checked = tokens.check(token, request)
        if checked.token is None:
            _count_failure(request)
            return None
        if not is_coach(checked.token.coach):
            return None  # the coach role was taken away: no journal, by page or by API
        if self.write and not checked.token.can_write:
            raise HttpError(403, SCOPE_MESSAGE)
        # The pages' ownership helpers start from request.user: the token's coach.
        request.user = checked.token.coach
        return checked.token


read = TokenAuth(write=False)
write = TokenAuth(write=True)
