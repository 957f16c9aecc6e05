"""The buttons last offered to a patient on a text-only channel, so that "2" picks the second.

Kept in the Pacewise database (keyed by the pseudonymous patient key), so a
restart between the question and the answer loses nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timezone
from typing import Any

from rasa.core.channels.channel import UserMessage
from sqlalchemy import delete

from channels.messaging.formatting import Choice, pick_choice
from pacewise.storage.database import session_scope
from pacewise.storage.pseudonyms import patient_key
from pacewise.storage.tables import OfferedChoicesRow

logger = logging.getLogger(__name__)


def remember_choices(channel: str, sender_id: str, choices: Sequence[Choice]) -> None:
    """Called for every message sent: the numbered choices it showed, or none.

    A message without choices forgets the earlier ones, so that "7" answering
    "how bad is your pain, from 0 to 10?" is a 7, not the 7th topic of an old menu.
    """
    key = patient_key(channel, sender_id)
    data = json.dumps([{"title": choice.title, "payload": choice.payload} for choice in choices])
    try:
        with session_scope() as session:
            if not choices:
                session.execute(delete(OfferedChoicesRow).where(OfferedChoicesRow.patient_key == key))
                return
            row = session.get(OfferedChoicesRow, key)
            if row is None:
                session.add(OfferedChoicesRow(patient_key=key, choices=data, offered_at=datetime.now(timezone.utc)))
            else:
                row.choices, row.offered_at = data, datetime.now(timezone.utc)
    except Exception:
        # The patient can still type their answer in words; the failure is logged for the team.
        logger.exception("Could not store the choices offered on %s", channel)


def offered_choices(channel: str, sender_id: str) -> list[Choice]:
    try:
        with session_scope() as session:
            row = session.get(OfferedChoicesRow, patient_key(channel, sender_id))
            items = json.loads(row.choices) if row is not None else []
    except Exception:
        logger.exception("Could not read the choices offered on %s", channel)
        return []
    return [Choice(item["title"], item["payload"]) for item in items]


# A reply longer than this is a message in words, not a pick from the list.
MAX_PICK_LENGTH = 20


def with_numbered_choices(channel: str, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    """Turn "2" (or "two", or a title) into the payload of the second choice last offered."""

    async def handle(message: UserMessage) -> Any:
        if message.text and len(message.text) <= MAX_PICK_LENGTH:
            chosen = pick_choice(message.text, offered_choices(channel, message.sender_id))
            if chosen is not None:
                message.text = chosen.payload
        return await on_new_message(message)

    return handle
