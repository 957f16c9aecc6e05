"""Telegram: Rasa's Telegram connector with the secret-token check and fitted replies.

- setWebhook is called with a secret token; every update must carry it in
  X-Telegram-Bot-Api-Secret-Token (Rasa 3.6 does not check it).
- A replayed update_id is ignored.
- If Telegram cannot be reached at start-up, the server starts anyway (the
  other channels keep working) and setWebhook is retried in the background
  until it succeeds, with a log line for each failure.
- Replies use Telegram's HTML formatting, are split at sentence boundaries
  under 4,096 characters, and buttons become an inline keyboard.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint
from sanic.request import Request

from channels.messaging.formatting import STYLES, reply_parts
from channels.messaging.refusals import raised_as_refusals
from channels.messaging.signatures import telegram_secret_valid
from channels.messaging.webhook_guard import GuardedConnector, guard_webhook
from channels.replies_guard import always_reply

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_DELAYS_S = (5, 15, 60, 300)  # then every 5 minutes


class PacewiseTelegramOutput(TelegramOutput):
    def __init__(self, access_token: str, api_url: str | None = None) -> None:
        # TelegramOutput.__init__ only passes the token; the server (a local stand-in in tests) is aiogram's.
        server = TelegramAPIServer.from_base(api_url.rstrip("/")) if api_url else None
        super(TelegramOutput, self).__init__(access_token, **({"server": server} if server else {}))

    @raised_as_refusals("Telegram")
    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        for part in reply_parts(STYLES["telegram"], message):
            if part.image_url:
                await self.send_photo(recipient_id, part.image_url)
            elif part.text:
                markup = None
                if part.choices:
                    markup = InlineKeyboardMarkup()
                    for choice in part.choices:  # one per row: topic titles are long
                        markup.row(InlineKeyboardButton(choice.title, callback_data=choice.payload[:64]))
                await self.send_message(recipient_id, part.text, parse_mode="HTML", reply_markup=markup, disable_web_page_preview=True)

    async def register_webhook(self, url: str, secret_token: str) -> bool:
        """setWebhook with a secret token (aiogram 2.15 predates the parameter).

        Runs in its own short event loop at start-up, so the HTTP session is
        closed afterwards; the server's loop opens a fresh one when needed.
        """
        try:
            return bool(await self.request("setWebhook", {"url": url, "secret_token": secret_token}))
        finally:
            await self.session.close()


class PacewiseTelegramInput(GuardedConnector, TelegramInput):
    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> PacewiseTelegramInput:
        channel = super().from_credentials(credentials)
        channel.secret_token = (credentials or {}).get("secret_token") or ""
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.secret_token = ""
        self.webhook_registered = threading.Event()
        self._retrying = False

    def get_output_channel(self) -> PacewiseTelegramOutput:
        if not self.webhook_registered.is_set() and not self._retrying and not self._register_webhook():
            self._retrying = True
            threading.Thread(target=self._retry_registration, name="telegram-setwebhook", daemon=True).start()
        return PacewiseTelegramOutput(self.access_token, self.api_url)

    def _register_webhook(self) -> bool:
        try:
            registered = asyncio.run(PacewiseTelegramOutput(self.access_token, self.api_url).register_webhook(self.webhook_url, self.secret_token))
        except Exception as error:  # network down, Telegram refusing: never fatal
            logger.error("Could not set the Telegram webhook (%s); Telegram messages will not arrive until it is set.", error)
            return False
        if registered:
            self.webhook_registered.set()
            logger.info("Telegram webhook set")
        return registered

    def _retry_registration(self) -> None:
        for attempt in itertools.count():
            time.sleep(RETRY_DELAYS_S[min(attempt, len(RETRY_DELAYS_S) - 1)])
            if self._register_webhook():
                return

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(always_reply(on_new_message))
        return guard_webhook(blueprint, self.name(), self._authentic, self._update_id, self.replays)

    def _authentic(self, request: Request) -> bool:
        return telegram_secret_valid(self.secret_token, request.headers.get(SECRET_HEADER))

    @staticmethod
    def _update_id(request: Request) -> list[str]:
        body = request.json if not isinstance(request.json, str) else json.loads(request.json)
        return [str(body.get("update_id", ""))] if isinstance(body, dict) and "update_id" in body else []
