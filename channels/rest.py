"""Rasa's REST channel at the same address (/webhooks/rest/webhook), made strict.

Same request and reply as Rasa's: POST {"sender": "...", "message": "...",
"metadata": {...}} returns the bot's messages as a JSON list. Differences:

- A body that is not that shape gets a 400 with a plain explanation, never a
  500: not JSON, not an object, no sender, a sender that is not a short id,
  a message that is not text, metadata that is not an object.
- The input channel is always recorded as "rest" (a client cannot claim to be
  the SMS channel), and a REST client cannot speak in a conversation that
  another channel started (a phone number's SMS conversation, a widget
  session): 403.
- With PACEWISE_REST_TOKEN set (always in production: pacewise/production.py)
  every request needs `Authorization: Bearer <token>`, else 401.
- Very long messages are cut, keeping any safety sentence
  (channels/message_limits.py); a patient always gets a reply
  (channels/replies_guard.py).
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.api_guard import bearer_token, same_secret
from channels.message_limits import prepare_message, without_lone_surrogates
from channels.replies_guard import always_reply

logger = logging.getLogger(__name__)

REST_TOKEN_ENV = "PACEWISE_REST_TOKEN"
CHANNEL = "rest"
SENDER_PATTERN = re.compile(r"[A-Za-z0-9+][A-Za-z0-9_.@+:-]{0,127}")

SHAPE = 'Send a JSON object like {"sender": "your-conversation-id", "message": "your question"}.'


class BadRequest(ValueError):
    """A request the REST channel cannot take; the text is what the client is told."""


def parse_request(body: bytes) -> tuple[str, str, dict[str, Any]]:
    """(sender, message, metadata) from a REST request body, or BadRequest saying what is wrong."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, RecursionError):
        raise BadRequest(f"The request body is not valid JSON. {SHAPE}") from None
    if not isinstance(data, dict):
        raise BadRequest(f"The request body must be a JSON object. {SHAPE}")
    sender = data.get("sender")
    if sender is None or sender == "":
        raise BadRequest(f'"sender" is missing: every conversation needs its own id. {SHAPE}')
    if not isinstance(sender, str) or not SENDER_PATTERN.fullmatch(sender):
        raise BadRequest('"sender" must be a text id of 1 to 128 letters, digits or . _ - @ + :')
    message = data.get("message", "")
    if message is None:
        message = ""
    if not isinstance(message, str):
        raise BadRequest(f'"message" must be text. {SHAPE}')
    metadata = data.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise BadRequest('"metadata", when given, must be a JSON object.')
    return sender, without_lone_surrogates(message), metadata


async def conversation_channel(request: Request, sender: str) -> str | None:
    """The channel a stored conversation last heard from, or None for a new one."""
    agent = getattr(request.app.ctx, "agent", None)
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return None
    # Rasa wraps the configured store; Pacewise's own reads one row, not the whole conversation.
    latest_input_channel = getattr(getattr(store, "_tracker_store", store), "latest_input_channel", None)
    if latest_input_channel is not None:
        return latest_input_channel(sender)
    tracker = await store.retrieve(sender)
    return tracker.get_latest_input_channel() if tracker is not None else None


class PacewiseRestInput(InputChannel):
    def __init__(self, token: str | None = None) -> None:
        self.token = token

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> PacewiseRestInput:
        return cls(os.environ.get(REST_TOKEN_ENV) or None)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handle = always_reply(on_new_message)
        webhook = Blueprint("custom_webhook_PacewiseRestInput", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if self.token and not same_secret(self.token, bearer_token(request)):
                return response.text("This channel needs a bearer token (Authorization: Bearer ...).", status=401)
            try:
                sender, text, metadata = parse_request(request.body)
            except BadRequest as problem:
                return response.text(str(problem), status=400)
            started_on = await conversation_channel(request, sender)
            if started_on not in (None, CHANNEL):
                logger.warning("Refused a REST message for a conversation held by the %s channel", started_on)
                return response.text("This conversation id belongs to another channel; choose another id.", status=403)
            collector = CollectingOutputChannel()
            await handle(UserMessage(await prepare_message(text), collector, sender, input_channel=CHANNEL, metadata=metadata))
            return response.json(collector.messages)

        return webhook
