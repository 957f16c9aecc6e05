"""Clear pain ratings and requests to log one reach the pain diary whatever the classifier guessed."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.pain_rating_router import PainRatingRouter, asks_to_log_pain


def routed(text: str, guessed: str = "ask_why_pain_persists") -> str:
    message = Message(data={"text": text, "intent": {"name": guessed, "confidence": 0.7}, "intent_ranking": [{"name": guessed, "confidence": 0.7}]})
    PainRatingRouter().process([message])
    return message.get("intent")["name"]


@pytest.mark.parametrize("text", ["my pain is 7 today", "8/10", "pain level 3", "about a 4 out of 10", "can I log my pain please", "I want to record my pain"])
def test_ratings_and_log_requests_go_to_the_diary(text):
    assert routed(text) == "log_pain"


@pytest.mark.parametrize(
    "text",
    [
        "why does my pain last so long",
        "I've had back pain for 10 years",
        "show me the pain I logged this month",
        "how has my pain been?",
        "I walked 20 minutes",
    ],
)
def test_other_messages_keep_the_classifiers_intent(text):
    assert routed(text) == "ask_why_pain_persists"


def test_the_ranking_puts_the_diary_first():
    message = Message(data={"text": "8/10", "intent": {"name": "nlu_fallback", "confidence": 1.0}, "intent_ranking": [{"name": "log_pain", "confidence": 0.4}]})
    PainRatingRouter().process([message])
    assert message.get("intent_ranking")[0] == {"name": "log_pain", "confidence": 1.0}
    assert [entry["name"] for entry in message.get("intent_ranking")].count("log_pain") == 1


def test_questions_about_the_diary_so_far_are_not_log_requests():
    assert not asks_to_log_pain("can you show the pain scores I recorded last week")
    assert asks_to_log_pain("rate my pain today")


def routed_with(text: str, ranking: list[tuple[str, float]]) -> str:
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={"text": text, "intent": entries[0], "intent_ranking": entries})
    PainRatingRouter().process([message])
    return message.get("intent")["name"]


QUESTION_WITH_A_RATING = "My pain is about a 6 every time I walk the dog and my husband says I should stop going. Is walking making it worse?"


def test_a_question_the_classifier_is_sure_about_keeps_its_topic_even_with_a_rating():
    assert routed_with(QUESTION_WITH_A_RATING, [("ask_exercise_with_pain", 0.82), ("log_pain", 0.1)]) == "ask_exercise_with_pain"


@pytest.mark.parametrize(
    "text, ranking",
    [
        # Not sure of the topic: the rating is what is clear.
        (QUESTION_WITH_A_RATING, [("ask_exercise_with_pain", 0.3), ("ask_hurt_vs_harm", 0.28), ("ask_pacing", 0.25)]),
        # A question about the diary itself.
        ("My pain is a 7 tonight, should I record that?", [("log_pain", 0.5), ("ask_flare_ups", 0.45)]),
        # No question asked.
        ("My pain is about a 6 every time I walk the dog.", [("ask_exercise_with_pain", 0.9)]),
        # Sure, but of something that is not a topic's content.
        ("pain 6/10 today, can you log it?", [("ask_pain_summary", 0.9)]),
        # Safety topics are never kept from a guess here: the screening decides.
        ("my pain is 9 out of 10 and my legs are numb, is that bad?", [("ask_red_flags", 0.95)]),
    ],
)
def test_otherwise_a_rating_still_goes_to_the_diary(text, ranking):
    assert routed_with(text, ranking) == "log_pain"


def test_a_question_keeps_its_topic_when_the_classifier_chose_the_diary_for_the_number():
    """Most of the confidence went to the diary because of the "9 out of 10"; what is left is clearly about flare-ups."""
    text = "The pain is 9 out of 10 today instead of my usual 5, it's been like this since Sunday. How am I meant to get through the day?"
    ranking = [("log_pain", 0.75), ("ask_flare_ups", 0.21), ("ask_pacing", 0.02), ("ask_crisis_support", 0.01)]
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={"text": text, "intent": entries[0], "intent_ranking": entries})
    PainRatingRouter().process([message])
    assert message.get("intent")["name"] == "ask_flare_ups"
    assert message.get("intent")["confidence"] == pytest.approx(0.21 / 0.24)
    # Without a question, the same message is a rating for the diary.
    assert routed_with(text.split(" How")[0], ranking) == "log_pain"


def test_a_texted_question_beside_a_usual_rating_is_answered_when_its_topic_leads():
    """The patient asked why it still hurts; "usually a 4" is background. The topic holds about half of what is left."""
    text = "my knee is usually a 4. whats actually going on, why wont it stop"
    ranking = [("log_pain", 0.3), ("ask_why_pain_persists", 0.4), ("ask_exercise_with_pain", 0.24), ("ask_fear_avoidance", 0.1), ("ask_outlook", 0.07)]
    assert routed_with(text, ranking) == "ask_why_pain_persists"


def test_a_number_that_counts_things_is_not_a_rating():
    text = "I gave up yoga because one pose hurt my back, and I've been too scared to go back for three years."
    assert routed_with(text, [("ask_fear_avoidance", 0.76), ("ask_graded_activity", 0.1)]) == "ask_fear_avoidance"
