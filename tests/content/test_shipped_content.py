"""The content shipped in content/: complete, clean, and in step with the NLU data."""

from __future__ import annotations

import re

import pytest
import yaml

from actions.content import check, nlu_export
from actions.content.library import REPO_ROOT, load_topics
from actions.content.parser import SHORT_ANSWER_MAX_WORDS
from actions.input_checks import assess

REQUIRED_IDS = {
    "hurt_vs_harm", "fear_avoidance", "pacing", "graded_activity", "exercise_with_pain", "flare_ups",
    "why_pain_persists", "exercise_types", "active_vs_passive", "stress_sleep_mood", "medication",
    "red_flags", "crisis_support",
}  # fmt: skip
DOSE = re.compile(
    r"\b\d+(\.\d+)?\s*(mg|mcg|µg|milligrams?|micrograms?|ml|millilitres?|grams?)\b"
    r"|\b(\d+|one|two|three|four|five|six|eight)\s+(tablets?|pills?|capsules?|doses?)\b"
    r"|\b(every|each)\s+\d+\s*(hours?|hrs?)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def snapshot():
    return load_topics(REPO_ROOT / "content" / "topics")


def test_content_check_passes(capsys):
    assert check.main([]) == 0, capsys.readouterr().out


def test_all_required_topics_are_served(snapshot):
    assert set(snapshot.topics) >= REQUIRED_IDS


def test_every_topic_cites_sources_and_has_enough_examples(snapshot):
    for topic in snapshot.topics.values():
        assert topic.sources, topic.id
        assert len(topic.examples) >= 25, topic.id
        assert len(topic.short_answer.split()) <= SHORT_ANSWER_MAX_WORDS, topic.id


def test_no_answer_gives_a_medication_dose(snapshot):
    for topic in snapshot.topics.values():
        for text in (topic.short_answer, topic.more):
            match = DOSE.search(text)
            assert match is None, f"{topic.id}: '{match.group(0)}' reads like a dose"


def test_medication_topic_sends_patients_to_a_pharmacist_or_doctor(snapshot):
    text = (snapshot.topics["medication"].short_answer + snapshot.topics["medication"].more).lower()
    assert "pharmacist" in text and ("doctor" in text or "gp" in text)


def test_safety_topics_give_uk_numbers(snapshot):
    assert "999" in snapshot.topics["red_flags"].short_answer + snapshot.topics["red_flags"].more
    crisis = snapshot.topics["crisis_support"].short_answer + snapshot.topics["crisis_support"].more
    assert "116 123" in crisis and "999" in crisis


def test_generated_training_data_is_up_to_date(capsys):
    assert nlu_export.main(["--check"]) == 0, capsys.readouterr().out


def test_no_example_question_is_mistaken_for_unusable_input(snapshot):
    """The input guard must never swallow a real patient question."""
    conversation = yaml.safe_load((REPO_ROOT / "data" / "nlu" / "conversation.yml").read_text())["nlu"]
    examples = [e for topic in snapshot.topics.values() for e in topic.examples]
    examples += [line.strip()[2:] for entry in conversation for line in entry["examples"].splitlines() if line.strip()]
    flagged = [(text, assess(text).value) for text in examples if assess(text) is not None]
    assert flagged == []
