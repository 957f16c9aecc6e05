"""Webhook authentication, replay protection and configuration from the environment."""

from __future__ import annotations

import hashlib
import hmac
import stat

import pytest
import yaml
from twilio.request_validator import RequestValidator

from channels.messaging.config import BASE_CREDENTIALS, messaging_credentials, write_credentials
from channels.messaging.replay import ReplayGuard
from channels.messaging.signatures import facebook_signature_valid, telegram_secret_valid, twilio_signature_valid

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


@pytest.mark.parametrize("algorithm", [hashlib.sha256, hashlib.sha1])
def test_facebook_signature_of_the_raw_body(algorithm):
    body = b'{"object": "page", "entry": []}'
    good = f"{algorithm().name}=" + hmac.new(b"app-secret", body, algorithm).hexdigest()
    headers = (good, None) if algorithm is hashlib.sha256 else (None, good)

    assert facebook_signature_valid("app-secret", body, *headers)
    assert not facebook_signature_valid("app-secret", body + b" ", *headers)
    assert not facebook_signature_valid("wrong-secret", body, *headers)
    assert not facebook_signature_valid("app-secret", body, None, None)
    assert not facebook_signature_valid("app-secret", body, "md5=abc", None)


def test_a_replay_is_recognised_until_it_is_forgotten():
    guard = ReplayGuard(ttl_s=60, capacity=3)
    assert guard.first_time("a")
    assert not guard.first_time("a")
    for key in "bcd":
        assert guard.first_time(key)
    assert guard.first_time("a")  # pushed out by capacity


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
    # Only the channels that need no secret: REST, Socket.IO and the download links.
    assert set(committed) == {"channels.rest.PacewiseRestInput", "channels.socketio.PacewiseSocketIOInput", "channels.downloads.DownloadsInput"}
