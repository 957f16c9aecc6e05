"""Check-in requests reach the check-in action whatever the classifier guessed; other "remind me" messages do not."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.check_in_router import CheckInRequestRouter


def routed(text: str, guessed: str = "ask_pacing", runner_up: str = "ask_medication") -> Message:
    ranking = [{"name": guessed, "confidence": 0.6}, {"name": runner_up, "confidence": 0.3}]
    message = Message(data={"text": text, "intent": dict(ranking[0]), "intent_ranking": ranking})
    CheckInRequestRouter().process([message])
    return message


@pytest.mark.parametrize(
    "text",
    [
        "Could you remind me to log my pain every evening at 7? I always forget",
        "stop reminders",
        "please pause the check-ins for 2 weeks, I'm on holiday",
        "can you move my reminder to 8pm instead",
        "I'd like a nudge on Mondays about my walking goal",
    ],
)
def test_requests_go_to_the_check_in_action(text):
    assert routed(text, guessed="log_pain").get("intent")["name"] == "manage_check_ins"


@pytest.mark.parametrize("text", ["remind me what pacing is again", "can you remind me to take my tablets at 8pm every day"])
def test_other_remind_me_messages_get_the_classifiers_next_guess(text):
    message = routed(text, guessed="manage_check_ins", runner_up="ask_pacing")
    assert message.get("intent")["name"] == "ask_pacing"
    assert "manage_check_ins" not in [entry["name"] for entry in message.get("intent_ranking")]


def test_other_messages_keep_the_classifiers_intent():
    assert routed("why does my back still hurt after 3 years?").get("intent")["name"] == "ask_pacing"


def test_a_clear_request_for_the_report_goes_to_the_export_action():
    text = "Dear Pacewise, my physiotherapist has asked for a one-page summary of how I've been getting on. Could you produce one?"
    assert routed(text, guessed="log_pain").get("intent")["name"] == "export_my_data"
