"""The PEG-3 through its actions: stored whole or not at all, and the change since the first answer in words."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.check_ins.peg import ActionRecordPeg, ValidatePegForm
from actions.patients import patient_key_for
from pacewise.checkins.peg import PegAnswers
from pacewise.storage.peg import peg_history, record_peg

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text())
ALL_THREE = {"peg_pain": 6.0, "peg_enjoyment": 5.0, "peg_activity": 6.0}


def run(action, tracker) -> tuple[str, list]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return " ".join(message.get("text") or "" for message in dispatcher.messages), events


def test_the_first_answers_are_stored_together_and_the_score_explained(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_check_in_request", text="6", slots=ALL_THREE)
    text, events = run(ActionRecordPeg(), tracker)
    assert "Your PEG score is 5.7 out of 10" in text and "I'll show you how it changes" in text
    assert [answers for _, answers in peg_history(patient_key_for(tracker))] == [PegAnswers(6, 5, 6)]
    assert {event["name"] for event in events} == set(ALL_THREE) and all(event["value"] is None for event in events)


def test_a_fall_of_30_percent_is_called_a_meaningful_improvement(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_check_in_request", text="4", slots={"peg_pain": 5.0, "peg_enjoyment": 4.0, "peg_activity": 4.0})
    record_peg(patient_key_for(tracker), PegAnswers(8, 7, 7), datetime.now(timezone.utc) - timedelta(weeks=6))
    text, _ = run(ActionRecordPeg(), tracker)
    assert "It was 7.3 when you first answered, 6 weeks ago: a fall of 41%" in text and "meaningful improvement" in text and "Well done" in text


def test_a_rise_is_told_gently_with_who_to_talk_to(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_check_in_request", text="8", slots={"peg_pain": 8.0, "peg_enjoyment": 8.0, "peg_activity": 8.0})
    record_peg(patient_key_for(tracker), PegAnswers(6, 6, 6), datetime.now(timezone.utc) - timedelta(weeks=2))
    text, _ = run(ActionRecordPeg(), tracker)
    assert "It was 6.0 when you first answered, 2 weeks ago" in text and "physiotherapist" in text and "fall" not in text


def test_a_questionnaire_missing_an_answer_stores_nothing(load_tracker, content_copy, database):
    tracker = load_tracker("tracker_check_in_request", text="stop", slots={"peg_pain": 6.0, "peg_enjoyment": 5.0})
    text, _ = run(ActionRecordPeg(), tracker)
    assert text == "" and peg_history(patient_key_for(tracker)) == []


@pytest.mark.parametrize(("answer", "expected"), [("7", 7.0), ("about a 3 I think", 3.0), ("zero", 0.0), ("10/10", 10.0)])
def test_answers_read_like_any_pain_score(load_tracker, content_copy, database, answer, expected):
    tracker = load_tracker("tracker_check_in_request", text=answer, slots={"requested_slot": "peg_enjoyment"})
    extracted = asyncio.run(ValidatePegForm().extract_peg_enjoyment(CollectingDispatcher(), tracker, DOMAIN))
    assert extracted == {"peg_enjoyment": expected}
