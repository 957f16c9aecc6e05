"""Telegram, Slack, Facebook Messenger and Twilio (SMS, WhatsApp) end to end, with no internet.

The real Rasa server and action server run with every messaging channel
switched on from environment variables (pacewise/cli/channel_credentials.py); each
connector's outgoing API points at a fake provider on loopback
(tests/channels/fake_provider.py). Real-format webhook payloads are posted
correctly signed, forged and replayed, and the test reads what the "provider"
was asked to deliver.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator

import pytest
import requests
from twilio.request_validator import RequestValidator

from channels.messaging.formatting import sms_segments
from pacewise.cli.channel_credentials import write_credentials
from scripts.bot_servers import BotServers
from tests.channels.fake_provider import FakeProvider

pytestmark = pytest.mark.e2e

SECRETS = {
    "TELEGRAM_TOKEN": "123456:test-token",
    "TELEGRAM_BOT_USERNAME": "pacewise_bot",
    "TELEGRAM_SECRET_TOKEN": "telegram-secret-token",
    "SLACK_TOKEN": "xoxb-test",
    "SLACK_SIGNING_SECRET": "slack-signing-secret",
    "FACEBOOK_VERIFY_TOKEN": "fb-verify",
    "FACEBOOK_APP_SECRET": "fb-app-secret",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "fb-page-token",
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
    "TWILIO_AUTH_TOKEN": "twilio-auth-token",
    "TWILIO_SMS_NUMBER": "+441234567890",
    "TWILIO_WHATSAPP_NUMBER": "whatsapp:+14155238886",
}


class Channels:
    def __init__(self, bot: BotServers, provider: FakeProvider) -> None:
        self.bot, self.provider = bot, provider

    def url(self, channel: str) -> str:
        return f"{self.bot.url}/webhooks/{channel}/webhook"

    def new_calls(self, before: int, provider: str, at_least: int = 1, settle: float = 1.5) -> list[dict]:
        self.provider.wait_for_calls(before + at_least, provider, timeout=60)
        time.sleep(settle)  # the rest of a multi-part reply
        return self.provider.calls(provider)[before:]

    # -- real-format requests ------------------------------------------------

    def twilio(self, channel: str, sender: str, body: str, sid: str, *, token: str = SECRETS["TWILIO_AUTH_TOKEN"]) -> requests.Response:
        to = SECRETS["TWILIO_SMS_NUMBER"] if channel == "twilio" else SECRETS["TWILIO_WHATSAPP_NUMBER"]
        form = {"MessageSid": sid, "AccountSid": SECRETS["TWILIO_ACCOUNT_SID"], "From": sender, "To": to, "Body": body, "NumMedia": "0"}
        signature = RequestValidator(token).compute_signature(self.url(channel), form)
        return requests.post(self.url(channel), data=form, headers={"X-Twilio-Signature": signature}, timeout=60)

    def telegram(self, update_id: int, chat_id: int, text: str, *, secret: str = SECRETS["TELEGRAM_SECRET_TOKEN"]) -> requests.Response:
        update = {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Pat"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "Pat"},
                "text": text,
            },
        }
        return requests.post(self.url("telegram"), json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}, timeout=60)

    def slack(self, event_id: str, user: str, text: str, *, secret: str = SECRETS["SLACK_SIGNING_SECRET"], timestamp: int | None = None) -> requests.Response:
        body = json.dumps(
            {
                "token": "x",
                "team_id": "T1",
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": event_id,
                "event_time": int(time.time()),
                "event": {"type": "message", "channel_type": "im", "channel": "D1", "user": user, "text": text, "ts": f"{time.time():.6f}"},
            }
        )
        stamp = str(timestamp or int(time.time()))
        signature = "v0=" + hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}
        return requests.post(self.url("slack"), data=body, headers=headers, timeout=60)

    def facebook(self, mid: str, sender: str, text: str, *, secret: str = SECRETS["FACEBOOK_APP_SECRET"]) -> requests.Response:
        now = int(time.time() * 1000)
        body = json.dumps(
            {
                "object": "page",
                "entry": [
                    {
                        "id": "PAGE1",
                        "time": now,
                        "messaging": [{"sender": {"id": sender}, "recipient": {"id": "PAGE1"}, "timestamp": now, "message": {"mid": mid, "text": text}}],
                    }
                ],
            }
        ).encode()
        signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature}
        return requests.post(self.url("facebook"), data=body, headers=headers, timeout=60)


@pytest.fixture(scope="module")
def channels(tmp_path_factory) -> Iterator[Channels]:
    workdir = tmp_path_factory.mktemp("messaging")
    provider = FakeProvider(workdir / "provider.jsonl").start()
    env = {
        **SECRETS,
        "PACEWISE_TELEGRAM_API_URL": provider.url,
        "PACEWISE_SLACK_API_URL": provider.url,
        "PACEWISE_FACEBOOK_API_URL": provider.url,
        "PACEWISE_TWILIO_API_URL": provider.url,
    }
    bot = BotServers(workdir, credentials=workdir / "credentials.yml")
    # The webhook URLs Telegram and Twilio are told about are this test server's; SMS and
    # WhatsApp are both on, each with its own URL (their guards once refused each other's requests).
    env["TELEGRAM_WEBHOOK_URL"] = f"http://127.0.0.1:{bot.rasa_port}/webhooks/telegram/webhook"
    env["TWILIO_SMS_WEBHOOK_URL"] = f"http://127.0.0.1:{bot.rasa_port}/webhooks/twilio/webhook"
    env["TWILIO_WHATSAPP_WEBHOOK_URL"] = f"http://127.0.0.1:{bot.rasa_port}/webhooks/twilio_whatsapp/webhook"
    write_credentials(bot.credentials, env)
    bot.extra_env = env
    try:
        yield Channels(bot.start(), provider)
    finally:
        bot.stop()
        provider.stop()


def texts(calls: list[dict], field: str) -> str:
    return "\n".join(str(call["data"].get(field, "")) for call in calls)


# -- Twilio SMS ------------------------------------------------------------------


def test_sms_buttons_become_numbered_choices_and_a_number_picks_one(channels):
    patient = "+447700900101"
    before = len(channels.provider.calls("twilio"))
    assert channels.twilio("twilio", patient, "hello", "SM-a1").status_code == 204

    sent = channels.new_calls(before, "twilio", at_least=2)
    assert {call["data"]["To"] for call in sent} == {patient}
    assert {call["data"]["From"] for call in sent} == {SECRETS["TWILIO_SMS_NUMBER"]}
    body = texts(sent, "Body")
    assert "cannot diagnose" in body
    assert "Reply with a number:" in body and "\n1. " in body and "\n2. " in body
    assert "**" not in body and "/ask_" not in body
    second = body.split("\n2. ")[1].splitlines()[0]

    before = len(channels.provider.calls("twilio"))
    assert channels.twilio("twilio", patient, "2", "SM-a2").status_code == 204
    answer = texts(channels.new_calls(before, "twilio"), "Body")
    assert second in answer
    assert channels.bot.slot(patient, "topic") is not None


def test_a_pain_score_by_sms_is_a_score_not_an_old_menu_choice(channels):
    patient = "+447700900105"
    channels.twilio("twilio", patient, "hello", "SM-p1")  # the topic menu, as numbered choices
    channels.new_calls(0, "twilio")
    before = len(channels.provider.calls("twilio"))
    channels.twilio("twilio", patient, "I'd like to log my pain", "SM-p2")
    assert "from 0 to 10" in texts(channels.new_calls(before, "twilio"), "Body")

    before = len(channels.provider.calls("twilio"))
    channels.twilio("twilio", patient, "7", "SM-p3")
    reply = texts(channels.new_calls(before, "twilio"), "Body")
    # Logged in the reply that acknowledges it; the extras question is optional.
    assert "logged your pain as 7 out of 10" in reply and "1. Skip" in reply
    assert channels.bot.slot(patient, "pain_score") == 7
    before = len(channels.provider.calls("twilio"))
    channels.twilio("twilio", patient, "1", "SM-p4")

    assert "your 7 out of 10 is logged" in texts(channels.new_calls(before, "twilio"), "Body")
    assert channels.bot.slot(patient, "pain_score") == 7


def test_a_long_sms_reply_is_split_into_messages_that_fit(channels):
    patient = "+447700900102"
    channels.twilio("twilio", patient, "I always overdo it on good days and then crash", "SM-b1")
    channels.new_calls(0, "twilio")
    before = len(channels.provider.calls("twilio"))
    channels.twilio("twilio", patient, "tell me more", "SM-b2")

    parts = [call["data"]["Body"] for call in channels.new_calls(before, "twilio", at_least=3, settle=3)]
    assert len(parts) >= 3
    assert all(sms_segments(part) <= 3 for part in parts)
    assert all(part.rstrip()[-1] in ".?!:)" or part.rstrip()[-1].isalnum() for part in parts)
    assert "doi.org" in "\n".join(parts)


def test_a_forged_sms_is_refused_and_not_processed(channels):
    patient = "+447700900103"
    before = len(channels.provider.calls())

    forged = channels.twilio("twilio", patient, "hello", "SM-c1", token="not-the-auth-token")
    unsigned = requests.post(channels.url("twilio"), data={"From": patient, "Body": "hello", "MessageSid": "SM-c2"}, timeout=30)

    assert forged.status_code == 403 and unsigned.status_code == 403
    time.sleep(2)
    assert len(channels.provider.calls()) == before
    assert not [e for e in channels.bot.tracker(patient)["events"] if e["event"] == "user"]


# -- Twilio WhatsApp -------------------------------------------------------------


def test_whatsapp_gets_whatsapp_formatting_and_numbered_choices(channels):
    patient = "whatsapp:+447700900105"
    before = len(channels.provider.calls("twilio"))
    assert channels.twilio("twilio_whatsapp", patient, "what can you help with?", "SM-e1").status_code == 204

    sent = channels.new_calls(before, "twilio", at_least=2)
    assert {call["data"]["From"] for call in sent} == {SECRETS["TWILIO_WHATSAPP_NUMBER"]}
    body = texts(sent, "Body")
    assert "Reply with a number:" in body
    assert all(len(call["data"]["Body"]) <= 1600 for call in sent)


# -- Telegram --------------------------------------------------------------------


def test_telegram_webhook_was_registered_with_a_secret_token(channels):
    registrations = [call for call in channels.provider.calls("telegram") if call["method"] == "setWebhook"]
    assert registrations and registrations[-1]["data"]["secret_token"] == SECRETS["TELEGRAM_SECRET_TOKEN"]


def test_telegram_gets_html_and_an_inline_keyboard(channels):
    before = len(channels.provider.calls("telegram"))
    assert channels.telegram(5001, 987001, "why does my back still hurt when my scan was clear?").status_code == 200

    sent = [call for call in channels.new_calls(before, "telegram", at_least=2) if call["method"] == "sendMessage"]
    assert all(call["data"]["parse_mode"] == "HTML" for call in sent)
    assert all(len(call["data"]["text"]) <= 4096 for call in sent)
    assert "<b>" in texts(sent, "text") and "**" not in texts(sent, "text")
    keyboards = [call["data"]["reply_markup"] for call in sent if call["data"].get("reply_markup")]
    assert keyboards and keyboards[-1]["inline_keyboard"][0][0]["callback_data"] == "/tell_me_more"


def test_telegram_without_the_secret_token_is_refused(channels):
    before = len(channels.provider.calls())
    assert channels.telegram(5002, 987002, "hello", secret="wrong").status_code == 403
    assert requests.post(channels.url("telegram"), json={"update_id": 5003}, timeout=30).status_code == 403
    time.sleep(2)
    assert len(channels.provider.calls()) == before


# -- Slack -------------------------------------------------------------------------


def test_slack_gets_mrkdwn_and_buttons(channels):
    before = len(channels.provider.calls("slack"))
    assert channels.slack("Ev1", "U1001", "I always overdo it on good days then crash").status_code == 200

    sent = channels.new_calls(before, "slack", at_least=2)
    text = texts(sent, "text") + json.dumps([call["data"].get("blocks") for call in sent])
    assert "**" not in text and "*" in text
    assert "/tell_me_more" in text


def test_slack_with_a_wrong_or_old_signature_is_refused(channels):
    before = len(channels.provider.calls())
    assert channels.slack("Ev2", "U1002", "hello", secret="wrong").status_code == 403
    assert channels.slack("Ev3", "U1002", "hello", timestamp=int(time.time()) - 3600).status_code == 403
    time.sleep(2)
    assert len(channels.provider.calls()) == before


# -- Facebook Messenger ------------------------------------------------------------


def test_messenger_gets_plain_text_and_quick_replies(channels):
    before = len(channels.provider.calls("facebook"))
    assert channels.facebook("mid.1", "PSID1001", "why does my back still hurt when my scan was clear?").status_code == 200

    sent = [call for call in channels.new_calls(before, "facebook", at_least=2) if "message" in call["data"]]
    messages = [call["data"]["message"] for call in sent]
    assert all(len(message.get("text", "")) <= 2000 for message in messages)
    assert "**" not in json.dumps(messages)
    quick_replies = [reply for message in messages for reply in message.get("quick_replies", [])]
    assert quick_replies[0]["payload"] == "/tell_me_more"
    assert all(len(reply["title"]) <= 20 for reply in quick_replies)
    assert sent[0]["data"]["recipient"]["id"] == "PSID1001"


def test_a_long_menu_on_messenger_becomes_numbered_choices(channels):
    before = len(channels.provider.calls("facebook"))
    channels.facebook("mid.1b", "PSID1001b", "what can you help with?")
    menu = "\n".join(call["data"]["message"].get("text", "") for call in channels.new_calls(before, "facebook") if "message" in call["data"])
    assert "Reply with a number:" in menu
    second = menu.split("\n2. ")[1].splitlines()[0]

    before = len(channels.provider.calls("facebook"))
    channels.facebook("mid.1c", "PSID1001b", "2")
    answer = "\n".join(call["data"]["message"].get("text", "") for call in channels.new_calls(before, "facebook") if "message" in call["data"])
    assert second in answer


def test_messenger_with_a_bad_signature_gets_403_not_200(channels):
    before = len(channels.provider.calls())
    assert channels.facebook("mid.2", "PSID1002", "hello", secret="wrong").status_code == 403
    assert requests.post(channels.url("facebook"), json={"object": "page", "entry": []}, timeout=30).status_code == 403
    time.sleep(2)
    assert len(channels.provider.calls()) == before


def test_messenger_with_only_the_old_sha1_signature_is_refused(channels):
    body = json.dumps(
        {"object": "page", "entry": [{"id": "PAGE1", "time": 1, "messaging": [{"sender": {"id": "PSID1009"}, "message": {"mid": "m9", "text": "hi"}}]}]}
    ).encode()
    sha1 = "sha1=" + hmac.new(SECRETS["FACEBOOK_APP_SECRET"].encode(), body, hashlib.sha1).hexdigest()
    before = len(channels.provider.calls())
    response = requests.post(channels.url("facebook"), data=body, headers={"Content-Type": "application/json", "X-Hub-Signature": sha1}, timeout=30)
    assert response.status_code == 403
    time.sleep(2)
    assert len(channels.provider.calls()) == before


def test_an_sms_signature_does_not_open_the_whatsapp_webhook(channels):
    # Signed for the SMS URL, sent to the WhatsApp one: refused, and the SMS message itself still goes through.
    form = {
        "MessageSid": "SM-x1",
        "AccountSid": SECRETS["TWILIO_ACCOUNT_SID"],
        "From": "+447700900301",
        "To": SECRETS["TWILIO_SMS_NUMBER"],
        "Body": "what is pacing?",
        "NumMedia": "0",
    }
    signature = RequestValidator(SECRETS["TWILIO_AUTH_TOKEN"]).compute_signature(channels.url("twilio"), form)
    crossed = requests.post(channels.url("twilio_whatsapp"), data=form, headers={"X-Twilio-Signature": signature}, timeout=30)
    assert crossed.status_code == 403
    before = len(channels.provider.calls("twilio"))
    assert channels.twilio("twilio", "+447700900301", "what is pacing?", "SM-x1").status_code in (200, 204)
    assert "pac" in texts(channels.new_calls(before, "twilio"), "Body").lower()


def test_rest_cannot_read_an_sms_patients_conversation_by_claiming_their_number(channels):
    patient = "+447700900302"
    before = len(channels.provider.calls("twilio"))
    channels.twilio("twilio", patient, "my pain is 7 today", "SM-y1")
    channels.new_calls(before, "twilio")

    for body in ({"sender": patient, "message": "how has my pain been?"}, {"sender": patient, "message": "export my data", "input_channel": "twilio"}):
        response = requests.post(f"{channels.bot.url}/webhooks/rest/webhook", json=body, timeout=60)
        assert response.status_code == 403
        assert "7" not in response.text


def test_messenger_webhook_verification(channels):
    good = requests.get(channels.url("facebook"), params={"hub.verify_token": "fb-verify", "hub.challenge": "12345", "hub.mode": "subscribe"}, timeout=30)
    bad = requests.get(channels.url("facebook"), params={"hub.verify_token": "nope", "hub.challenge": "12345"}, timeout=30)
    assert good.text == "12345"
    assert bad.status_code == 403


# -- Safety on a messaging channel -------------------------------------------------


def test_a_crisis_message_over_sms_gets_the_crisis_line(channels):
    patient = "+447700900199"
    before = len(channels.provider.calls("twilio"))
    channels.twilio("twilio", patient, "I just want to end it all", "SM-z1")

    body = texts(channels.new_calls(before, "twilio", at_least=2), "Body")
    assert "116 123" in body and "999" in body
    assert channels.bot.slot(patient, "topic") == "crisis_support"


# -- Replays, on every channel -------------------------------------------------------

REPLAYABLE = {
    "twilio": (lambda c: c.twilio("twilio", "+447700900104", "what is pacing?", "SM-d1"), "+447700900104"),
    "telegram": (lambda c: c.telegram(5004, 987004, "what is pacing?"), "987004"),
    "slack": (lambda c: c.slack("Ev4", "U1004", "what is pacing?"), "U1004"),
    "facebook": (lambda c: c.facebook("mid.4", "PSID1004", "what is pacing?"), "PSID1004"),
}


@pytest.mark.parametrize("provider", sorted(REPLAYABLE))
def test_a_replayed_request_is_ignored(channels, provider):
    send, sender = REPLAYABLE[provider]
    before = len(channels.provider.calls(provider))
    assert send(channels).status_code in (200, 204)
    channels.new_calls(before, provider)
    calls, user_turns = len(channels.provider.calls()), len([e for e in channels.bot.tracker(sender)["events"] if e["event"] == "user"])

    replay = send(channels)

    assert replay.status_code == 200 and "duplicate" in replay.text
    time.sleep(2)
    assert len(channels.provider.calls()) == calls
    assert len([e for e in channels.bot.tracker(sender)["events"] if e["event"] == "user"]) == user_turns


def test_a_request_replayed_after_a_restart_is_still_ignored(channels):
    sender = "+447700900105"
    before = len(channels.provider.calls("twilio"))
    assert channels.twilio("twilio", sender, "what is pacing?", "SM-r1").status_code in (200, 204)
    channels.new_calls(before, "twilio")

    channels.bot.stop_rasa()
    channels.bot.start_rasa()
    calls = len(channels.provider.calls())
    replay = channels.twilio("twilio", sender, "what is pacing?", "SM-r1")

    assert replay.status_code == 200 and "duplicate" in replay.text
    time.sleep(2)
    assert len(channels.provider.calls()) == calls


def test_a_score_and_a_question_by_sms_are_logged_then_answered(channels):
    patient = "+447700900131"
    entries_before = len(channels.bot.rows("pain_entries"))
    before = len(channels.provider.calls("twilio"))

    assert channels.twilio("twilio", patient, "6 today, what do I do in a flare?", "SM-q1").status_code == 204

    reply = texts(channels.new_calls(before, "twilio"), "Body")
    assert "logged your pain as 6 out of 10" in reply and "flare" in reply.split("logged your pain as 6 out of 10", 1)[1].lower()
    assert channels.bot.slot(patient, "pain_score") == 6
    assert [row["score"] for row in channels.bot.rows("pain_entries")[entries_before:]] == [6]
