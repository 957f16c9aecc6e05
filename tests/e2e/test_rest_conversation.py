"""Conversations over the REST channel with the real Rasa server and action server.

These read the `topic` slot through the tracker API, as tests outside the
project do.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

# Each topic asked in words that are not in the training data.
OWN_WORDS = {
    "hurt_vs_harm": "when my knee hurts on the stairs does that mean i am wrecking it",
    "fear_avoidance": "I've stopped picking up my grandkids because I'm frightened my back will go",
    "pacing": "on days i feel ok i do loads of housework and then i pay for it for days after",
    "graded_activity": "how should I slowly build back up to walking the dog every day",
    "exercise_with_pain": "my shoulder aches during the physio exercises, should i push through or stop",
    "flare_ups": "my neck has flared up really badly since yesterday, what should I do now",
    "why_pain_persists": "the MRI showed nothing wrong so why am I still in so much pain after a year",
    "exercise_types": "would swimming or pilates be better for my back",
    "active_vs_passive": "is it worth paying for regular massages for my back or is something else better",
    "stress_sleep_mood": "when I'm stressed at work my back pain gets so much worse, is that connected",
    "medication": "is it ok to keep taking ibuprofen for my knee",
    "red_flags": "what symptoms mean I should see a doctor urgently about my back",
    "crisis_support": "i cant cope with this pain anymore and i dont see the point in anything",
}


SAFETY_TOPICS = {"red_flags", "crisis_support"}


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def payloads(replies: list[dict]) -> list[str]:
    return [button["payload"] for reply in replies for button in reply.get("buttons", [])]


@pytest.mark.parametrize("topic_id", sorted(OWN_WORDS))
def test_each_topic_in_a_patients_own_words(bot, sender, topic_id):
    replies = bot.send(sender, OWN_WORDS[topic_id])

    assert bot.slot(sender, "topic") == topic_id, texts(replies)
    assert "/tell_me_more" in payloads(replies)
    if topic_id in SAFETY_TOPICS:
        # Answered by the safety response, which leads with what to do (tests/e2e/test_safety_conversation.py).
        assert "999" in texts(replies)
        return
    title = bot.content_dir.joinpath("topics", f"{topic_id}.md").read_text().split("title:")[1].splitlines()[0].strip()
    assert title in texts(replies)


def test_tell_me_more_then_a_related_topic(bot, sender):
    bot.send(sender, "I always overdo it on good days then crash")
    assert bot.slot(sender, "topic") == "pacing"

    details = bot.send(sender, "/tell_me_more")
    assert "**Sources**" in texts(details)
    assert "doi.org" in texts(details)
    related = [p for p in payloads(details) if p.startswith("/ask_")]
    assert related

    bot.send(sender, related[0])
    assert bot.slot(sender, "topic") == related[0].removeprefix("/ask_")


def test_greeting_offers_the_menu_without_delivering_content(bot, sender):
    replies = bot.send(sender, "hello there")

    assert "Pacewise" in texts(replies)
    assert "/ask_pacing" in payloads(replies)
    assert bot.slot(sender, "topic") is None


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("are you a real person?", "computer program"),
        ("thanks very much", "welcome"),
        ("bye for now", "Take care"),
        ("what can you do?", "topics I can help with"),
    ],
)
def test_small_talk(bot, sender, message, expected):
    replies = bot.send(sender, message)

    assert expected in texts(replies)
    assert bot.slot(sender, "topic") is None


@pytest.mark.parametrize("message", ["what's the weather like in Leeds tomorrow", "can you book me in with the physio on Tuesday", "tell me a joke"])
def test_off_topic_requests_get_no_curated_content(bot, sender, message):
    replies = bot.send(sender, message)

    assert "can't help with that" in texts(replies)
    assert bot.slot(sender, "topic") is None


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("", "didn't get any words"),
        ("   ", "didn't get any words"),
        ("pain " * 4000, "long message"),
        ("🙂🙂🙂", "emoji"),
        ("¿Dónde puedo comprar pan fresco hoy?", "only understand English"),
        ("\u0000\u0007\u001b", "didn't get any words"),
    ],
)
def test_bad_input_gets_a_clear_reply(bot, sender, message, expected):
    replies = bot.send(sender, message)

    assert expected in texts(replies), texts(replies)
    assert bot.slot(sender, "topic") is None


def test_control_characters_inside_a_real_question_are_ignored(bot, sender):
    bot.send(sender, "why does\u0000 my back\u001b still hurt when the injury healed months ago")

    assert bot.slot(sender, "topic") == "why_pain_persists"


# Written the way patients write (story first, greetings, typos); not in the training data.
REAL_STYLE = {
    "flare_ups": "hiya, my back has gone again this morning, worst its been in months, cant even put my socks on. what do i do today??",
    "fear_avoidance": (
        "Dear doctor, since my back went last spring I've stopped lifting my grandson and I won't even carry the shopping. "
        "I'm scared I'll do something permanent. Is that sensible?"
    ),
    "medication": "I'm 61 with arthritis in both knees and I've taken ibuprofen most days for months. Is it safe to keep taking it?",
    # The project's own example of how patients write (README): a question about harm, not the outlook.
    "hurt_vs_harm": "Dear doctor, I'm 58 and my hips have been bad for years, my daughter says walking will wear them out, is she right?",
}


@pytest.mark.parametrize("topic_id", sorted(REAL_STYLE))
def test_a_long_real_style_message_gets_the_right_content_first(bot, sender, topic_id):
    replies = bot.send(sender, REAL_STYLE[topic_id])

    assert bot.slot(sender, "topic") == topic_id, texts(replies)
    assert "Did you mean" not in texts(replies)


def test_a_question_between_two_topics_is_answered_not_met_with_the_menu(bot, sender):
    """This one fits two topics (the NLU gives about 0.7 and 0.3): the likelier is answered, the other offered."""
    replies = bot.send(
        sender,
        "I'm 70 and I've stopped gardening because bending hurts my back and I worry I'll damage it. Should I try again?",
    )

    answered = bot.slot(sender, "topic")
    assert answered in {"hurt_vs_harm", "active_vs_passive", "exercise_with_pain", "fear_avoidance"}, texts(replies)
    assert "Did you mean" not in texts(replies)
    assert "You might also want: **" in texts(replies)
    offered = [p for p in payloads(replies) if p.startswith("/ask_")]
    assert offered[0] != f"/ask_{answered}"


def test_unclear_message_is_clarified_with_buttons(bot, sender):
    replies = bot.send(sender, "help me with my back")

    assert payloads(replies), texts(replies)
    assert "Did you mean" in texts(replies) or "not sure I understood" in texts(replies)
    assert bot.slot(sender, "topic") is None


def test_a_clinicians_edit_shows_in_the_next_reply(bot, sender):
    path = bot.content_dir / "topics" / "flare_ups.md"
    original = path.read_text()
    start, end = original.index("## Short answer"), original.index("## Tell me more")
    try:
        path.write_text(original[:start] + "## Short answer\n\nEdited by the physio just now.\n\n" + original[end:])
        replies = bot.send(sender, "my neck has flared up really badly since yesterday, what should I do now")
        assert "Edited by the physio just now." in texts(replies)
    finally:
        path.write_text(original)


def test_a_broken_file_does_not_stop_other_topics(bot, sender):
    path = bot.content_dir / "topics" / "exercise_types.md"
    original = path.read_text()
    try:
        path.write_text(original.replace("---", "", 1))
        broken = bot.send(sender, "would swimming or pilates be better for my back")
        assert "not available" in texts(broken)
        working = bot.send(sender, OWN_WORDS["pacing"])
        assert bot.slot(sender, "topic") == "pacing", texts(working)
    finally:
        path.write_text(original)


def test_the_patient_gets_an_apology_when_the_action_server_is_down(tmp_path):
    from scripts.bot_servers import BotServers

    servers = BotServers(tmp_path).start()
    try:
        action_server = servers.processes[0]
        action_server.terminate()
        action_server.wait(timeout=30)

        replies = servers.send("patient-down", "I always overdo it on good days then crash")

        assert "technical problem" in texts(replies)
        assert "999" in texts(replies)
    finally:
        servers.stop()
