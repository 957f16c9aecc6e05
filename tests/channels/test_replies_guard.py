"""A patient always gets a reply, even when something fails inside Rasa."""

from __future__ import annotations

import asyncio

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from channels.replies_guard import SORRY_TEXT, always_reply


def handle(on_new_message) -> list[dict]:
    output = CollectingOutputChannel()
    asyncio.run(always_reply(on_new_message)(UserMessage("hello", output, "patient-1")))
    return output.messages


def test_normal_replies_pass_through_unchanged():
    async def answer(message):
        await message.output_channel.send_text_message(message.sender_id, "Hi there")

    assert [m["text"] for m in handle(answer)] == ["Hi there"]


def test_silence_becomes_an_apology():
    async def silent(message):
        return None

    assert [m["text"] for m in handle(silent)] == [SORRY_TEXT]


def test_an_exception_becomes_an_apology_not_a_500():
    async def broken(message):
        raise RuntimeError("action server unreachable")

    assert [m["text"] for m in handle(broken)] == [SORRY_TEXT]
