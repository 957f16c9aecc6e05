"""Pain entries whose confirmation never reached the patient.

The action server stores an entry, then the Rasa server sends the reply and
saves the turn. If the Rasa server stops in between, the entry is kept but the
conversation never hears of it: slot `last_pain_entry` (set together with the
confirmation) does not name it. Such an entry, if recent, is either the one a
re-sent score repeats (ActionLogPain updates it instead of adding another),
or, whatever the patient's next message is, worth telling them about
(`note_unconfirmed_entry`, run by actions/server.py after every action).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from rasa_sdk import Tracker

from actions.diary import replies
from actions.patients import patient_key_for
from pacewise.content.rendering import render
from pacewise.storage.pain_diary import StoredPainEntry, latest_pain_entry

LAST_ENTRY_SLOT = "last_pain_entry"
PAIN_SCORE_SLOT = "pain_score"
UNCONFIRMED_WINDOW = timedelta(minutes=30)
# Actions that speak for themselves about the diary, or must not be interrupted.
NOT_AFTER = frozenset({"action_log_pain", "action_safety_response", "action_session_start", "action_delete_data"})
# While the pain form is open, its own ending (action_log_pain) reconciles the entry; a note then would
# mark it confirmed and the form would store it a second time.
PAIN_FORM = "pain_log_form"


def unconfirmed_entry(patient_key: str, confirmed_id: Any, now: datetime | None = None) -> StoredPainEntry | None:
    """The patient's latest entry, if it is recent and the conversation never heard it confirmed."""
    now = now or datetime.now(timezone.utc)
    latest = latest_pain_entry(patient_key)
    if latest is None or str(latest.id) == str(confirmed_id) or now - latest.entry.logged_at > UNCONFIRMED_WINDOW:
        return None
    return latest


def note_unconfirmed_entry(action_call: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """An action's result, plus a line telling the patient an unconfirmed entry was kept (and the slots saying so)."""
    responses = result.get("responses") or []
    events = result.get("events") or []
    if action_call.get("next_action") in NOT_AFTER or not responses:
        return result
    if any(event.get("event") == "slot" and event.get("name") == LAST_ENTRY_SLOT for event in events):
        return result
    tracker = Tracker.from_dict(action_call.get("tracker") or {})
    if (tracker.active_loop or {}).get("name") == PAIN_FORM:
        return result
    found = unconfirmed_entry(patient_key_for(tracker), tracker.get_slot(LAST_ENTRY_SLOT))
    if found is None:
        return result
    note = {"text": render(replies.earlier_score_saved(found.entry.score))}
    slots = [
        {"event": "slot", "name": LAST_ENTRY_SLOT, "value": str(found.id), "timestamp": None},
        {"event": "slot", "name": PAIN_SCORE_SLOT, "value": found.entry.score, "timestamp": None},
    ]
    return {**result, "responses": [*responses, note], "events": [*events, *slots]}
