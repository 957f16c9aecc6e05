"""A provider's refusal of a check-in is an error the scheduler sees, not a line in a log.

A check-in goes out through Rasa's `trigger_intent`: the output channel hands
the message to Telegram, Slack, Messenger or Twilio there and then. Rasa's
Twilio channel logs a refusal and returns; Messenger's client returns the
error as data; so trigger_intent answered 200 and the scheduler recorded a
check-in as sent that no one received. On that path (and only there: a
patient's own conversation must never fail because one reply could not be
delivered) each Pacewise output channel raises `DeliveryRefused`, Rasa answers
500 with its text, and the scheduler records "not_sent" with the provider's
reason (pacewise/checkins/rasa_api.py reads it back).

The reason carries the provider's error code or name only: no phone number,
no message text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from sanic import Sanic
from sanic.request import Request

from pacewise.checkins.rasa_api import REFUSAL_PREFIX

_check_in_request: ContextVar[bool] = ContextVar("pacewise_check_in_request", default=False)


class DeliveryRefused(RuntimeError):
    """The provider did not take a check-in message; str() is what the scheduler records."""

    def __init__(self, provider: str, detail: str) -> None:
        super().__init__(f"{REFUSAL_PREFIX}{provider} did not take it ({detail})")


def refusals_are_errors() -> bool:
    """Whether this request is a check-in started through Rasa's API (trigger_intent)."""
    return _check_in_request.get()


Send = TypeVar("Send", bound=Callable[..., Awaitable[Any]])


def raised_as_refusals(provider: str, detail: Callable[[Exception], str] = lambda error: type(error).__name__) -> Callable[[Send], Send]:
    """For an output channel's send_response: on the check-in path, any failure becomes DeliveryRefused
    (`detail` names it without personal data); elsewhere the method is unchanged."""

    def decorate(send: Send) -> Send:
        @wraps(send)
        async def checked(*args: Any, **kwargs: Any) -> Any:
            if not refusals_are_errors():
                return await send(*args, **kwargs)
            try:
                return await send(*args, **kwargs)
            except DeliveryRefused:
                raise
            except Exception as error:
                raise DeliveryRefused(provider, detail(error)) from error

        return checked  # type: ignore[return-value]

    return decorate


def install(app: Sanic) -> None:
    """Mark trigger_intent requests (once per app, whichever messaging connector asks first);
    the mark lives as long as the request's own context."""
    if getattr(app.ctx, "pacewise_check_in_refusals", False):
        return
    app.ctx.pacewise_check_in_refusals = True

    async def mark_check_ins(request: Request) -> None:
        if request.path.endswith("/trigger_intent"):
            _check_in_request.set(True)

    app.register_middleware(mark_check_ins, "request")
