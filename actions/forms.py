"""What every Pacewise form shares: stopping, topic questions mid-form, and whose turn it is.

Safety needs nothing here: the safety policy interrupts every form before it
runs (components/safety_policy.py). These are the ordinary interruptions:
- "stop", "cancel", "never mind": the form ends, nothing is saved, and the
  patient is told so (its submit action then sees no answer and does nothing);
- a topic question ("what is pacing?") where an answer was expected: the topic
  is answered and the form asks its question again;
- another request ("how has my pain been?", "set a goal", "bye"): the form is
  set aside (what was stored stays stored, and the patient is told) and the
  request is handled as if the form had not been open;
- small talk ("thanks", "hello"): answered; an optional question is then let
  go, a required one asked again.
Nothing that is not an answer is ever stored as one: each form says what
reads as an answer to its question (`answers_the_question`).
"""

from __future__ import annotations

import re
from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.replies import FORM_STOPPED, say
from actions.topics import answer_topic
from pacewise.content import topic_id_for_intent

STOP_INTENT = "stop"
# A topic question needs this much classifier confidence to interrupt a form.
TOPIC_INTERRUPTION_CONFIDENCE = 0.6
# Said on its own, these always stop a form, whatever the classifier guessed.
STOP_WORDS = re.compile(r"^\s*(stop|cancel|quit|exit|never ?mind|nevermind|forget it|not now)[\s.!]*$", re.IGNORECASE)
# Requests that are never the answer to a form's question, and the action that handles each (as data/rules/ do).
OTHER_REQUESTS = {
    "log_pain": "pain_log_form",
    "ask_pain_summary": "action_pain_summary",
    "set_activity_goal": "activity_goal_form",
    "ask_activity_goal": "action_show_goal",
    "log_activity_session": "action_log_session",
    "report_flare": "action_report_flare",
    "export_my_data": "action_export_data",
    "delete_my_data": "delete_data_form",
    "manage_check_ins": "action_manage_check_ins",
    "ask_capabilities": "action_show_menu",
    "goodbye": "utter_goodbye",
}
SMALL_TALK = {"greet": "utter_greet", "thank": "utter_you_are_welcome", "bot_challenge": "utter_iamabot"}
SKIP_WORDS = re.compile(r"^\s*(skip|no|nope|none|nothing|no thanks|nah|n/?a|not really|that's all|thats all)[\s.!]*$", re.IGNORECASE)


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message.get("text") or "").strip()


def latest_intent(tracker: Tracker) -> tuple[str | None, float]:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def is_skip(text: str) -> bool:
    return bool(SKIP_WORDS.match(text))


class PacewiseFormValidation(FormValidationAction, metaclass=ABCMeta):
    """Base for the forms' validation actions; subclasses define `name`, `form_slots` and `extract_<slot>`.

    Abstract, so that Rasa SDK does not register the base itself as an action.
    """

    form_slots: tuple[str, ...] = ()
    # Optional questions, where "skip" or "no" is an answer rather than a wish to stop.
    skippable_slots: tuple[str, ...] = ()
    stopped_text = FORM_STOPPED
    # The request that starts this form: asked again mid-form, the form simply goes on.
    start_intent: str = ""

    @abstractmethod
    def name(self) -> str: ...

    def stopped_reply(self, tracker: Tracker) -> str:
        """What the patient is told when they stop the form."""
        return self.stopped_text

    def set_aside_reply(self, tracker: Tracker) -> str:
        """What the patient is told when another request sets the form aside."""
        return self.stopped_reply(tracker)

    def answers_the_question(self, tracker: Tracker) -> bool:
        """Whether the latest message reads as an answer to the question asked (then it is never taken as another request)."""
        return False

    def is_requested(self, tracker: Tracker, slot: str, *, at_start: bool = False) -> bool:
        """Whether this message answers `slot` (at_start: or is the message that started the form)."""
        requested = tracker.get_slot("requested_slot")
        return requested == slot or (at_start and requested is None)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        requested = tracker.get_slot("requested_slot")
        if tracker.active_loop.get("name") and self.wants_to_stop(tracker):
            say(dispatcher, self.stopped_reply(tracker))
            return self._closed()
        if tracker.active_loop.get("name") and requested is not None and not self.answers_the_question(tracker):
            intent, confidence = latest_intent(tracker)
            if confidence >= TOPIC_INTERRUPTION_CONFIDENCE and intent in OTHER_REQUESTS and intent != self.start_intent:
                say(dispatcher, self.set_aside_reply(tracker))
                return [*self._closed(), FollowupAction(OTHER_REQUESTS[intent])]
            if confidence >= TOPIC_INTERRUPTION_CONFIDENCE and intent in SMALL_TALK:
                dispatcher.utter_message(response=SMALL_TALK[intent])
                return [SlotSet(requested, "" if requested in self.skippable_slots else None)]
        if requested is None:
            # The form is starting: forget anything left from an entry that was interrupted
            # (by a safety message, say), so nothing stale is ever stored.
            tracker.add_slots([SlotSet(slot, None) for slot in self.form_slots if tracker.get_slot(slot) is not None])
        return await super().run(dispatcher, tracker, domain)

    def _closed(self) -> list[dict[str, Any]]:
        return [ActiveLoop(None), SlotSet("requested_slot", None), *(SlotSet(slot, None) for slot in self.form_slots)]

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        """Rasa SDK returns only the form's required slots; keep the other slots our extractors set too
        (the topic answered mid-form, where it hurts when said with the score)."""
        events = await super().get_validation_events(dispatcher, tracker, domain)
        returned = {event["name"] for event in events}
        extras = {name: value for name, value in tracker.slots_to_validate().items() if name not in returned and name != "requested_slot"}
        return [*events, *(SlotSet(name, value) for name, value in extras.items())]

    def wants_to_stop(self, tracker: Tracker) -> bool:
        text = latest_text(tracker)
        if tracker.get_slot("requested_slot") in self.skippable_slots and is_skip(text):
            return False
        intent, confidence = latest_intent(tracker)
        return bool(STOP_WORDS.match(text)) or (intent == STOP_INTENT and confidence >= TOPIC_INTERRUPTION_CONFIDENCE)

    @staticmethod
    def asks_a_topic(tracker: Tracker) -> bool:
        """Whether the message is a question about one of the topics, confidently."""
        intent, confidence = latest_intent(tracker)
        return bool(topic_id_for_intent(intent)) and confidence >= TOPIC_INTERRUPTION_CONFIDENCE

    @staticmethod
    def skip_and_answer(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str) -> dict[str, Any]:
        """An optional question met with a topic question: answer it, and leave the optional slot empty ("")."""
        events = answer_topic(dispatcher, tracker, latest_intent(tracker)[0])
        return {slot: "", **{event["name"]: event["value"] for event in events}}

    @staticmethod
    def not_an_answer(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, explanation: str) -> dict[str, Any]:
        """For a message that did not answer the question: answer a topic question, or explain what is needed.

        Either way the slot stays empty, so the form asks its question again.
        """
        intent, confidence = latest_intent(tracker)
        if topic_id_for_intent(intent) and confidence >= TOPIC_INTERRUPTION_CONFIDENCE:
            events = answer_topic(dispatcher, tracker, intent)
            return {slot: None, **{event["name"]: event["value"] for event in events}}
        say(dispatcher, explanation)
        return {slot: None}
