"""Start of a conversation (and of each new session after a long pause)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import say
from pacewise.content.settings import default_settings


class ActionSessionStart(Action):
    """Rasa's session start, plus a one-line notice: education, not diagnosis; what to do in an emergency.

    The notice comes before the bot's first answer in every session, whatever
    the first message was, and its emergency number follows the deployment settings.
    """

    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = [SessionStarted()]
        if domain.get("session_config", {}).get("carry_over_slots_to_new_session", True):
            events += [SlotSet(name, value) for name, value in tracker.current_slot_values().items() if value is not None]
        say(dispatcher, default_settings().notice)
        events.append(ActionExecuted("action_listen"))
        return events
