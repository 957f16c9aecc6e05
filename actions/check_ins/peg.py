"""The PEG-3 questionnaire in the conversation: three items asked one at a time, read like any pain score,
stored whole at the end or not at all.

A safety message in the middle is answered by the safety policy, which ends
the form (actions/safety/action.py): action_record_peg never runs, so nothing
of a half-answered questionnaire is stored, and a later start asks all three again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.check_ins import replies
from actions.diary.replies import PAIN_SCALE_INPUT
from actions.forms import PacewiseFormValidation, latest_text
from actions.patients import patient_key_for
from actions.replies import say
from pacewise.checkins.peg import PegAnswers, progress
from pacewise.storage.peg import peg_history, record_peg
from pacewise.text.score_parser import ScoreKind, parse_pain_score

PEG_SLOTS = ("peg_pain", "peg_enjoyment", "peg_activity")
PEG_FORM = "peg_form"


class ValidatePegForm(PacewiseFormValidation):
    form_slots = PEG_SLOTS
    stopped_text = replies.PEG_STOPPED
    start_intent = "manage_check_ins"

    def name(self) -> str:
        return "validate_peg_form"

    def answers_the_question(self, tracker: Tracker) -> bool:
        return parse_pain_score(latest_text(tracker)).kind is not ScoreKind.NONE

    def _extract(self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str) -> dict[str, Any]:
        if not self.is_requested(tracker, slot):
            return {}
        reading = parse_pain_score(latest_text(tracker))
        if reading.kind is ScoreKind.SCORE and reading.value is not None:
            return {slot: float(reading.value)}
        if reading.kind is ScoreKind.RANGE:
            low, high = (int(value) for value in (min(reading.candidates), max(reading.candidates)))
            buttons = [{"title": str(value), "payload": str(value)} for value in (low, high)]
            say(dispatcher, f"Which is closer, {low} or {high}? {replies.PEG_WHOLE_NUMBER}", buttons)
            return {slot: None}
        if reading.kind is ScoreKind.OUT_OF_RANGE:
            say(dispatcher, f"The scale only goes from 0 to 10. {replies.PEG_WHOLE_NUMBER}")
            return {slot: None}
        return self.not_an_answer(dispatcher, tracker, slot, replies.peg_not_an_answer(slot))

    async def extract_peg_pain(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._extract(dispatcher, tracker, "peg_pain")

    async def extract_peg_enjoyment(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._extract(dispatcher, tracker, "peg_enjoyment")

    async def extract_peg_activity(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._extract(dispatcher, tracker, "peg_activity")


class _AskPegItem(Action):
    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        say(dispatcher, replies.peg_question(self.slot, PEG_SLOTS.index(self.slot) + 1), custom=replies.peg_scale(self.slot, PAIN_SCALE_INPUT))
        return []


class ActionAskPegPain(_AskPegItem):
    slot = "peg_pain"


class ActionAskPegEnjoyment(_AskPegItem):
    slot = "peg_enjoyment"


class ActionAskPegActivity(_AskPegItem):
    slot = "peg_activity"


class ActionRecordPeg(Action):
    """Store the three answers together and say what the score is and how it has changed."""

    def name(self) -> str:
        return "action_record_peg"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        cleared = [SlotSet(slot, None) for slot in PEG_SLOTS]
        values = [tracker.get_slot(slot) for slot in PEG_SLOTS]
        if any(value is None for value in values):
            return cleared  # stopped or set aside: the form has said so, nothing is stored
        key = patient_key_for(tracker)
        try:
            answers = PegAnswers(*(int(value) for value in values))
            record_peg(key, answers, datetime.now(timezone.utc))
            summary = progress(peg_history(key))
        except Exception:
            logging.getLogger(__name__).exception("Could not store a PEG-3 response")
            say(dispatcher, replies.PEG_SAVE_FAILED)
            return cleared
        if summary is None or summary.responses < 2:
            say(dispatcher, replies.peg_result(answers.score, None, 0, 0.0, False))
        else:
            say(dispatcher, replies.peg_result(summary.latest, summary.first, summary.weeks, summary.change, summary.meaningful_improvement))
        return cleared


def start_peg(dispatcher: CollectingDispatcher, intro: str) -> list[dict[str, Any]]:
    """Open the questionnaire with empty answers (a stale half-answer from before is never reused)."""
    say(dispatcher, intro)
    return [*(SlotSet(slot, None) for slot in PEG_SLOTS), SlotSet("requested_slot", None), FollowupAction(PEG_FORM)]
