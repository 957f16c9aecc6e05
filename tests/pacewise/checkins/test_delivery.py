"""Each provider's rules for messages the patient did not just ask for."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pacewise.checkins.delivery import HELD, MESSAGE, TEMPLATE, route_for

NOW = datetime(2026, 11, 28, 19, 0, tzinfo=timezone.utc)
RECENT, OLD = NOW - timedelta(hours=23), NOW - timedelta(hours=25)


@pytest.mark.parametrize("channel", ["telegram", "slack", "twilio"])
def test_telegram_slack_and_sms_send_whenever_it_is_due(channel):
    assert route_for(channel, OLD, NOW, None).how == MESSAGE
    assert route_for(channel, None, NOW, None).how == MESSAGE


def test_whatsapp_sends_freely_only_within_24_hours_of_the_patients_last_message():
    assert route_for("twilio_whatsapp", RECENT, NOW, None).how == MESSAGE
    outside = route_for("twilio_whatsapp", OLD, NOW, None)
    assert outside.how is None and "24 hours" in outside.reason and "template" in outside.reason
    assert route_for("twilio_whatsapp", OLD, NOW, "HX123").how == TEMPLATE
    assert route_for("twilio_whatsapp", None, NOW, "HX123").how == TEMPLATE


def test_messenger_outside_its_window_is_not_sent():
    assert route_for("facebook", RECENT, NOW, None).how == MESSAGE
    outside = route_for("facebook", OLD, NOW, "HX123")
    assert outside.how is None and "Messenger" in outside.reason


@pytest.mark.parametrize("channel", ["rest", "unknown"])
def test_channels_that_cannot_reach_anyone_are_never_sent(channel):
    assert route_for(channel, RECENT, NOW, None).how is None


def test_the_website_chat_holds_the_check_in_for_the_next_visit():
    assert route_for("socketio", OLD, NOW, None).how == HELD
