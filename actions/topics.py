"""Actions that deliver curated content: a topic's answer, its details, the menu."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.diary.recording import log_score_given_with_a_question
from actions.patients import patient_key_for
from pacewise.content import default_library, topic_id_for_intent
from pacewise.routing import route
from pacewise.storage.topics_read import record_topic_read
from pacewise.text.score_parser import describes_a_pattern, stated_pain_score

logger = logging.getLogger(__name__)

TOPIC_SLOT = "topic"


class ActionAnswerTopic(Action):
    """Answer a topic question with the clinician-written short answer.

    The topic comes from the predicted intent (one intent per topic), and the
    content is read from content/ at this moment, so edits show immediately.
    """

    def name(self) -> str:
        return "action_answer_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        message = tracker.latest_message
        return answer_question(dispatcher, tracker, (message.get("intent") or {}).get("name"), message.get("intent_ranking"))


def answer_question(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str | None, ranking: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Answer the patient's topic question; a pain score given with it for now ("6 today, what do I do in
    a flare?") is logged first, and one describing how the pain usually goes is offered with a button."""
    text = tracker.latest_message.get("text") or ""
    offer = stated_pain_score(text)
    logged: list[dict[str, Any]] = []
    if offer is not None and not describes_a_pattern(text):
        logged = log_score_given_with_a_question(dispatcher, tracker, offer) or []
    return [*logged, *answer_topic(dispatcher, tracker, intent, ranking, None if logged else offer)]


def answer_topic(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    intent: str | None,
    ranking: list[dict[str, Any]] | None = None,
    stated_score: int | None = None,
) -> list[dict[str, Any]]:
    """Send a topic's short answer (also used when a topic question interrupts a form).

    With the NLU's ranking, a second topic that came close is offered first among the buttons.
    `stated_score` is a pain score the question mentioned that was not logged ("it goes
    up to a 7 when I walk, am I overdoing it?" describes a pattern): a button offers it.
    """
    snapshot = default_library().snapshot()
    topic_id = topic_id_for_intent(intent)
    topic = snapshot.get(topic_id)
    if topic is None:
        logger.error("No servable content for topic '%s' (check `make check-content`).", topic_id)
        replies.topic_unavailable(snapshot.topics.values()).send(dispatcher)
        return []
    also = snapshot.get(route(intent, ranking or [], snapshot.topics).also)
    replies.topic_answer(topic, snapshot.related_topics(topic), also=also, log_score=stated_score).send(dispatcher)
    remember_topic_read(tracker, topic.id)
    return [SlotSet(TOPIC_SLOT, topic.id)]


def remember_topic_read(tracker: Tracker, topic_id: str) -> None:
    """Note the topic for the patient's progress report; the answer goes out even when this cannot be stored."""
    try:
        record_topic_read(patient_key_for(tracker), topic_id, datetime.now(timezone.utc))
    except Exception:
        logger.exception("Could not note a topic read")


class ActionTellMeMore(Action):
    """Give the longer explanation, with sources, of the topic last delivered."""

    def name(self) -> str:
        return "action_tell_me_more"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        snapshot = default_library().snapshot()
        topic = snapshot.get(tracker.get_slot(TOPIC_SLOT))
        if topic is None:
            replies.no_current_topic(snapshot.topics.values()).send(dispatcher)
            return []
        replies.topic_details(topic, snapshot.related_topics(topic)).send(dispatcher)
        remember_topic_read(tracker, topic.id)
        return [SlotSet(TOPIC_SLOT, topic.id)]


class ActionShowMenu(Action):
    """List the topics the bot can talk about, as buttons."""

    def name(self) -> str:
        return "action_show_menu"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        replies.menu(default_library().snapshot().topics.values()).send(dispatcher)
        return []
