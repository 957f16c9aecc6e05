"""Fixes for Rasa 3.6 behaviour that Pacewise relies on, installed when the Rasa server loads the policies.

- `POST /conversations/<id>/trigger_intent` (how check-ins start,
  pacewise/checkins/rasa_api.py) loads the conversation with no output
  channel. When the patient's session has expired, as it has by the time an
  evening check-in comes, Rasa runs action_session_start and then fails on
  sending its messages to that missing channel: the check-in is lost with a
  500. The session start now gets a collecting channel instead, so its
  messages (the session notice) stay in the conversation's history and the
  check-in goes out.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

_original_fetch = MessageProcessor.fetch_tracker_and_update_session


async def fetch_tracker_and_update_session(
    self: MessageProcessor, sender_id: str, output_channel: OutputChannel | None = None, metadata: dict[str, Any] | None = None
) -> DialogueStateTracker:
    return await _original_fetch(self, sender_id, output_channel if output_channel is not None else CollectingOutputChannel(), metadata)


def install() -> None:
    MessageProcessor.fetch_tracker_and_update_session = fetch_tracker_and_update_session  # type: ignore[method-assign]
