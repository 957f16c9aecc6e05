"""Send clear pain ratings ("my pain is 7 today", "8/10") and requests to log one ("can I log my pain?")
to the pain diary, whatever the classifier guessed.

A rating the classifier misreads would otherwise be answered with a topic and
never logged. Only unmistakable ratings are routed (actions/diary/score_parser.py
decides) and explicit requests to log, not questions about the diary so far;
the safety screen runs after this component and still overrides it.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.diary.score_parser import looks_like_pain_rating
from components.stateless import StatelessComponent, put_intent_first

LOG_PAIN_INTENT = "log_pain"
# "log my pain", "can I record a pain score", "rate my pain today" ...
LOG_REQUEST = re.compile(r"\b(log|record|enter|add|note down|rate|put)\b[^.?!]{0,25}\bpain\b", re.IGNORECASE)
# ... but not "show me the pain I logged this month" (the summary).
ABOUT_THE_DIARY_SO_FAR = re.compile(r"\b(chart|graph|trend|average|history|summary|so far|been|show|logged|recorded|week|month)\b", re.IGNORECASE)


def asks_to_log_pain(text: str) -> bool:
    return bool(LOG_REQUEST.search(text)) and not ABOUT_THE_DIARY_SO_FAR.search(text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PainRatingRouter(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            text = message.get(TEXT) or ""
            if current == LOG_PAIN_INTENT or not (looks_like_pain_rating(text) or asks_to_log_pain(text)):
                continue
            put_intent_first(message, LOG_PAIN_INTENT)
        return messages
