"""Flash messages kept in the session, sealed: they name coachees ("Priya Shah added.").

Django's session storage writes them as plain JSON into the session table, which a database
copy or backup then holds in clear. Sealed with the account-secrets key (wrapped by the master
key, never in the database), the session row holds ciphertext only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.messages.storage.session import SessionStorage

from debrief.accounts.secrets import MESSAGES_AAD, open_secret, seal_secret
from debrief.lib.sealing import SealError


class SealedSessionStorage(SessionStorage):
    def serialize_messages(self, messages: Any) -> str:
        return seal_secret(super().serialize_messages(messages), MESSAGES_AAD)

    def deserialize_messages(self, data: Any) -> Any:
        if not data or not isinstance(data, str):
            return data
        try:
            return super().deserialize_messages(open_secret(data, MESSAGES_AAD))
        except (SealError, ValueError):
            # A message from before a key rotation, or a tampered row: dropped, never shown raw.
            return []
