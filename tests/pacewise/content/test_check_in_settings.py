"""The clinician-edited check-in settings: the shipped file is valid, mistakes are explained, edits apply at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacewise.cli.check_content import main as check_content
from pacewise.content.check_in_settings import CHECK_INS_FILE, CheckInSettings, check_in_settings, read_check_in_settings

REPO_ROOT = Path(__file__).resolve().parents[3]


def test_the_shipped_settings_are_valid_and_match_the_defaults():
    settings, problems = read_check_in_settings(REPO_ROOT / "content" / CHECK_INS_FILE)
    assert problems == []
    assert settings == CheckInSettings()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('time_zone: "Europe/London"', 'time_zone: "London"'), "'time_zone' must be a time zone name"),
        (("late_limit_hours: 3", "late_limit_hours: 48"), "'late_limit_hours' must be a whole number from 1 to 12"),
        (("{goal}", "{target}"), "unknown placeholder {target}"),
        (("Your activity goal: {goal}.", "Your activity goal."), "'goal_reminder' must contain {goal}"),
        (
            (
                'how_to_stop: "To stop these check-ins, reply \\"stop check-ins\\"; to pause them, \\"pause check-ins for a week\\"."',
                'how_to_stop: "Reply PAUSE to pause."',
            ),
            "'how_to_stop' must tell the patient how to stop",
        ),
        (("late_limit_hours: 3", "late_limit_hours: 3\nlate_limit: 4"), "Unknown setting 'late_limit'"),
        (("late_limit_hours: 3", "late_limit_hours 3"), "The file cannot be read"),
        (("peg_offered: true", "peg_offered: sometimes"), "'peg_offered' must be true or false"),
        (("  - flare_ups", "  - medicines"), "'report_sections' must list one or more of: pain_diary, peg, activity_goals, flare_ups"),
    ],
)
def test_mistakes_are_explained_with_their_line(content_copy, change, expected):
    path = content_copy / CHECK_INS_FILE
    old, new = change
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    settings, problems = read_check_in_settings(path)
    assert settings is None
    assert any(expected in problem.message for problem in problems), problems
    assert all(problem.line > 0 for problem in problems)


def test_make_check_content_reports_a_broken_check_in_file(content_copy, capsys):
    path = content_copy / CHECK_INS_FILE
    path.write_text(path.read_text().replace("late_limit_hours: 3", "late_limit_hours: 0"))
    assert check_content([str(content_copy / "topics")]) == 1
    assert "check_ins.yml" in capsys.readouterr().out


def test_an_edit_is_used_at_once_and_a_broken_file_falls_back_to_the_defaults(content_copy):
    path = content_copy / CHECK_INS_FILE
    path.write_text(path.read_text().replace("Hi, it's Pacewise with the check-in you asked for.", "Evening! Pacewise here."))
    assert check_in_settings().greeting == "Evening! Pacewise here."
    path.write_text("greeting: [")
    assert check_in_settings() == CheckInSettings()
