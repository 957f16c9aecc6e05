"""Screen every patient message for red flags and crisis before any routing.

Runs last in the NLU pipeline. When the screening escalates, the message's
intent becomes ask_red_flags or ask_crisis_support with confidence 1.0 and
the assessment is stored under "safety" in the parse data (and so in the
tracker); the safety policy then answers it in any dialogue state. When the
classifier guessed red flag or crisis but the rules explained the words away
("this pain is killing me"), that guess is replaced by the next best intent;
when its guess is too weak to escalate alone, the bot asks what was meant,
offering the red-flag or crisis topic among the options.
Dose and medicine-mixing questions go to the medication content, unless they
are about coming off medicines (the classifier chose that topic, or the message
speaks of stopping or cutting down: "halfway through tapering, do I go back up
on the dose?"); that text too tells patients never to change a dose without the
prescriber.
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

from components.medicine_border import asks_about_stopping
from components.minilm import DEFAULT_MODEL_PATH, shared_encoder
from components.safety.decision import Thresholds, decide
from components.safety.detector import SafetyDetector, default_detector
from components.safety.meaning import LiveMeaningCheck
from components.sentence_featurizer import SENTENCE_VECTORS
from pacewise.content.model import intent_for_topic
from pacewise.content.safety_descriptions import descriptions_path
from pacewise.safety.assessment import CATEGORY_FOR_INTENT, COMING_OFF_MEDICINES_TOPIC, DOSE_SAFE_TOPICS, MEDICATION_TOPIC, SAFETY_INTENTS, SAFETY_PARSE_KEY

# The topics whose text answers a question that names a dose without giving one.
DOSE_SAFE_INTENTS = frozenset(intent_for_topic(topic) for topic in DOSE_SAFE_TOPICS)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyScreen(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # The classifier alone escalates from this confidence (rules escalate regardless).
            "model_threshold": 0.8,
            # ... and from this one when the meaning check points the same way.
            "corroborated_model_threshold": 0.3,
            # A sentence this similar to a clinician's description escalates on its own ...
            "meaning_threshold": 0.75,
            # ... and this similar, it supports a weaker classifier guess.
            "meaning_support_threshold": 0.55,
            # A sentence must be this much closer to a description than to any harmless look-alike.
            "meaning_margin": 0.03,
            "sentence_model_path": DEFAULT_MODEL_PATH,
            # Below this, a replaced intent becomes nlu_fallback (ask the patient what they meant).
            "fallback_threshold": 0.4,
        }

    def __init__(self, config: dict[str, Any], detector: SafetyDetector, meaning: LiveMeaningCheck) -> None:
        self.thresholds = Thresholds(
            model=float(config["model_threshold"]),
            corroborated_model=float(config["corroborated_model_threshold"]),
            meaning=float(config["meaning_threshold"]),
            meaning_support=float(config["meaning_support_threshold"]),
        )
        self.fallback_threshold = float(config["fallback_threshold"])
        self.detector = detector
        self.meaning = meaning

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyScreen:
        config = {**cls.get_default_config(), **config}
        encoder = shared_encoder(str(config["sentence_model_path"]))
        meaning = LiveMeaningCheck(descriptions_path(), encoder.encode_many, float(config["meaning_margin"]))
        return cls(config, default_detector(), meaning)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._screen(message)
        return messages

    def _screen(self, message: Message) -> None:
        ranking: list[dict[str, Any]] = [dict(entry) for entry in message.get(INTENT_RANKING_KEY) or []]
        text = message.get(TEXT)
        screening = self.detector.screen(text)
        _, sentence = message.get_dense_features(TEXT)
        # The sentences the featurizer has already encoded, and the whole message.
        known = dict(message.get(SENTENCE_VECTORS) or {})
        if text and sentence is not None:
            known[text.strip()] = sentence.features.reshape(-1)
        assessment = decide(screening, ranking, self.thresholds, self.meaning.nearest(text or "", known))
        if assessment is not None:
            self._set_intent(message, assessment.intent, ranking)
            message.set(SAFETY_PARSE_KEY, assessment.to_dict(), add_to_output=True)
            return
        current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if screening.asks_about_medication_doses:
            if current not in DOSE_SAFE_INTENTS:
                topic = COMING_OFF_MEDICINES_TOPIC if asks_about_stopping(text or "") else MEDICATION_TOPIC
                self._set_intent(message, intent_for_topic(topic), ranking)
            return
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
