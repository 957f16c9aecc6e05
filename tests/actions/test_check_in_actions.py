"""Check-ins through their actions: what the patient is told, and what is stored (a real SQLite database)."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.check_ins.actions import ActionCheckIn, ActionManageCheckIns, ValidateCheckInForm
from actions.patients import patient_key_for
from pacewise.checkins.timing import EVERY_DAY, Cadence
from pacewise.storage.checkins import check_in_for, opt_in, pause
from pacewise.storage.goals import start_goal

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text())


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return " ".join(message.get("text") or "" for message in dispatcher.messages), events, dispatcher.messages


def test_a_clear_request_starts_check_ins_on_the_patients_channel(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_check_in_request")
    text, _, _ = run(ActionManageCheckIns(), tracker)
    assert "every day at 19:00 (London time)" in text and "your pain score" in text and "stop check-ins" in text
    stored = check_in_for(patient_key_for(tracker))
    assert stored is not None and (stored.channel, stored.address, stored.asks) == ("telegram", "770042", "pain")
    assert stored.cadence == Cadence(time(19, 0), EVERY_DAY, "Europe/London")


def test_without_a_clear_time_the_bot_asks_and_keeps_the_rest(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_check_in_request", text="can you check in with me on mondays and thursdays about my walking goal")
    text, events, _ = run(ActionManageCheckIns(), tracker)
    assert text == ""
    assert {"event": "followup", "name": "check_in_form", "timestamp": None} in events
    draft = next(event["value"] for event in events if event.get("name") == "check_in_draft")
    assert draft == {"kind": "start", "weekdays": [0, 3], "asks": "goal", "zone": None}
    assert check_in_for(patient_key_for(tracker)) is None

    # The form's answer, then the action again: stored with the days and what to ask kept.
    answered = load_tracker("tracker_check_in_request", text="half 7 in the evening? say 7.30pm", slots={"check_in_draft": draft, "check_in_time": "19:30"})
    text, _, _ = run(ActionManageCheckIns(), answered)
    assert "on Mondays and Thursdays at 19:30" in text and "how your activity goal is going" in text
    assert check_in_for(patient_key_for(tracker)).asks == "goal"


@pytest.mark.parametrize(("answer", "expected"), [("7pm", "19:00"), ("8.30 in the morning", "08:30"), ("evenings", "19:00")])
def test_the_form_reads_the_time(load_tracker, content_copy, database, answer, expected):
    tracker = load_tracker("tracker_check_in_request", text=answer, slots={"requested_slot": "check_in_time"})
    events = asyncio.run(ValidateCheckInForm().extract_check_in_time(CollectingDispatcher(), tracker, DOMAIN))
    assert events == {"check_in_time": expected}


def test_a_time_zone_said_with_the_forms_answer_is_kept_with_the_request(load_tracker, content_copy, database):
    draft = {"kind": "start", "weekdays": [0, 3], "asks": "goal", "zone": None}
    tracker = load_tracker("tracker_check_in_request", text="7pm sydney time", slots={"requested_slot": "check_in_time", "check_in_draft": draft})
    events = asyncio.run(ValidateCheckInForm().extract_check_in_time(CollectingDispatcher(), tracker, DOMAIN))
    assert events == {"check_in_time": "19:00", "check_in_draft": {**draft, "zone": "Australia/Sydney"}}


def test_the_patients_own_time_zone_is_used_when_they_name_it(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_check_in_request", text="I'm in Melbourne - could you remind me to log my pain at 8am Melbourne time on weekdays?")
    text, _, _ = run(ActionManageCheckIns(), tracker)
    assert "on Mondays, Tuesdays, Wednesdays, Thursdays and Fridays at 08:00 (Melbourne time)" in text
    assert "tell me yours" not in text  # the zone was the patient's own
    key = patient_key_for(tracker)
    assert check_in_for(key).cadence.zone == "Australia/Melbourne"
    # Due at 08:00 in Melbourne, which is 21:00 or 22:00 UTC the day before.
    due = check_in_for(key).next_due_at.astimezone(Cadence(time(8, 0), EVERY_DAY, "Australia/Melbourne").tz)
    assert (due.hour, due.minute) == (8, 0)

    # Moving to another zone keeps the local time: 8am stays 8am, now in New York.
    text, _, _ = run(ActionManageCheckIns(), load_tracker("tracker_check_in_request", text="I've moved to the states, my time zone is Eastern now"))
    assert "at 08:00 (New York time)" in text
    moved = check_in_for(key)
    assert moved.cadence == Cadence(time(8, 0), frozenset(range(5)), "America/New_York")
    local_due = moved.next_due_at.astimezone(moved.cadence.tz)
    assert (local_due.hour, local_due.minute) == (8, 0) and local_due.weekday() < 5


def test_without_a_named_zone_the_clinics_is_used_and_the_patient_told_how_to_change_it(load_tracker, content_copy, database):
    text, _, _ = run(ActionManageCheckIns(), load_tracker("tracker_check_in_request"))
    assert "(London time)" in text and "If you're not on London time, tell me yours" in text


@pytest.mark.parametrize(("reported", "expected"), [("Australia/Sydney", "Sydney time"), ("Not/AZone", "London time"), (None, "London time")])
def test_the_time_zone_the_patients_browser_reports_is_used_when_they_name_none(load_tracker, content_copy, database, reported, expected):
    tracker = load_tracker("tracker_check_in_request", text="remind me to log my pain at 7pm")
    next(event for event in reversed(tracker.events) if event["event"] == "user")["metadata"] = {"time_zone": reported}
    text, _, _ = run(ActionManageCheckIns(), tracker)
    assert f"every day at 19:00 ({expected})" in text
    assert ("tell me yours" in text) is (expected == "London time")  # a zone not the patient's own is said, with how to change it


def test_a_zone_named_once_is_kept_when_the_check_ins_are_set_up_again(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_check_in_request", text="remind me to log my pain at 7pm Sydney time")
    run(ActionManageCheckIns(), tracker)
    text, _, _ = run(ActionManageCheckIns(), load_tracker("tracker_check_in_request", text="actually remind me to log my pain every morning at 8am"))
    assert "every day at 08:00 (Sydney time)" in text and "tell me yours" not in text
    assert check_in_for(patient_key_for(tracker)).cadence.zone == "Australia/Sydney"


def test_the_form_asks_again_for_an_unclear_time(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_check_in_request", text="at 8", slots={"requested_slot": "check_in_time"})
    dispatcher = CollectingDispatcher()
    assert asyncio.run(ValidateCheckInForm().extract_check_in_time(dispatcher, tracker, DOMAIN)) == {"check_in_time": None}
    assert "7pm" in dispatcher.messages[0]["text"]


def test_stop_pause_and_change(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_check_in_request")
    key = patient_key_for(tracker)
    run(ActionManageCheckIns(), tracker)

    text, _, _ = run(ActionManageCheckIns(), load_tracker("tracker_check_in_request", text="I'm going away, please pause the reminders for 2 weeks"))
    paused_until = check_in_for(key).paused_until
    assert "Paused: no check-ins until" in text
    assert timedelta(days=13, hours=23) < paused_until - datetime.now(timezone.utc) <= timedelta(days=14)

    text, _, _ = run(ActionManageCheckIns(), load_tracker("tracker_check_in_request", text="could you move my check-in to 8pm instead"))
    assert "every day at 20:00" in text and check_in_for(key).cadence.local_time == time(20, 0)

    text, _, _ = run(ActionManageCheckIns(), load_tracker("tracker_check_in_request", text="no more reminders please"))
    assert "no more check-ins" in text and check_in_for(key) is None
    text, _, _ = run(ActionManageCheckIns(), load_tracker("tracker_check_in_request", text="stop reminders"))
    assert "nothing to stop" in text


def test_switching_them_back_on_ends_a_pause(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_check_in_request")
    key = patient_key_for(tracker)
    run(ActionManageCheckIns(), tracker)
    pause(key, datetime.now(timezone.utc) + timedelta(days=7))
    text, _, _ = run(ActionManageCheckIns(), load_tracker("tracker_check_in_request", text="switch the reminders back on"))
    assert "check-ins are on" in text and check_in_for(key).paused_until <= datetime.now(timezone.utc)


def test_a_chat_with_no_known_channel_does_not_promise_check_ins(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_ask_pacing", text="remind me to log my pain every evening at 7")
    text, _, _ = run(ActionManageCheckIns(), tracker)
    assert "can't send check-ins here" in text and check_in_for(patient_key_for(tracker)) is None


def test_a_guess_without_a_readable_request_explains_how_to_ask(load_tracker, content_copy, database):
    text, _, _ = run(ActionManageCheckIns(), load_tracker("tracker_check_in_request", text="the reminder thingy"))
    assert "remind me to log my pain every evening at 7" in text


def _check_in_tracker(load_tracker, route: str, asks: str):
    latest = {
        "intent": {"name": "EXTERNAL_check_in", "confidence": 1.0},
        "entities": [{"entity": "check_in_route", "value": route}, {"entity": "check_in_asks", "value": asks}],
    }
    return load_tracker("tracker_check_in_request", text="", latest=latest)


def test_the_check_in_greets_says_how_to_stop_and_opens_the_pain_diary(load_tracker, content_copy, database):
    tracker = _check_in_tracker(load_tracker, "message", "both")
    key = patient_key_for(tracker)
    opt_in(key, "telegram", "770042", Cadence(time(19, 0), EVERY_DAY, "Europe/London"), "both", datetime.now(timezone.utc))
    start_goal(key, "walking", "minutes", {"amounts": [10, 12, 8]}, 10.0, datetime.now(timezone.utc) - timedelta(days=1))

    text, events, _ = run(ActionCheckIn(), tracker)
    assert "check-in you asked for" in text and "stop check-ins" in text
    assert "Your activity goal: walking, 8 minutes a session, 3 times this week (0 done so far)" in text
    assert events == [{"event": "followup", "name": "pain_log_form", "timestamp": None}]


def test_a_whatsapp_template_check_in_sends_only_the_template(load_tracker, content_copy, database):
    tracker = _check_in_tracker(load_tracker, "template", "pain")
    opt_in(patient_key_for(tracker), "twilio_whatsapp", "whatsapp:+44", Cadence(time(19, 0), EVERY_DAY, "Europe/London"), "pain", datetime.now(timezone.utc))
    text, events, messages = run(ActionCheckIn(), tracker)
    assert text == "" and messages[0]["custom"] == {"pacewise": {"check_in_template": True}}
    assert events[0]["name"] == "pain_log_form"


def test_a_check_in_after_the_patient_stopped_says_nothing(load_tracker, content_copy, database):
    _, events, messages = run(ActionCheckIn(), _check_in_tracker(load_tracker, "message", "pain"))
    assert messages == [] and events == []


def test_the_website_chat_keeps_check_ins_for_the_next_visit(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_check_in_request")
    tracker.events[-1]["input_channel"] = "socketio"
    text, _, _ = run(ActionManageCheckIns(), tracker)
    assert "every day at 19:00" in text and "waiting the next time you open it" in text
    assert check_in_for(patient_key_for(tracker)).channel == "socketio"
