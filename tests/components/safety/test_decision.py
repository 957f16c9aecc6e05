"""How the rule-based screening and the classifier's guess are combined."""

from __future__ import annotations

from components.safety.decision import Thresholds, decide
from components.safety.detector import Screening, Signal
from components.safety.meaning import MeaningMatch

THRESHOLD = Thresholds(model=0.5, corroborated_model=0.3, meaning=0.7, meaning_support=0.55)
SADDLE = Signal("saddle_numbness", "red_flag", "emergency")
SUICIDAL = Signal("suicidal_thoughts", "crisis", None)


def ranking(**confidences: float) -> list[dict]:
    return [{"name": name, "confidence": confidence} for name, confidence in confidences.items()]


def test_a_rule_escalates_even_when_the_classifier_disagrees():
    assessment = decide(Screening((SADDLE,)), ranking(ask_pacing=0.97, ask_red_flags=0.01), THRESHOLD)
    assert assessment is not None
    assert assessment.categories == ("red_flag",)
    assert assessment.detected_by == "rules"
    assert assessment.urgency == "emergency"
    assert assessment.rules == {"red_flag": ["saddle_numbness"]}
    assert assessment.intent == "ask_red_flags"


def test_rules_and_classifier_agreeing_is_recorded_as_both():
    assessment = decide(Screening((SADDLE,)), ranking(ask_red_flags=0.9), THRESHOLD)
    assert assessment.detected_by == "rules+model"
    assert assessment.model_confidence == 0.9


def test_the_classifier_alone_escalates_above_the_threshold():
    assessment = decide(Screening(), ranking(ask_crisis_support=0.62, ask_pacing=0.3), THRESHOLD)
    assert assessment.categories == ("crisis",)
    assert assessment.detected_by == "model"
    assert assessment.urgency is None


def test_a_weak_classifier_guess_alone_does_not_escalate():
    assert decide(Screening(), ranking(ask_crisis_support=0.4, ask_pacing=0.5), THRESHOLD) is None


def test_an_idiom_or_negation_in_the_same_category_vetoes_the_classifier_alone():
    defused = Screening(defused=frozenset({"crisis"}))
    assert decide(defused, ranking(ask_crisis_support=0.95), THRESHOLD) is None


def test_a_veto_in_another_category_does_not_hide_a_crisis():
    defused = Screening(defused=frozenset({"red_flag"}))
    assert decide(defused, ranking(ask_crisis_support=0.95), THRESHOLD).categories == ("crisis",)


def test_crisis_comes_first_when_rules_find_a_red_flag_and_the_classifier_a_crisis():
    assessment = decide(Screening((SADDLE,)), ranking(ask_crisis_support=0.8), THRESHOLD)
    assert assessment.categories == ("crisis", "red_flag")
    assert assessment.intent == "ask_crisis_support"


def test_both_categories_from_rules():
    assessment = decide(Screening((SADDLE, SUICIDAL)), ranking(ask_pacing=0.9), THRESHOLD)
    assert assessment.categories == ("crisis", "red_flag")
    assert assessment.rules == {"crisis": ["suicidal_thoughts"], "red_flag": ["saddle_numbness"]}


def meaning(category: str, similarity: float, urgency: str = "emergency") -> dict[str, MeaningMatch]:
    sign = "despair" if category == "crisis" else "saddle_numbness"
    return {category: MeaningMatch(category, sign, urgency, similarity, "a clinician's description", "the patient's sentence")}


def test_a_sentence_close_to_a_description_escalates_on_its_own():
    assessment = decide(Screening(), ranking(ask_pacing=0.9, ask_red_flags=0.02), THRESHOLD, meaning("red_flag", 0.74))
    assert assessment is not None
    assert assessment.categories == ("red_flag",)
    assert assessment.detected_by == "meaning"
    assert assessment.urgency == "emergency"
    assert assessment.rules == {"red_flag": ["meaning:saddle_numbness"]}


def test_a_weak_classifier_guess_escalates_when_the_meaning_check_agrees():
    assessment = decide(Screening(), ranking(ask_crisis_support=0.35, ask_pacing=0.3), THRESHOLD, meaning("crisis", 0.6))
    assert assessment is not None and assessment.categories == ("crisis",)
    assert assessment.detected_by == "model"


def test_a_weak_guess_or_a_loose_resemblance_alone_does_not_escalate():
    assert decide(Screening(), ranking(ask_crisis_support=0.35, ask_pacing=0.3), THRESHOLD, meaning("red_flag", 0.6)) is None
    assert decide(Screening(), ranking(ask_pacing=0.9), THRESHOLD, meaning("crisis", 0.6)) is None


def test_the_meaning_check_does_not_override_an_idiom_or_a_negation():
    defused = Screening(defused=frozenset({"crisis"}))
    assert decide(defused, ranking(ask_pacing=0.9), THRESHOLD, meaning("crisis", 0.9)) is None
