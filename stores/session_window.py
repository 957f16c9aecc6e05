"""A long conversation session loaded as its recent turns plus the state they start from.

Rasa rebuilds the whole current session on every message: every stored event
is read, turned back into an object, replayed, and featurised several times by
the policies, then sent to the action server. A patient who has chatted for an
hour pays for all of it on each message (133 ms a message 1,100 events in,
33 ms for a new conversation; README "Benchmarks").

The policies look back only a few turns (MemoizationPolicy's max_history, the
rules' length), and the actions read slots and the latest message. So a long
session is loaded as the shape Rasa itself gives a session that started with
its slots carried over: `action_session_start`, `session_started`, one SlotSet
per slot that is set, `action_listen`, then the stored events of the last few
patient turns unchanged. The dialogue state the policies see for those turns is the same as
with the whole session; only older turns are left out.

The head is never stored: its `session_started` event carries how many events
of this tracker came from storage, and the store saves only what follows
(`stored_event_count`). Sessions where the recent turns cannot be cut out
safely are loaded whole: a form still running from before the window, a
paused conversation, or a rewind or undo before the window.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

# Metadata key on the head's session_started event: how many leading events of the tracker need no saving
# (the head, never stored, and the window, stored already).
STORED_EVENTS_KEY = "pacewise_stored_events"

# Event types that never change slots, forms or pausing: left out when the state before the window is rebuilt.
TURN_ONLY_TYPES = ("user", "bot", "action", "user_featurization", "agent", "entities")

# Events before the window whose effect depends on the turns around them: the session is then loaded whole.
REVERTING_TYPES = frozenset({"rewind", "undo"})

# Only the first few events can hold the marker (the head: three events and one SlotSet per slot).
_HEAD_SEARCH_EXTRA = 4


def head_events(sender_id: str, state_events: list[dict[str, Any]], slots: Iterable[Slot], timestamp: float) -> list[Event] | None:
    """The events that start a windowed tracker in the state the stored events before the window left it.

    `state_events` are the session's stored events before the window that can
    change state (not TURN_ONLY_TYPES), oldest first. None when the window
    cannot start there safely.
    """
    if any(event.get("event") in REVERTING_TYPES for event in state_events):
        return None
    before = DialogueStateTracker.from_dict(sender_id, state_events, list(slots))
    if before.active_loop_name is not None or before.is_paused():
        return None
    carried = [SlotSet(slot.name, slot.value, timestamp=timestamp) for slot in before.slots.values() if slot.value != slot.initial_value]
    return [
        ActionExecuted("action_session_start", timestamp=timestamp),
        SessionStarted(timestamp=timestamp),
        *carried,
        ActionExecuted("action_listen", timestamp=timestamp),  # every stored patient message follows one
    ]


def mark_stored(events: list[Event], stored: int) -> None:
    """Record on the head that the first `stored` events of the tracker (head and window) need no saving."""
    session_start = next(event for event in events if isinstance(event, SessionStarted))
    session_start.metadata = {**(session_start.metadata or {}), STORED_EVENTS_KEY: stored}


def stored_event_count(tracker: DialogueStateTracker, slot_count: int) -> int | None:
    """How many leading events of a windowed tracker need no saving; None for a tracker loaded whole."""
    for index, event in enumerate(tracker.events):
        if index > slot_count + _HEAD_SEARCH_EXTRA:
            return None
        if isinstance(event, SessionStarted) and STORED_EVENTS_KEY in (event.metadata or {}):
            return int(event.metadata[STORED_EVENTS_KEY])
    return None
