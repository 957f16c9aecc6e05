"""Send clear pain ratings ("my pain is 7 today", "8/10") and requests to log one ("can I log my pain?")
to the pain diary, whatever the classifier guessed.

A rating the classifier misreads would otherwise be answered with a topic and
never logged. Only unmistakable ratings are routed (actions/diary/score_parser.py
decides) and explicit requests to log, not questions about the diary so far;
the safety screen runs after this component and still overrides it.

A message that mentions a rating while it asks a question the classifier is
sure about ("My pain goes up to a 6 when I walk. Am I overdoing it?") keeps
that topic: the patient asked something, and the answer offers to log the
rating (actions/topics.py), so neither is lost.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.content import default_library
from actions.diary.score_parser import looks_like_pain_rating
from actions.routing import confident_topic
from components.stateless import StatelessComponent, put_intent_first

LOG_PAIN_INTENT = "log_pain"
# "log my pain", "can I record a pain score", "rate my pain today" ...
LOG_REQUEST = re.compile(r"\b(log|record|enter|add|note down|rate|put)\b[^.?!]{0,25}\bpain\b", re.IGNORECASE)
# ... but not "show me the pain I logged this month" (the summary).
ABOUT_THE_DIARY_SO_FAR = re.compile(r"\b(chart|graph|trend|average|history|summary|so far|been|show|logged|recorded|week|month)\b", re.IGNORECASE)
# A topic the classifier gives at least this confidence keeps a question that mentions a rating.
TOPIC_QUESTION_CONFIDENCE = 0.5


def asks_to_log_pain(text: str) -> bool:
    return bool(LOG_REQUEST.search(text)) and not ABOUT_THE_DIARY_SO_FAR.search(text)


def _confident_topic_question(message: Message) -> bool:
    """The patient asks something ("?") and the classifier is sure which topic answers it."""
    if "?" not in (message.get(TEXT) or ""):
        return False
    ranking = message.get(INTENT_RANKING_KEY) or []
    return confident_topic(ranking, default_library().snapshot().topics, TOPIC_QUESTION_CONFIDENCE) is not None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PainRatingRouter(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            text = message.get(TEXT) or ""
            if current == LOG_PAIN_INTENT:
                continue
            if asks_to_log_pain(text) or (looks_like_pain_rating(text) and not _confident_topic_question(message)):
                put_intent_first(message, LOG_PAIN_INTENT)
        return messages
