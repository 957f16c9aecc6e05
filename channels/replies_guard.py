"""Every patient message gets an answer, even when something fails inside.

If the action server is down or a step fails, Rasa logs the error and sends
nothing back, leaving the patient waiting. This wrapper around the channel's
message handler sends a short, calm apology instead. Every channel uses it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from actions.content.settings import UK_DEFAULTS, default_settings

logger = logging.getLogger(__name__)

SORRY_TEXT = (
    "Sorry, I'm having a technical problem and can't answer right now. Please try again in a few minutes. "
    "If you need medical help urgently, {emergency}. For advice today, {same_day}."
)


def sorry_text() -> str:
    """The apology, with this deployment's numbers (content/settings/deployment.yml)."""
    try:
        return default_settings().render(SORRY_TEXT)
    except Exception:  # the apology must never fail: fall back to the built-in UK numbers
        logger.exception("Could not read the deployment settings for the apology")
        return UK_DEFAULTS.render(SORRY_TEXT)


def always_reply(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[None]]:
    async def handle(message: UserMessage) -> None:
        output = message.output_channel
        sent = _count_replies(output)
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("Handling a message from %s failed", message.sender_id)
            await output.send_text_message(message.sender_id, sorry_text())
            return
        if sent() == 0:
            logger.error("No reply was produced for a message from %s; sent an apology instead", message.sender_id)
            await output.send_text_message(message.sender_id, sorry_text())

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
