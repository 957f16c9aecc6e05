"""Rasa's Socket.IO channel for the website widget, with sessions no one else can claim.

Rasa's channel lets a client name any session id and then speaks, and hears,
as that conversation: a second connection that sends a patient's id receives
their replies and can delete their data. Here:

- The server, not the client, creates a session id, and signs it (an HMAC
  with PACEWISE_SESSION_SECRET). `session_confirm` carries
  {"session_id", "session_token"}; the widget keeps both and sends them back
  on its next `session_request`. A session id without its token is never
  joined: the client gets a new session instead.
- A connection speaks only as the session it was confirmed in; the
  `session_id` inside a `user_uttered` event is ignored.
- Malformed events are answered with a plain message, never an error.
- Like REST, a patient always gets a reply (channels/replies_guard.py), long
  messages are cut keeping safety sentences (channels/message_limits.py), and
  custom JSON (the pain scale) is sent as the event's data (Rasa 3.6's
  SocketIOOutput.send_custom_json fails).
- A check-in the patient asked for, held while the chat was closed
  (pacewise/checkins/delivery.py), is started when they next open it: the
  resumed session gets the check-in as if the scheduler had just sent it.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import os
import secrets
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.message_limits import prepare_message
from channels.replies_guard import always_reply
from pacewise import DEVICE_TIME_ZONE_KEY
from pacewise.checkins.delivery import HELD_FOR
from pacewise.checkins.rasa_api import ASKS_ENTITY, CHECK_IN_INTENT, ROUTE_ENTITY
from pacewise.storage.checkins import take_held_check_in
from pacewise.storage.pseudonyms import patient_key

logger = logging.getLogger(__name__)

SESSION_SECRET_ENV = "PACEWISE_SESSION_SECRET"
CHANNEL = "socketio"
NOT_READY = "Sorry, the chat is still connecting. Please send your message again in a moment."
NOT_TEXT = "Sorry, I could only read text messages."
MAX_TIME_ZONE_CHARS = 64


class SessionSigner:
    """Signs server-made session ids, so only the browser that was given one can resume it."""

    def __init__(self, secret: str | None) -> None:
        if not secret:
            logger.warning("%s is not set: widget sessions will not survive a restart of the Rasa server.", SESSION_SECRET_ENV)
        self._key = (secret or secrets.token_hex(32)).encode("utf-8")

    def token_for(self, session_id: str) -> str:
        digest = hmac.new(self._key, session_id.encode("utf-8"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    def verified(self, session_id: Any, token: Any) -> bool:
        return isinstance(session_id, str) and isinstance(token, str) and hmac.compare_digest(self.token_for(session_id), token)

    def new_session(self) -> tuple[str, str]:
        session_id = uuid.uuid4().hex
        return session_id, self.token_for(session_id)


class PacewiseSocketIOOutput(SocketIOOutput):
    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, dict(json_message))


def kept_metadata(metadata: Any) -> dict[str, str]:
    """What the widget may send with a message: the browser's time zone name, nothing else (the rest would be
    stored with the conversation for no use)."""
    zone = metadata.get(DEVICE_TIME_ZONE_KEY) if isinstance(metadata, dict) else None
    return {DEVICE_TIME_ZONE_KEY: zone} if isinstance(zone, str) and 0 < len(zone) <= MAX_TIME_ZONE_CHARS else {}


class PacewiseSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return CHANNEL

    def get_output_channel(self) -> SocketIOOutput | None:
        return PacewiseSocketIOOutput(self.sio, self.bot_message_evt) if self.sio is not None else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handle = always_reply(on_new_message)
        signer = SessionSigner(os.environ.get(SESSION_SECRET_ENV))
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        namespace = self.namespace

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any) -> None:
            data = data if isinstance(data, dict) else {}
            session_id, token = data.get("session_id"), data.get("session_token")
            if not signer.verified(session_id, token):
                if session_id:
                    logger.info("A widget asked to resume a session without its valid token; it gets a new session")
                session_id, token = signer.new_session()
            previous = (await sio.get_session(sid, namespace=namespace)).get("session_id")
            if previous and previous != session_id:
                sio.leave_room(sid, previous, namespace=namespace)
            await sio.save_session(sid, {"session_id": session_id}, namespace=namespace)
            sio.enter_room(sid, session_id, namespace=namespace)
            await sio.emit("session_confirm", {"session_id": session_id, "session_token": token}, room=sid, namespace=namespace)
            if signer.verified(data.get("session_id"), data.get("session_token")):  # a returning patient
                await self._start_held_check_in(session_id, PacewiseSocketIOOutput(sio, self.bot_message_evt), handle)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any) -> None:
            session_id = (await sio.get_session(sid, namespace=namespace)).get("session_id")
            if not session_id:
                await sio.emit(self.bot_message_evt, {"text": NOT_READY}, room=sid, namespace=namespace)
                return
            data = data if isinstance(data, dict) else {}
            text = data.get("message", "")
            if not isinstance(text, str):
                await sio.emit(self.bot_message_evt, {"text": NOT_TEXT}, room=sid, namespace=namespace)
                return
            output = PacewiseSocketIOOutput(sio, self.bot_message_evt)
            metadata = kept_metadata(data.get(self.metadata_key))
            message = UserMessage(await prepare_message(text), output, session_id, input_channel=CHANNEL, metadata=metadata)
            await handle(message)

        return webhook

    @staticmethod
    async def _start_held_check_in(session_id: str, output: SocketIOOutput, handle: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Start the check-in held for this patient while their chat was closed, if there is one."""
        try:
            now = datetime.now(timezone.utc)
            check_in = await asyncio.get_running_loop().run_in_executor(None, take_held_check_in, patient_key(CHANNEL, session_id), now, HELD_FOR)
        except Exception:  # the database down: the chat works, the check-in waits for no one
            logger.exception("Could not look for a held check-in")
            return
        if check_in is None:
            return
        trigger = f'/{CHECK_IN_INTENT}{{"{ROUTE_ENTITY}": "message", "{ASKS_ENTITY}": "{check_in.asks}"}}'
        await handle(UserMessage(trigger, output, session_id, input_channel=CHANNEL))
