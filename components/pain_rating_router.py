"""Send clear pain ratings ("my pain is 7 today", "8/10") and requests to log one ("can I log my pain?")
to the pain diary, whatever the classifier guessed.

A rating the classifier misreads would otherwise be answered with a topic and
never logged. Only unmistakable ratings are routed (pacewise/text/score_parser.py
decides) and explicit requests to log, not questions about the diary so far;
the safety screen runs after this component and still overrides it.

A message that mentions a rating while it asks a question ("My pain goes up to
a 6 when I walk. Am I overdoing it?") is about that question when, the pain
diary set aside, one topic holds most of the classifier's confidence: the
patient asked something, and the answer logs a rating given for now before
it answers, or offers one that describes how the pain usually goes
(actions/topics.py), so neither is lost. This holds even when the classifier
itself chose the diary, as it does for most messages with a number in them.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.stateless import StatelessComponent, put_intent_first
from pacewise.content import default_library
from pacewise.routing import QUESTION_TOPIC_SHARE, leading_topic
from pacewise.text.questions import asks_a_question
from pacewise.text.score_parser import looks_like_pain_rating

LOG_PAIN_INTENT = "log_pain"
# "log my pain", "can I record a pain score", "rate my pain today" ...
LOG_REQUEST = re.compile(r"\b(log|record|enter|add|note down|rate|put)\b[^.?!]{0,25}\bpain\b", re.IGNORECASE)
# ... but not "show me the pain I logged this month" (the summary).
ABOUT_THE_DIARY_SO_FAR = re.compile(r"\b(chart|graph|trend|average|history|summary|so far|been|show|logged|recorded|week|month)\b", re.IGNORECASE)
# "can you note that 6 down?", "should I put 7 in my diary?": about the diary, whatever else they say.
ABOUT_THE_DIARY = re.compile(r"\b(log|logged|record|recorded|diary|note|noted|track|save|saved|store|enter)\b", re.IGNORECASE)


def asks_to_log_pain(text: str) -> bool:
    return bool(LOG_REQUEST.search(text)) and not ABOUT_THE_DIARY_SO_FAR.search(text)


def question_topic(message: Message) -> tuple[str, float] | None:
    """The topic intent a message with a rating asks about, and its share of the confidence, if one is clear."""
    text = message.get(TEXT) or ""
    if not asks_a_question(text) or ABOUT_THE_DIARY.search(text):
        return None
    ranking = message.get(INTENT_RANKING_KEY) or []
    return leading_topic(ranking, default_library().snapshot().topics, QUESTION_TOPIC_SHARE, ignore=(LOG_PAIN_INTENT,))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PainRatingRouter(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            text = message.get(TEXT) or ""
            if asks_to_log_pain(text):
                put_intent_first(message, LOG_PAIN_INTENT)
                continue
            if current != LOG_PAIN_INTENT and not looks_like_pain_rating(text):
                continue
            asked = question_topic(message)
            if asked is not None:
                put_intent_first(message, *asked)
            elif current != LOG_PAIN_INTENT:
                put_intent_first(message, LOG_PAIN_INTENT)
        return messages
