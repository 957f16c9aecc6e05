"""Pseudonymous patient keys: a keyed hash of channel and sender id.

The raw sender id (a phone number, a Telegram id) is never stored. Without the
server secret the key cannot be traced back to it; with it, the same patient
always gets the same key, so their records can be found, exported or deleted.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

SECRET_ENV = "PACEWISE_PSEUDONYM_SECRET"
SECRET_FILE = Path(__file__).resolve().parents[2] / "var" / "pseudonym.secret"


@lru_cache(maxsize=4)
def _secret(from_env: str | None) -> bytes:
    if from_env:
        return from_env.encode("utf-8")
    # First start without a configured secret: make one and keep it, readable by this user only.
    SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(SECRET_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return SECRET_FILE.read_bytes().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_hex(32))
    return SECRET_FILE.read_bytes().strip()


def patient_key(channel: str | None, sender_id: str) -> str:
    message = f"{channel or 'unknown'}\x1f{sender_id}".encode()
    return hmac.new(_secret(os.environ.get(SECRET_ENV)), message, hashlib.sha256).hexdigest()
