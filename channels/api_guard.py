"""Guards for the whole Rasa server (not one channel), installed as a "channel".

Rasa has no hook for server-wide middleware, but every channel's blueprint may
add listeners, and a listener receives the app. Listed in credentials.yml, this
"channel" receives no messages; at start-up it:

- accepts the HTTP API token as a bearer header too: Rasa's `--auth-token`
  only reads `?token=`, and tokens in URLs end up in logs and histories;
- caps the size of a request body (413 with a plain message above it), so a
  megabyte "message" cannot hold the server;
- refuses to start in production while a setting is unsafe (pacewise/production.py).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from pacewise import production

API_TOKEN_ENV = "PACEWISE_API_TOKEN"
MAX_REQUEST_BYTES = 200_000  # about 30,000 words: far beyond any message a patient writes
TOO_LARGE = "This request is too large. Please send a shorter message."


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def same_secret(expected: str, provided: str | None) -> bool:
    return provided is not None and hmac.compare_digest(expected.encode("utf-8"), provided.encode("utf-8"))


def install(app: Sanic, api_token: str | None) -> None:
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES

    async def token_from_bearer_header(request: Request) -> HTTPResponse | None:
        if api_token and "token" not in request.args and same_secret(api_token, bearer_token(request)):
            request.args["token"] = [api_token]  # what Rasa's requires_auth reads
        return None

    async def refuse_oversized(request: Request) -> HTTPResponse | None:
        length = request.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > MAX_REQUEST_BYTES:
            return response.text(TOO_LARGE, status=413)
        return None

    app.register_middleware(refuse_oversized, "request")
    app.register_middleware(token_from_bearer_header, "request")


class ApiGuardInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "api_guard"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("pacewise_api_guard", __name__)

        @blueprint.listener("before_server_start")
        async def guard(app: Sanic, _loop: Any) -> None:
            unsafe = production.problems(os.environ)
            if unsafe:
                raise RuntimeError("Pacewise will not start in production while these are unsafe: " + " ".join(unsafe))
            install(app, os.environ.get(API_TOKEN_ENV) or None)

        return blueprint
