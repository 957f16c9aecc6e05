"""Check-in settings (content/settings/check_ins.yml): what a check-in says, in which time zone, how late is too late.

Clinicians own the wording; this module checks it. A broken file never stops
check-ins: the defaults below (the same as the shipped file) are used and the
problem is logged. Every check-in must tell the patient how to stop, so a
`how_to_stop` that never says "stop" is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pacewise.content.problems import Problem
from pacewise.content.watched import watched_settings
from pacewise.content.yaml_mapping import read_yaml_mapping, setting_line

CHECK_INS_FILE = Path("settings") / "check_ins.yml"
TEXT_MAX_CHARACTERS = 300
LATE_LIMIT_HOURS = (1, 12)
_PLACEHOLDER = re.compile(r"\{([a-z_]*)\}")
# What the progress report for the physiotherapist can show, in this order.
REPORT_SECTIONS = ("pain_diary", "peg", "activity_goals", "flare_ups", "topics_read")


@dataclass(frozen=True)
class CheckInSettings:
    time_zone: str = "Europe/London"
    late_limit_hours: int = 3
    greeting: str = "Hi, it's Pacewise with the check-in you asked for."
    goal_reminder: str = 'Your activity goal: {goal}. Tell me when you\'ve done a session, for example "walked 10 minutes".'
    no_goal: str = "You haven't set an activity goal yet. Say \"set a goal\" whenever you'd like one."
    how_to_stop: str = 'To stop these check-ins, reply "stop check-ins"; to pause them, "pause check-ins for a week".'
    peg_offered: bool = True
    report_sections: tuple[str, ...] = REPORT_SECTIONS


# The placeholders each text may use.
ALLOWED_PLACEHOLDERS = {"greeting": set(), "goal_reminder": {"goal"}, "no_goal": set(), "how_to_stop": set()}
REQUIRED_PLACEHOLDERS = {"goal_reminder": {"goal"}}


def read_check_in_settings(path: Path) -> tuple[CheckInSettings | None, list[Problem]]:
    """Parse and check the check-in settings; each problem says what to change."""
    data, problems = read_yaml_mapping(path, "The check-in settings file is missing. It should be content/settings/check_ins.yml.")
    if data is None:
        return None, problems
    values: dict[str, Any] = {}
    zone = data.get("time_zone")
    if not isinstance(zone, str) or not _known_zone(zone):
        problems.append(Problem(path, setting_line(path, "time_zone"), '\'time_zone\' must be a time zone name such as "Europe/London" or "America/New_York".'))
    else:
        values["time_zone"] = zone
    late = data.get("late_limit_hours")
    lowest, highest = LATE_LIMIT_HOURS
    if isinstance(late, bool) or not isinstance(late, int) or not lowest <= late <= highest:
        problems.append(
            Problem(
                path,
                setting_line(path, "late_limit_hours"),
                f"'late_limit_hours' must be a whole number from {lowest} to {highest}: a check-in later than this is skipped, not sent.",
            )
        )
    else:
        values["late_limit_hours"] = late
    peg = data.get("peg_offered")
    if not isinstance(peg, bool):
        problems.append(Problem(path, setting_line(path, "peg_offered"), "'peg_offered' must be true or false."))
    else:
        values["peg_offered"] = peg
    sections = data.get("report_sections")
    if not isinstance(sections, list) or not sections or any(section not in REPORT_SECTIONS for section in sections):
        problems.append(Problem(path, setting_line(path, "report_sections"), f"'report_sections' must list one or more of: {', '.join(REPORT_SECTIONS)}."))
    else:
        values["report_sections"] = tuple(section for section in REPORT_SECTIONS if section in sections)
    for name, allowed in ALLOWED_PLACEHOLDERS.items():
        text = data.get(name)
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(path, setting_line(path, name), f"'{name}' is missing or empty. Write it in double quotes."))
            continue
        text = " ".join(text.split())
        used = set(_PLACEHOLDER.findall(text))
        unknown, missing = used - allowed, REQUIRED_PLACEHOLDERS.get(name, set()) - used
        if unknown:
            can = f"It can use {', '.join('{' + p + '}' for p in sorted(allowed))}." if allowed else "It cannot use placeholders."
            problems.append(Problem(path, setting_line(path, name), f"'{name}' uses an unknown placeholder {{{sorted(unknown)[0]}}}. {can}"))
        if missing:
            problems.append(Problem(path, setting_line(path, name), f"'{name}' must contain {{{sorted(missing)[0]}}}, where the patient's goal goes."))
        if len(text) > TEXT_MAX_CHARACTERS:
            problems.append(Problem(path, setting_line(path, name), f"'{name}' has {len(text)} characters; keep it to {TEXT_MAX_CHARACTERS} or fewer."))
        values[name] = text
    if "how_to_stop" in values and "stop" not in values["how_to_stop"].lower():
        problems.append(Problem(path, setting_line(path, "how_to_stop"), "'how_to_stop' must tell the patient how to stop, using the word \"stop\"."))
    known = [item.name for item in fields(CheckInSettings)]
    for name in data:
        if name not in known:
            problems.append(Problem(path, setting_line(path, str(name)), f"Unknown setting '{name}'. The settings are: {', '.join(known)}."))
    if problems:
        return None, problems
    return CheckInSettings(**values), []


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def check_in_settings() -> CheckInSettings:
    """The current check-in settings (PACEWISE_CONTENT_DIR aware), re-read when the file changes."""
    return watched_settings(CHECK_INS_FILE, read_check_in_settings, CheckInSettings(), "Check-in settings")
