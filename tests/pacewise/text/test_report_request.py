"""Requests for the progress report, told from someone else's report and from everything else patients say."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacewise.text.report_request import asks_for_a_report, mentions_a_report
from tests.pacewise.text.other_messages import messages_about_other_things

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    "text",
    [
        "could you make a report for my physio?",
        "I need a one-page summary for my GP appointment on Friday",
        "make me something i can show the doctor about how my back has been",
        "progress report please",
        "is there a way to get a report of my progress for my consultant?",
    ],
)
def test_requests_for_the_report(text):
    assert asks_for_a_report(text)


@pytest.mark.parametrize(
    "text",
    [
        "my MRI report says disc bulge, should I be worried?",
        "my physio wrote a report for my employer saying i need a better chair",
        "the physio gave me a printout of exercises",
        "export my data as a csv please",
    ],
)
def test_someone_elses_report_or_the_spreadsheet_is_not_a_request(text):
    assert not asks_for_a_report(text)


def test_an_export_that_names_a_clinician_gets_the_report():
    assert mentions_a_report("export my diary for my physio") and not mentions_a_report("export my data")


def test_no_other_message_is_read_as_a_report_request():
    texts = messages_about_other_things("export_my_data", own_kind="report")
    assert len(texts) > 3000
    assert [text for text in texts if asks_for_a_report(text)] == []
