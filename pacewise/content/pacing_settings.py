"""Pacing settings (content/settings/pacing.yml): the numbers behind goals and diary replies.

The physiotherapists own these numbers, so they live in a content file with
their evidence, not in code. A broken file never stops the bot: the defaults
below (the same as the shipped file) are used and the problem is logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pacewise.content.model import PACING_PLACEHOLDERS, PLACEHOLDER_PATTERN
from pacewise.content.problems import Problem
from pacewise.content.watched import watched_settings
from pacewise.content.yaml_mapping import read_yaml_mapping, setting_line

PACING_FILE = Path("settings") / "pacing.yml"
UNITS = ("minutes", "repetitions", "metres", "steps")
AFTER_FLARE_CHOICES = ("step_back", "hold")


@dataclass(frozen=True)
class PacingSettings:
    baseline_reports_needed: int = 3
    first_goal_percent: int = 80
    weekly_step_percent: int = 10
    sessions_per_week: int = 3
    pain_tolerance_points: int = 2
    after_flare: str = "step_back"
    notable_change_points: int = 2
    high_pain_score: int = 7
    activities: dict[str, str] = field(
        default_factory=lambda: {
            "walking": "minutes",
            "standing": "minutes",
            "sitting": "minutes",
            "gardening": "minutes",
            "housework": "minutes",
            "cycling": "minutes",
            "swimming": "minutes",
            "exercises": "repetitions",
        }
    )


AFTER_FLARE_IN_WORDS = {"step_back": "steps your goal back one level", "hold": "holds your goal where it is"}


def render_pacing(text: str, settings: PacingSettings) -> str:
    """Fill the pacing placeholders ({weekly_step_percent} and so on) of a topic's text; others are left as they are."""
    values = {name: str(getattr(settings, name)) for name in PACING_PLACEHOLDERS if name != "after_flare_plan"}
    values["after_flare_plan"] = AFTER_FLARE_IN_WORDS.get(settings.after_flare, AFTER_FLARE_IN_WORDS["step_back"])
    return PLACEHOLDER_PATTERN.sub(lambda match: values.get(match.group(1), match.group(0)), text)


# name: (lowest, highest, what it means) for each whole-number setting
NUMBER_LIMITS: dict[str, tuple[int, int, str]] = {
    "baseline_reports_needed": (2, 10, "amounts needed for a baseline"),
    "first_goal_percent": (10, 100, "first goal, % of baseline"),
    "weekly_step_percent": (1, 50, "weekly step, % of baseline"),
    "sessions_per_week": (1, 14, "sessions a week"),
    "pain_tolerance_points": (0, 10, "points on the 0-10 scale"),
    "notable_change_points": (1, 10, "points on the 0-10 scale"),
    "high_pain_score": (1, 10, "a score on the 0-10 scale"),
}


def read_pacing_settings(path: Path) -> tuple[PacingSettings | None, list[Problem]]:
    """Parse and check the pacing settings; each problem says what to change."""
    data, problems = read_yaml_mapping(path, "The pacing settings file is missing. It should be content/settings/pacing.yml.")
    if data is None:
        return None, problems

    values: dict[str, Any] = {}
    for name, (lowest, highest, meaning) in NUMBER_LIMITS.items():
        value = data.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
            example = getattr(PacingSettings(), name)
            problems.append(
                Problem(path, setting_line(path, name), f"'{name}' must be a whole number from {lowest} to {highest} ({meaning}), e.g. '{name}: {example}'.")
            )
        else:
            values[name] = value

    after_flare = data.get("after_flare")
    if after_flare not in AFTER_FLARE_CHOICES:
        problems.append(Problem(path, setting_line(path, "after_flare"), "'after_flare' must be step_back or hold."))
    else:
        values["after_flare"] = after_flare

    activities = data.get("activities")
    if not isinstance(activities, dict) or not activities:
        problems.append(
            Problem(path, setting_line(path, "activities"), "'activities' must list at least one activity, one per line, e.g. '  walking: minutes'.")
        )
    else:
        checked: dict[str, str] = {}
        for name, unit in activities.items():
            if not isinstance(name, str) or not name.strip() or unit not in UNITS:
                problems.append(Problem(path, setting_line(path, f"  {name}"), f"Activity '{name}': write its name, a colon and one of {', '.join(UNITS)}."))
            else:
                checked[name.strip().lower()] = unit
        values["activities"] = checked

    known = {*NUMBER_LIMITS, "after_flare", "activities"}
    for name in data:
        if name not in known:
            problems.append(Problem(path, setting_line(path, str(name)), f"Unknown setting '{name}'. The settings are: {', '.join(sorted(known))}."))
    if problems:
        return None, problems
    return PacingSettings(**values), []


def pacing_settings() -> PacingSettings:
    """The current pacing settings (PACEWISE_CONTENT_DIR aware), re-read when the file changes."""
    return watched_settings(PACING_FILE, read_pacing_settings, PacingSettings(), "Pacing settings")
