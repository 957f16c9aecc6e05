"""The notice at the start of every session."""

from __future__ import annotations

import asyncio
import shutil

from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart

DOMAIN = {"session_config": {"carry_over_slots_to_new_session": True, "session_expiration_time": 60}}


def run(tracker, domain=DOMAIN):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionSessionStart().run(dispatcher, tracker, domain))
    return dispatcher.messages, events


def test_the_notice_says_education_not_diagnosis_and_the_emergency_number(content_copy, load_tracker):
    messages, events = run(load_tracker("tracker_ask_pacing"))

    assert len(messages) == 1
    text = messages[0]["text"]
    assert "\n" not in text
    assert "cannot diagnose or treat" in text
    assert "999" in text
    assert events[0]["event"] == "session_started"
    assert (events[-1]["event"], events[-1]["name"]) == ("action", "action_listen")


def test_the_notice_follows_the_deployment_settings(content_copy, load_tracker):
    shutil.copy(content_copy / "settings" / "examples" / "deployment-us.yml", content_copy / "settings" / "deployment.yml")
    messages, _ = run(load_tracker("tracker_ask_pacing"))
    assert "911" in messages[0]["text"]


def test_slots_carry_over_into_the_new_session(content_copy, load_tracker):
    _, events = run(load_tracker("tracker_ask_pacing", slots={"topic": "pacing"}))
    assert {"event": "slot", "timestamp": None, "name": "topic", "value": "pacing"} in events


def test_slots_do_not_carry_over_when_the_domain_says_not_to(content_copy, load_tracker):
    _, events = run(load_tracker("tracker_ask_pacing", slots={"topic": "pacing"}), {"session_config": {"carry_over_slots_to_new_session": False}})
    assert not [event for event in events if event["event"] == "slot"]
