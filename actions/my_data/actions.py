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
from actions.my_data import replies
from actions.my_data.export import records_to_csv
from actions.my_data.report import gather, render_report
from actions.patients import patient_key_for
from actions.replies import say
from pacewise import HISTORY_ERASED_SLOT
from pacewise.content.check_in_settings import check_in_settings
from pacewise.storage.downloads import Download
from pacewise.storage.patient_data import delete_patient_data, export_patient_data
from pacewise.text.report_request import mentions_a_report

logger = logging.getLogger(__name__)

CONFIRMED = "delete_confirmed"
EXPORT_LIFETIME = timedelta(hours=1)
YES_WORDS = ("yes", "y", "yeah", "yep", "ok", "okay", "sure", "delete", "yes delete", "yes please", "do it", "go ahead")
NO_WORDS = ("no", "n", "nope", "no thanks", "keep", "keep it", "don't", "dont", "cancel")


class ActionExportData(Action):
    def name(self) -> str:
        return "action_export_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        key, now = patient_key_for(tracker), datetime.now(timezone.utc)
        report_only = mentions_a_report(latest_text(tracker))
        try:
            # The report holds a subset of what the export holds: nothing for the report, nothing to export.
            report = gather(key, now)
            stamp = now.strftime("%Y-%m-%d")
            report_link = None
            if not report.empty:
                page = render_report(report, now, check_in_settings().report_sections).encode("utf-8")
                report_link = download_link(key, Download(f"pacewise-report-{stamp}.html", "text/html; charset=utf-8", page), EXPORT_LIFETIME)
            if report_only:
                say(dispatcher, replies.report_ready(report_link) if report_link else replies.NOTHING_TO_REPORT)
                return []  # the spreadsheet is not read or made
            data = export_patient_data(key)
            counts = {name: len(records) for name, records in data.items()}
            if not any(counts.values()):
                say(dispatcher, replies.NOTHING_TO_EXPORT)
                return []
            link = download_link(key, Download(f"pacewise-data-{stamp}.csv", "text/csv; charset=utf-8", records_to_csv(data)), EXPORT_LIFETIME)
        except Exception:
            logger.exception("Could not export a patient's data")
            say(dispatcher, replies.EXPORT_FAILED)
            return []
        say(dispatcher, replies.export_ready(counts, link, report_link))
        return []


class ValidateDeleteDataForm(PacewiseFormValidation):
    """A clear yes or no before anything is deleted."""

    form_slots = (CONFIRMED,)
    stopped_text = replies.NOTHING_DELETED
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
        return self.not_an_answer(dispatcher, tracker, CONFIRMED, replies.ANSWER_YES_OR_NO)


class ActionAskDeleteConfirmed(Action):
    """The form's question before deleting: what goes, that it cannot be undone, and a clear yes or no."""

    def name(self) -> str:
        return "action_ask_delete_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        say(dispatcher, replies.ASK_DELETE, replies.DELETE_BUTTONS)
        return []


class ActionDeleteData(Action):
    """Delete the diary, goals and sessions, and (through the tracker store) the conversation history."""

    def name(self) -> str:
        return "action_delete_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        if tracker.get_slot(CONFIRMED) is not True:
            if tracker.get_slot(CONFIRMED) is False:
                say(dispatcher, replies.NOTHING_DELETED)
            return [SlotSet(CONFIRMED, None)]
        try:
            deletion = delete_patient_data(patient_key_for(tracker))
        except Exception:
            logger.exception("Could not delete a patient's data")
            say(dispatcher, replies.DELETE_FAILED)
            return [SlotSet(CONFIRMED, None)]
        say(dispatcher, replies.deleted(deletion.safety_events_kept))
        return [AllSlotsReset(), SlotSet(HISTORY_ERASED_SLOT, datetime.now(timezone.utc).isoformat())]
