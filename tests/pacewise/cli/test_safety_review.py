"""The clinician's review of safety events (`make safety-events`)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from pacewise.cli import safety_review as review
from pacewise.storage.safety_events import SafetyEvent, record_safety_event


def event(category: str, days_ago: float, key: str = "a" * 64) -> SafetyEvent:
    return SafetyEvent(
        patient_key=key,
        channel="rest",
        category=category,
        urgency="emergency" if category == "red_flag" else None,
        rules=("saddle_numbness",) if category == "red_flag" else (),
        detected_by="rules" if category == "red_flag" else "model",
        occurred_at=datetime.now(timezone.utc) - timedelta(days=days_ago),
    )


def test_recent_events_are_listed_with_counts(database, capsys):
    record_safety_event(event("red_flag", 1))
    record_safety_event(event("crisis", 2, key="b" * 64))
    record_safety_event(event("crisis", 30))

    assert review.main(["--days", "7"]) == 0

    out = capsys.readouterr().out
    assert "crisis: 1   red flags: 1   patients: 2" in out
    assert "saddle_numbness" in out and "(classifier)" in out
    assert "a" * 12 in out and "a" * 13 not in out


def test_csv_for_a_spreadsheet(database, capsys):
    record_safety_event(event("red_flag", 0.1))

    review.main(["--csv"])

    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["category"] == "red_flag"
    assert rows[0]["rules"] == "saddle_numbness"


def test_an_empty_database_says_so(database, capsys):
    review.main([])
    assert "crisis: 0   red flags: 0" in capsys.readouterr().out


def test_a_bad_number_of_days_is_explained(database):
    with pytest.raises(SystemExit):
        review.main(["--days", "0"])
