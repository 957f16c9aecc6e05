"""What the bot does when it is unsure what a message meant."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.topics import answer_question
from pacewise.content import default_library, intent_for_topic
from pacewise.routing import route
from pacewise.text.input_checks import assess


class ActionClarify(Action):
    """Explain unusable input, answer the likeliest topic, or offer the likeliest few.

    Runs on `nlu_fallback` (low or ambiguous NLU confidence) and as the
    dialogue policies' fallback. Answer first, ask last (pacewise/routing.py):
    a likely topic is answered, with a close second offered as a button; the
    "Did you mean" menu is for when no topic is likely.
    """

    def name(self) -> str:
        return "action_clarify"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        snapshot = default_library().snapshot()
        message = tracker.latest_message
        issue = assess(message.get("text"))
        if issue is not None:
            replies.input_issue(issue, snapshot.topics.values()).send(dispatcher)
            return []

        ranking = message.get("intent_ranking") or []
        decision = route((message.get("intent") or {}).get("name"), ranking, snapshot.topics)
        if decision.answer is not None:
            return answer_question(dispatcher, tracker, intent_for_topic(decision.answer), ranking)
        candidates = [topic for topic_id in decision.candidates if (topic := snapshot.get(topic_id)) is not None]
        if candidates:
            replies.clarification(candidates).send(dispatcher)
        else:
            replies.not_understood(snapshot.topics.values()).send(dispatcher)
        return []
