"""Answer first, ask last: which content the first reply gives (pacewise/routing.py)."""

from __future__ import annotations

from pacewise.routing import route

TOPICS = ["pacing", "flare_ups", "graded_activity", "red_flags", "crisis_support", "medication"]


def ranking(**confidences: float) -> list[dict]:
    return [{"name": name, "confidence": value} for name, value in confidences.items()]


def test_a_clear_topic_is_answered_alone():
    decision = route("ask_pacing", ranking(ask_pacing=0.9, ask_flare_ups=0.05), TOPICS)
    assert (decision.answer, decision.also, decision.asks) == ("pacing", None, False)


def test_an_unsure_but_likely_topic_is_answered_with_the_close_second_offered():
    decision = route("nlu_fallback", ranking(nlu_fallback=0.55, ask_pacing=0.42, ask_graded_activity=0.38, greet=0.1), TOPICS)
    assert (decision.answer, decision.also) == ("pacing", "graded_activity")


def test_a_distant_second_topic_is_not_offered():
    decision = route("ask_pacing", ranking(ask_pacing=0.8, ask_flare_ups=0.15), TOPICS)
    assert decision.also is None


def test_the_menu_is_for_when_nothing_is_likely():
    decision = route("nlu_fallback", ranking(nlu_fallback=0.55, ask_pacing=0.2, ask_medication=0.15, greet=0.12), TOPICS)
    assert decision.asks
    assert decision.candidates == ("pacing", "medication")


def test_a_likely_non_topic_intent_gets_no_curated_content():
    decision = route("nlu_fallback", ranking(nlu_fallback=0.55, out_of_scope=0.5, ask_pacing=0.3), TOPICS)
    assert decision.asks


def test_safety_topics_are_never_answered_or_offered_from_a_guess():
    weak_crisis = route("nlu_fallback", ranking(nlu_fallback=1.0, ask_crisis_support=0.5, ask_pacing=0.3), TOPICS)
    assert weak_crisis.asks and weak_crisis.candidates[0] == "crisis_support"
    second = route("ask_pacing", ranking(ask_pacing=0.5, ask_red_flags=0.45), TOPICS)
    assert (second.answer, second.also) == ("pacing", None)


def test_a_topic_that_cannot_be_served_now_is_skipped():
    decision = route("nlu_fallback", ranking(nlu_fallback=0.55, ask_stress_sleep_mood=0.5, ask_pacing=0.4), TOPICS)
    assert decision.answer == "pacing"
