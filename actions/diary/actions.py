"""The pain diary: the pain_log_form, logging a score, and "how has my pain been?"."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.diary.chart import CHART_DAYS, render_pain_chart
from actions.diary.context import activity_mentioned, body_location
from actions.diary.score_parser import ScoreKind, parse_pain_score
from actions.diary.summary import compared_with_recent, describe, summarise
from actions.diary.unconfirmed import LAST_ENTRY_SLOT, PAIN_SCORE_SLOT, unconfirmed_entry
from actions.forms import PacewiseFormValidation, is_skip, latest_text
from actions.goals.settings import pacing_settings
from actions.links import download_link, shows_images
from actions.patients import channel_of, patient_key_for
from actions.replies import Reply
from actions.storage.downloads import Download
from actions.storage.pain_diary import PainEntry, add_pain_entry, pain_entries, update_pain_context

logger = logging.getLogger(__name__)

# Contract: holds the last logged score as a number; empty until a valid score is logged.
SCORE = "pain_entry_score"
DETAILS = "pain_entry_details"
LOCATION = "pain_entry_location"
ACTIVITY = "pain_entry_activity"
FORM_SLOTS = (SCORE, DETAILS, LOCATION, ACTIVITY)

RECENT = timedelta(days=30)
CHART_LIFETIME = timedelta(hours=24)

SCALE = "0 means no pain and 10 the worst pain you can imagine"
FLARE_BUTTON = {"title": "Coping with a flare-up", "payload": "/ask_flare_ups"}
SUMMARY_BUTTON = {"title": "How has my pain been?", "payload": "/ask_pain_summary"}
LOG_BUTTON = {"title": "Log my pain", "payload": "/log_pain"}
NO_ENTRIES = 'You haven\'t logged any pain scores in the last 30 days. You can tell me any time, like "my pain is 4 today".'
SAVE_FAILED = "Sorry, I couldn't save that just now, so nothing was logged. Please try again in a few minutes."


class ValidatePainLogForm(PacewiseFormValidation):
    """Reads the score (and optional extras) from the patient's own words; nothing invalid gets through."""

    form_slots = FORM_SLOTS
    skippable_slots = (DETAILS,)
    stopped_text = "No problem, I've stopped. No pain score was logged."

    def name(self) -> str:
        return "validate_pain_log_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[str]:
        # Where it hurts or what they were doing, if said with the score, makes the extra question unnecessary.
        if tracker.get_slot(LOCATION) or tracker.get_slot(ACTIVITY):
            return [SCORE]
        return [SCORE, DETAILS]

    async def extract_pain_entry_score(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if not self.is_requested(tracker, SCORE, at_start=True) or tracker.get_slot(SCORE) is not None:
            return {}
        text = latest_text(tracker)
        reading = parse_pain_score(text)
        if reading.kind is ScoreKind.SCORE:
            extras = {LOCATION: body_location(text), ACTIVITY: activity_mentioned(text)}
            return {SCORE: reading.value, **{slot: value for slot, value in extras.items() if value}}
        if reading.kind is ScoreKind.OUT_OF_RANGE:
            given = _number(reading.candidates[0]) if reading.candidates else "That"
            dispatcher.utter_message(text=f"{given} isn't on the scale: it runs from 0 to 10, where {SCALE}.")
            return {SCORE: None}
        if reading.kind is ScoreKind.RANGE:
            low, high = (_number(value) for value in (min(reading.candidates), max(reading.candidates)))
            dispatcher.utter_message(
                text=f"The scale uses whole numbers, so which is closer right now: {low} or {high}?",
                buttons=[{"title": low, "payload": low}, {"title": high, "payload": high}],
            )
            return {SCORE: None}
        if tracker.get_slot("requested_slot") is None:
            return {}  # "log my pain": the form asks for the score next
        return self.not_an_answer(dispatcher, tracker, SCORE, f"I need a whole number from 0 to 10, where {SCALE}. For example: 4.")

    async def extract_pain_entry_details(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if not self.is_requested(tracker, DETAILS):
            return {}
        text = latest_text(tracker)
        if is_skip(text):
            return {DETAILS: ""}
        location, activity = body_location(text), activity_mentioned(text)
        if location or activity or len(text.split()) <= 12:
            return {DETAILS: text[:280], LOCATION: location, ACTIVITY: activity}
        return self.not_an_answer(dispatcher, tracker, DETAILS, 'Just a few words will do, like "lower back, after gardening". Or say skip.')


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class ActionLogPain(Action):
    """Store the score, then say something useful: how it compares, and flare-up help when it is high.

    Logging is idempotent (actions/diary/unconfirmed.py): a re-sent score
    whose first confirmation was lost updates that entry instead of adding a
    duplicate; a different score is a new entry, and the reply says the
    earlier one was kept.
    """

    def name(self) -> str:
        return "action_log_pain"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        reset = [SlotSet(slot, None) for slot in FORM_SLOTS]
        score = tracker.get_slot(SCORE)
        if score is None:  # the patient stopped the form
            return reset
        score = int(score)
        now = datetime.now(timezone.utc)
        entry = PainEntry(score, now, tracker.get_slot(LOCATION), tracker.get_slot(ACTIVITY), tracker.get_slot(DETAILS) or None)
        key = patient_key_for(tracker)
        try:
            unconfirmed = unconfirmed_entry(key, tracker.get_slot(LAST_ENTRY_SLOT), now)
            recent = [earlier.score for earlier in pain_entries(key, since=now - RECENT)]
            if unconfirmed is not None and unconfirmed.entry.score == score:
                update_pain_context(key, unconfirmed.id, entry)
                entry_id = unconfirmed.id
                recent = recent[:-1]  # that entry is this one
            else:
                entry_id = add_pain_entry(key, entry)
        except Exception:
            logger.exception("Could not store a pain entry")
            dispatcher.utter_message(text=SAVE_FAILED)
            return reset

        settings = pacing_settings()
        lines = [f"Thanks, I've logged your pain as {score} out of 10."]
        if unconfirmed is not None and unconfirmed.entry.score != score:
            lines.append(f"The {unconfirmed.entry.score} out of 10 you sent a little earlier is in your diary too.")
        comparison = compared_with_recent(score, recent, settings.notable_change_points)
        if comparison:
            lines.append(comparison)
        buttons = [SUMMARY_BUTTON]
        if score >= settings.high_pain_score:
            lines.append("That's a high score, and I'm sorry it's so hard today. A flare-up plan can help you through it.")
            buttons.insert(0, FLARE_BUTTON)
        Reply(" ".join(lines), buttons).send(dispatcher)
        return [*reset, SlotSet(PAIN_SCORE_SLOT, score), SlotSet(LAST_ENTRY_SLOT, str(entry_id))]


class ActionPainSummary(Action):
    """The last 7 and 30 days in words, and a chart where the channel can show one."""

    def name(self) -> str:
        return "action_pain_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        now = datetime.now(timezone.utc)
        key = patient_key_for(tracker)
        try:
            entries = [(entry.logged_at, entry.score) for entry in pain_entries(key, since=now - timedelta(days=CHART_DAYS))]
        except Exception:
            logger.exception("Could not read the pain diary")
            dispatcher.utter_message(text="Sorry, I can't read your pain diary just now. Please try again in a few minutes.")
            return []
        if not entries:
            Reply(NO_ENTRIES, [LOG_BUTTON]).send(dispatcher)
            return []

        text = "Here's your pain diary:\n- " + describe(summarise(entries, now, 7)) + "\n- " + describe(summarise(entries, now, CHART_DAYS))
        image = None
        if shows_images(channel_of(tracker)):
            try:
                image = download_link(key, Download("pain-chart.png", "image/png", render_pain_chart(entries, now)), CHART_LIFETIME)
            except Exception:  # the words matter more than the picture
                logger.exception("Could not draw the pain chart")
        dispatcher.utter_message(text=text, image=image, buttons=[LOG_BUTTON])
        return []
