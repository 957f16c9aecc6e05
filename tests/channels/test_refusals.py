"""A provider's refusal is an error on the check-in path only; a patient's own conversation never fails on it."""

from __future__ import annotations

import asyncio
import contextvars

import pytest

from channels.messaging import refusals
from channels.messaging.refusals import DeliveryRefused, raised_as_refusals


class BlockedBot:
    @raised_as_refusals("Telegram")
    async def send_response(self, recipient_id: str, message: dict) -> None:
        raise PermissionError("Forbidden: bot was blocked by the user")


def _on_the_check_in_path(coroutine_factory):
    """Run as trigger_intent does: the request's context carries the mark."""

    async def marked():
        refusals._check_in_request.set(True)
        return await coroutine_factory()

    return asyncio.run(marked())


def test_on_the_check_in_path_a_failure_is_a_refusal_naming_only_the_provider_and_the_error_kind():
    with pytest.raises(DeliveryRefused) as refused:
        _on_the_check_in_path(lambda: BlockedBot().send_response("770001", {"text": "Hi"}))
    assert str(refused.value) == "Check-in not delivered: Telegram did not take it (PermissionError)"
    assert "770001" not in str(refused.value) and "Hi" not in str(refused.value)


def test_elsewhere_the_channel_behaves_as_before():
    with pytest.raises(PermissionError):
        asyncio.run(BlockedBot().send_response("770001", {"text": "Hi"}))


def test_the_mark_never_leaks_into_another_request():
    context = contextvars.copy_context()
    context.run(refusals._check_in_request.set, True)
    assert context.run(refusals.refusals_are_errors) is True
    assert refusals.refusals_are_errors() is False
