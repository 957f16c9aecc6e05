"""Topic files: what a clinician gets told when a file is wrong."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pacewise.content.parser import parse_topic_file
from pacewise.content.problems import Severity

TODAY = date(2026, 11, 23)
EXAMPLES = "\n".join(f"- example question number {n} about pacing" for n in range(25))
VALID = f"""---
id: pacing
title: Pacing
related: [flare_ups]
reviewed_by: A Physio
review_due: 2027-05-01
sources:
  - authors: Nielson WR, Jensen MP, Karsdorp PA, Vlaeyen JWS
    year: 2013
    title: "Activity pacing in chronic pain: concepts, evidence, and future directions"
    journal: The Clinical Journal of Pain
    doi: 10.1097/AJP.0b013e3182608561
---

## Short answer

Short text.

## Tell me more

Longer text.

## Example questions

{EXAMPLES}
"""


def write(tmp_path: Path, text: str, name: str = "pacing.md") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def messages(result) -> list[tuple[int, str, Severity]]:
    return [(p.line, p.message, p.severity) for p in result.problems]


def test_valid_file_gives_a_topic(tmp_path):
    result = parse_topic_file(write(tmp_path, VALID), TODAY)

    assert result.problems == []
    topic = result.topic
    assert (topic.id, topic.title, topic.related) == ("pacing", "Pacing", ("flare_ups",))
    assert topic.short_answer == "Short text."
    assert len(topic.examples) == 25
    assert topic.sources[0].citation().startswith("Nielson WR et al. (2013). Activity pacing")
    assert topic.sources[0].link == "https://doi.org/10.1097/AJP.0b013e3182608561"


def test_missing_field_is_reported(tmp_path):
    result = parse_topic_file(write(tmp_path, VALID.replace("reviewed_by: A Physio\n", "")), TODAY)

    assert result.topic is None
    assert any("'reviewed_by' is missing" in message for _, message, _ in messages(result))


def test_misspelt_field_gets_a_suggestion_on_its_line(tmp_path):
    result = parse_topic_file(write(tmp_path, VALID.replace("reviewed_by:", "reviewd_by:")), TODAY)

    assert (5, "Unknown field 'reviewd_by'. Did you mean 'reviewed_by'?", Severity.ERROR) in messages(result)


def test_yaml_mistake_points_at_the_line(tmp_path):
    result = parse_topic_file(write(tmp_path, VALID.replace("title: Pacing", "title: Pacing: a: b")), TODAY)

    assert result.topic is None
    line, message, _ = messages(result)[0]
    assert line == 3
    assert "double quotes" in message


def test_invalid_date(tmp_path):
    result = parse_topic_file(write(tmp_path, VALID.replace("2027-05-01", "2027-13-45")), TODAY)

    assert (6, "'review_due' must be a real date written as YYYY-MM-DD, for example 2027-05-31 (found '2027-13-45').", Severity.ERROR) in messages(result)


def test_passed_review_date_is_only_a_notice(tmp_path):
    result = parse_topic_file(write(tmp_path, VALID.replace("2027-05-01", "2026-01-01")), TODAY)

    assert result.servable
    assert [severity for _, _, severity in messages(result)] == [Severity.NOTICE]


def test_source_without_doi_or_url(tmp_path):
    result = parse_topic_file(write(tmp_path, VALID.replace("    doi: 10.1097/AJP.0b013e3182608561\n", "")), TODAY)

    assert (8, "Source 1 is missing: doi (or url).", Severity.ERROR) in messages(result)


def test_missing_sources(tmp_path):
    text = VALID[: VALID.index("sources:")] + VALID[VALID.index("---\n\n## Short") :]
    result = parse_topic_file(write(tmp_path, text), TODAY)

    assert any("'sources' is missing" in message for _, message, _ in messages(result))


def test_id_must_match_file_name(tmp_path):
    result = parse_topic_file(write(tmp_path, VALID, name="pace.md"), TODAY)

    assert any("does not match the file name" in message for _, message, _ in messages(result))


def test_missing_section_and_unknown_heading(tmp_path):
    text = VALID.replace("## Tell me more", "## More info")
    result = parse_topic_file(write(tmp_path, text), TODAY)

    found = messages(result)
    assert any(line == 19 and "Unknown section 'More info'" in message for line, message, _ in found)
    assert any("'## Tell me more' is missing" in message for _, message, _ in found)
    assert result.topic is None


def test_unclosed_header(tmp_path):
    result = parse_topic_file(write(tmp_path, VALID.replace("---\n\n## Short", "\n## Short")), TODAY)

    assert messages(result)[0][1].startswith("The header is not closed")


def test_too_few_examples_and_long_answer_are_warnings_only(tmp_path):
    text = VALID.replace("Short text.", "word " * 130).replace(EXAMPLES, "- only one example")
    result = parse_topic_file(write(tmp_path, text), TODAY)

    assert result.servable
    severities = {severity for _, _, severity in messages(result)}
    assert severities == {Severity.WARNING}
    assert any("130 words" in message for _, message, _ in messages(result))
    assert any("1 example questions" in message for _, message, _ in messages(result))


def test_annotation_characters_are_left_out_of_examples(tmp_path):
    result = parse_topic_file(write(tmp_path, VALID.replace("- example question number 3", "- what about [pacing](topic) number 3")), TODAY)

    assert not any("[" in example for example in result.topic.examples)
    assert any("cannot contain" in message for _, message, _ in messages(result))


@pytest.mark.parametrize("raw", [b"\xff\xfe\x00broken", b""])
def test_unreadable_or_empty_file_does_not_raise(tmp_path, raw):
    path = tmp_path / "pacing.md"
    path.write_bytes(raw)

    result = parse_topic_file(path, TODAY)

    assert result.topic is None
    assert result.problems


def test_a_known_placeholder_is_accepted_and_kept_for_the_settings_to_fill(tmp_path):
    result = parse_topic_file(write(tmp_path, VALID.replace("Short text.", "In an emergency, {emergency}.")), TODAY)
    assert result.problems == []
    assert result.topic.short_answer == "In an emergency, {emergency}."


def test_an_unknown_placeholder_is_an_error_with_the_list_of_placeholders(tmp_path):
    result = parse_topic_file(write(tmp_path, VALID.replace("Longer text.", "Call {emergency_numbr}.")), TODAY)
    assert result.topic is None
    [(line, message, severity)] = messages(result)
    assert line == VALID.splitlines().index("Longer text.") + 1
    assert "{emergency_numbr} is not a placeholder" in message and "{emergency_number}" in message
    assert severity is Severity.ERROR


def test_urgency_sections_are_read_when_present(tmp_path):
    text = VALID.replace("## Example questions", "## Emergency advice\n\nCall now.\n\n## Same-day advice\n\nSee a doctor today.\n\n## Example questions")
    topic = parse_topic_file(write(tmp_path, text), TODAY).topic
    assert (topic.emergency_advice, topic.same_day_advice) == ("Call now.", "See a doctor today.")


def test_an_empty_urgency_section_is_reported(tmp_path):
    text = VALID.replace("## Example questions", "## Emergency advice\n\n## Example questions")
    result = parse_topic_file(write(tmp_path, text), TODAY)
    assert any("'## Emergency advice' is empty" in message for _, message, _ in messages(result))
