"""Pseudonymous patient keys: a keyed hash of channel and sender id.

The raw sender id (a phone number, a Telegram id) is never stored. Without the
server secret the key cannot be traced back to it; with it, the same patient
always gets the same key, so their records can be found, exported or deleted.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from functools import lru_cache
from pathlib import Path

from pacewise.storage.private_files import secret_from

SECRET_ENV = "PACEWISE_PSEUDONYM_SECRET"
SECRET_FILE = Path(__file__).resolve().parents[2] / "var" / "pseudonym.secret"


@lru_cache(maxsize=4)
def _secret(from_env: str | None) -> bytes:
    # First start without a configured secret: one is made and kept, readable by this user only.
    return secret_from(from_env, SECRET_FILE).encode("utf-8")


def patient_key(channel: str | None, sender_id: str) -> str:
    message = f"{channel or 'unknown'}\x1f{sender_id}".encode()
    return hmac.new(_secret(os.environ.get(SECRET_ENV)), message, hashlib.sha256).hexdigest()
