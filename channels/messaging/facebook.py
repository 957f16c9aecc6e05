"""Facebook Messenger: Rasa's connector, with forged requests refused (403, where Rasa
answers 200 "not validated"), replayed message ids ignored and replies fitted to
Messenger (plain text under 2,000 characters, buttons as quick replies)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from fbmessenger import MessengerClient
from fbmessenger.elements import Text as FBText
from fbmessenger.quick_replies import QuickReplies, QuickReply
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.messaging.choices import remember_choices, with_numbered_choices
from channels.messaging.formatting import STYLES, choices_in, format_reply
from channels.messaging.refusals import DeliveryRefused, raised_as_refusals, refusals_are_errors
from channels.messaging.signatures import facebook_signature_valid
from channels.messaging.webhook_guard import GuardedConnector, guard_webhook
from channels.replies_guard import always_reply

logger = logging.getLogger(__name__)
FACEBOOK = "facebook"
MAX_QUICK_REPLIES = 10  # fbmessenger enforces 10
MAX_QUICK_REPLY_TITLE = 20


def messenger_client(page_access_token: str, api_url: str | None) -> MessengerClient:
    client = MessengerClient(page_access_token)
    if api_url:  # a local stand-in for the Graph API, for tests
        client.graph_url = f"{api_url.rstrip('/')}/v{client.api_version}"
    return client


class PacewiseMessengerBot(MessengerBot):
    def send(self, recipient_id: str, element: Any) -> None:
        """Rasa's send, with Messenger's refusal (returned as data, never raised) logged, or raised for a check-in."""
        answer = self.messenger_client.send(element.to_dict(), recipient_id, "RESPONSE")
        error = answer.get("error") if isinstance(answer, dict) else None
        if not error:
            return
        code = error.get("code") if isinstance(error, dict) else "unknown"
        if refusals_are_errors():
            raise DeliveryRefused("Messenger", f"error {code}")
        logger.error("Messenger did not take a reply (error %s)", code)

    @raised_as_refusals("Messenger")
    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        choices = choices_in(message)
        # Messenger shows at most 10 quick replies; a longer list (the topic menu) becomes numbered choices.
        style = STYLES["facebook"] if len(choices) <= MAX_QUICK_REPLIES else replace(STYLES["facebook"], native_buttons=False)
        for part in format_reply(style, message.get("text"), choices, message.get("image")):
            if part.image_url:
                await self.send_image_url(recipient_id, part.image_url)
            elif part.text:
                quick_replies = QuickReplies([QuickReply(title=_short(c.title), payload=c.payload) for c in part.choices]) if part.choices else None
                self.send(recipient_id, FBText(text=part.text, quick_replies=quick_replies))
        remember_choices(FACEBOOK, recipient_id, [] if style.native_buttons else choices)


def _short(title: str) -> str:
    return title if len(title) <= MAX_QUICK_REPLY_TITLE else title[: MAX_QUICK_REPLY_TITLE - 1].rstrip() + "…"


class _PacewiseMessenger(Messenger):
    """Rasa's webhook handler, answering through the fitted output channel."""

    def __init__(self, client: MessengerClient, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        self.on_new_message = on_new_message
        self.client = client
        self.last_message: dict[str, Any] = {}

    async def _handle_user_message(self, text: str, sender_id: str, metadata: dict[str, Any] | None) -> None:
        out_channel = PacewiseMessengerBot(self.client)
        await self.on_new_message(UserMessage(text, out_channel, sender_id, input_channel=self.name(), metadata=metadata))


class PacewiseFacebookInput(GuardedConnector, FacebookInput):
    @classmethod
    def name(cls) -> str:
        return FACEBOOK

    def get_output_channel(self) -> PacewiseMessengerBot:
        return PacewiseMessengerBot(messenger_client(self.fb_access_token, self.api_url))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's routes (/, GET /webhook for Facebook's verification, POST /webhook), answered with the fitted output."""
        handle = always_reply(with_numbered_choices(FACEBOOK, on_new_message))
        blueprint = Blueprint("fb_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if request.args.get("hub.verify_token") == self.fb_verify:
                return response.text(request.args.get("hub.challenge"))
            logger.warning("Rejected a Facebook webhook verification with a wrong verify token")
            return response.text("failure, invalid token", status=403)

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            messenger = _PacewiseMessenger(messenger_client(self.fb_access_token, self.api_url), handle)
            await messenger.handle(request.json, self.get_metadata(request))
            return response.text("success")

        return guard_webhook(blueprint, self.name(), self._authentic, self._message_ids, self.replays)

    def _authentic(self, request: Request) -> bool:
        return facebook_signature_valid(self.fb_secret, request.body, request.headers.get("X-Hub-Signature-256"))

    @staticmethod
    def _message_ids(request: Request) -> list[str]:
        body = request.json if isinstance(request.json, dict) else {}
        ids = []
        for entry in body.get("entry") or []:
            for event in entry.get("messaging") or []:
                mid = (event.get("message") or {}).get("mid") or (event.get("postback") or {}).get("mid")
                ids.append(str(mid or f"{event.get('sender', {}).get('id')}:{event.get('timestamp')}"))
        return ids
