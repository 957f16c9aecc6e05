"""The pain diary's actions with tracker fixtures: what the patient reads, what is stored, which slots are set."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.diary.actions import ActionAskPainEntryDetails, ActionAskPainEntryScore, ActionLogPain, ActionPainSummary, ValidatePainLogForm
from actions.diary.unconfirmed import note_unconfirmed_entry
from actions.links import DOWNLOADS_PATH
from actions.patients import patient_key_for
from pacewise.storage.downloads import fetch_download
from pacewise.storage.pain_diary import PainEntry, add_pain_entry, pain_entries

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[3] / "domain.yml").read_text())


def run(action, tracker) -> tuple[list[dict], dict]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, {event["name"]: event.get("value") for event in events if event.get("event") == "slot"}, events


def test_the_score_is_asked_with_the_scale_explained_and_the_widget_scale(load_tracker, content_copy):
    messages, _, events = run(ActionAskPainEntryScore(), load_tracker("tracker_pain_form"))
    assert events == [] and len(messages) == 1
    assert messages[0]["text"] == "How bad is your pain right now, from 0 to 10? 0 means no pain and 10 the worst pain you can imagine."
    assert messages[0]["custom"] == {"pacewise": {"input": "pain_scale", "min": 0, "max": 10}}


def answer(load_tracker, text, *, intent="log_pain", confidence=0.9, requested="pain_entry_score", **slots):
    tracker = load_tracker(
        "tracker_pain_form",
        text=text,
        slots={"requested_slot": requested, **slots},
        latest={"intent": {"name": intent, "confidence": confidence}},
    )
    return run(ValidatePainLogForm(), tracker)


@pytest.mark.parametrize(("text", "score"), [("5", 5), ("seven", 7), ("about 3", 3), ("8/10", 8), ("it's a six", 6), ("0 today", 0)])
def test_a_valid_answer_fills_the_score(load_tracker, content_copy, text, score):
    messages, slots, _ = answer(load_tracker, text)
    assert slots["pain_entry_score"] == score
    assert messages == []  # Rasa's form then asks the next question


@pytest.mark.parametrize(
    ("text", "expected"), [("15", "15 isn't on the scale"), ("-3", "-3 isn't on the scale"), ("banana", "I need a whole number from 0 to 10")]
)
def test_an_invalid_answer_explains_the_scale_and_asks_again(load_tracker, content_copy, text, expected):
    messages, slots, _ = answer(load_tracker, text, intent="out_of_scope", confidence=0.4)
    assert slots["pain_entry_score"] is None  # still missing, so the form asks again
    assert expected in messages[0]["text"]
    assert "0 means no pain" in messages[0]["text"]


def test_a_range_asks_which_of_the_two(load_tracker, content_copy):
    messages, slots, _ = answer(load_tracker, "6 or 7")
    assert slots["pain_entry_score"] is None
    assert "6 or 7" in messages[0]["text"]
    assert [button["payload"] for button in messages[0]["buttons"]] == ["6", "7"]


def test_a_topic_question_mid_form_is_answered_then_the_form_asks_again(load_tracker, content_copy):
    messages, slots, _ = answer(load_tracker, "hang on, what is pacing exactly?", intent="ask_pacing", confidence=0.93)
    assert "Pacing and the boom-bust cycle" in messages[0]["text"]
    assert slots["topic"] == "pacing"
    assert slots["pain_entry_score"] is None


def test_stop_ends_the_form_and_nothing_is_logged(load_tracker, content_copy, database):
    messages, slots, events = answer(load_tracker, "never mind", intent="stop", confidence=0.95)
    assert messages[0]["text"] == "No problem, I've stopped. No pain score was logged."
    assert {"event": "active_loop", "name": None} in [{"event": e["event"], "name": e.get("name")} for e in events if e["event"] == "active_loop"]
    tracker = load_tracker("tracker_pain_form", slots={"requested_slot": None, "pain_entry_score": None})
    messages, slots, _ = run(ActionLogPain(), tracker)
    assert messages == [] and "pain_score" not in slots
    assert pain_entries(patient_key_for(tracker)) == []


def test_the_first_message_can_carry_the_score_and_where_it_hurts(load_tracker, content_copy):
    _, slots, _ = answer(load_tracker, "my lower back is a 7 after gardening", requested=None)
    assert (slots["pain_entry_score"], slots["pain_entry_location"], slots["pain_entry_activity"]) == (7, "lower back", "gardening")
    assert slots["requested_slot"] is None  # nothing left to ask


def test_the_extras_can_be_skipped(load_tracker, content_copy):
    _, slots, _ = answer(load_tracker, "skip", intent="stop", confidence=0.99, requested="pain_entry_details", pain_entry_score=4)
    assert slots["pain_entry_details"] == ""


def log(load_tracker, score, **slots):
    tracker = load_tracker("tracker_pain_form", slots={"requested_slot": None, "pain_entry_score": score, **slots})
    messages, slot_values, _ = run(ActionLogPain(), tracker)
    return tracker, messages, slot_values


def test_a_logged_score_is_stored_and_set_in_pain_score(load_tracker, content_copy, database):
    tracker, messages, slots = log(load_tracker, 4, pain_entry_details="neck, after work", pain_entry_location="neck")
    assert slots["pain_score"] == 4
    assert slots["pain_entry_score"] is None  # ready for the next entry
    assert messages[0]["text"].startswith("Thanks, I've logged your pain as 4 out of 10.")
    [entry] = pain_entries(patient_key_for(tracker))
    assert (entry.score, entry.location, entry.note) == (4, "neck", "neck, after work")


def test_a_change_from_the_recent_average_is_pointed_out_and_a_high_score_offers_flare_help(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_pain_form")
    for score in (3, 3, 4):
        add_pain_entry(patient_key_for(tracker), PainEntry(score, datetime.now(timezone.utc) - timedelta(days=2)))
    _, messages, _ = log(load_tracker, 8)
    assert "That's 4.7 points higher than your recent average of 3.3." in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == "/ask_flare_ups"


def test_a_moderate_score_does_not_offer_flare_help(load_tracker, content_copy, database):
    _, messages, _ = log(load_tracker, 5)
    assert all(button["payload"] != "/ask_flare_ups" for button in messages[0]["buttons"])


def test_when_the_database_fails_the_patient_is_told_and_no_score_is_set(load_tracker, content_copy, monkeypatch, tmp_path):
    monkeypatch.setenv("PACEWISE_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/nothing-listens-here")
    _, messages, slots = log(load_tracker, 5)
    assert "couldn't save that" in messages[0]["text"]
    assert "pain_score" not in slots


def on_channel(tracker, channel):
    for event in tracker.events:
        if event.get("event") == "user":
            event["input_channel"] = channel
    return tracker


def summary(load_tracker, channel="rest"):
    tracker = on_channel(load_tracker("tracker_pain_form"), channel)
    return tracker, *run(ActionPainSummary(), tracker)[:2]


def test_the_summary_gives_the_week_and_month_in_words_and_a_chart(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_pain_form")
    now = datetime.now(timezone.utc)
    for days_ago, score in ((20, 8), (10, 6), (5, 5), (2, 3)):
        add_pain_entry(patient_key_for(tracker), PainEntry(score, now - timedelta(days=days_ago)))
    _, messages, _ = summary(load_tracker)
    text = messages[0]["text"]
    assert "Last week: 2 entries, average 4 out of 10 (lowest 3, highest 5)" in text
    assert "Last 30 days: 4 entries, average 5.5 out of 10 (lowest 3, highest 8); your scores have been coming down." in text
    token = messages[0]["image"].split(DOWNLOADS_PATH + "/")[1].split("/")[0]
    assert fetch_download(token).body[:8] == b"\x89PNG\r\n\x1a\n"


def test_sms_gets_the_words_without_a_chart(load_tracker, content_copy, database):
    tracker = on_channel(load_tracker("tracker_pain_form"), "twilio")
    add_pain_entry(patient_key_for(tracker), PainEntry(5, datetime.now(timezone.utc)))
    _, messages, _ = summary(load_tracker, channel="twilio")
    assert "Last week: 1 entry" in messages[0]["text"]
    assert messages[0]["image"] is None


def test_an_empty_diary_says_how_to_start(load_tracker, content_copy, database):
    _, messages, _ = summary(load_tracker)
    assert "haven't logged any pain scores" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == "/log_pain"


def test_a_new_entry_forgets_what_was_left_from_an_interrupted_one(load_tracker, content_copy):
    # A crisis message ended the last entry after its score (8) was given; now the patient starts again.
    _, slots, _ = answer(load_tracker, "log my pain", requested=None, pain_entry_score=8, pain_entry_location="neck")
    assert slots["pain_entry_score"] is None and slots["pain_entry_location"] is None


def _log(load_tracker, score: int, **slots):
    tracker = load_tracker("tracker_pain_form", slots={"pain_entry_score": score, "pain_entry_details": "skip", **slots})
    return tracker, run(ActionLogPain(), tracker)


def test_a_score_re_sent_after_a_lost_reply_is_stored_once(load_tracker, content_copy, database):
    # The first turn stored the entry but its reply and slots never reached the conversation.
    tracker, (_, first_slots, _) = _log(load_tracker, 7)
    _, (again, again_slots, _) = _log(load_tracker, 7)

    assert len(pain_entries(patient_key_for(tracker))) == 1
    assert "logged your pain as 7 out of 10" in again[0]["text"]
    assert again_slots["last_pain_entry"] == first_slots["last_pain_entry"]
    assert again_slots["pain_score"] == 7


def test_the_same_score_logged_again_after_a_confirmed_one_is_a_new_entry(load_tracker, content_copy, database):
    tracker, (_, first_slots, _) = _log(load_tracker, 7)
    _log(load_tracker, 7, last_pain_entry=first_slots["last_pain_entry"])

    assert [entry.score for entry in pain_entries(patient_key_for(tracker))] == [7, 7]


def test_a_different_score_after_a_lost_reply_is_kept_and_the_earlier_one_mentioned(load_tracker, content_copy, database):
    tracker, _ = _log(load_tracker, 6)
    _, (messages, _, _) = _log(load_tracker, 8)

    assert [entry.score for entry in pain_entries(patient_key_for(tracker))] == [6, 8]
    assert "The 6 out of 10 you sent a little earlier is in your diary too." in messages[0]["text"]


def _topic_answer_call(tracker, action: str = "action_answer_topic") -> tuple[dict, dict]:
    state = tracker.current_state()
    state["active_loop"] = {}  # the form has ended; the patient asks something else
    call = {"next_action": action, "sender_id": tracker.sender_id, "tracker": state}
    return call, {"events": [{"event": "slot", "name": "topic", "value": "pacing"}], "responses": [{"text": "Pacing is ..."}]}


def test_the_next_message_of_another_kind_says_an_unconfirmed_entry_was_kept(load_tracker, content_copy, database):
    _log(load_tracker, 7)  # stored, but its reply never reached the conversation
    call, result = _topic_answer_call(load_tracker("tracker_pain_form"))

    noted = note_unconfirmed_entry(call, result)

    assert noted["responses"][0] == {"text": "Pacing is ..."}
    assert "pain score of 7 out of 10 you sent a little earlier is saved" in noted["responses"][-1]["text"]
    slots = {event["name"]: event["value"] for event in noted["events"] if event["event"] == "slot"}
    assert slots["pain_score"] == 7 and slots["topic"] == "pacing"
    # Once the conversation knows the entry, nothing more is said.
    known = load_tracker("tracker_pain_form", slots={"last_pain_entry": slots["last_pain_entry"]})
    assert note_unconfirmed_entry(*_topic_answer_call(known)) == _topic_answer_call(known)[1]


def test_no_note_in_a_safety_reply_or_when_every_entry_was_confirmed(load_tracker, content_copy, database):
    _log(load_tracker, 7)
    call, result = _topic_answer_call(load_tracker("tracker_pain_form"), action="action_safety_response")
    assert note_unconfirmed_entry(call, result) is result
    _, (_, slots, _) = _log(load_tracker, 4)
    confirmed = load_tracker("tracker_pain_form", slots={"last_pain_entry": slots["last_pain_entry"]})
    call, result = _topic_answer_call(confirmed)
    assert note_unconfirmed_entry(call, result) is result


def test_no_note_while_the_pain_form_is_still_open(load_tracker, content_copy, database):
    _log(load_tracker, 7)
    tracker = load_tracker("tracker_pain_form")
    state = tracker.current_state()
    state["active_loop"] = {"name": "pain_log_form"}
    call, result = {"next_action": "action_answer_topic", "tracker": state}, {"events": [], "responses": [{"text": "Pacing is ..."}]}
    assert note_unconfirmed_entry(call, result) is result


def ask_details(load_tracker, score, **slots):
    tracker = load_tracker("tracker_pain_form", slots={"requested_slot": "pain_entry_details", "pain_entry_score": score, **slots})
    messages, slot_values, _ = run(ActionAskPainEntryDetails(), tracker)
    return tracker, messages, slot_values


def test_the_score_is_stored_when_the_optional_question_is_asked(load_tracker, content_copy, database):
    tracker, messages, slots = ask_details(load_tracker, 7)

    assert messages[0]["text"].startswith("Thanks, I've logged your pain as 7 out of 10. If you like, add where it hurts")
    assert [button["payload"] for button in messages[0]["buttons"]] == ["skip"]
    assert slots["pain_score"] == 7 and slots["pain_entry_id"] == slots["last_pain_entry"]
    assert [entry.score for entry in pain_entries(patient_key_for(tracker))] == [7]


def test_asking_again_stores_nothing_more_and_the_details_go_into_the_same_entry(load_tracker, content_copy, database):
    tracker, _, slots = ask_details(load_tracker, 7)
    _, again, again_slots = ask_details(load_tracker, 7, pain_entry_id=slots["pain_entry_id"])
    assert again_slots == {} and "logged" not in again[0]["text"]

    _, messages, end_slots = log(load_tracker, 7, pain_entry_id=slots["pain_entry_id"], pain_entry_details="knee, after the stairs", pain_entry_location="knee")

    entries = pain_entries(patient_key_for(tracker))
    assert [(entry.score, entry.location, entry.note) for entry in entries] == [(7, "knee", "knee, after the stairs")]
    assert messages[0]["text"].startswith("Thanks, I've added that to today's entry.")
    assert end_slots["pain_score"] == 7 and end_slots["pain_entry_id"] is None


def test_the_same_score_sent_again_at_the_optional_question_is_logged_once_and_confirmed(load_tracker, content_copy, database):
    """The patient's reply was lost (a server restarting), so they send the score again."""
    tracker, _, slots = ask_details(load_tracker, 6)
    _, answered, _ = answer(load_tracker, "my pain is 6 today", requested="pain_entry_details", pain_entry_score=6, pain_entry_id=slots["pain_entry_id"])
    assert answered["pain_entry_details"] == ""

    again = load_tracker(
        "tracker_pain_form", text="my pain is 6 today", slots={"pain_entry_score": 6, "pain_entry_details": "", "pain_entry_id": slots["pain_entry_id"]}
    )
    messages, end_slots, _ = run(ActionLogPain(), again)

    assert messages[0]["text"].startswith("Thanks, I've logged your pain as 6 out of 10.")
    assert [(entry.score, entry.note) for entry in pain_entries(patient_key_for(tracker))] == [(6, None)]
    assert end_slots["pain_score"] == 6


def test_a_different_score_or_details_at_the_optional_question_are_not_taken_as_a_resend(load_tracker, content_copy):
    _, slots, _ = answer(load_tracker, "my pain is 6 today, lower back after gardening", requested="pain_entry_details", pain_entry_score=6)
    assert slots["pain_entry_details"] == "my pain is 6 today, lower back after gardening"


def test_stopping_at_the_optional_question_says_the_score_is_kept(load_tracker, content_copy, database):
    _, _, slots = ask_details(load_tracker, 6)
    tracker = load_tracker(
        "tracker_pain_form",
        text="stop",
        slots={"requested_slot": "pain_entry_details", "pain_entry_score": 6, "pain_entry_id": slots["pain_entry_id"]},
        latest={"intent": {"name": "stop", "confidence": 0.99}},
    )
    messages, _, _ = run(ValidatePainLogForm(), tracker)
    assert messages[0]["text"] == "No problem. Your pain score of 6 out of 10 is logged."


def test_a_topic_question_at_the_optional_question_is_answered_not_stored_as_the_note(load_tracker, content_copy):
    messages, slots, _ = answer(load_tracker, "what is pacing?", intent="ask_pacing", confidence=0.95, requested="pain_entry_details", pain_entry_score=6)
    assert slots["pain_entry_details"] == ""  # the optional question is dropped, not answered with the question
    assert slots["topic"] == "pacing"
    assert "Pacing" in messages[0]["text"]


def test_another_question_at_the_optional_question_is_not_stored_as_the_note(load_tracker, content_copy):
    messages, slots, _ = answer(load_tracker, "is that bad?", intent="out_of_scope", confidence=0.5, requested="pain_entry_details", pain_entry_score=6)
    assert slots["pain_entry_details"] is None
    assert "Just a few words will do" in messages[0]["text"]


# --- Issue 13: nothing a patient says mid-form is swallowed ------------------------------------


def events_named(events, kind):
    return [event for event in events if event.get("event") == kind]


@pytest.mark.parametrize(
    ("text", "intent", "action"),
    [
        ("how has my pain been this week?", "ask_pain_summary", "action_pain_summary"),
        ("actually can you set me a walking goal", "set_activity_goal", "activity_goal_form"),
        ("what's my goal this week", "ask_activity_goal", "action_show_goal"),
        ("bye for now", "goodbye", "utter_goodbye"),
    ],
)
def test_another_request_at_the_optional_question_is_handled_and_never_stored_as_the_note(load_tracker, content_copy, database, text, intent, action):
    _, _, stored = ask_details(load_tracker, 6)
    messages, slots, events = answer(
        load_tracker, text, intent=intent, confidence=0.9, requested="pain_entry_details", pain_entry_score=6, pain_entry_id=stored["pain_entry_id"]
    )

    assert messages[0]["text"] == "Your pain score of 6 out of 10 is logged."
    assert events_named(events, "followup")[0]["name"] == action
    assert {"event": "active_loop", "name": None} in [{"event": e["event"], "name": e.get("name")} for e in events_named(events, "active_loop")]
    assert slots["pain_entry_details"] is None
    [entry] = pain_entries(patient_key_for(load_tracker("tracker_pain_form")))
    assert (entry.score, entry.note) == (6, None)


def test_another_request_at_the_score_question_is_handled_and_nothing_is_logged(load_tracker, content_copy, database):
    messages, _, events = answer(load_tracker, "hmm first show me how my pain has been", intent="ask_pain_summary", confidence=0.92)

    assert messages[0]["text"] == "OK, let's leave the pain score for now."
    assert events_named(events, "followup")[0]["name"] == "action_pain_summary"
    assert pain_entries(patient_key_for(load_tracker("tracker_pain_form"))) == []


def test_an_answer_wins_over_what_the_classifier_guessed(load_tracker, content_copy):
    # "did 12 minutes of walking and it's a 5" may be classified as a session; at the score question it is the answer.
    messages, slots, events = answer(load_tracker, "did 12 minutes of walking and it's a 5", intent="log_activity_session", confidence=0.9)
    assert slots["pain_entry_score"] == 5
    assert not events_named(events, "followup") and messages == []


def test_thanks_at_the_optional_question_is_answered_and_lets_the_question_go(load_tracker, content_copy):
    messages, slots, _ = answer(load_tracker, "thanks", intent="thank", confidence=0.99, requested="pain_entry_details", pain_entry_score=6)
    assert [message["response"] for message in messages] == ["utter_you_are_welcome"]
    assert slots["pain_entry_details"] == ""  # not stored as the note


def test_hello_at_the_score_question_is_answered_and_the_score_asked_again(load_tracker, content_copy):
    messages, slots, _ = answer(load_tracker, "hello", intent="greet", confidence=0.99)
    assert messages[0]["response"] == "utter_greet"
    assert slots["pain_entry_score"] is None


def test_a_score_and_a_question_together_log_then_answer(load_tracker, content_copy, database):
    text = "6, what do I do in a flare?"
    _, slots, _ = answer(load_tracker, text, intent="ask_flare_ups", confidence=0.55)
    assert slots["pain_entry_score"] == 6 and slots["pain_entry_details"] == ""  # no optional question: the answer comes next

    tracker = load_tracker(
        "tracker_pain_form",
        text=text,
        slots={"requested_slot": None, "pain_entry_score": 6, "pain_entry_details": ""},
        latest={"intent": {"name": "ask_flare_ups", "confidence": 0.55}},
    )
    messages, slots, _ = run(ActionLogPain(), tracker)

    assert messages[0]["text"].startswith("Thanks, I've logged your pain as 6 out of 10.")
    assert "flare" in messages[1]["text"].lower()
    assert slots["pain_score"] == 6 and slots["topic"] == "flare_ups"
    assert [entry.score for entry in pain_entries(patient_key_for(tracker))] == [6]


@pytest.mark.parametrize("text", ["ok", "Okay.", "👍", "   ", "got it"])
def test_an_acknowledgement_at_the_optional_question_is_not_stored_as_the_note(load_tracker, content_copy, text):
    messages, slots, _ = answer(load_tracker, text, intent="affirm", confidence=0.7, requested="pain_entry_details", pain_entry_score=6)
    assert slots["pain_entry_details"] == "" and messages == []


def test_yes_at_the_optional_question_asks_for_the_details(load_tracker, content_copy):
    messages, slots, _ = answer(load_tracker, "yes", intent="affirm", confidence=0.9, requested="pain_entry_details", pain_entry_score=6)
    assert slots["pain_entry_details"] is None
    assert messages[0]["text"] == "Go ahead: where does it hurt, or what were you doing?"


@pytest.mark.parametrize("text", ["woke up with it", "the weather turned cold", "stressful day at work"])
def test_a_circumstance_is_kept_as_the_note(load_tracker, content_copy, text):
    _, slots, _ = answer(load_tracker, text, intent="out_of_scope", confidence=0.4, requested="pain_entry_details", pain_entry_score=6)
    assert slots["pain_entry_details"] == text
