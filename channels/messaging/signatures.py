"""Check that a webhook request really comes from the provider that signs it.

Slack's signature is checked by Rasa's own Slack channel; these cover the
providers Rasa 3.6 does not check (Twilio, Telegram) or answers wrongly
(Facebook: Rasa replies 200 to a bad signature; we reply 403).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from twilio.request_validator import RequestValidator


def twilio_signature_valid(auth_token: str, url: str, form: Mapping[str, str], signature: str | None) -> bool:
    """X-Twilio-Signature: HMAC-SHA1 of the full URL and the sorted form fields, with the auth token."""
    if not signature or not auth_token:
        return False
    return RequestValidator(auth_token).validate(url, dict(form), signature)


def telegram_secret_valid(expected: str, header: str | None) -> bool:
    """X-Telegram-Bot-Api-Secret-Token: the secret given to Telegram with setWebhook."""
    return bool(expected) and header is not None and hmac.compare_digest(expected.encode(), header.encode())


def facebook_signature_valid(app_secret: str, body: bytes, signature_256: str | None) -> bool:
    """X-Hub-Signature-256 (sha256=...) of the raw body. The older SHA-1 header is not accepted."""
    if not app_secret or not signature_256 or not signature_256.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature_256[len("sha256=") :])
