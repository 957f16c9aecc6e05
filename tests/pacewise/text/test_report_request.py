"""Requests for the progress report, told from someone else's report and from everything else patients say."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
import yaml

from pacewise.text.report_request import asks_for_a_report, mentions_a_report

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
    texts = []
    for path in glob.glob(str(REPO / "data" / "nlu" / "*.yml")):
        for block in yaml.safe_load(Path(path).read_text(encoding="utf-8")).get("nlu", []):
            if block.get("intent") not in (None, "export_my_data") and "examples" in block:
                texts += [line[2:] for line in block["examples"].splitlines() if line.startswith("- ")]
    for path in [*glob.glob(str(REPO / "tests" / "nlu" / "heldout*.yml")), *glob.glob(str(REPO / "tests" / "safety" / "*.yml"))]:
        texts += [m["text"] for m in yaml.safe_load(Path(path).read_text(encoding="utf-8")).get("messages", []) if m.get("kind") != "report"]
    assert len(texts) > 3000
    assert [text for text in texts if asks_for_a_report(text)] == []
