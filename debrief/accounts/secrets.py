"""Account secrets (TOTP keys, recovery-code seeds) sealed before they reach the database.

allauth's MFA stores each authenticator's secret in a JSON column; our MFA adapter passes every
secret through ``seal_secret`` on the way in and ``open_secret`` on the way out. The key is a
data key in the keystore (wrapped by the master key, never in the database), so a copied
database or backup holds no usable second factor. Nothing falls back to plain text: a secret
that does not open raises ``SealError``.
"""

from __future__ import annotations

import uuid

from debrief.lib.sealing import SealError, open_text, parse, seal_text
from debrief.privacy.keystore import keystore

# The keystore names keys by UUID; account secrets have one fixed key of their own.
ACCOUNT_SECRETS_UUID = uuid.uuid5(uuid.NAMESPACE_URL, "debrief:account-secrets")
KEY_ID = ACCOUNT_SECRETS_UUID.hex
# allauth's hook gets the text only, not the row, so the context is the purpose alone.
AAD = b"debrief-account-secret|mfa"


# Flash messages ("Priya Shah added.") wait in the session table between two pages.
MESSAGES_AAD = b"debrief-account-secret|messages"


def seal_secret(text: str, aad: bytes = AAD) -> str:
    key = keystore().data_key(ACCOUNT_SECRETS_UUID, create=True)
    return seal_text(key, KEY_ID, text, aad)


def open_secret(token: str, aad: bytes = AAD) -> str:
    _, key_id, _ = parse(token)
    if key_id != KEY_ID:
        raise SealError("this secret was not sealed with the account-secrets key")
    return open_text(keystore().data_key(ACCOUNT_SECRETS_UUID), token, aad)
