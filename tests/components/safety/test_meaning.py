"""The meaning-based safety check: clinician descriptions compared sentence by sentence."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from components.minilm import shared_encoder
from components.safety.meaning import LiveMeaningCheck, MeaningCheck, sentence_units
from pacewise.content.safety_descriptions import DescriptionsError, descriptions_path, load_descriptions

DESCRIPTIONS = """
red_flags:
  saddle_numbness:
    label: New numbness around the bottom
    urgency: emergency
    descriptions:
      - "I have lost the feeling around my bottom and between my legs."
crisis:
  despair:
    label: Despair
    urgency: emergency
    descriptions:
      - "I don't want to be alive any more."
avoid:
  - "This pain is killing me."
"""


@pytest.fixture(scope="module")
def encode():
    return shared_encoder().encode_many


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "descriptions.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_file_loads_with_every_sign():
    descriptions, avoid = load_descriptions(descriptions_path())
    signs = {d.sign for d in descriptions}
    assert {"saddle_numbness", "bladder_bowel", "both_legs", "chest_pain", "despair"} <= signs
    assert len(avoid) >= 50


@pytest.mark.parametrize(
    ("broken", "explains"),
    [
        ("red_flags: [oops", "cannot be read as YAML"),
        ("crisis: {}\navoid: []", "'red_flags' is missing"),
        (DESCRIPTIONS.replace("urgency: emergency", "urgency: soon", 1), "'urgency' must be one of emergency, same_day"),
        (DESCRIPTIONS.replace('      - "I don\'t want to be alive any more."', "      - 42"), "'descriptions' must be a list of sentences"),
    ],
)
def test_a_broken_file_is_explained_in_plain_words(tmp_path, broken, explains):
    with pytest.raises(DescriptionsError, match=explains):
        load_descriptions(write(tmp_path, broken))


def test_long_messages_are_compared_sentence_by_sentence_and_clause_by_clause():
    units = sentence_units("Hi. Quick question about my walking plan for the week ahead, but since Sunday my bottom has gone numb and it is spreading. Thanks!")
    assert "since Sunday my bottom has gone numb and it is spreading." in units
    assert "Quick question about my walking plan for the week ahead" in units
    assert "Hi." not in units  # too short to mean anything alone


def test_a_buried_warning_sign_is_found_and_a_look_alike_is_not(tmp_path, encode):
    check = MeaningCheck(*load_descriptions(write(tmp_path, DESCRIPTIONS)), encode, margin=0.03)
    story = "I have been pacing my gardening for a month and it has gone well. Since yesterday I can't feel anything between my legs or round my bottom."
    found = check.nearest(story)
    assert found["red_flag"].sign == "saddle_numbness" and found["red_flag"].similarity >= 0.75
    assert "between my legs" in found["red_flag"].sentence
    assert "crisis" not in check.nearest("this pain is killing me today")


def test_a_clinicians_edit_applies_to_the_next_message_and_a_broken_edit_keeps_the_last_good_file(tmp_path, encode):
    path = write(tmp_path, DESCRIPTIONS)
    live = LiveMeaningCheck(path, encode, margin=0.03)
    message = "I have saved up a drawer full of tablets for the right moment"
    before = live.nearest(message).get("crisis")

    path.write_text(DESCRIPTIONS.replace('      - "I don\'t want to be alive any more."', '      - "I am stockpiling my pills to take them all at once."'))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    after = live.nearest(message)["crisis"]
    assert after.description.startswith("I am stockpiling") and (before is None or after.similarity > before.similarity)

    path.write_text("crisis: [broken")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 2_000_000_000))
    assert live.nearest(message)["crisis"].description.startswith("I am stockpiling")
