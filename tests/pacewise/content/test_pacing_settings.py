"""The clinician-edited pacing settings: the shipped file is valid, mistakes are explained, edits apply at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacewise.cli.check_content import main as check_content
from pacewise.content.pacing_settings import PACING_FILE, PacingSettings, pacing_settings, read_pacing_settings

REPO_ROOT = Path(__file__).resolve().parents[3]


def test_the_shipped_settings_are_valid_and_match_the_defaults():
    settings, problems = read_pacing_settings(REPO_ROOT / "content" / PACING_FILE)
    assert problems == []
    assert settings == PacingSettings()


def test_the_shipped_settings_cite_their_evidence():
    text = (REPO_ROOT / "content" / PACING_FILE).read_text()
    for reference in ("10.1093/ptj/72.4.279", "10.2522/ptj.20090303", "10.1097/AJP.0b013e3182608561"):
        assert reference in text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("first_goal_percent: 80", "first_goal_percent: 180"), "'first_goal_percent' must be a whole number from 10 to 100"),
        (("weekly_step_percent: 10", "weekly_step_percent: ten"), "'weekly_step_percent' must be a whole number"),
        (("after_flare: step_back", "after_flare: rest"), "'after_flare' must be step_back or hold"),
        (("  walking: minutes", "  walking: hours"), "Activity 'walking': write its name, a colon and one of minutes"),
        (("high_pain_score: 7", "high_pain_score: 7\nhigh_pain: 8"), "Unknown setting 'high_pain'"),
        (("sessions_per_week: 3", "sessions_per_week 3"), "The file cannot be read"),
    ],
)
def test_mistakes_are_explained_with_their_line(content_copy, change, expected):
    path = content_copy / PACING_FILE
    old, new = change
    path.write_text(path.read_text().replace(old, new))
    settings, problems = read_pacing_settings(path)
    assert settings is None
    assert any(expected in problem.message for problem in problems), problems
    assert all(problem.line > 0 for problem in problems)


def test_make_check_content_reports_a_broken_pacing_file(content_copy, capsys):
    path = content_copy / PACING_FILE
    path.write_text(path.read_text().replace("first_goal_percent: 80", "first_goal_percent: 0"))
    assert check_content([str(content_copy / "topics")]) == 1
    assert "pacing.yml" in capsys.readouterr().out


def test_an_edit_is_used_at_once_and_a_broken_file_falls_back_to_the_defaults(content_copy):
    path = content_copy / PACING_FILE
    path.write_text(path.read_text().replace("first_goal_percent: 80", "first_goal_percent: 70"))
    assert pacing_settings().first_goal_percent == 70
    path.write_text("first_goal_percent: [")
    assert pacing_settings() == PacingSettings()


def test_a_number_changed_in_the_settings_changes_every_sentence_that_states_it(content_copy, load_tracker):
    import asyncio
    import os

    from rasa_sdk.executor import CollectingDispatcher

    from actions.topics import ActionTellMeMore

    def graded_activity_details() -> str:
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionTellMeMore().run(dispatcher, load_tracker("tracker_ask_pacing", slots={"topic": "graded_activity"}), {}))
        return dispatcher.messages[0]["text"]

    before = graded_activity_details()
    assert "start at 80% of what you can do now" in before and "add 10% of your baseline" in before and "{" not in before

    path = content_copy / PACING_FILE
    path.write_text(path.read_text().replace("weekly_step_percent: 10", "weekly_step_percent: 5").replace("after_flare: step_back", "after_flare: hold"))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))

    assert "add 5% of your baseline" in graded_activity_details()
    assert pacing_settings().weekly_step_percent == 5
