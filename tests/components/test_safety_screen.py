"""The NLU component that applies the safety decision to a parsed message."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from components.safety.meaning import sentence_units
from components.safety_screen import SafetyScreen
from components.sentence_featurizer import SENTENCE_VECTORS

# The real component, as Rasa creates it: rules, meaning check (shipped descriptions) and thresholds.
SCREEN = SafetyScreen.create({}, None, None, None)


def screened(text: str, **confidences: float) -> Message:
    ranking = [{"name": name, "confidence": confidence} for name, confidence in confidences.items()]
    message = Message(data={"text": text, "intent": dict(ranking[0]), "intent_ranking": ranking})
    SCREEN.process([message])
    return message


def test_an_escalated_message_gets_the_safety_intent_and_the_assessment():
    message = screened("I can't feel anything down below", ask_pacing=0.9, ask_red_flags=0.05)

    assert message.get("intent") == {"name": "ask_red_flags", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "ask_red_flags"
    assert message.get("safety")["categories"] == ["red_flag"]
    assert "safety" in message.as_dict(only_output_properties=True)


def test_a_guess_explained_by_an_idiom_becomes_the_next_best_intent():
    message = screened("this pain is killing me, how do I pace my day", ask_crisis_support=0.7, ask_pacing=0.62)

    assert message.get("intent")["name"] == "ask_pacing"
    assert message.get("safety") is None
    assert all(entry["name"] != "ask_crisis_support" for entry in message.get("intent_ranking"))


def test_a_weak_safety_guess_asks_and_keeps_the_safety_topic_as_an_option():
    message = screened("my legs are a bit achy after the gym", ask_red_flags=0.58, ask_exercise_with_pain=0.3)

    assert message.get("intent")["name"] == "nlu_fallback"
    assert "ask_red_flags" in [entry["name"] for entry in message.get("intent_ranking")]
    assert message.get("safety") is None


def test_a_dose_question_goes_to_the_medication_content():
    message = screened("how many co-codamol can I take with ibuprofen?", ask_exercise_types=0.6)

    assert message.get("intent") == {"name": "ask_medication", "confidence": 1.0}
    assert message.get("safety") is None


def test_a_taper_question_that_names_a_dose_stays_with_coming_off_medicines():
    message = screened("Cutting my pregabalin down by 25mg a week, how long do the rough days last?", ask_coming_off_medicines=0.7, ask_medication=0.2)

    assert message.get("intent") == {"name": "ask_coming_off_medicines", "confidence": 0.7}
    assert message.get("safety") is None


def test_a_dose_question_the_classifier_put_elsewhere_still_goes_to_medication():
    message = screened("how many co-codamol can I take before my back exercises?", ask_exercise_with_pain=0.6, ask_coming_off_medicines=0.3)

    assert message.get("intent") == {"name": "ask_medication", "confidence": 1.0}


def test_a_dose_question_about_cutting_down_goes_to_coming_off_medicines_whatever_the_guess():
    message = screened("halfway through tapering off tramadol and my back has flared, do i go back up on the dose?", ask_flare_ups=0.6, ask_medication=0.3)

    assert message.get("intent") == {"name": "ask_coming_off_medicines", "confidence": 1.0}


def test_the_sentences_the_featurizer_encoded_are_not_encoded_again(monkeypatch):
    """One encoder run a message: the safety check uses the featurizer's sentence vectors."""
    text = "My back has been bad for years and I pace my walks. Lately there's a strange fizzy feeling down below when I sit."
    encode = SCREEN.meaning.check._encode
    units = [unit for unit in sentence_units(text) if unit != text]
    message = Message(data={"text": text, "intent": {"name": "ask_pacing", "confidence": 0.9}, "intent_ranking": [{"name": "ask_pacing", "confidence": 0.9}]})
    message.set(SENTENCE_VECTORS, dict(zip(units, encode(units), strict=True)))
    encoded: list[list[str]] = []
    monkeypatch.setattr(SCREEN.meaning.check, "_encode", lambda texts: encoded.append(texts) or encode(texts))

    SCREEN.process([message])

    assert encoded == []
    assert message.get("intent")["name"] == "ask_red_flags"


def test_an_ordinary_question_is_left_alone():
    message = screened("how do I pace my gardening?", ask_pacing=0.95)

    assert message.get("intent") == {"name": "ask_pacing", "confidence": 0.95}
    assert message.get("safety") is None
