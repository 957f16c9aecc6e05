"""Stopping or being hooked on a medicine goes to coming off medicines when the classifier leans to medication."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.medicine_border import MedicineBorder, asks_about_stopping

BORDER = MedicineBorder()


def routed(text: str, **confidences: float) -> str:
    ranking = [{"name": name, "confidence": confidence} for name, confidence in confidences.items()]
    message = Message(data={"text": text, "intent": dict(ranking[0]), "intent_ranking": ranking})
    BORDER.process([message])
    return message.get("intent")["name"]


@pytest.mark.parametrize(
    "text",
    [
        "Been on gabapentin 4 years, it makes me forgetful, seriously thinking of ditching it. What should I know first?",
        "think i'm hooked on my codeine, i count the hours till the next one",
        "can i just quit the tramadol this weekend or is that daft",
        "my GP wants to wean me off the patches and I'm nervous",
        "would I feel any better without my painkillers?",
        "halfway through cutting down my pregabalin and the nights are rough",
        "Mum has been on the patches for years and wants to stop them. Who helps with that?",
    ],
)
def test_stopping_or_dependence_is_seen(text):
    assert asks_about_stopping(text)


@pytest.mark.parametrize(
    "text",
    [
        "does naproxen stop the swelling or just the pain?",
        "what are the side effects of amitriptyline?",
        "is it ok to take paracetamol with my ibuprofen",
        "I stopped going to the gym when I started the tablets",
        "how many ibuprofen can I take to stop it hurting at night",
        "I can't walk to the shop without it aching, which painkiller is best?",
        "my knees lock up at night, how do I stop them aching so much",
    ],
)
def test_ordinary_medicine_questions_are_not_about_stopping(text):
    assert not asks_about_stopping(text)


def test_a_stopping_question_the_classifier_gave_medication_gets_coming_off():
    text = "Seriously thinking about binning my pregabalin, it makes me so foggy. Anything I should know?"
    assert routed(text, ask_medication=0.55, ask_coming_off_medicines=0.35, ask_stress_sleep_mood=0.05) == "ask_coming_off_medicines"


def test_an_unsure_parse_leaning_to_medication_gets_coming_off_too():
    text = "can i just stop the co-codamol tomorrow"
    assert routed(text, nlu_fallback=1.0, ask_medication=0.28, ask_coming_off_medicines=0.26) == "ask_coming_off_medicines"


def test_a_side_effect_question_stays_with_medication():
    assert routed("pregabalin makes me dizzy, is that normal?", ask_medication=0.7, ask_coming_off_medicines=0.2) == "ask_medication"


def test_coming_off_far_down_the_guesses_is_not_promoted():
    text = "will I get hooked on the new tablets for my back?"
    ranking = {"ask_medication": 0.6, "ask_hurt_vs_harm": 0.2, "ask_outlook": 0.1, "ask_coming_off_medicines": 0.05}
    assert routed(text, **ranking) == "ask_medication"


def test_other_topics_are_left_alone():
    assert routed("how do I stop my painkillers running out before payday", ask_pacing=0.6, ask_coming_off_medicines=0.3) == "ask_pacing"
