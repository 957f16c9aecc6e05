"""'Export my data' and 'delete my data' (after the delete_data_form's yes)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms import PacewiseFormValidation, latest_intent, latest_text
from actions.links import download_link
from actions.my_data.export import records_to_csv
from actions.patients import patient_key_for
from actions.storage.downloads import Download
from actions.storage.patient_data import delete_patient_data, export_patient_data
from stores import HISTORY_ERASED_SLOT

logger = logging.getLogger(__name__)

CONFIRMED = "delete_confirmed"
EXPORT_LIFETIME = timedelta(hours=1)
YES_WORDS = ("yes", "y", "yeah", "yep", "ok", "okay", "sure", "delete", "yes delete", "yes please", "do it", "go ahead")
NO_WORDS = ("no", "n", "nope", "no thanks", "keep", "keep it", "don't", "dont", "cancel")


class ActionExportData(Action):
    def name(self) -> str:
        return "action_export_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        key = patient_key_for(tracker)
        try:
            data = export_patient_data(key)
            counts = {name: len(records) for name, records in data.items()}
            if not any(counts.values()):
                dispatcher.utter_message(text="I don't have any pain diary entries or activity goals stored for you, so there's nothing to export.")
                return []
            stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d")
            link = download_link(key, Download(f"pacewise-data-{stamp}.csv", "text/csv; charset=utf-8", records_to_csv(data)), EXPORT_LIFETIME)
        except Exception:
            logger.exception("Could not export a patient's data")
            dispatcher.utter_message(text="Sorry, I can't prepare your data just now. Please try again in a few minutes.")
            return []
        dispatcher.utter_message(
            text=(
                f"Here's a copy of everything I've stored for you ({_count(counts['pain_entries'], 'pain entry', 'pain entries')}, "
                f"{_count(counts['activity_goals'], 'activity goal', 'activity goals')}, "
                f"{_count(counts['activity_sessions'], 'activity session', 'activity sessions')}), as a spreadsheet file:\n{link}\n"
                "The link works for 1 hour. The file contains health information, so keep it somewhere safe."
            )
        )
        return []


def _count(number: int, one: str, many: str) -> str:
    return f"1 {one}" if number == 1 else f"{number} {many}"


class ValidateDeleteDataForm(PacewiseFormValidation):
    """A clear yes or no before anything is deleted."""

    form_slots = (CONFIRMED,)
    stopped_text = "OK, nothing has been deleted."
    start_intent = "delete_my_data"

    def answers_the_question(self, tracker: Tracker) -> bool:
        text = latest_text(tracker).lower().strip(" .!")
        return text in YES_WORDS or text in NO_WORDS

    def name(self) -> str:
        return "validate_delete_data_form"

    async def extract_delete_confirmed(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if not self.is_requested(tracker, CONFIRMED):
            return {}
        text = latest_text(tracker).lower().strip(" .!")
        intent, confidence = latest_intent(tracker)
        if text in YES_WORDS or (intent == "affirm" and confidence >= 0.6):
            return {CONFIRMED: True}
        if text in NO_WORDS or (intent == "deny" and confidence >= 0.6):
            return {CONFIRMED: False}
        return self.not_an_answer(dispatcher, tracker, CONFIRMED, "Please answer yes to delete everything, or no to keep it.")


class ActionDeleteData(Action):
    """Delete the diary, goals and sessions, and (through the tracker store) the conversation history."""

    def name(self) -> str:
        return "action_delete_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        if tracker.get_slot(CONFIRMED) is not True:
            if tracker.get_slot(CONFIRMED) is False:
                dispatcher.utter_message(text="OK, nothing has been deleted.")
            return [SlotSet(CONFIRMED, None)]
        try:
            deletion = delete_patient_data(patient_key_for(tracker))
        except Exception:
            logger.exception("Could not delete a patient's data")
            dispatcher.utter_message(text="Sorry, I couldn't delete your data just now, so nothing was deleted. Please try again in a few minutes.")
            return [SlotSet(CONFIRMED, None)]
        text = "Done. I've deleted your pain diary, your activity goals and our conversation history."
        if deletion.safety_events_kept:
            text += (
                " One thing is kept: a note that I once showed you urgent-help information (without anything you wrote), "
                "so the clinical team can check the service keeps people safe."
            )
        dispatcher.utter_message(text=text)
        return [AllSlotsReset(), SlotSet(HISTORY_ERASED_SLOT, datetime.now(timezone.utc).isoformat())]
