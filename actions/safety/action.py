"""The bot's response to a red-flag or crisis message, in any state of the conversation."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.patients import channel_of, patient_key_for
from actions.topics import TOPIC_SLOT
from pacewise.content import default_library
from pacewise.safety.assessment import ACTION_SAFETY_RESPONSE, CRISIS, SafetyAssessment, category_for_intent, topic_for_category
from pacewise.storage.safety_events import SafetyEvent, record_safety_event

logger = logging.getLogger(__name__)


class ActionSafetyResponse(Action):
    """Deliver crisis support and/or red-flag advice, stop any form, record the event.

    The safety policy (components/safety_policy.py) predicts this action for
    every red-flag or crisis message, whatever else is going on, so no form or
    flow has to handle safety itself. The reply never waits on the database.
    """

    def name(self) -> str:
        return ACTION_SAFETY_RESPONSE

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        assessment = SafetyAssessment.from_parse_data(tracker.latest_message)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        categories = list(assessment.categories) if assessment else [category_for_intent(intent) or CRISIS]

        snapshot = default_library().snapshot()
        for category in categories:
            topic = snapshot.get(topic_for_category(category))
            if topic is None:
                logger.error("Safety content '%s' cannot be served; sent the built-in message instead.", topic_for_category(category))
            if category == CRISIS:
                replies.crisis_support(topic).send(dispatcher)
            else:
                replies.red_flag_advice(topic, assessment.urgency if assessment else None).send(dispatcher)

        if assessment is not None:
            self._record(tracker, assessment)

        events: list[dict[str, Any]] = [SlotSet(TOPIC_SLOT, topic_for_category(categories[0]))]
        form = (tracker.active_loop or {}).get("name")
        if form:
            # The form ends with nothing half-answered kept (a questionnaire is stored whole or not at all).
            unanswered = ((domain.get("forms") or {}).get(form) or {}).get("required_slots") or []
            events += [ActiveLoop(None), SlotSet("requested_slot", None), *(SlotSet(slot, None) for slot in unanswered)]
        return events

    @staticmethod
    def _record(tracker: Tracker, assessment: SafetyAssessment) -> None:
        channel = channel_of(tracker)
        try:
            key = patient_key_for(tracker)
            for category in assessment.categories:
                record_safety_event(
                    SafetyEvent(
                        patient_key=key,
                        channel=channel,
                        category=category,
                        urgency=assessment.urgency if category != CRISIS else None,
                        rules=tuple(assessment.rules.get(category, [])),
                        detected_by=assessment.detected_by,
                        model_confidence=assessment.model_confidence,
                    )
                )
        except Exception:
            # The patient has their answer already; the failure is logged loudly for the team.
            logger.exception("Could not record a safety event (category %s)", ",".join(assessment.categories))
