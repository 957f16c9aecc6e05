"""Every patient message gets an answer, even when something fails inside.

If the action server is down or a step fails, Rasa logs the error and sends
nothing back, leaving the patient waiting. This wrapper around the channel's
message handler sends a short, calm apology instead. Channels share it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

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
        # Only a collecting channel can tell whether anything was sent (REST's
        # streaming mode collects into a queue that is drained as it goes).
        collected = output.messages if isinstance(output, CollectingOutputChannel) else None
        before = len(collected) if isinstance(collected, list) else None
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("Handling a message from %s failed", message.sender_id)
            await output.send_text_message(message.sender_id, sorry_text())
            return
        if before is not None and len(output.messages) == before:
            logger.error("No reply was produced for a message from %s; sent an apology instead", message.sender_id)
            await output.send_text_message(message.sender_id, sorry_text())

    return handle
