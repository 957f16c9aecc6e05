"""The content shipped in content/: complete, clean, and in step with the NLU data."""

from __future__ import annotations

import re

import pytest
import yaml

from pacewise.cli import check_content as check
from pacewise.cli import nlu_export
from pacewise.content.library import REPO_ROOT, load_topics
from pacewise.content.parser import SHORT_ANSWER_MAX_WORDS
from pacewise.content.settings import read_settings
from pacewise.text.input_checks import assess

REQUIRED_IDS = {
    "hurt_vs_harm", "fear_avoidance", "pacing", "graded_activity", "exercise_with_pain", "flare_ups",
    "why_pain_persists", "exercise_types", "active_vs_passive", "stress_sleep_mood", "medication",
    "red_flags", "crisis_support",
    # issue 14
    "scans_and_diagnosis", "outlook", "work", "sciatica", "posture_and_lifting", "injections_and_surgery",
    "coming_off_medicines", "widespread_pain",
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


def all_texts(topic) -> list[str]:
    return [topic.short_answer, topic.more, topic.emergency_advice, topic.same_day_advice]


def test_no_answer_gives_a_medication_dose(snapshot):
    for topic in snapshot.topics.values():
        for text in all_texts(topic):
            match = DOSE.search(text)
            assert match is None, f"{topic.id}: '{match.group(0)}' reads like a dose"


def test_medication_topic_sends_patients_to_a_pharmacist_or_doctor(snapshot):
    text = (snapshot.topics["medication"].short_answer + snapshot.topics["medication"].more).lower()
    assert "pharmacist" in text and ("doctor" in text or "gp" in text)
    assert "how much to take" in text and "mix medicines" in text


def test_no_topic_hard_codes_a_phone_number(snapshot):
    """Numbers come from content/settings/deployment.yml, so the content works in any country."""
    for topic in snapshot.topics.values():
        for text in all_texts(topic):
            assert not re.search(r"\b(999|111|116 123|911|988)\b", text), topic.id


def test_red_flags_say_what_to_do_now_for_each_urgency(snapshot):
    red_flags = snapshot.topics["red_flags"]
    assert "{emergency}" in red_flags.emergency_advice
    assert "{same_day}" in red_flags.same_day_advice


@pytest.mark.parametrize(
    ("settings_file", "numbers", "not_shown"),
    [
        ("settings/deployment.yml", ("999", "NHS 111", "116 123"), ("911", "988")),
        ("settings/examples/deployment-us.yml", ("911", "988"), ("999", "NHS 111", "116 123")),
    ],
)
def test_safety_topics_give_the_deployments_numbers(snapshot, settings_file, numbers, not_shown):
    settings, problems = read_settings(REPO_ROOT / "content" / settings_file)
    assert problems == []
    red_flags, crisis = snapshot.topics["red_flags"], snapshot.topics["crisis_support"]
    rendered = settings.render(" ".join([*all_texts(red_flags), *all_texts(crisis)]))
    for number in numbers:
        assert number in rendered
    for number in not_shown:
        assert number not in rendered
    assert settings.emergency_number in settings.render(crisis.short_answer)
    assert settings.crisis_number in settings.render(crisis.short_answer)


def test_generated_training_data_is_up_to_date(capsys):
    assert nlu_export.main(["--check"]) == 0, capsys.readouterr().out


def test_no_example_question_is_mistaken_for_unusable_input(snapshot):
    """The input guard must never swallow a real patient question."""
    conversation = yaml.safe_load((REPO_ROOT / "data" / "nlu" / "conversation.yml").read_text())["nlu"]
    examples = [e for topic in snapshot.topics.values() for e in topic.examples]
    examples += [line.strip()[2:] for entry in conversation for line in entry["examples"].splitlines() if line.strip()]
    flagged = [(text, assess(text).value) for text in examples if assess(text) is not None]
    assert flagged == []
