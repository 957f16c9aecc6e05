"""'Export my data' and 'delete my data' through their actions."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import datetime, time, timezone
from pathlib import Path

import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.links import DOWNLOADS_PATH
from actions.my_data.actions import ActionAskDeleteConfirmed, ActionDeleteData, ActionExportData, ValidateDeleteDataForm
from actions.patients import patient_key_for
from pacewise.checkins.peg import PegAnswers
from pacewise.checkins.timing import Cadence
from pacewise.storage.checkins import opt_in
from pacewise.storage.downloads import fetch_download
from pacewise.storage.goals import start_goal
from pacewise.storage.pain_diary import PainEntry, add_pain_entry, pain_entries
from pacewise.storage.peg import record_peg

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[3] / "domain.yml").read_text())


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, events


def test_the_export_link_gives_a_csv_of_the_patients_records(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_pain_form")
    key = patient_key_for(tracker)
    add_pain_entry(key, PainEntry(6, datetime.now(timezone.utc), "neck", None, "long drive, sore"))
    add_pain_entry(key, PainEntry(4, datetime.now(timezone.utc)))
    start_goal(key, "walking", "minutes", {"amounts": [10, 12, 8]}, 10.0, datetime.now(timezone.utc))
    messages, _ = run(ActionExportData(), tracker)
    text = messages[0]["text"]
    assert "2 pain entries, 1 activity goal, 0 activity sessions" in text
    assert "The links work for 1 hour" in text and "one-page report to show your physiotherapist" in text
    token = text.split(DOWNLOADS_PATH + "/")[1].split("/")[0]
    download = fetch_download(token)
    rows = list(csv.DictReader(io.StringIO(download.body.decode("utf-8-sig"))))
    assert [(row["record"], row["pain_score"], row["note"]) for row in rows[:2]] == [("pain entry", "6", "long drive, sore"), ("pain entry", "4", "")]
    assert rows[2]["record"] == "activity goal" and rows[2]["activity"] == "walking"


def test_the_export_holds_check_in_settings_and_peg_answers(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_pain_form")
    key = patient_key_for(tracker)
    now = datetime.now(timezone.utc)
    opt_in(key, "telegram", "tg-5", Cadence(time(19, 0), frozenset({0, 3}), "Europe/London"), "pain", now)
    record_peg(key, PegAnswers(7, 6, 8), now)

    messages, _ = run(ActionExportData(), tracker)
    token = messages[0]["text"].split(DOWNLOADS_PATH + "/")[1].split("/")[0]
    rows = list(csv.DictReader(io.StringIO(fetch_download(token).body.decode("utf-8-sig"))))

    assert [(row["record"], row["note"]) for row in rows if row["record"] == "check-in settings"] == [
        ("check-in settings", "on Mondays and Thursdays at 19:00 (Europe/London), asks about: pain")
    ]
    assert [(row["record"], row["peg_score"], row["note"]) for row in rows if row["record"] == "PEG-3"] == [
        ("PEG-3", "7.0", "pain 7, enjoyment of life 6, general activity 8")
    ]


def test_an_empty_export_says_so(load_tracker, content_copy, database):
    messages, _ = run(ActionExportData(), load_tracker("tracker_pain_form"))
    assert "nothing to export" in messages[0]["text"]


def test_deletion_is_asked_with_what_goes_and_a_clear_yes_or_no(load_tracker, content_copy):
    messages, events = run(ActionAskDeleteConfirmed(), load_tracker("tracker_pain_form"))
    assert events == [] and len(messages) == 1
    assert (
        "your check-ins and questionnaire answers, any reports, the list of topics you've read, and our conversation history" in messages[0]["text"]
        and "can't be undone" in messages[0]["text"]
    )
    assert [(button["title"], button["payload"]) for button in messages[0]["buttons"]] == [
        ("Yes, delete everything", "/affirm"),
        ("No, keep my data", "/deny"),
    ]


def confirm(load_tracker, text, intent, confidence=0.9):
    tracker = load_tracker(
        "tracker_pain_form", text=text, slots={"requested_slot": "delete_confirmed"}, latest={"intent": {"name": intent, "confidence": confidence}}
    )
    tracker.active_loop = {"name": "delete_data_form"}
    messages, events = run(ValidateDeleteDataForm(), tracker)
    return messages, {event["name"]: event.get("value") for event in events if event.get("event") == "slot"}


def test_yes_and_no_are_understood_and_anything_else_asks_again(load_tracker, content_copy):
    assert confirm(load_tracker, "yes", "affirm")[1]["delete_confirmed"] is True
    assert confirm(load_tracker, "no keep it", "deny")[1]["delete_confirmed"] is False
    messages, slots = confirm(load_tracker, "hmm what do you mean", "out_of_scope", 0.4)
    assert slots["delete_confirmed"] is None
    assert messages[0]["text"] == "Please answer yes to delete everything, or no to keep it."


def test_deleting_after_yes_removes_the_data_and_asks_for_the_history_to_be_erased(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_pain_form", slots={"delete_confirmed": True, "pain_score": 6})
    add_pain_entry(patient_key_for(tracker), PainEntry(6, datetime.now(timezone.utc)))
    messages, events = run(ActionDeleteData(), tracker)
    assert messages[0]["text"].startswith("Done. I've deleted your pain diary, your activity goals, your check-ins and questionnaire answers")
    assert events[0] == {"event": "reset_slots", "timestamp": None}
    assert events[1]["name"] == "history_erased" and events[1]["value"]
    assert pain_entries(patient_key_for(tracker)) == []


def test_no_deletes_nothing(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_pain_form", slots={"delete_confirmed": False})
    add_pain_entry(patient_key_for(tracker), PainEntry(6, datetime.now(timezone.utc)))
    messages, events = run(ActionDeleteData(), tracker)
    assert messages[0]["text"] == "OK, nothing has been deleted."
    assert all(event.get("name") != "history_erased" for event in events)
    assert len(pain_entries(patient_key_for(tracker))) == 1
