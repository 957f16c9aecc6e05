"""The pain diary, activity goals and the patient's data over REST, with the real Rasa and action servers.

Reads slot `pain_score` from the tracker (the contract for tests outside the
project), checks what is stored, fetches the chart and the export through their
links, and shows red-flag and crisis messages interrupting the new forms.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
import requests

from tests.e2e.test_rest_conversation import payloads, texts

pytestmark = pytest.mark.e2e


def link_in(text: str) -> str:
    found = re.search(r"http://\S+/webhooks/downloads/file/\S+", text)
    assert found, text
    return found.group(0)


def test_a_score_in_the_patients_words_is_logged_in_the_reply_that_acknowledges_it(bot, sender):
    entries_before = len(bot.rows("pain_entries"))
    first = bot.send(sender, "my pain is 7 today")

    assert "I've logged your pain as 7 out of 10" in texts(first) and "where it hurts" in texts(first)
    assert bot.slot(sender, "pain_score") == 7
    assert [row["score"] for row in bot.rows("pain_entries")[entries_before:]] == [7]

    done = bot.send(sender, "skip")

    assert "your 7 out of 10 is logged" in texts(done)
    assert bot.slot(sender, "pain_score") == 7
    assert len(bot.rows("pain_entries")) == entries_before + 1  # the same entry, not a second one


def test_the_optional_details_are_added_to_the_same_entry(bot, sender):
    entries_before = len(bot.rows("pain_entries"))
    bot.send(sender, "pain is 5/10")
    done = bot.send(sender, "lower back, after gardening")

    assert "added that to today's entry" in texts(done)
    rows = bot.rows("pain_entries")[entries_before:]
    assert [(row["score"], row["location"], row["note"]) for row in rows] == [(5, "lower back", "lower back, after gardening")]


def test_a_patient_who_leaves_or_stops_at_the_optional_question_keeps_the_score(bot, sender):
    entries_before = len(bot.rows("pain_entries"))
    bot.send(sender, "my pain is 3 today")
    stopped = bot.send(sender, "stop")

    assert "Your pain score of 3 out of 10 is logged" in texts(stopped)
    assert [row["score"] for row in bot.rows("pain_entries")[entries_before:]] == [3]
    assert bot.slot(sender, "pain_score") == 3


def test_a_question_that_mentions_a_score_is_answered_and_the_score_offered_not_lost(bot, sender):
    entries_before = len(bot.rows("pain_entries"))
    question = (
        "On good days I blitz the whole house in one go and then I'm wiped out for three days. "
        "My pain is a 7 by teatime on those days. How do I stop this boom and bust?"
    )
    answer = bot.send(sender, question)
    assert bot.slot(sender, "topic") == "pacing"
    offer = [button for reply in answer for button in reply.get("buttons") or [] if "pain diary" in button["title"]]
    assert [button["title"] for button in offer] == ["Log 7/10 in my pain diary"]
    assert len(bot.rows("pain_entries")) == entries_before  # nothing stored unasked

    logged = bot.send(sender, offer[0]["payload"])
    assert "I've logged your pain as 7 out of 10" in texts(logged)
    bot.send(sender, "skip")

    assert bot.slot(sender, "pain_score") == 7
    assert len(bot.rows("pain_entries")) == entries_before + 1


def test_invalid_scores_are_explained_and_never_stored(bot, sender):
    entries_before = len(bot.rows("pain_entries"))
    ask = bot.send(sender, "can I log my pain please")
    assert "from 0 to 10" in texts(ask)
    assert any(reply.get("custom", {}).get("pacewise", {}).get("input") == "pain_scale" for reply in ask)

    for invalid, expected in [("15", "15 isn't on the scale"), ("banana", "I need a whole number from 0 to 10"), ("6 or 7", "which is closer")]:
        replies = bot.send(sender, invalid)
        assert expected in texts(replies), invalid
        assert bot.slot(sender, "pain_score") is None
    assert len(bot.rows("pain_entries")) == entries_before

    assert "logged your pain as 6" in texts(bot.send(sender, "6"))
    assert bot.slot(sender, "pain_score") == 6
    bot.send(sender, "lower back, after hoovering")
    latest = bot.rows("pain_entries")[-1]
    assert (latest["score"], latest["location"], latest["note"]) == (6, "lower back", "lower back, after hoovering")


def test_the_summary_has_words_and_a_chart_image(bot, sender):
    for score in ("my pain is 4 today", "pain level 6"):
        bot.send(sender, score)
        bot.send(sender, "skip")

    replies = bot.send(sender, "how has my pain been?")

    assert "Last week: 2 entries, average 5 out of 10 (lowest 4, highest 6)" in texts(replies)
    image = next(reply["image"] for reply in replies if reply.get("image"))
    response = requests.get(image, timeout=30)
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert requests.get(image.replace("/file/", "/file/x"), timeout=30).status_code == 404


def test_a_red_flag_interrupts_the_pain_form_and_nothing_is_logged(bot, sender):
    entries_before = len(bot.rows("pain_entries"))
    bot.send(sender, "log my pain")
    replies = bot.send(sender, "I've lost control of my bladder and both legs feel numb")

    assert "call 999 or go to A&E now" in texts(replies)
    tracker = bot.tracker(sender)
    assert tracker["active_loop"] in ({}, None) or tracker["active_loop"].get("name") is None
    assert tracker["slots"]["topic"] == "red_flags"
    assert tracker["slots"]["pain_score"] is None
    assert len(bot.rows("pain_entries")) == entries_before


def test_a_walking_goal_from_start_to_a_flare(bot, sender):
    ask = bot.send(sender, "I want to set a walking goal")
    assert "How much walking can you do now" in texts(ask)

    plan = bot.send(sender, "10, 12 and 8 minutes")
    assert "Your baseline: 10 minutes" in texts(plan) and "This week: 8 minutes per session, 3 times." in texts(plan)
    assert "Why:" in texts(plan) and "/ask_graded_activity" in payloads(plan)

    week = bot.send(sender, "what's my goal this week?")
    assert "8 minutes per session, 3 times this week (0 done so far)" in texts(week) and "Why:" in texts(week)

    session = bot.send(sender, "I did my walk today")
    assert "That's 1 of 3 walking sessions this week." in texts(session)
    assert len([row for row in bot.rows("activity_sessions")]) >= 1

    flare = bot.send(sender, "I had a flare")
    assert "sorry you're having a flare" in texts(flare)
    # The flare-up content comes with it, as for "what do I do in a flare?".
    assert "Tell me more" in [button["title"] for reply in flare for button in reply.get("buttons") or []]
    assert bot.slot(sender, "topic") == "flare_ups"


def test_a_crisis_message_interrupts_the_goal_form(bot, sender):
    bot.send(sender, "make me a gardening plan")
    replies = bot.send(sender, "what's the point of going on, I want to die")

    assert "116 123" in texts(replies)
    tracker = bot.tracker(sender)
    assert tracker["slots"]["topic"] == "crisis_support"
    assert (tracker["active_loop"] or {}).get("name") is None


def test_export_gives_a_csv_of_the_patients_entries(bot, sender):
    bot.send(sender, "8/10")
    bot.send(sender, "neck, long drive")

    replies = bot.send(sender, "export my data")

    response = requests.get(link_in(texts(replies)), timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["record"], row["pain_score"], row["note"]) for row in rows] == [("pain entry", "8", "neck, long drive")]


def test_delete_asks_first_then_removes_entries_goals_and_history(bot, sender):
    bot.send(sender, "my pain is 5 today")
    bot.send(sender, "skip")
    bot.send(sender, "set a goal for standing")
    bot.send(sender, "good day 20 minutes, bad day 6")
    entries_before = len(bot.rows("pain_entries"))

    ask = bot.send(sender, "delete my data")
    assert "can't be undone" in texts(ask) and "/affirm" in payloads(ask)
    kept = bot.send(sender, "no")
    assert "nothing has been deleted" in texts(kept)
    assert len(bot.rows("pain_entries")) == entries_before

    bot.send(sender, "please delete all my data")
    done = bot.send(sender, "yes")

    assert "your check-ins and questionnaire answers, any reports, the list of topics you've read, and our conversation history" in texts(done)
    assert len(bot.rows("pain_entries")) == entries_before - 1
    tracker = bot.tracker(sender)
    assert [event for event in tracker["events"] if event["event"] == "user"] == []
    assert tracker["slots"]["pain_score"] is None
    assert "nothing to export" in texts(bot.send(sender, "export my data"))


def test_a_question_at_the_optional_question_is_answered_and_never_stored_as_the_note(bot, sender):
    entries_before = len(bot.rows("pain_entries"))
    bot.send(sender, "my pain is 6 today")

    replies = bot.send(sender, "what is pacing?")

    assert "Pacing" in texts(replies)
    assert bot.slot(sender, "topic") == "pacing"
    rows = bot.rows("pain_entries")[entries_before:]
    assert [(row["score"], row["note"]) for row in rows] == [(6, None)]
    assert bot.slot(sender, "pain_score") == 6


# --- Issue 13: ratings in passing, a score with a question, requests mid-form -------------------


@pytest.mark.parametrize(
    ("message", "score", "topic"),
    [
        ("6 today, what do I do in a flare?", 6, "flare_ups"),
        ("8/10 and I can't sleep, does sleep affect pain?", 8, "stress_sleep_mood"),
        ("Hi, my lower back is sitting at about a 7 this morning after a bad night. What should I do when it flares like this?", 7, "flare_ups"),
        # Texted without a question mark: still a question (pacewise/text/questions.py).
        ("back flared up again, its at a 7 this morning. what should i do when it flares like this", 7, "flare_ups"),
    ],
)
def test_a_score_and_a_question_in_one_message_are_logged_then_answered(bot, sender, message, score, topic):
    entries_before = len(bot.rows("pain_entries"))

    replies = bot.send(sender, message)

    said = [reply.get("text") or "" for reply in replies]
    logged_at = next(i for i, text in enumerate(said) if f"logged your pain as {score} out of 10" in text)
    title = {"flare_ups": "Coping with a flare-up", "stress_sleep_mood": "Stress, sleep and mood"}[topic]
    answered_at = next(i for i, text in enumerate(said) if title in text)
    assert logged_at < answered_at  # logged first, then the answer, in one turn
    assert bot.slot(sender, "pain_score") == score
    assert bot.slot(sender, "topic") == topic
    assert [row["score"] for row in bot.rows("pain_entries")[entries_before:]] == [score]


@pytest.mark.parametrize(
    ("message", "score"),
    [
        ("Dear physio, my knee is at an 8 after the stairs this morning", 8),
        ("back's a solid 5 today, nothing major", 5),
        ("neck pain 3ish", 3),
    ],
)
def test_a_rating_said_in_passing_is_logged(bot, sender, message, score):
    entries_before = len(bot.rows("pain_entries"))

    replies = bot.send(sender, message)

    assert f"logged your pain as {score} out of 10" in texts(replies)
    assert bot.slot(sender, "pain_score") == score
    assert [row["score"] for row in bot.rows("pain_entries")[entries_before:]] == [score]


def test_between_two_values_asks_which_is_closer_before_logging(bot, sender):
    entries_before = len(bot.rows("pain_entries"))
    ask = bot.send(sender, "my back is somewhere between a 4 and a 5 today")
    assert "which is closer" in texts(ask) and payloads(ask)[:2] == ["4", "5"]
    assert len(bot.rows("pain_entries")) == entries_before

    assert "logged your pain as 5 out of 10" in texts(bot.send(sender, "5"))
    assert [row["score"] for row in bot.rows("pain_entries")[entries_before:]] == [5]


def test_numbers_that_are_not_ratings_are_never_logged(bot, sender):
    entries_before = len(bot.rows("pain_entries"))
    for message in (
        "I woke at 5 with my back again and took 2 paracetamol at 6, is it ok to take them every day?",
        "I'm 58 and I've had 3 MRIs and 4 bulging discs, will it ever get better?",
    ):
        bot.send(sender, message)
    assert len(bot.rows("pain_entries")) == entries_before
    assert bot.slot(sender, "pain_score") is None


def test_requests_at_the_optional_question_are_handled_and_never_stored_as_the_note(bot, sender):
    entries_before = len(bot.rows("pain_entries"))
    bot.send(sender, "my pain is 6 today")

    summary = bot.send(sender, "how has my pain been this week?")
    assert "Your pain score of 6 out of 10 is logged." in texts(summary)
    assert "Last week: 1 entry" in texts(summary)

    bot.send(sender, "pain is a 4 now")
    goal = bot.send(sender, "can you set me a walking goal")
    assert "How much walking can you do now" in texts(goal)

    rows = bot.rows("pain_entries")[entries_before:]
    assert [(row["score"], row["note"]) for row in rows] == [(6, None), (4, None)]
    assert bot.slot(sender, "pain_score") == 4


def test_thanks_at_the_optional_question_is_answered_not_stored(bot, sender):
    entries_before = len(bot.rows("pain_entries"))
    bot.send(sender, "pain 5/10")
    replies = bot.send(sender, "thanks")
    assert "your 5 out of 10 is logged" in texts(replies)
    assert [(row["score"], row["note"]) for row in bot.rows("pain_entries")[entries_before:]] == [(5, None)]


def test_a_session_report_with_what_next_is_logged_and_says_the_next_step(bot, sender):
    bot.send(sender, "I want to set a walking goal")
    bot.send(sender, "10, 12 and 8 minutes")
    sessions_before = len(bot.rows("activity_sessions"))

    replies = bot.send(sender, "did 12 minutes of walking, what next?")

    assert "That's 1 of 3 walking sessions this week." in texts(replies)
    assert "Next time, aim for 8 minutes again." in texts(replies)
    assert len(bot.rows("activity_sessions")) == sessions_before + 1


def test_a_crisis_message_at_the_optional_question_keeps_the_score(bot, sender):
    entries_before = len(bot.rows("pain_entries"))
    bot.send(sender, "my back is a 7 today")

    replies = bot.send(sender, "honestly I can't face another day of this, I want it all to end")

    assert "116 123" in texts(replies)
    assert bot.slot(sender, "topic") == "crisis_support"
    assert bot.slot(sender, "pain_score") == 7
    assert [(row["score"], row["note"]) for row in bot.rows("pain_entries")[entries_before:]] == [(7, None)]


def test_a_request_while_the_goal_form_waits_is_handled_and_the_goal_set_aside(bot, sender):
    goals_before = len(bot.rows("activity_goals"))
    bot.send(sender, "I want to set a walking goal")

    replies = bot.send(sender, "hang on, how has my pain been lately?")

    assert "leave the activity goal for now" in texts(replies)
    assert "pain" in texts(replies).lower() and "How much walking" not in texts(replies)
    tracker = bot.tracker(sender)
    assert (tracker["active_loop"] or {}).get("name") is None
    assert len(bot.rows("activity_goals")) == goals_before  # nothing half-made was stored


@pytest.mark.parametrize(
    ("opening", "request_text", "expected"),
    [
        ("my pain is 6 today", "could you make a report I can show my physio?", "one-page report"),
        ("my pain is 6 today", "how has my pain been this week?", "Here's your pain diary"),
        ("my pain is 6 today", "bye for now", "Take care of yourself"),
        ("I want to set a walking goal", "actually can you export my data", "nothing to export"),
    ],
)
def test_a_request_that_sets_a_form_aside_gets_its_answer_and_nothing_else(bot, sender, opening, request_text, expected):
    bot.send(sender, opening)

    replies = texts(bot.send(sender, request_text))

    assert expected in replies
    assert "not sure I understood" not in replies and "Did you mean" not in replies
    assert (bot.tracker(sender)["active_loop"] or {}).get("name") is None
    follow_up = texts(bot.send(sender, "what is pacing?"))
    assert "pacing" in follow_up.lower() and bot.slot(sender, "topic") == "pacing"
