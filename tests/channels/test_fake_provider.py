"""The fake provider answers the real SDKs (as Rasa's connectors use them) and records what they sent."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from fbmessenger import MessengerClient
from fbmessenger.elements import Text
from fbmessenger.quick_replies import QuickReplies, QuickReply
from slack_sdk.web.async_client import AsyncWebClient
from twilio.rest import Client

from tests.channels.fake_provider import FakeProvider

TELEGRAM_TOKEN = "123456:TEST-token"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeProvider]:
    fake = FakeProvider(tmp_path_factory.mktemp("fake-provider") / "calls.jsonl").start()
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def fresh(provider: FakeProvider) -> None:
    provider.reset()


def test_telegram_via_aiogram(provider: FakeProvider):
    async def talk() -> tuple:
        bot = Bot(TELEGRAM_TOKEN, server=TelegramAPIServer.from_base(provider.url))
        try:
            me = await bot.get_me()
            webhook_set = await bot.set_webhook("https://example.org/webhooks/telegram/webhook")
            webhook_deleted = await bot.delete_webhook()
            text = await bot.send_message("987654", "Hello from Pacewise")
            keyboard = InlineKeyboardMarkup().add(
                InlineKeyboardButton("Yes", callback_data="/affirm"),
                InlineKeyboardButton("No", callback_data="/deny"),
            )
            buttons = await bot.send_message(987654, "Shall we start?", reply_markup=keyboard, parse_mode="HTML")
            photo = await bot.send_photo("987654", "https://example.org/stretch.png", caption="Try this")
            upload = await bot.send_photo("987654", InputFile(io.BytesIO(b"\x89PNG fake"), filename="pain.png"))
            answered = await bot.answer_callback_query("cq-1", text="Thanks")
        finally:
            await bot.session.close()
        return me, webhook_set, webhook_deleted, text, buttons, photo, upload, answered

    me, webhook_set, webhook_deleted, text, buttons, photo, upload, answered = asyncio.run(talk())

    assert (me.id, me.is_bot, me.username) == (1, True, "pacewise_bot")
    assert webhook_set is True
    assert webhook_deleted is True
    assert (text.chat.id, text.text) == (987654, "Hello from Pacewise")
    assert buttons.text == "Shall we start?"
    assert buttons.message_id > text.message_id
    assert photo.caption == "Try this"
    assert photo.photo
    assert upload.chat.id == 987654
    assert answered is True

    calls = provider.wait_for_calls(8, "telegram")
    assert [call["method"] for call in calls] == [
        "getMe",
        "setWebhook",
        "deleteWebhook",
        "sendMessage",
        "sendMessage",
        "sendPhoto",
        "sendPhoto",
        "answerCallbackQuery",
    ]
    assert all(call["path"].startswith(f"/bot{TELEGRAM_TOKEN}/") for call in calls)
    assert calls[1]["data"]["url"] == "https://example.org/webhooks/telegram/webhook"
    assert calls[3]["data"] == {"chat_id": "987654", "text": "Hello from Pacewise"}
    assert calls[4]["data"]["chat_id"] == "987654"
    assert calls[4]["data"]["text"] == "Shall we start?"
    assert calls[4]["data"]["parse_mode"] == "HTML"
    assert calls[4]["data"]["reply_markup"] == {"inline_keyboard": [[{"text": "Yes", "callback_data": "/affirm"}, {"text": "No", "callback_data": "/deny"}]]}
    assert calls[5]["data"]["photo"] == "https://example.org/stretch.png"
    assert calls[5]["data"]["caption"] == "Try this"
    assert calls[6]["data"]["photo"]["filename"] == "pain.png"
    assert calls[6]["data"]["photo"]["size"] == len(b"\x89PNG fake")
    assert calls[7]["data"]["callback_query_id"] == "cq-1"
    assert all(isinstance(call["time"], float) for call in calls)


def test_slack_via_slack_sdk(provider: FakeProvider):
    blocks = [
        {"type": "section", "text": {"type": "plain_text", "text": "How is your pain today?"}},
        {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Better"}, "value": "/better"}]},
    ]

    async def talk() -> tuple:
        client = AsyncWebClient("xoxb-test", base_url=provider.url + "/api/")
        text = await client.chat_postMessage(channel="D123", text="Hello from Pacewise")
        buttons = await client.chat_postMessage(channel="D123", text="How is your pain today?", blocks=blocks)
        # Form-encoded, with blocks as a JSON string, as some callers send it.
        form = await client.api_call("chat.postMessage", data={"channel": "C456", "text": "form", "blocks": '[{"type": "divider"}]'})
        return text, buttons, form

    text, buttons, form = asyncio.run(talk())

    assert text["ok"] is True
    assert (text["channel"], text["ts"]) == ("D123", "1700000000.000100")
    assert buttons["ok"] is True
    assert form["channel"] == "C456"

    calls = provider.wait_for_calls(3, "slack")
    assert [(call["method"], call["path"]) for call in calls] == [("chat.postMessage", "/api/chat.postMessage")] * 3
    assert calls[0]["data"] == {"channel": "D123", "text": "Hello from Pacewise"}
    assert calls[1]["data"]["blocks"] == blocks
    assert calls[2]["data"] == {"channel": "C456", "text": "form", "blocks": [{"type": "divider"}]}


def test_facebook_via_fbmessenger(provider: FakeProvider):
    client = MessengerClient("page-token")
    client.graph_url = provider.url + "/v2.12"

    text = client.send(Text(text="Hello from Pacewise").to_dict(), "5551234", "RESPONSE")
    replies = QuickReplies([QuickReply(title="Yes", payload="/affirm"), QuickReply(title="No", payload="/deny")])
    quick = client.send(Text(text="Shall we start?", quick_replies=replies).to_dict(), "5551234", "RESPONSE")
    action = client.send_action("typing_on", "5551234")
    me = client.session.get(f"{client.graph_url}/me", params=client.auth_args, timeout=10).json()

    assert text["recipient_id"] == "5551234"
    assert text["message_id"].startswith("m_")
    assert quick["message_id"] != text["message_id"]
    assert action["recipient_id"] == "5551234"
    assert me == {"id": "1", "name": "Pacewise"}

    calls = provider.wait_for_calls(4, "facebook")
    assert [call["method"] for call in calls] == ["me/messages", "me/messages", "me/messages", "me"]
    assert calls[0]["path"] == "/v2.12/me/messages"
    assert calls[0]["query"] == {"access_token": "page-token"}
    assert calls[0]["data"]["recipient"] == {"id": "5551234"}
    assert calls[0]["data"]["message"] == {"text": "Hello from Pacewise"}
    assert calls[0]["data"]["messaging_type"] == "RESPONSE"
    assert calls[1]["data"]["message"]["quick_replies"] == [
        {"content_type": "text", "title": "Yes", "payload": "/affirm"},
        {"content_type": "text", "title": "No", "payload": "/deny"},
    ]
    assert calls[2]["data"] == {"recipient": {"id": "5551234"}, "sender_action": "typing_on"}


def test_twilio_via_twilio_rest_client(provider: FakeProvider):
    account_sid = "AC" + "0" * 32
    client = Client(account_sid, "auth-token")
    client.api.base_url = provider.url

    message = client.messages.create(to="+447700900123", from_="+441234567890", body="hi")
    media = client.messages.create(
        to="+447700900123",
        from_="+441234567890",
        body="Try this stretch",
        media_url=["https://example.org/a.png", "https://example.org/b.png"],
    )

    assert message.sid.startswith("SM")
    assert message.sid != media.sid
    assert (message.to, message.from_, message.body, message.status) == ("+447700900123", "+441234567890", "hi", "queued")
    assert message.account_sid == account_sid
    assert message.date_created.year >= 2024

    calls = provider.wait_for_calls(2, "twilio")
    assert [call["method"] for call in calls] == ["Messages.json", "Messages.json"]
    assert calls[0]["path"] == f"/2010-04-01/Accounts/{account_sid}/Messages.json"
    assert calls[0]["data"] == {"To": "+447700900123", "From": "+441234567890", "Body": "hi"}
    assert calls[1]["data"]["MediaUrl"] == ["https://example.org/a.png", "https://example.org/b.png"]


def test_recorded_reset_and_filtering(provider: FakeProvider):
    requests.post(f"{provider.url}/api/chat.postMessage", json={"channel": "D1", "text": "one"}, timeout=10)
    requests.post(f"{provider.url}/bot{TELEGRAM_TOKEN}/sendMessage", data={"chat_id": "1", "text": "two"}, timeout=10)
    missing = requests.get(f"{provider.url}/nowhere", timeout=10)

    assert missing.status_code == 404
    recorded = requests.get(f"{provider.url}/_recorded", timeout=10).json()
    assert [call["provider"] for call in recorded] == ["slack", "telegram", "unknown"]
    assert recorded == provider.calls()
    assert [call["data"]["text"] for call in provider.calls("telegram")] == ["two"]

    requests.post(f"{provider.url}/_reset", timeout=10).raise_for_status()
    assert requests.get(f"{provider.url}/_recorded", timeout=10).json() == []
    assert provider.calls() == []
    assert Path(provider.record_file).read_text() == ""
    with pytest.raises(TimeoutError):
        provider.wait_for_calls(1, "twilio", timeout=0.3)


def test_stop_ends_the_process(tmp_path: Path):
    fake = FakeProvider(tmp_path / "calls.jsonl").start()
    process = fake.process
    assert requests.get(f"{fake.url}/_recorded", timeout=10).json() == []
    fake.stop()
    assert process is not None and process.poll() is not None
    with pytest.raises(requests.RequestException):
        requests.get(f"{fake.url}/_recorded", timeout=2)


def test_rasas_output_channels_reach_the_fake(provider: FakeProvider):
    """The same pointing works on the output channels of Rasa's connectors, as the end-to-end tests need."""
    from rasa.core.channels.facebook import MessengerBot
    from rasa.core.channels.slack import SlackBot
    from rasa.core.channels.telegram import TelegramOutput
    from rasa.core.channels.twilio import TwilioOutput

    buttons = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]

    telegram = TelegramOutput(TELEGRAM_TOKEN)
    telegram.server = TelegramAPIServer.from_base(provider.url)
    slack = SlackBot("xoxb-test")
    slack.client.base_url = provider.url + "/api/"
    messenger = MessengerClient("page-token")
    messenger.graph_url = provider.url + "/v2.12"
    facebook = MessengerBot(messenger)
    twilio = TwilioOutput("AC" + "1" * 32, "auth-token", "+441234567890")
    twilio.api.base_url = provider.url

    async def talk() -> None:
        try:
            await telegram.send_text_with_buttons("42", "Shall we start?", buttons)
        finally:
            await telegram.session.close()
        await slack.send_text_with_buttons("D123", "Shall we start?", buttons)
        await facebook.send_text_with_buttons("5551234", "Shall we start?", buttons)
        await twilio.send_text_with_buttons("+447700900123", "Shall we start?", buttons)

    asyncio.run(talk())

    (telegram_call,) = provider.wait_for_calls(1, "telegram")
    assert telegram_call["method"] == "sendMessage"
    assert telegram_call["data"]["reply_markup"]["inline_keyboard"][0][0] == {"text": "Yes", "callback_data": "/affirm"}
    (slack_call,) = provider.wait_for_calls(1, "slack")
    assert slack_call["data"]["channel"] == "D123"
    assert slack_call["data"]["blocks"][1]["elements"][0]["value"] == "/affirm"
    (facebook_call,) = provider.wait_for_calls(1, "facebook")
    assert facebook_call["data"]["message"]["attachment"]["payload"]["buttons"][0]["payload"] == "/affirm"
    twilio_calls = provider.wait_for_calls(1, "twilio")
    assert twilio_calls[0]["data"]["To"] == "+447700900123"
    assert "Shall we start?" in " ".join(call["data"]["Body"] for call in twilio_calls)
