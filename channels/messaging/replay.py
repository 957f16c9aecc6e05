"""Reject replayed webhook requests: the same provider message id twice.

The memory is a table in Pacewise's database (webhook_deliveries), so a
request saved by an attacker still counts as seen after a restart, and with
several Rasa servers each sees what the others handled. Only a keyed hash of
channel and id is stored. Rows older than the window are deleted as new ones
arrive; providers retry within minutes to hours, and their requests carry no
signed time (Twilio, Facebook, Telegram), so the window is kept long (7 days).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from pacewise.storage.database import session_scope
from pacewise.storage.tables import WebhookDeliveryRow

logger = logging.getLogger(__name__)

DEFAULT_WINDOW = timedelta(days=7)


def delivery_key(channel: str, message_id: str) -> str:
    return hashlib.sha256(f"{channel}\x1f{message_id}".encode()).hexdigest()


class ReplayGuard:
    def __init__(self, channel: str, window: timedelta = DEFAULT_WINDOW) -> None:
        self.channel = channel
        self.window = window

    def first_time(self, message_id: str, now: datetime | None = None) -> bool:
        """True the first time a message id is seen (within the window), False for a replay."""
        now = now or datetime.now(timezone.utc)
        key = delivery_key(self.channel, message_id)
        try:
            with session_scope() as session:
                session.execute(delete(WebhookDeliveryRow).where(WebhookDeliveryRow.seen_at < now - self.window))
                session.add(WebhookDeliveryRow(key=key, seen_at=now))
        except IntegrityError:
            return False
        return True
