"""content/settings/deployment.yml: the numbers patients are given, and what a clinician is told when it is wrong."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pacewise.content.library import REPO_ROOT
from pacewise.content.settings import UK_DEFAULTS, read_settings
from pacewise.content.watched import WatchedFile

SHIPPED = REPO_ROOT / "content" / "settings" / "deployment.yml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deployment.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_settings_are_the_uk_defaults():
    settings, problems = read_settings(SHIPPED)
    assert problems == []
    assert settings == UK_DEFAULTS
    assert settings.notice == "Pacewise shares education about long-term pain. It cannot diagnose or treat you. In an emergency, call 999."


def test_a_number_written_without_quotes_is_accepted(tmp_path):
    settings, problems = read_settings(write(tmp_path, SHIPPED.read_text().replace('emergency_number: "999"', "emergency_number: 999")))
    assert problems == []
    assert settings.emergency_number == "999"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('crisis_line: "Samaritans free on 116 123, any time of day or night"', "crisis_line:"), "'crisis_line' is missing or empty"),
        (("region: United Kingdom", "region: United Kingdom\nemergancy: 999"), "Unknown setting 'emergancy'"),
        (("call {emergency_number}.", "call {emergency_no}."), "unknown placeholder {emergency_no}"),
        (("region: United Kingdom", "region: [United Kingdom"), "cannot be read"),
    ],
)
def test_mistakes_are_explained_with_the_line(tmp_path, change, expected):
    settings, problems = read_settings(write(tmp_path, SHIPPED.read_text().replace(*change)))
    assert settings is None
    assert any(expected in problem.message for problem in problems), [p.message for p in problems]
    assert all(problem.line >= 1 for problem in problems)


def test_a_too_long_notice_is_refused(tmp_path):
    settings, problems = read_settings(write(tmp_path, SHIPPED.read_text().replace("It cannot diagnose", "It cannot diagnose " + "really " * 40)))
    assert settings is None
    assert "keep it to one line" in problems[0].message


def test_a_broken_or_missing_file_falls_back_to_the_uk_numbers_and_recovers(tmp_path, caplog):
    path = tmp_path / "deployment.yml"
    settings_file = WatchedFile(path, read_settings, UK_DEFAULTS, "Deployment settings")
    assert settings_file.current() == UK_DEFAULTS
    assert "missing" in caplog.text

    path.write_text((REPO_ROOT / "content" / "settings" / "examples" / "deployment-us.yml").read_text())
    os.utime(path, ns=(1, 2_000_000_000))
    assert settings_file.current().emergency_number == "911"

    path.write_text("emergency_number: [")
    os.utime(path, ns=(1, 3_000_000_000))
    assert settings_file.current() == UK_DEFAULTS


def test_each_deployment_gives_its_own_poison_and_mental_health_lines():
    uk, uk_problems = read_settings(SHIPPED)
    us, us_problems = read_settings(REPO_ROOT / "content" / "settings" / "examples" / "deployment-us.yml")
    assert uk_problems == [] and us_problems == []
    assert "NHS 111" in uk.poison_line and "1-800-222-1222" in us.poison_line
    assert "SHOUT to 85258" in uk.mental_health_line and "988" in us.mental_health_line
    overdose = "If you think you have taken too much of any medicine, get help straight away: {poison_line}."
    assert "1-800-222-1222" in us.render(overdose) and "urgent care" not in us.render(overdose)
    medication = (REPO_ROOT / "content" / "topics" / "medication.md").read_text()
    crisis = (REPO_ROOT / "content" / "topics" / "crisis_support.md").read_text()
    assert "{poison_line}" in medication and "{mental_health_line}" in crisis
