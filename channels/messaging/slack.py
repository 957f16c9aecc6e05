"""Slack: Rasa's Slack connector (which checks the signing secret and its 5-minute window)
with replays of an event id ignored and replies in Slack's own mrkdwn."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint
from sanic.request import Request
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from channels.messaging.formatting import STYLES, reply_parts
from channels.messaging.refusals import raised_as_refusals
from channels.messaging.webhook_guard import GuardedConnector, guard_webhook
from channels.replies_guard import always_reply


class PacewiseSlackBot(SlackBot):
    def __init__(
        self, token: str, slack_channel: str | None = None, thread_id: str | None = None, proxy: str | None = None, api_url: str | None = None
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        if api_url:  # a local stand-in for Slack's Web API, for tests
            self.client = AsyncWebClient(token, proxy=proxy, base_url=api_url.rstrip("/") + "/api/")

    @raised_as_refusals("Slack", lambda error: str(error.response.get("error")) if isinstance(error, SlackApiError) else type(error).__name__)
    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        recipient = self.slack_channel or recipient_id
        for part in reply_parts(STYLES["slack"], message):
            if part.image_url:
                await self.send_image_url(recipient_id, part.image_url)
            elif part.choices:
                await self.send_text_with_buttons(recipient_id, part.text, [{"title": c.title, "payload": c.payload} for c in part.choices])
            elif part.text:
                await self._post_message(channel=recipient, as_user=True, text=part.text, type="mrkdwn")


class PacewiseSlackInput(GuardedConnector, SlackInput):
    @classmethod
    def name(cls) -> str:
        return "slack"

    def get_output_channel(self, channel: str | None = None, thread_id: str | None = None) -> PacewiseSlackBot:
        return PacewiseSlackBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(always_reply(on_new_message))
        return guard_webhook(blueprint, self.name(), self.is_request_from_slack_authentic, self._event_ids, self.replays)

    @staticmethod
    def _event_ids(request: Request) -> list[str]:
        if request.headers.get("content-type") == "application/json" and isinstance(request.json, dict):
            event_id = request.json.get("event_id")
            return [str(event_id)] if event_id else []
        # Interactive (button) payloads carry no event id: the signature identifies the request.
        return [request.headers.get("X-Slack-Signature", "")] if request.headers.get("X-Slack-Signature") else []
