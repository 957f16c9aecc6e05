"""The pain diary: the pain_log_form, logging a score, and "how has my pain been?"."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.check_ins.actions import asked_by_template
from actions.diary import replies
from actions.diary.chart import CHART_DAYS, render_pain_chart
from actions.diary.context import activity_mentioned, body_location
from actions.diary.recording import RECENT, Recorded, logged_lines, record_score, stored_events
from actions.diary.summary import summarise
from actions.diary.unconfirmed import LAST_ENTRY_SLOT
from actions.forms import PacewiseFormValidation, is_skip, latest_intent, latest_text
from actions.links import download_link, shows_images
from actions.patients import channel_of, patient_key_for
from actions.replies import Reply, say
from actions.topics import answer_topic
from pacewise.content import topic_id_for_intent
from pacewise.content.pacing_settings import pacing_settings
from pacewise.storage.downloads import Download
from pacewise.storage.pain_diary import PainEntry, pain_entries, update_pain_context
from pacewise.text.questions import asks_a_question
from pacewise.text.score_parser import ScoreKind, parse_pain_score

logger = logging.getLogger(__name__)

# Contract: holds the last logged score as a number; empty until a valid score is logged.
SCORE = "pain_entry_score"
DETAILS = "pain_entry_details"
LOCATION = "pain_entry_location"
ACTIVITY = "pain_entry_activity"
# The entry this form stored when the score was given; the optional details are added to it.
ENTRY = "pain_entry_id"
FORM_SLOTS = (SCORE, DETAILS, LOCATION, ACTIVITY, ENTRY)

CHART_LIFETIME = timedelta(hours=24)


class ValidatePainLogForm(PacewiseFormValidation):
    """Reads the score (and optional extras) from the patient's own words; nothing invalid gets through."""

    form_slots = FORM_SLOTS
    skippable_slots = (DETAILS,)
    stopped_text = replies.DIARY_STOPPED
    start_intent = "log_pain"

    def stopped_reply(self, tracker: Tracker) -> str:
        kept = _score_kept(tracker)
        return replies.stopped_with_score_kept(kept) if kept else self.stopped_text

    def set_aside_reply(self, tracker: Tracker) -> str:
        return _score_kept(tracker) or replies.DIARY_SET_ASIDE

    def answers_the_question(self, tracker: Tracker) -> bool:
        text = latest_text(tracker)
        if tracker.get_slot("requested_slot") == DETAILS:
            return is_skip(text) or _reads_as_details(text)
        return parse_pain_score(text).kind is not ScoreKind.NONE

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
            filled = {SCORE: reading.value, **{slot: value for slot, value in extras.items() if value}}
            if question_with_the_score(tracker):
                filled[DETAILS] = ""  # their question is answered next, rather than asking another
            return filled
        if reading.kind is ScoreKind.OUT_OF_RANGE:
            given = _number(reading.candidates[0]) if reading.candidates else "That"
            say(dispatcher, replies.off_scale(given))
            return {SCORE: None}
        if reading.kind is ScoreKind.RANGE:
            low, high = (_number(value) for value in (min(reading.candidates), max(reading.candidates)))
            say(dispatcher, replies.which_is_closer(low, high), [{"title": low, "payload": low}, {"title": high, "payload": high}])
            return {SCORE: None}
        if tracker.get_slot("requested_slot") is None:
            return {}  # "log my pain": the form asks for the score next
        return self.not_an_answer(dispatcher, tracker, SCORE, replies.NEED_A_NUMBER)

    async def extract_pain_entry_details(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if not self.is_requested(tracker, DETAILS):
            return {}
        text = latest_text(tracker)
        if is_skip(text) or _ACKNOWLEDGEMENT.match(text) or not _HAS_WORDS.search(text):
            return {DETAILS: ""}  # "ok", "👍": nothing to add, and nothing that should become the note
        if _WANTS_TO_ADD.match(text):
            say(dispatcher, replies.GO_AHEAD)
            return {DETAILS: None}
        if _the_same_score_again(tracker):
            return {DETAILS: ""}  # logged once already; the form's end says so (never stored as the note)
        location, activity = body_location(text), activity_mentioned(text)
        if _reads_as_details(text):
            return {DETAILS: text[:280], LOCATION: location, ACTIVITY: activity}
        # Not an answer, and never stored as the entry's note: a topic question is answered (the
        # score is logged already, so the optional question is dropped); another question is explained.
        if self.asks_a_topic(tracker):
            return self.skip_and_answer(dispatcher, tracker, DETAILS)
        if "?" not in text and len(text.split()) <= 12:
            return {DETAILS: text[:280], LOCATION: location, ACTIVITY: activity}
        return self.not_an_answer(dispatcher, tracker, DETAILS, replies.DETAILS_HINT)


_ACKNOWLEDGEMENT = re.compile(r"^\s*(ok|okay|k|kk|fine|cool|great|alright|all right|got it|grand|lovely|perfect|noted)[\s.!]*$", re.IGNORECASE)
_WANTS_TO_ADD = re.compile(r"^\s*(yes|yeah|yep|yup|sure|ok sure|yes please|go on)[\s.!]*$", re.IGNORECASE)
_HAS_WORDS = re.compile(r"[^\W\d_]{2,}")


# "can you set me a walking goal?" names an activity but asks for something: not where it hurts or what they did.
_A_REQUEST = re.compile(r"\?|\b(can|could|would|will) you\b|\b(please|show me|tell me|set me|i want|i'd like|help me|how do i|what do i)\b", re.IGNORECASE)


def _reads_as_details(text: str) -> bool:
    """Where it hurts or what they were doing ("lower back, after gardening"), said as an answer rather than a request."""
    return bool(body_location(text) or activity_mentioned(text)) and not _A_REQUEST.search(text)


def _the_same_score_again(tracker: Tracker) -> bool:
    """The score just logged, sent again at the optional question ("my pain is 6 today" after a 6).

    A patient whose reply was lost (a dropped connection, a server restarting) sends the score
    again: it is logged once, and they are told it is logged, rather than it becoming the entry's note.
    """
    text = latest_text(tracker)
    reading = parse_pain_score(text)
    return reading.kind is ScoreKind.SCORE and reading.value == tracker.get_slot(SCORE) and not _reads_as_details(text)


def _score_kept(tracker: Tracker) -> str | None:
    """ "Your pain score of 6 out of 10 is logged.", when this form stored the score already."""
    if tracker.get_slot(ENTRY) is None or tracker.get_slot(SCORE) is None:
        return None
    return replies.score_logged(int(tracker.get_slot(SCORE)))


def question_with_the_score(tracker: Tracker) -> str | None:
    """The topic intent of a question asked in the message that gave the score ("6, what do I do in a flare?")."""
    intent, _ = latest_intent(tracker)
    return intent if asks_a_question(latest_text(tracker)) and topic_id_for_intent(intent) else None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _entry_from(tracker: Tracker, now: datetime) -> PainEntry:
    return PainEntry(int(tracker.get_slot(SCORE)), now, tracker.get_slot(LOCATION), tracker.get_slot(ACTIVITY), tracker.get_slot(DETAILS) or None)


class ActionAskPainEntryScore(Action):
    """The form's question for the score, with the widget's 0-10 scale."""

    def name(self) -> str:
        return "action_ask_pain_entry_score"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        if asked_by_template(tracker):
            return []  # WhatsApp's approved check-in template has just asked it
        say(dispatcher, replies.ASK_SCORE, custom=replies.PAIN_SCALE_INPUT)
        return []


class ActionAskPainEntryDetails(Action):
    """The form's optional question. The score is stored first, so it is logged (and slot
    `pain_score` set) in the very reply that acknowledges it: a patient who leaves here keeps it."""

    def name(self) -> str:
        return "action_ask_pain_entry_details"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        if tracker.get_slot(ENTRY) is not None or tracker.get_slot(SCORE) is None:  # asked again: stored already
            say(dispatcher, replies.ASK_DETAILS, [replies.SKIP_BUTTON])
            return []
        score = int(tracker.get_slot(SCORE))
        try:
            recorded = record_score(patient_key_for(tracker), _entry_from(tracker, datetime.now(timezone.utc)), tracker.get_slot(LAST_ENTRY_SLOT))
        except Exception:
            logger.exception("Could not store a pain entry")
            say(dispatcher, replies.ASK_DETAILS, [replies.SKIP_BUTTON])  # the form's end tries again
            return []
        say(dispatcher, " ".join([*logged_lines(recorded, score), replies.ASK_DETAILS]), [replies.SKIP_BUTTON])
        return [*stored_events(recorded, score), SlotSet(ENTRY, str(recorded.entry_id))]


class ActionLogPain(Action):
    """End of the pain form: store the score (or add the details to the entry stored when it was
    given), then say something useful: how it compares, and flare-up help when it is high."""

    def name(self) -> str:
        return "action_log_pain"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        reset = [SlotSet(slot, None) for slot in FORM_SLOTS]
        if tracker.get_slot(SCORE) is None:  # the patient stopped the form
            return reset
        score = int(tracker.get_slot(SCORE))
        entry = _entry_from(tracker, datetime.now(timezone.utc))
        key = patient_key_for(tracker)
        stored = tracker.get_slot(ENTRY)
        try:
            if stored is not None:
                update_pain_context(key, int(stored), entry)
                recent = [earlier.score for earlier in pain_entries(key, since=entry.logged_at - RECENT)][:-1]
                recorded = Recorded(int(stored), None, recent)
                said = entry.location or entry.activity or entry.note
                if said:
                    lines = [replies.DETAILS_ADDED]
                elif _the_same_score_again(tracker):
                    lines = replies.logged(score, None)
                else:
                    lines = [replies.score_kept(score)]
            else:
                recorded = record_score(key, entry, tracker.get_slot(LAST_ENTRY_SLOT))
                lines = logged_lines(recorded, score)
        except Exception:
            logger.exception("Could not store a pain entry")
            say(dispatcher, replies.SAVE_FAILED if stored is None else replies.ADD_FAILED)
            return reset

        settings = pacing_settings()
        comparison = replies.compared_with_recent(score, recorded.recent_scores, settings.notable_change_points)
        if comparison:
            lines.append(comparison)
        buttons = [replies.SUMMARY_BUTTON]
        if score >= settings.high_pain_score:
            lines.append(replies.HIGH_SCORE)
            buttons.insert(0, replies.FLARE_BUTTON)
        Reply(" ".join(lines), buttons).send(dispatcher)
        answered = answer_topic(dispatcher, tracker, asked) if stored is None and (asked := question_with_the_score(tracker)) else []
        return [*reset, *stored_events(recorded, score), *answered]


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
            say(dispatcher, replies.DIARY_UNREADABLE)
            return []
        if not entries:
            say(dispatcher, replies.NO_ENTRIES, [replies.LOG_BUTTON])
            return []

        text = replies.diary_summary(replies.describe(summarise(entries, now, 7)), replies.describe(summarise(entries, now, CHART_DAYS)))
        image = None
        if shows_images(channel_of(tracker)):
            try:
                image = download_link(key, Download("pain-chart.png", "image/png", render_pain_chart(entries, now)), CHART_LIFETIME)
            except Exception:  # the words matter more than the picture
                logger.exception("Could not draw the pain chart")
        say(dispatcher, text, [replies.LOG_BUTTON], image=image)
        return []
