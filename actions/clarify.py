"""What the bot does when it is unsure what a message meant."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.content import default_library, topic_id_for_intent
from actions.input_checks import assess

# A topic needs at least this confidence to be offered as "did you mean".
MIN_CANDIDATE_CONFIDENCE = 0.1


class ActionClarify(Action):
    """Explain unusable input, or offer the two or three likeliest topics.

    Runs on `nlu_fallback` (low or ambiguous NLU confidence) and as the
    dialogue policies' fallback. It never delivers curated content itself.
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

        candidates = []
        for ranked in message.get("intent_ranking") or []:
            topic = snapshot.get(topic_id_for_intent(ranked.get("name")))
            if topic is not None and (ranked.get("confidence") or 0) >= MIN_CANDIDATE_CONFIDENCE:
                candidates.append(topic)
        if candidates:
            replies.clarification(candidates).send(dispatcher)
        else:
            replies.not_understood(snapshot.topics.values()).send(dispatcher)
        return []
