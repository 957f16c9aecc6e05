"""Rasa's Socket.IO channel for the website widget, with two fixes.

- Like REST, a patient always gets a reply (channels/replies_guard.py).
- Rasa 3.6's SocketIOOutput.send_custom_json passes the message as keyword
  arguments to emit() and fails; custom JSON (the pain scale) is sent as the
  event's data instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from channels.replies_guard import always_reply


class PacewiseSocketIOOutput(SocketIOOutput):
    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, dict(json_message))


class PacewiseSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> SocketIOOutput | None:
        channel = super().get_output_channel()
        return PacewiseSocketIOOutput(channel.sio, channel.bot_message_evt) if channel is not None else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return super().blueprint(_with_fixed_output(always_reply(on_new_message)))


def _with_fixed_output(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    async def handle(message: UserMessage) -> Any:
        output = message.output_channel
        if type(output) is SocketIOOutput:
            message.output_channel = PacewiseSocketIOOutput(output.sio, output.bot_message_evt)
        return await on_new_message(message)

    return handle
