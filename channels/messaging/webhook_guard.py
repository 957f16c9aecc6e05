"""What every messaging connector does before Rasa sees a webhook request.

Authenticate (403 and a log line if forged), drop replays (200 so the provider
stops retrying, a log line, nothing processed), and answer every patient
message even if something fails inside (channels/replies_guard.py). On the
check-in path a provider's refusal becomes an error the scheduler records
(channels/messaging/refusals.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.messaging import refusals
from channels.messaging.replay import ReplayGuard

logger = logging.getLogger(__name__)

Authenticate = Callable[[Request], bool]
ReplayKeys = Callable[[Request], list[str]]


def guard_webhook(blueprint: Blueprint, channel: str, authenticate: Authenticate, replay_keys: ReplayKeys, replays: ReplayGuard) -> Blueprint:
    """Add the checks to a connector's blueprint (POSTs to its own /webhook route).

    Sanic runs a blueprint's middleware for every route with the same name, and
    connectors built on one Rasa class (Twilio SMS and WhatsApp) share route
    names: the check therefore looks at the path, so each guard checks only
    its own channel's requests.
    """

    own_path = f"/{channel}/webhook"

    @blueprint.listener("before_server_start")
    async def report_check_in_refusals(app: Sanic, _loop: Any) -> None:
        refusals.install(app)

    @blueprint.middleware("request")
    async def check(request: Request) -> HTTPResponse | None:
        if request.method != "POST" or not request.path.rstrip("/").endswith(own_path):
            return None
        try:
            authentic = authenticate(request)
        except Exception:
            logger.exception("Checking a %s webhook signature failed", channel)
            authentic = False
        if not authentic:
            logger.warning("Rejected a %s webhook request from %s: missing or wrong signature", channel, request.ip)
            return response.text("forbidden", status=403)
        keys = [key for key in replay_keys(request) if key]
        if keys and not all([await asyncio.to_thread(replays.first_time, key) for key in keys]):
            logger.warning("Ignored a replayed %s webhook request from %s", channel, request.ip)
            return response.text("duplicate ignored", status=200)
        return None

    return blueprint


def renamed(blueprint: Blueprint, name: str) -> Blueprint:
    """Two connectors built on one Rasa class (Twilio SMS and WhatsApp) need distinct blueprint names."""
    blueprint.name = name
    return blueprint


class GuardedConnector:
    """Mixin for a Rasa connector: its replay memory, and the optional `api_url`
    credential that points its outgoing API at a local stand-in (tests)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url: str | None = None
        self.replays = ReplayGuard(self.name())  # type: ignore[attr-defined]

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> Any:
        channel = super().from_credentials(credentials)  # type: ignore[misc]
        channel.api_url = (credentials or {}).get("api_url")
        return channel
