"""Webhook authentication, replay protection and configuration from the environment."""

from __future__ import annotations

import hashlib
import hmac
import stat
from datetime import datetime, timedelta, timezone

import yaml
from twilio.request_validator import RequestValidator

from channels.messaging.replay import ReplayGuard
from channels.messaging.signatures import facebook_signature_valid, telegram_secret_valid, twilio_signature_valid
from pacewise.cli.channel_credentials import BASE_CREDENTIALS, messaging_credentials, write_credentials

TWILIO_URL = "https://pacewise.example.org/webhooks/twilio/webhook"
TWILIO_FORM = {"From": "+447700900123", "To": "+441234567890", "Body": "hello", "MessageSid": "SM1"}


def test_a_correct_twilio_signature_is_accepted_and_any_change_is_not():
    signature = RequestValidator("token").compute_signature(TWILIO_URL, TWILIO_FORM)

    assert twilio_signature_valid("token", TWILIO_URL, TWILIO_FORM, signature)
    assert not twilio_signature_valid("other-token", TWILIO_URL, TWILIO_FORM, signature)
    assert not twilio_signature_valid("token", TWILIO_URL, {**TWILIO_FORM, "Body": "changed"}, signature)
    assert not twilio_signature_valid("token", TWILIO_URL.replace("twilio", "evil"), TWILIO_FORM, signature)
    assert not twilio_signature_valid("token", TWILIO_URL, TWILIO_FORM, None)


def test_telegram_secret_token_must_match_exactly():
    assert telegram_secret_valid("s3cret-token", "s3cret-token")
    assert not telegram_secret_valid("s3cret-token", "s3cret-tokeN")
    assert not telegram_secret_valid("s3cret-token", None)
    assert not telegram_secret_valid("", "")


def test_facebook_signature_is_sha256_of_the_raw_body():
    body = b'{"object": "page", "entry": []}'
    good = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()

    assert facebook_signature_valid("app-secret", body, good)
    assert not facebook_signature_valid("app-secret", body + b" ", good)
    assert not facebook_signature_valid("wrong-secret", body, good)
    assert not facebook_signature_valid("app-secret", body, None)
    assert not facebook_signature_valid("app-secret", body, "md5=abc")


def test_the_old_sha1_facebook_signature_is_refused():
    body = b'{"object": "page", "entry": []}'
    sha1 = "sha1=" + hmac.new(b"app-secret", body, hashlib.sha1).hexdigest()
    assert not facebook_signature_valid("app-secret", body, sha1)


def test_a_replay_is_recognised_across_restarts_until_its_window_ends(database):
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert ReplayGuard("twilio").first_time("SM1", now=start)
    # A new guard (a restarted server, another replica) shares the memory.
    assert not ReplayGuard("twilio").first_time("SM1", now=start + timedelta(hours=1))
    # The same id on another channel is another message.
    assert ReplayGuard("twilio_whatsapp").first_time("SM1", now=start + timedelta(hours=1))
    # After the window the id is forgotten.
    assert ReplayGuard("twilio", window=timedelta(days=1)).first_time("SM1", now=start + timedelta(days=2))


FULL_ENV = {
    "TELEGRAM_TOKEN": "1:abc",
    "TELEGRAM_BOT_USERNAME": "pacewise_bot",
    "TELEGRAM_WEBHOOK_URL": "https://x/webhooks/telegram/webhook",
    "TELEGRAM_SECRET_TOKEN": "secret",
    "TWILIO_ACCOUNT_SID": "AC1",
    "TWILIO_AUTH_TOKEN": "token",
    "TWILIO_SMS_NUMBER": "+441234567890",
}


def test_only_channels_with_all_their_variables_are_enabled():
    enabled, notes = messaging_credentials({**FULL_ENV, "SLACK_TOKEN": "xoxb-1"})

    assert set(enabled) == {"channels.messaging.telegram.PacewiseTelegramInput", "channels.messaging.twilio.PacewiseTwilioSmsInput"}
    assert enabled["channels.messaging.telegram.PacewiseTelegramInput"]["secret_token"] == "secret"
    assert "slack: OFF, missing SLACK_SIGNING_SECRET" in notes
    assert any(note.startswith("facebook: off") for note in notes)
    assert any(note.startswith("twilio (WhatsApp): OFF, missing TWILIO_WHATSAPP_NUMBER") for note in notes)


def test_the_generated_credentials_keep_rest_and_socketio_and_are_private(tmp_path):
    out = tmp_path / "credentials.yml"
    write_credentials(out, FULL_ENV)

    credentials = yaml.safe_load(out.read_text())
    assert "channels.rest.PacewiseRestInput" in credentials
    assert "channels.socketio.PacewiseSocketIOInput" in credentials
    assert credentials["channels.messaging.twilio.PacewiseTwilioSmsInput"]["auth_token"] == "token"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_no_secret_is_committed():
    committed = yaml.safe_load(BASE_CREDENTIALS.read_text())
    # Only the channels that need no secret (REST, Socket.IO, the download links) and the server-wide guard;
    # their secrets come from the environment.
    assert set(committed) == {
        "channels.rest.PacewiseRestInput",
        "channels.socketio.PacewiseSocketIOInput",
        "channels.downloads.DownloadsInput",
        "channels.api_guard.ApiGuardInput",
    }
    assert all(not settings or set(settings) <= {"user_message_evt", "bot_message_evt", "session_persistence"} for settings in committed.values())


def test_telegram_being_unreachable_at_start_up_is_not_fatal_and_is_retried(monkeypatch):
    from channels.messaging import telegram

    attempts = []

    async def flaky_register(self, url: str, secret_token: str) -> bool:
        attempts.append(url)
        if len(attempts) < 3:
            raise ConnectionError("api.telegram.org unreachable")
        return True

    monkeypatch.setattr(telegram.PacewiseTelegramOutput, "register_webhook", flaky_register)
    monkeypatch.setattr(telegram, "RETRY_DELAYS_S", (0.05,))
    connector = telegram.PacewiseTelegramInput.from_credentials(
        {"access_token": "1:abc", "verify": "pacewise_bot", "webhook_url": "https://x/webhooks/telegram/webhook", "secret_token": "s"}
    )

    output = connector.get_output_channel()  # the server starts: no exception

    assert output is not None and not connector.webhook_registered.is_set()
    assert connector.webhook_registered.wait(timeout=5)
    assert len(attempts) == 3
