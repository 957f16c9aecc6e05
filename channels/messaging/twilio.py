"""Twilio SMS and WhatsApp: Rasa's Twilio connector, authenticated and fitted to text messages.

- Every request must carry a valid X-Twilio-Signature (Rasa 3.6 does not check it).
- A replayed MessageSid is ignored.
- Buttons become numbered choices; the patient's "2" picks the second.
- A check-in outside WhatsApp's 24-hour window goes out as the approved
  template (its Content SID in the check_in_template credential), never as text.
- Long replies are split at sentence boundaries into messages that fit
  (SMS: at most 3 segments; WhatsApp: 1,600 characters); Markdown becomes
  plain text (SMS) or WhatsApp's own *bold*; images become links on SMS.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint
from sanic.request import Request
from twilio.base.exceptions import TwilioRestException

from channels.messaging.choices import remember_choices, with_numbered_choices
from channels.messaging.formatting import STYLES, ChannelStyle, choices_in, format_reply
from channels.messaging.refusals import DeliveryRefused, refusals_are_errors
from channels.messaging.signatures import twilio_signature_valid
from channels.messaging.webhook_guard import GuardedConnector, guard_webhook, renamed
from channels.replies_guard import always_reply

logger = logging.getLogger(__name__)


class PacewiseTwilioOutput(TwilioOutput):
    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        twilio_number: str,
        channel: str,
        style: ChannelStyle,
        api_url: str | None = None,
        check_in_template: str | None = None,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self.channel, self.style, self.check_in_template = channel, style, check_in_template
        if api_url:  # a local stand-in for Twilio's API, for tests
            self.api.base_url = api_url.rstrip("/")

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if ((message.get("custom") or {}).get("pacewise") or {}).get("check_in_template"):
            await self._send_check_in_template(recipient_id)
            return
        choices = choices_in(message)
        for part in format_reply(self.style, message.get("text"), choices, message.get("image")):
            if part.image_url:
                await self._send_message({"to": recipient_id, "from_": self.twilio_number, "media_url": [part.image_url]})
            if part.text:
                await self._send_message({"to": recipient_id, "from_": self.twilio_number, "body": part.text})
        remember_choices(self.channel, recipient_id, choices)

    async def _send_check_in_template(self, recipient_id: str) -> None:
        if not self.check_in_template:  # the scheduler only asks for it when one is configured
            logger.error("A check-in template was asked for on %s, but none is configured; nothing was sent", self.channel)
            if refusals_are_errors():
                raise DeliveryRefused("Twilio", "no check-in template configured")
            return
        await self._send_message({"to": recipient_id, "from_": self.twilio_number, "content_sid": self.check_in_template})

    async def _send_message(self, message_data: dict[str, Any]) -> Any:
        """Rasa's send logs Twilio's refusal and returns; a check-in's refusal is raised with Twilio's error code."""
        if not refusals_are_errors():
            return await super()._send_message(message_data)
        try:
            return self.messages.create(**message_data)
        except TwilioRestException as error:
            raise DeliveryRefused("Twilio", f"error {error.code}") from error


class PacewiseTwilioSmsInput(GuardedConnector, TwilioInput):
    style_name = "sms"

    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> PacewiseTwilioSmsInput:
        channel = super().from_credentials(credentials)
        channel.webhook_url = (credentials or {}).get("webhook_url")
        channel.check_in_template = (credentials or {}).get("check_in_template")
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.webhook_url: str | None = None
        self.check_in_template: str | None = None

    def get_output_channel(self) -> PacewiseTwilioOutput:
        return PacewiseTwilioOutput(
            self.account_sid, self.auth_token, self.twilio_number, self.name(), STYLES[self.style_name], self.api_url, self.check_in_template
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = renamed(super().blueprint(always_reply(with_numbered_choices(self.name(), on_new_message))), f"{self.name()}_webhook")
        return guard_webhook(blueprint, self.name(), self._authentic, lambda request: [request.form.get("MessageSid", "")], self.replays)

    def _authentic(self, request: Request) -> bool:
        # Twilio signs the exact public URL it called; behind a proxy, set the webhook_url credential.
        url = self.webhook_url or request.url
        form = {key: values[0] for key, values in request.form.items()}
        return twilio_signature_valid(self.auth_token, url, form, request.headers.get("X-Twilio-Signature"))


class PacewiseTwilioWhatsAppInput(PacewiseTwilioSmsInput):
    """The same connector on its own webhook (/webhooks/twilio_whatsapp/webhook) and WhatsApp formatting."""

    style_name = "whatsapp"

    @classmethod
    def name(cls) -> str:
        return "twilio_whatsapp"
