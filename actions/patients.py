"""Who the patient is, pseudonymously: the key every stored record is filed under."""

from __future__ import annotations

from rasa_sdk import Tracker

from pacewise.storage.pseudonyms import patient_key


def channel_of(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "unknown"


def patient_key_for(tracker: Tracker) -> str:
    """A keyed hash of channel and sender id: the raw id is never stored."""
    return patient_key(channel_of(tracker), tracker.sender_id)
