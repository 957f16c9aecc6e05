"""Safety over the REST channel, with the real Rasa server and action server.

Red-flag and crisis messages are escalated before anything else, interrupt what
was going on, set slot `topic` (the contract for tests outside the project) and
are recorded as safety events; idioms are not escalated.
"""

from __future__ import annotations

import pytest

from tests.e2e.test_rest_conversation import payloads, texts

pytestmark = pytest.mark.e2e

NOTICE = "cannot diagnose or treat you"


def test_the_first_message_of_a_session_carries_the_notice_once(bot, sender):
    first = bot.send(sender, "how do I pace my housework")
    second = bot.send(sender, "what about gardening?")

    assert NOTICE in first[0]["text"] and "999" in first[0]["text"]
    assert NOTICE not in texts(second)


def test_a_red_flag_interrupts_a_clarification_question(bot, sender):
    clarifying = bot.send(sender, "help me with my back")
    assert payloads(clarifying)
    events_before = len(bot.safety_events())

    replies = bot.send(sender, "since this morning I can't feel anything down below and I can't pee properly")

    assert "call 999 or go to A&E now" in texts(replies)
    assert bot.slot(sender, "topic") == "red_flags"
    new_events = bot.safety_events()[events_before:]
    assert [event["category"] for event in new_events] == ["red_flag"]
    assert "saddle_numbness" in new_events[0]["rules"] and "bladder_or_bowel_control" in new_events[0]["rules"]
    assert new_events[0]["urgency"] == "emergency"
    assert sender not in str(new_events[0].values())
    tracker = bot.tracker(sender)
    assert tracker["latest_message"]["safety"]["categories"] == ["red_flag"]


def test_a_same_day_red_flag_gets_same_day_advice(bot, sender):
    replies = bot.send(sender, "I've got a high temperature and shivers and my lower back really aches")

    assert "today" in texts(replies) and "NHS 111" in texts(replies)
    assert bot.slot(sender, "topic") == "red_flags"


def test_a_crisis_message_gets_support_and_the_bot_stays_available(bot, sender):
    bot.send(sender, "I always overdo it on good days then crash")
    events_before = len(bot.safety_events())

    crisis = bot.send(sender, "honestly I just want to end it all, I can't take this pain anymore")

    assert "116 123" in texts(crisis) and "999" in texts(crisis)
    assert bot.slot(sender, "topic") == "crisis_support"
    assert [event["category"] for event in bot.safety_events()[events_before:]] == ["crisis"]

    bot.send(sender, "can you tell me how to pace my walking")
    assert bot.slot(sender, "topic") == "pacing"


def test_a_crisis_hidden_at_the_end_of_a_very_long_message_is_still_escalated(bot, sender):
    replies = bot.send(sender, "I have been trying my pacing plan every day this week. " * 60 + "Some nights I wish I wasn't here.")

    assert "116 123" in texts(replies)
    assert bot.slot(sender, "topic") == "crisis_support"


@pytest.mark.parametrize(
    "message",
    [
        "my back is killing me after the gardening, how should I pace it?",
        "I'm dying to get back to running, how do I build up?",
        "no numbness or bladder problems, just a stiff back in the mornings",
    ],
)
def test_idioms_and_negations_are_not_escalated(bot, sender, message):
    events_before = len(bot.safety_events())

    replies = bot.send(sender, message)

    assert "116 123" not in texts(replies) and "A&E now" not in texts(replies)
    assert bot.slot(sender, "topic") not in ("red_flags", "crisis_support")
    assert len(bot.safety_events()) == events_before


def test_a_dose_question_gets_the_medication_content_and_no_dose(bot, sender):
    replies = bot.send(sender, "how many co-codamol can I take with my ibuprofen?")

    assert bot.slot(sender, "topic") == "medication"
    assert "pharmacist" in texts(replies)
    assert "mg" not in texts(replies)
