"""Rasa's SQL tracker store, plus erasing a patient's whole conversation when they ask.

Rasa only ever appends events. When action_delete_data sets the
`history_erased` slot, this store deletes every stored event of that
conversation, in all sessions, and stores nothing of the current turn either:
the next message starts a fresh conversation. Works with SQLite and PostgreSQL
(configured exactly like Rasa's `SQL` store, see endpoints.yml).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.storage.private_files import make_private
from stores import HISTORY_ERASED_SLOT

logger = logging.getLogger(__name__)


def erasure_requested(tracker: DialogueStateTracker) -> bool:
    """Whether this turn asked for erasure (the marker is never stored, so any marker is new)."""
    return any(isinstance(event, SlotSet) and event.key == HISTORY_ERASED_SLOT and event.value for event in tracker.events)


class ErasableSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, dialect: str = "sqlite", db: str = "rasa.db", **kwargs: Any) -> None:
        if dialect == "sqlite" and db and db != ":memory:":
            make_private(Path(db))  # whole conversations: readable by the service only
        super().__init__(*args, dialect=dialect, db=db, **kwargs)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if not erasure_requested(tracker):
            await super().save(tracker)
            return
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete(synchronize_session=False)
            session.commit()
        logger.info("Erased a conversation's history at the patient's request (%d events)", deleted)

    def latest_input_channel(self, sender_id: str) -> str | None:
        """The channel of the conversation's newest patient message, from one row.

        The REST channel asks this before every message; loading the whole
        conversation for it cost as much as the turn itself in a long one.
        """
        with self.session_scope() as session:
            row = (
                session.query(self.SQLEvent.data)
                .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.type_name == UserUttered.type_name)
                .order_by(self.SQLEvent.id.desc())
                .first()
            )
        return json.loads(row.data).get("input_channel") if row is not None else None
