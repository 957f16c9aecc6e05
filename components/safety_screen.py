"""Screen every patient message for red flags and crisis before any routing.

Runs last in the NLU pipeline. When the screening escalates, the message's
intent becomes ask_red_flags or ask_crisis_support with confidence 1.0 and
the assessment is stored under "safety" in the parse data (and so in the
tracker); the safety policy then answers it in any dialogue state. When the
classifier guessed red flag or crisis but the rules explained the words away
("this pain is killing me"), that guess is replaced by the next best intent;
when its guess is too weak to escalate alone, the bot asks what was meant,
offering the red-flag or crisis topic among the options.
Dose and medicine-mixing questions go to the medication content.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.content.model import intent_for_topic
from actions.safety.assessment import CATEGORY_FOR_INTENT, MEDICATION_TOPIC, SAFETY_INTENTS, SAFETY_PARSE_KEY
from components.safety.decision import decide
from components.safety.detector import SafetyDetector, default_detector


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyScreen(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # The classifier alone escalates from this confidence (rules escalate regardless).
            "model_threshold": 0.6,
            # Below this, a replaced intent becomes nlu_fallback (ask the patient what they meant).
            "fallback_threshold": 0.55,
        }

    def __init__(self, config: dict[str, Any], detector: SafetyDetector) -> None:
        self.model_threshold = float(config["model_threshold"])
        self.fallback_threshold = float(config["fallback_threshold"])
        self.detector = detector

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyScreen:
        return cls({**cls.get_default_config(), **config}, default_detector())

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._screen(message)
        return messages

    def _screen(self, message: Message) -> None:
        ranking: list[dict[str, Any]] = [dict(entry) for entry in message.get(INTENT_RANKING_KEY) or []]
        screening = self.detector.screen(message.get(TEXT))
        assessment = decide(screening, ranking, self.model_threshold)
        if assessment is not None:
            self._set_intent(message, assessment.intent, ranking)
            message.set(SAFETY_PARSE_KEY, assessment.to_dict(), add_to_output=True)
            return
        if screening.asks_about_medication_doses:
            self._set_intent(message, intent_for_topic(MEDICATION_TOPIC), ranking)
            return
        current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if current in SAFETY_INTENTS and CATEGORY_FOR_INTENT[current] in screening.defused:
            self._replace_vetoed_intent(message, ranking)
        elif current in SAFETY_INTENTS:
            # A red-flag or crisis guess too weak to escalate on its own: ask which topic was
            # meant, with the red-flag or crisis topic among the options.
            fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.data[INTENT] = fallback
            message.data[INTENT_RANKING_KEY] = [fallback, *(e for e in ranking if e.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME)]

    @staticmethod
    def _set_intent(message: Message, intent: str, ranking: list[dict[str, Any]]) -> None:
        chosen = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
        message.data[INTENT] = chosen
        message.data[INTENT_RANKING_KEY] = [chosen, *(entry for entry in ranking if entry.get(INTENT_NAME_KEY) != intent)]

    def _replace_vetoed_intent(self, message: Message, ranking: list[dict[str, Any]]) -> None:
        others = [e for e in ranking if e.get(INTENT_NAME_KEY) not in SAFETY_INTENTS and e.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME]
        best = max(others, key=lambda e: e.get(PREDICTED_CONFIDENCE_KEY) or 0.0, default=None)
        if best is not None and (best.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= self.fallback_threshold:
            message.data[INTENT] = dict(best)
        else:
            message.data[INTENT] = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0}
        message.data[INTENT_RANKING_KEY] = [e for e in ranking if e.get(INTENT_NAME_KEY) not in SAFETY_INTENTS]
