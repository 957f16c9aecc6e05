"""Rasa's SQL tracker store, plus erasing a conversation on request and loading long sessions by their recent turns.

Rasa only ever appends events. When action_delete_data sets the
`history_erased` slot, this store deletes every stored event of that
conversation, in all sessions, and stores nothing of the current turn either:
the next message starts a fresh conversation. Works with SQLite and PostgreSQL
(configured exactly like Rasa's `SQL` store, see endpoints.yml).

A session longer than `recent_turns` patient messages is loaded as those
recent turns and the slots they start from (stores/session_window.py), so a
message costs the same an hour into a conversation as at its start. The HTTP
API's conversation read (`retrieve_full_tracker`) still returns every event.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool, QueuePool

from pacewise import HISTORY_ERASED_SLOT
from pacewise.storage.private_files import make_private
from stores.session_window import TURN_ONLY_TYPES, head_events, mark_stored, stored_event_count

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# Patient messages of a session loaded whole; a longer session is loaded as its last this many turns.
DEFAULT_RECENT_TURNS = 5

logger = logging.getLogger(__name__)


def erasure_requested(tracker: DialogueStateTracker) -> bool:
    """Whether this turn asked for erasure (the marker is never stored, so any marker is new)."""
    return any(isinstance(event, SlotSet) and event.key == HISTORY_ERASED_SLOT and event.value for event in tracker.events)


def _event_row(sender_id: str, event: Event) -> dict[str, Any]:
    """The stored row of an event, column for column as Rasa's SQLTrackerStore.save writes it."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def _write_ahead_log(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


class SessionQueries:
    """The statements that load a session, built once (building them cost more than running them on SQLite)."""

    def __init__(self, events: Any, recent_turns: int) -> None:
        sender = events.sender_id == sa.bindparam("sender_id")
        session_start = sa.select(sa.func.max(events.timestamp)).where(sender, events.type_name == SessionStarted.type_name).scalar_subquery()
        in_session = sa.or_(session_start.is_(None), events.timestamp >= session_start)  # as Rasa's own query
        self.whole_session = sa.select(events.data).where(sender, in_session).order_by(events.id)
        self.newest_patient_messages = (
            sa.select(events.id, events.type_name)
            .where(sender, events.type_name.in_((UserUttered.type_name, SessionStarted.type_name)))
            .order_by(events.id.desc())
            .limit(recent_turns + 2)
        )
        self.newest_patient_message = sa.select(events.data).where(sender, events.type_name == UserUttered.type_name).order_by(events.id.desc()).limit(1)
        self.window = sa.select(events.data).where(sender, events.id >= sa.bindparam("window_start")).order_by(events.id)
        self.state_before_window = (
            sa.select(events.data)
            .where(sender, in_session, events.id < sa.bindparam("window_start"), events.type_name.notin_(TURN_ONLY_TYPES))
            .order_by(events.id)
        )


class ErasableSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, dialect: str = "sqlite", db: str = "rasa.db", recent_turns: int = DEFAULT_RECENT_TURNS, **kwargs: Any) -> None:
        if dialect == "sqlite" and db and db != ":memory:":
            make_private(Path(db))  # whole conversations: readable by the service only
        super().__init__(*args, dialect=dialect, db=db, **kwargs)
        if self.engine.dialect.name == "sqlite" and isinstance(self.engine.pool, NullPool):
            self._keep_sqlite_connections_open()
        self.recent_turns = int(recent_turns)  # 0 loads every session whole, as Rasa does
        self._session_queries: SessionQueries | None = None

    def _keep_sqlite_connections_open(self) -> None:
        """Reuse SQLite connections (SQLAlchemy 2's default for a file) rather than open one per query.

        SQLAlchemy 1.4, which Rasa 3.6 uses, opens a new connection for every
        session on a SQLite file: a third of a millisecond each, several times a
        message.
        """
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=QueuePool, connect_args={"check_same_thread": False, "timeout": 30})
        sa.event.listen(self.engine, "connect", _write_ahead_log)
        self.sessionmaker = sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The current session: whole when short, else its recent turns and the state they start from."""
        if not self.domain or self.recent_turns <= 0:
            return await super().retrieve(sender_id)
        queries = self._queries()
        with self.session_scope() as session:
            tracker = self._recent_turns(session, sender_id)
            if tracker is not None:
                return tracker
            events = [json.loads(row.data) for row in session.execute(queries.whole_session, {"sender_id": sender_id})]
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots) if events else None

    def _recent_turns(self, session: Session, sender_id: str) -> DialogueStateTracker | None:
        """None when the session is short or cannot be cut safely (then it is loaded whole)."""
        queries = self._queries()
        newest_first = session.execute(queries.newest_patient_messages, {"sender_id": sender_id})
        recent_user_ids = [row.id for row in itertools.takewhile(lambda row: row.type_name == UserUttered.type_name, newest_first)]
        if len(recent_user_ids) <= self.recent_turns:
            return None
        bounds = {"sender_id": sender_id, "window_start": recent_user_ids[self.recent_turns - 1]}  # the window's oldest patient message
        window = [json.loads(row.data) for row in session.execute(queries.window, bounds)]
        state_before = [json.loads(row.data) for row in session.execute(queries.state_before_window, bounds)]
        head = head_events(sender_id, state_before, self.domain.slots, timestamp=window[0].get("timestamp") or 0.0)
        if head is None:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [event.as_dict() for event in head] + window, self.domain.slots)
        mark_stored(list(tracker.events), len(head) + len(window))
        return tracker

    def _queries(self) -> SessionQueries:
        if self._session_queries is None:
            self._session_queries = SessionQueries(self.SQLEvent, self.recent_turns)
        return self._session_queries

    def _additional_events(self, session: Session, tracker: DialogueStateTracker) -> Iterator:
        """The events to store: after the head and window for a windowed tracker, else as Rasa counts them."""
        stored = stored_event_count(tracker, len(self.domain.slots) if self.domain else 0)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the turn's new events, as Rasa does, in one insert; or erase the conversation when asked."""
        if not erasure_requested(tracker):
            await self.stream_events(tracker)
            with self.session_scope() as session:
                rows = [_event_row(tracker.sender_id, event) for event in self._additional_events(session, tracker)]
                if rows:
                    session.execute(sa.insert(self.SQLEvent.__table__), rows)
                session.commit()
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
            row = session.execute(self._queries().newest_patient_message, {"sender_id": sender_id}).first()
        return json.loads(row.data).get("input_channel") if row is not None else None
