"""Every patient message gets an answer, even when something fails inside.

If the action server is down or a step fails, Rasa logs the error and sends
nothing back, leaving the patient waiting. This wrapper around the channel's
message handler sends a short, calm apology instead. Every channel uses it.

Safety does not depend on the action server: when the turn failed and the
safety rules flag the message (components/safety/detector.py, deterministic),
the apology carries the crisis line or the emergency advice, and the safety
event is recorded here for clinician review, as action_safety_response would
have done.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from components.safety.detector import default_detector
from pacewise.content.settings import UK_DEFAULTS, default_settings
from pacewise.storage.pseudonyms import patient_key
from pacewise.storage.safety_events import SafetyEvent, record_safety_event

logger = logging.getLogger(__name__)

SORRY_TEXT = (
    "Sorry, I'm having a technical problem and can't answer right now. Please try again in a few minutes. "
    "If you need medical help urgently, {emergency}. For advice today, {same_day}."
)


CRISIS_SORRY_TEXT = (
    "Sorry, I'm having a technical problem and can't answer properly right now. "
    "If you are thinking about ending your life or might act on it, {emergency} now. "
    "You can also talk to {crisis_line}."
)
RED_FLAG_SORRY_TEXT = (
    "Sorry, I'm having a technical problem and can't answer properly right now. "
    "What you describe can need a doctor quickly: if it is new or getting worse, {emergency} now. "
    "For advice today, {same_day}."
)
DETECTED_BY_FAULT_PATH = "rules (fault)"


def sorry_text(template: str = SORRY_TEXT) -> str:
    """The apology, with this deployment's numbers (content/settings/deployment.yml)."""
    try:
        return default_settings().render(template)
    except Exception:  # the apology must never fail: fall back to the built-in UK numbers
        logger.exception("Could not read the deployment settings for the apology")
        return UK_DEFAULTS.render(template)


def apology_for(message: UserMessage) -> str:
    """The apology for a failed turn; a flagged message's safety event is recorded here."""
    try:
        screening = default_detector().screen(message.text)
        categories = screening.categories()
    except Exception:
        logger.exception("Could not screen a message on the fault path")
        return sorry_text()
    if not categories:
        return sorry_text()
    crisis = "crisis" in categories
    try:
        record_safety_event(
            SafetyEvent(
                patient_key=patient_key(message.input_channel, message.sender_id),
                channel=message.input_channel or "unknown",
                category="crisis" if crisis else "red_flag",
                urgency=screening.urgency(),
                rules=tuple(rule for category in categories for rule in screening.rules(category)),
                detected_by=DETECTED_BY_FAULT_PATH,
            )
        )
    except Exception:
        logger.exception("Could not record a safety event on the fault path")
    return sorry_text(CRISIS_SORRY_TEXT if crisis else RED_FLAG_SORRY_TEXT)


def always_reply(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[None]]:
    async def handle(message: UserMessage) -> None:
        output = message.output_channel
        sent = _count_replies(output)
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("Handling a message from %s failed", message.sender_id)
            await output.send_text_message(message.sender_id, await asyncio.to_thread(apology_for, message))
            return
        if sent() == 0:
            logger.error("No reply was produced for a message from %s; sent an apology instead", message.sender_id)
            await output.send_text_message(message.sender_id, await asyncio.to_thread(apology_for, message))

    return handle


def _count_replies(output: OutputChannel) -> Callable[[], int]:
    """Count what Rasa sends through this output channel (every bot message goes through send_response)."""
    count = 0
    send_response = output.send_response

    async def counting_send_response(recipient_id: str, reply: dict[str, Any]) -> None:
        nonlocal count
        count += 1
        await send_response(recipient_id, reply)

    output.send_response = counting_send_response  # type: ignore[method-assign]
    return lambda: count
