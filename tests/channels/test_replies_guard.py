"""A patient always gets a reply, even when something fails inside Rasa."""

from __future__ import annotations

import asyncio
import shutil

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from channels.replies_guard import always_reply, sorry_text


def handle(on_new_message) -> list[dict]:
    output = CollectingOutputChannel()
    asyncio.run(always_reply(on_new_message)(UserMessage("hello", output, "patient-1")))
    return output.messages


def test_normal_replies_pass_through_unchanged():
    async def answer(message):
        await message.output_channel.send_response(message.sender_id, {"text": "Hi there"})

    assert [m["text"] for m in handle(answer)] == ["Hi there"]


def test_silence_becomes_an_apology():
    async def silent(message):
        return None

    assert [m["text"] for m in handle(silent)] == [sorry_text()]


def test_an_exception_becomes_an_apology_not_a_500():
    async def broken(message):
        raise RuntimeError("action server unreachable")

    assert [m["text"] for m in handle(broken)] == [sorry_text()]


def test_the_apology_gives_the_emergency_number(content_copy):
    assert "call 999" in sorry_text()
    assert "{" not in sorry_text()


def test_the_apology_follows_the_deployment_settings(content_copy):
    shutil.copy(content_copy / "settings" / "examples" / "deployment-us.yml", content_copy / "settings" / "deployment.yml")
    assert "call 911" in sorry_text()
