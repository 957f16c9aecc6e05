"""The safety response: what the patient reads, the form it ends, the event it records."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.safety.action import ActionSafetyResponse
from pacewise.storage.pseudonyms import patient_key

CRISIS_AND_RED_FLAG = {
    "intent": {"name": "ask_crisis_support", "confidence": 1.0},
    "safety": {
        "categories": ["crisis", "red_flag"],
        "detected_by": "rules",
        "urgency": "emergency",
        "rules": {"crisis": ["wish_to_die"], "red_flag": ["chest_pain"]},
    },
}
SAME_DAY = {"safety": {"categories": ["red_flag"], "detected_by": "rules", "urgency": "same_day", "rules": {"red_flag": ["fever_or_chills"]}}}
BUTTON_PRESS = {"text": "/ask_red_flags", "safety": None}


def run(tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionSafetyResponse().run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def stored_events(database: Path) -> list[dict]:
    if not database.exists():
        return []
    with sqlite3.connect(database) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute("SELECT * FROM safety_events ORDER BY id")]


def test_emergency_red_flag_gives_the_emergency_number_and_ends_the_form(content_copy, database, load_tracker):
    messages, events = run(load_tracker("tracker_red_flag_in_form"))

    assert len(messages) == 1
    assert "call 999 or go to A&E now" in messages[0]["text"]
    assert "{" not in messages[0]["text"]
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/tell_me_more"]
    assert {"event": "slot", "timestamp": None, "name": "topic", "value": "red_flags"} in events
    assert {"event": "active_loop", "timestamp": None, "name": None} in events
    assert {"event": "slot", "timestamp": None, "name": "requested_slot", "value": None} in events


def test_the_event_is_recorded_pseudonymously_without_the_message(content_copy, database, load_tracker):
    run(load_tracker("tracker_red_flag_in_form"))

    [row] = stored_events(database)
    assert row["category"] == "red_flag"
    assert row["urgency"] == "emergency"
    assert row["rules"] == "bladder_or_bowel_control,saddle_numbness"
    assert row["detected_by"] == "rules"
    assert row["channel"] == "rest"
    assert row["patient_key"] == patient_key("rest", "fixture-patient")
    assert "fixture-patient" not in str(row.values())
    stored = " ".join(str(value) for value in row.values())
    assert "bum" not in stored and "pee" not in stored


def test_same_day_red_flag_gives_same_day_advice(content_copy, database, load_tracker):
    messages, _ = run(load_tracker("tracker_red_flag_in_form", latest=SAME_DAY))
    assert "today" in messages[0]["text"]
    assert "NHS 111" in messages[0]["text"]


def test_crisis_comes_first_then_the_red_flag_and_both_are_recorded(content_copy, database, load_tracker):
    messages, events = run(load_tracker("tracker_red_flag_in_form", latest=CRISIS_AND_RED_FLAG))

    assert len(messages) == 2
    assert "116 123" in messages[0]["text"] and "999" in messages[0]["text"]
    assert "I'm still here" in messages[0]["text"]
    assert "999" in messages[1]["text"]
    assert {"event": "slot", "timestamp": None, "name": "topic", "value": "crisis_support"} in events
    assert [row["category"] for row in stored_events(database)] == ["crisis", "red_flag"]


def test_numbers_follow_the_deployment_settings(content_copy, database, load_tracker):
    shutil.copy(content_copy / "settings" / "examples" / "deployment-us.yml", content_copy / "settings" / "deployment.yml")

    messages, _ = run(load_tracker("tracker_red_flag_in_form", latest=CRISIS_AND_RED_FLAG))

    text = " ".join(message["text"] for message in messages)
    assert "988" in text and "911" in text
    assert "999" not in text and "Samaritans" not in text


def test_a_button_press_delivers_the_content_but_is_not_a_safety_event(content_copy, database, load_tracker):
    messages, events = run(load_tracker("tracker_red_flag_in_form", latest=BUTTON_PRESS))

    assert "999" in messages[0]["text"] and "NHS 111" in messages[0]["text"]
    assert {"event": "slot", "timestamp": None, "name": "topic", "value": "red_flags"} in events
    assert stored_events(database) == []


@pytest.mark.parametrize("topic_file", ["red_flags.md", "crisis_support.md"])
def test_broken_safety_content_still_gives_what_to_do_now(content_copy, database, load_tracker, topic_file):
    (content_copy / "topics" / topic_file).write_text("this file is broken\n")

    messages, _ = run(load_tracker("tracker_red_flag_in_form", latest=CRISIS_AND_RED_FLAG))

    text = " ".join(message["text"] for message in messages)
    assert "999" in text
    assert "116 123" in text


def test_a_database_failure_does_not_stop_the_reply(content_copy, database, load_tracker, monkeypatch, caplog):
    monkeypatch.setenv("PACEWISE_DATABASE_URL", "postgresql://nobody:wrong@127.0.0.1:9/nothing")

    messages, _ = run(load_tracker("tracker_red_flag_in_form"))

    assert "999" in messages[0]["text"]
    assert "Could not record a safety event" in caplog.text
