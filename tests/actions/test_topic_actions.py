"""The content actions, run against tracker fixtures and a private copy of content/."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from rasa_sdk.executor import CollectingDispatcher

from actions.clarify import ActionClarify
from actions.patients import patient_key_for
from actions.topics import ActionAnswerTopic, ActionShowMenu, ActionTellMeMore
from pacewise.storage.pain_diary import pain_entries
from pacewise.storage.topics_read import topics_read


def run(action, tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def payloads(message: dict) -> list[str]:
    return [button["payload"] for button in message.get("buttons") or []]


def touch_later(path: Path) -> None:
    """Make sure an edit is seen as a change even within one clock tick."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_a_confident_answer_offers_no_second_topic(content_copy, load_tracker):
    tracker = load_tracker(
        "tracker_ask_pacing",
        latest={"intent_ranking": [{"name": "ask_pacing", "confidence": 0.93}, {"name": "ask_graded_activity", "confidence": 0.04}]},
    )

    messages, _ = run(ActionAnswerTopic(), tracker)

    assert "You might also want" not in messages[0]["text"]


def test_a_close_second_topic_is_offered_under_the_answer(content_copy, load_tracker):
    tracker = load_tracker(
        "tracker_ask_pacing",
        latest={"intent_ranking": [{"name": "ask_pacing", "confidence": 0.5}, {"name": "ask_flare_ups", "confidence": 0.4}]},
    )

    messages, events = run(ActionAnswerTopic(), tracker)

    assert "You might also want: **" in messages[0]["text"]
    assert payloads(messages[0])[:2] == ["/tell_me_more", "/ask_flare_ups"]
    assert events[0]["value"] == "pacing"


def test_answer_delivers_short_answer_and_sets_topic(content_copy, load_tracker):
    messages, events = run(ActionAnswerTopic(), load_tracker("tracker_ask_pacing"))

    assert len(messages) == 1
    assert "boom" in messages[0]["text"].lower()
    assert payloads(messages[0])[0] == "/tell_me_more"
    assert "/ask_graded_activity" in payloads(messages[0])
    assert events == [{"event": "slot", "timestamp": None, "name": "topic", "value": "pacing"}]


def test_answer_shows_a_clinicians_edit_in_the_next_reply(content_copy, load_tracker):
    action = ActionAnswerTopic()
    run(action, load_tracker("tracker_ask_pacing"))
    path = content_copy / "topics" / "pacing.md"
    text = path.read_text()
    start = text.index("## Short answer")
    end = text.index("## Tell me more")
    path.write_text(text[:start] + "## Short answer\n\nSpread your activity across the day.\n\n" + text[end:])
    touch_later(path)

    messages, _ = run(action, load_tracker("tracker_ask_pacing"))

    assert "Spread your activity across the day." in messages[0]["text"]


def test_broken_topic_file_is_skipped_and_other_topics_still_served(content_copy, load_tracker):
    (content_copy / "topics" / "pacing.md").write_text("this file lost its header\n")

    messages, events = run(ActionAnswerTopic(), load_tracker("tracker_ask_pacing"))
    assert events == []
    assert "not available" in messages[0]["text"]
    assert "/ask_pacing" not in payloads(messages[0])
    assert "/ask_hurt_vs_harm" in payloads(messages[0])

    tracker = load_tracker("tracker_ask_pacing")
    tracker.latest_message["intent"] = {"name": "ask_flare_ups", "confidence": 0.9}
    messages, events = run(ActionAnswerTopic(), tracker)
    assert events[0]["value"] == "flare_ups"


def test_emoji_only_message_gets_an_explanation_not_content(content_copy, load_tracker):
    messages, events = run(ActionClarify(), load_tracker("tracker_unsure", text="😭😭😭"))

    assert events == []
    assert "emoji" in messages[0]["text"]


def test_very_long_message_is_asked_to_be_shorter(content_copy, load_tracker):
    messages, events = run(ActionClarify(), load_tracker("tracker_unsure", text="pain " * 4000))

    assert events == []
    assert "long message" in messages[0]["text"]


def test_tell_me_more_gives_details_and_sources(content_copy, load_tracker):
    messages, events = run(ActionTellMeMore(), load_tracker("tracker_tell_me_more"))

    assert "**Sources**" in messages[0]["text"]
    assert "https://doi.org/10.1097/AJP.0b013e3182608561" in messages[0]["text"]
    assert events[0]["value"] == "pacing"


def test_tell_me_more_without_a_topic_asks_which_one(content_copy, load_tracker):
    messages, events = run(ActionTellMeMore(), load_tracker("tracker_tell_me_more", slots={"topic": None}))

    assert events == []
    assert "Which topic" in messages[0]["text"]
    assert len(payloads(messages[0])) >= 12


def test_menu_lists_topics_but_not_crisis_support(content_copy, load_tracker):
    messages, _ = run(ActionShowMenu(), load_tracker("tracker_ask_pacing"))

    shown = payloads(messages[0])
    assert "/ask_pacing" in shown and "/ask_medication" in shown
    assert "/ask_crisis_support" not in shown


def test_unsure_answers_the_likeliest_topic_and_offers_the_close_second(content_copy, load_tracker):
    messages, events = run(ActionClarify(), load_tracker("tracker_unsure"))

    assert len(messages) == 1
    assert messages[0]["text"].startswith("**Hurt does not mean harm**")
    assert "You might also want: **" in messages[0]["text"]
    # Tell me more first, then the close second topic before the related ones.
    assert payloads(messages[0])[:2] == ["/tell_me_more", "/ask_exercise_with_pain"]
    assert payloads(messages[0]).count("/ask_exercise_with_pain") == 1
    assert events == [{"event": "slot", "timestamp": None, "name": "topic", "value": "hurt_vs_harm"}]


def test_unsure_with_no_likely_topic_offers_the_likeliest_few(content_copy, load_tracker):
    tracker = load_tracker("tracker_unsure")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.55},
        {"name": "ask_hurt_vs_harm", "confidence": 0.22},
        {"name": "ask_exercise_with_pain", "confidence": 0.2},
        {"name": "greet", "confidence": 0.12},
        {"name": "ask_pacing", "confidence": 0.11},
        {"name": "ask_flare_ups", "confidence": 0.05},
    ]

    messages, events = run(ActionClarify(), tracker)

    assert events == []
    assert "Did you mean" in messages[0]["text"]
    assert payloads(messages[0]) == ["/ask_hurt_vs_harm", "/ask_exercise_with_pain", "/ask_pacing", "/ask_capabilities"]


def test_a_weak_crisis_guess_is_never_answered_from_the_guess(content_copy, load_tracker):
    tracker = load_tracker("tracker_unsure")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 1.0},
        {"name": "ask_crisis_support", "confidence": 0.45},
        {"name": "ask_stress_sleep_mood", "confidence": 0.4},
    ]

    messages, events = run(ActionClarify(), tracker)

    assert events == []
    assert payloads(messages[0])[:2] == ["/ask_crisis_support", "/ask_stress_sleep_mood"]


def test_clarify_with_no_topic_candidates_shows_the_menu(content_copy, load_tracker):
    tracker = load_tracker("tracker_unsure")
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.6}, {"name": "greet", "confidence": 0.3}]

    messages, _ = run(ActionClarify(), tracker)

    assert "not sure I understood" in messages[0]["text"]
    assert "/ask_pacing" in payloads(messages[0])


def test_clarify_explains_empty_and_foreign_messages(content_copy, load_tracker):
    empty, _ = run(ActionClarify(), load_tracker("tracker_unsure", text="  \u0000\u200b "))
    spanish, _ = run(ActionClarify(), load_tracker("tracker_unsure", text="me duele mucho la espalda todos los días"))
    greek, _ = run(ActionClarify(), load_tracker("tracker_unsure", text="πονάει η πλάτη μου"))

    assert "didn't get any words" in empty[0]["text"]
    assert "only understand English" in spanish[0]["text"]
    assert "only understand English" in greek[0]["text"]


def test_a_score_for_now_given_with_a_question_is_logged_first_then_the_question_answered(content_copy, load_tracker, database):
    tracker = load_tracker("tracker_ask_pacing", latest={"text": "knee's at a 6 today after the stairs, how do I pace the housework?"})

    messages, events = run(ActionAnswerTopic(), tracker)

    assert messages[0]["text"] == "Thanks, I've logged your pain as 6 out of 10."
    assert "Pacing" in messages[1]["text"]
    assert not any("diary" in button["title"] for button in messages[1]["buttons"])  # logged already: no offer
    slots = {event["name"]: event["value"] for event in events if event.get("event") == "slot"}
    assert slots["pain_score"] == 6 and slots["topic"] == "pacing"
    [entry] = pain_entries(patient_key_for(tracker))
    assert (entry.score, entry.location) == (6, "knee")


def test_when_the_score_cannot_be_stored_the_question_is_answered_and_the_score_offered(content_copy, load_tracker, monkeypatch):
    monkeypatch.setenv("PACEWISE_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/nothing-listens-here")
    tracker = load_tracker("tracker_ask_pacing", latest={"text": "6 today, how do I pace the housework?"})

    messages, events = run(ActionAnswerTopic(), tracker)

    assert "Pacing" in messages[0]["text"]
    assert "Log 6/10 in my pain diary" in [button["title"] for button in messages[0]["buttons"]]
    assert not any(event.get("name") == "pain_score" for event in events)


def test_a_score_mentioned_in_a_question_is_offered_for_the_diary_not_logged(content_copy, load_tracker):
    tracker = load_tracker(
        "tracker_ask_pacing",
        latest={"text": "My pain is a 7 by teatime most days because I cram everything into the morning. Is there a better way?"},
    )

    messages, events = run(ActionAnswerTopic(), tracker)

    offer = [button for button in messages[0]["buttons"] if "diary" in button["title"]]
    assert [button["title"] for button in offer] == ["Log 7/10 in my pain diary"]
    assert not any(event.get("name") == "pain_score" for event in events)  # nothing stored unasked


def test_a_question_without_a_clear_score_gets_no_diary_offer(content_copy, load_tracker):
    tracker = load_tracker("tracker_ask_pacing", latest={"text": "It goes from a 3 to a 6 when I hoover. Should I stop sooner?"})

    messages, _ = run(ActionAnswerTopic(), tracker)

    assert not any("diary" in button["title"] for button in messages[0]["buttons"])


def test_a_topic_answered_is_noted_for_the_patients_report(content_copy, load_tracker):
    tracker = load_tracker("tracker_ask_pacing")
    run(ActionAnswerTopic(), tracker)
    run(ActionTellMeMore(), load_tracker("tracker_ask_pacing", slots={"topic": "pacing"}))

    assert [(read.topic_id, read.times) for read in topics_read(patient_key_for(tracker))] == [("pacing", 2)]
    assert topics_read("someone-else") == []


def test_the_answer_goes_out_when_the_topic_cannot_be_noted(content_copy, load_tracker, monkeypatch):
    def database_down(*args: object) -> None:
        raise OSError("database unreachable")

    monkeypatch.setattr("actions.topics.record_topic_read", database_down)
    messages, events = run(ActionAnswerTopic(), load_tracker("tracker_ask_pacing"))
    assert {"event": "slot", "timestamp": None, "name": "topic", "value": "pacing"} in events and messages
