"""The tracker store erases a conversation's whole history when the patient deletes their data."""

from __future__ import annotations

import asyncio
import sqlite3

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from pacewise import HISTORY_ERASED_SLOT
from stores.erasable_tracker_store import ErasableSQLTrackerStore

DOMAIN = Domain.from_yaml('version: "3.1"\nslots:\n  history_erased:\n    type: text\n    mappings:\n    - type: custom\n')


def stored(db) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as connection:
        return list(connection.execute("SELECT sender_id, type_name FROM events ORDER BY id"))


def test_erasure_removes_every_session_of_that_conversation_only(tmp_path):
    db = tmp_path / "tracker.db"
    store = ErasableSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))

    async def scenario():
        for sender in ("patient", "someone-else"):
            tracker = DialogueStateTracker.from_events(
                sender, [ActionExecuted("action_session_start"), SessionStarted(), UserUttered("my neck hurts")], slots=DOMAIN.slots
            )
            await store.save(tracker)
        tracker = await store.retrieve("patient")
        tracker.update(SessionStarted())  # a second session: erasure covers all of them
        tracker.update(UserUttered("delete my data"))
        await store.save(tracker)
        tracker = await store.retrieve("patient")
        tracker.update(SlotSet(HISTORY_ERASED_SLOT, "2026-11-23T12:00:00+00:00"))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
        return await store.retrieve("patient"), await store.retrieve("someone-else")

    patient, other = asyncio.run(scenario())
    assert [sender for sender, _ in stored(db)] == ["someone-else"] * 3
    assert patient is None
    assert [event.text for event in other.events if isinstance(event, UserUttered)] == ["my neck hurts"]


def test_ordinary_turns_are_stored_as_rasa_does(tmp_path):
    db = tmp_path / "tracker.db"
    store = ErasableSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    tracker = DialogueStateTracker.from_events("patient", [SessionStarted(), UserUttered("hello")], slots=DOMAIN.slots)
    asyncio.run(store.save(tracker))
    assert stored(db) == [("patient", "session_started"), ("patient", "user")]


def test_the_latest_channel_is_read_from_the_newest_patient_message(tmp_path):
    store = ErasableSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    events = [
        SessionStarted(),
        UserUttered("hello", input_channel="telegram"),
        ActionExecuted("utter_greet"),
        UserUttered("is walking ok?", input_channel="rest"),
    ]
    tracker = DialogueStateTracker.from_events("patient", events, slots=DOMAIN.slots)
    asyncio.run(store.save(tracker))
    assert store.latest_input_channel("patient") == tracker.get_latest_input_channel() == "rest"
    assert store.latest_input_channel("nobody-yet") is None


def test_stored_rows_match_rasas_own_store_column_for_column(tmp_path):
    events = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        UserUttered("my neck hurts", {"name": "ask_flare_ups", "confidence": 0.8}, input_channel="rest"),
        ActionExecuted("action_answer_topic"),
        SlotSet(HISTORY_ERASED_SLOT, None),
        ActionExecuted("action_listen"),
    ]
    rows = {}
    for name, store_class in (("ours", ErasableSQLTrackerStore), ("rasa", SQLTrackerStore)):
        db = tmp_path / f"{name}.db"
        asyncio.run(store_class(domain=DOMAIN, dialect="sqlite", db=str(db)).save(DialogueStateTracker.from_events("patient", events, slots=DOMAIN.slots)))
        with sqlite3.connect(db) as connection:
            rows[name] = list(connection.execute("SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events ORDER BY id"))
    assert rows["ours"] == rows["rasa"] and len(rows["ours"]) == len(events)
