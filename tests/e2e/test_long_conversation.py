"""A patient who chats for a long time: the bot still knows what they told it, and keeps every message.

The Rasa server loads a long session as its last five turns and the slots they
start from (stores/session_window.py); these talk to the real servers well past
that point.
"""

from __future__ import annotations

import pytest

from tests.e2e.test_rest_conversation import payloads, texts

pytestmark = pytest.mark.e2e

QUESTIONS = [
    "hiya, my lower back has been grumbling for about six years now",
    "if it hurts when I hoover does that mean I'm making the damage worse",
    "I keep doing too much on my good days and then I'm flat out for three days after",
    "would swimming or pilates be better for me, I used to love the pool",
    "my GP said the scan was normal so why does it still hurt this much",
    "is it bad to keep taking ibuprofen most days",
    "when work is stressful my back is so much worse, is that in my head",
    "how do I build back up to walking the dog without paying for it after",
    "what should I do when it flares up really badly",
    "thank you, that's helpful",
    "my physio gave me stretches but they ache while I do them, should I stop",
    "is it worth paying for massages every week",
]


def test_what_the_patient_said_early_on_is_kept_through_a_long_conversation(bot, sender):
    pacing = bot.send(sender, "I always overdo it on good days then crash")
    assert bot.slot(sender, "topic") == "pacing" and "/tell_me_more" in payloads(pacing)
    # Twelve messages that leave the topic alone: a pain diary kept over a long chat.
    scores = [6, 5, 7, 6, 4, 5]
    for score in scores:
        assert f"I've logged your pain as {score} out of 10" in texts(bot.send(sender, f"my pain is {score} today"))
        bot.send(sender, "skip")

    more = bot.send(sender, "/tell_me_more")

    # "Tell me more" still means pacing, asked 13 messages back, beyond the turns loaded whole.
    bot.send(f"{sender}-short", "I always overdo it on good days then crash")
    assert texts(more) == texts(bot.send(f"{sender}-short", "/tell_me_more"))
    tracker = bot.tracker(sender)
    assert tracker["slots"]["topic"] == "pacing" and tracker["slots"]["pain_score"] == 5
    sent = ["I always overdo it on good days then crash"] + [m for s in scores for m in (f"my pain is {s} today", "skip")] + ["/tell_me_more"]
    assert [event["text"] for event in tracker["events"] if event["event"] == "user"] == sent  # every message kept, once


def test_a_goal_and_topics_late_in_a_long_conversation(bot, sender):
    for question in QUESTIONS:
        bot.send(sender, question)

    assert "How much walking can you do now" in texts(bot.send(sender, "I want to set a walking goal"))
    assert "Your baseline: 10 minutes" in texts(bot.send(sender, "10, 12 and 8 minutes"))
    assert "8 minutes per session, 3 times this week" in texts(bot.send(sender, "what's my goal this week?"))
    bot.send(sender, "is it worth paying for regular massages for my back or is something else better")
    assert bot.slot(sender, "topic") == "active_vs_passive"
    assert len([event for event in bot.tracker(sender)["events"] if event["event"] == "user"]) == len(QUESTIONS) + 4


def test_deleting_data_late_in_a_long_conversation_erases_all_of_it(bot, sender):
    bot.send(sender, "my pain is 4 today")
    bot.send(sender, "skip")
    for question in QUESTIONS:
        bot.send(sender, question)

    bot.send(sender, "please delete all my data")
    done = bot.send(sender, "yes")

    assert "our conversation history" in texts(done)
    tracker = bot.tracker(sender)
    assert [event for event in tracker["events"] if event["event"] == "user"] == []
    assert tracker["slots"]["pain_score"] is None
