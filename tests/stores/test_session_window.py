"""A long session is loaded as its recent turns: the policies see the same dialogue state, nothing is lost or stored twice."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    Event,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from stores.erasable_tracker_store import ErasableSQLTrackerStore

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))
TOPICS = ["pacing", "hurt_vs_harm", "flare_ups", "exercise_types", "medication"]
RECENT = 4


def turn(index: int, clock: list[float]) -> list[Event]:
    """One patient question answered with a topic, as Rasa stores it."""
    topic = TOPICS[index % len(TOPICS)]

    def at() -> float:
        clock[0] += 1.0
        return clock[0]

    return [
        UserUttered(f"question {index} about {topic}", {"name": f"ask_{topic}", "confidence": 0.9}, timestamp=at()),
        ActionExecuted("action_answer_topic", timestamp=at()),
        BotUttered(f"answer about {topic}", timestamp=at()),
        SlotSet("topic", topic, timestamp=at()),
        ActionExecuted("action_listen", timestamp=at()),
    ]


def session_start(clock: list[float]) -> list[Event]:
    clock[0] += 1.0
    return [ActionExecuted("action_session_start", timestamp=clock[0]), SessionStarted(timestamp=clock[0]), ActionExecuted("action_listen", timestamp=clock[0])]


def conversation(turns: int, extra_after: dict[int, list[Event]] | None = None) -> list[Event]:
    clock = [1_700_000_000.0]
    events = session_start(clock)
    for index in range(turns):
        events += turn(index, clock)
        events += (extra_after or {}).get(index, [])
    return events


def stores(tmp_path: Path) -> tuple[ErasableSQLTrackerStore, ErasableSQLTrackerStore]:
    db = str(tmp_path / "tracker.db")
    return (
        ErasableSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=db, recent_turns=RECENT),
        ErasableSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=db, recent_turns=0),
    )


def save(store: ErasableSQLTrackerStore, sender: str, events: list[Event]) -> None:
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events, slots=DOMAIN.slots)))


def stored_types(tmp_path: Path, sender: str) -> list[str]:
    with sqlite3.connect(tmp_path / "tracker.db") as connection:
        return [row[0] for row in connection.execute("SELECT type_name FROM events WHERE sender_id = ? ORDER BY id", (sender,))]


def test_a_long_session_loads_its_recent_turns_with_the_same_state_for_the_policies(tmp_path):
    windowed, whole = stores(tmp_path)
    pain = {2: [SlotSet("pain_score", 6.0, timestamp=1_700_000_100.0)]}
    save(whole, "patient", conversation(30, pain))

    recent = asyncio.run(windowed.retrieve("patient"))
    full = asyncio.run(whole.retrieve("patient"))

    assert len(full.events) > 150 and len(recent.events) < 40
    assert recent.current_slot_values() == full.current_slot_values()
    assert recent.get_slot("pain_score") == 6.0  # told at the start, long before the window
    assert recent.latest_message.text == full.latest_message.text == "question 29 about medication"
    # Every state the policies look back on (MemoizationPolicy: 4; the rules: fewer) is the same.
    assert recent.past_states(DOMAIN)[-2 * RECENT :] == full.past_states(DOMAIN)[-2 * RECENT :]
    assert [e.text for e in recent.events if isinstance(e, UserUttered)] == [f"question {i} about {TOPICS[i % 5]}" for i in range(26, 30)]


def test_a_short_session_is_loaded_whole_exactly_as_rasa_loads_it(tmp_path):
    windowed, whole = stores(tmp_path)
    save(whole, "patient", conversation(RECENT))

    assert list(asyncio.run(windowed.retrieve("patient")).events) == list(asyncio.run(whole.retrieve("patient")).events)
    assert asyncio.run(windowed.retrieve("nobody")) is None


def test_only_the_new_events_of_a_windowed_turn_are_stored_once_each(tmp_path):
    windowed, whole = stores(tmp_path)
    save(whole, "patient", conversation(20))
    before = stored_types(tmp_path, "patient")

    tracker = asyncio.run(windowed.retrieve("patient"))
    new_turn = turn(20, [1_800_000_000.0])
    for event in new_turn:
        tracker.update(event)
    asyncio.run(windowed.save(tracker.copy()))  # a copy keeps the record of what is stored already

    assert stored_types(tmp_path, "patient") == before + [event.type_name for event in new_turn]
    everything = asyncio.run(whole.retrieve_full_tracker("patient"))
    assert [e.text for e in everything.events if isinstance(e, UserUttered)] == [f"question {i} about {TOPICS[i % 5]}" for i in range(21)]
    assert not any(e.metadata for e in everything.events if isinstance(e, SessionStarted))  # the load's own marker is never stored


def test_a_new_session_after_a_windowed_load_is_stored_after_the_old_one(tmp_path):
    windowed, whole = stores(tmp_path)
    save(whole, "patient", conversation(12))
    tracker = asyncio.run(windowed.retrieve("patient"))
    for event in [*session_start([1_800_000_000.0]), *turn(99, [1_800_000_100.0])]:
        tracker.update(event)
    asyncio.run(windowed.save(tracker))

    current = asyncio.run(whole.retrieve("patient"))
    assert [e.text for e in current.events if isinstance(e, UserUttered)] == ["question 99 about medication"]
    assert stored_types(tmp_path, "patient").count("user") == 13


@pytest.mark.parametrize(
    "before_the_window",
    [
        pytest.param([ActiveLoop("activity_goal_form", timestamp=1_700_000_020.0)], id="a form still running"),
        pytest.param([ConversationPaused(timestamp=1_700_000_020.0)], id="a paused conversation"),
        pytest.param([UserUtteranceReverted(timestamp=1_700_000_020.0)], id="a rewind"),
    ],
)
def test_a_session_that_cannot_be_cut_safely_is_loaded_whole(tmp_path, before_the_window):
    windowed, whole = stores(tmp_path)
    save(whole, "patient", conversation(12, {1: before_the_window}))

    assert list(asyncio.run(windowed.retrieve("patient")).events) == list(asyncio.run(whole.retrieve("patient")).events)


def test_a_form_that_ended_before_the_window_does_not_stop_the_window(tmp_path):
    windowed, whole = stores(tmp_path)
    form = [ActiveLoop("activity_goal_form", timestamp=1_700_000_020.0), ActiveLoop(None, timestamp=1_700_000_021.0)]
    save(whole, "patient", conversation(12, {1: form}))

    recent = asyncio.run(windowed.retrieve("patient"))
    assert recent.active_loop_name is None and len(recent.events) < len(asyncio.run(whole.retrieve("patient")).events)
