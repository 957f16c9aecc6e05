"""Deployment settings (content/settings/deployment.yml): the numbers patients are given.

The emergency, same-day and crisis numbers differ by country, so content files
write {emergency_number}, {crisis_line} and so on, and this module fills them
in. If the file is missing or broken the UK values are used and the problem is
logged: a patient in crisis always gets a number.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path

from pacewise.content.model import PLACEHOLDER_PATTERN, PLACEHOLDERS, unknown_placeholders
from pacewise.content.problems import Problem
from pacewise.content.watched import watched_settings
from pacewise.content.yaml_mapping import read_yaml_mapping, setting_line

SETTINGS_FILE = Path("settings") / "deployment.yml"
NOTICE_MAX_CHARACTERS = 200


@dataclass(frozen=True)
class DeploymentSettings:
    region: str
    emergency_number: str
    emergency: str
    urgent_line: str
    same_day: str
    crisis_number: str
    crisis_line: str
    mental_health_line: str  # urgent mental health help that is not an emergency
    poison_line: str  # what to do after taking too much of a medicine
    session_notice: str

    def render(self, text: str) -> str:
        """Fill in the placeholders; text without placeholders is returned unchanged."""
        values = asdict(self)
        return PLACEHOLDER_PATTERN.sub(lambda match: values[match.group(1)] if match.group(1) in PLACEHOLDERS else match.group(0), text)

    @property
    def notice(self) -> str:
        return self.render(self.session_notice)


UK_DEFAULTS = DeploymentSettings(
    region="United Kingdom",
    emergency_number="999",
    emergency="call 999 or go to A&E",
    urgent_line="NHS 111",
    same_day="contact your GP surgery today, or call NHS 111 (or go to 111.nhs.uk) if you cannot get through",
    crisis_number="116 123",
    crisis_line="Samaritans free on 116 123, any time of day or night",
    mental_health_line="call NHS 111 and choose the mental health option, or text SHOUT to 85258",
    poison_line="call NHS 111 straight away, even if you feel fine, or 999 if you feel very drowsy, confused or struggle to breathe",
    session_notice="Pacewise shares education about long-term pain. It cannot diagnose or treat you. In an emergency, call {emergency_number}.",
)


def read_settings(path: Path) -> tuple[DeploymentSettings | None, list[Problem]]:
    """Parse and check a settings file; problems are explained in plain English."""
    data, problems = read_yaml_mapping(path, "The deployment settings file is missing. Copy it from content/settings/examples/ and fill it in.")
    if data is None:
        return None, problems
    names = [field.name for field in fields(DeploymentSettings)]
    values: dict[str, str] = {}
    for name in names:
        value = data.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(path, _line(path, name), f"'{name}' is missing or empty. Add '{name}: \"...\"'."))
            continue
        values[name] = " ".join(value.split())
    for name in data:
        if name not in names:
            problems.append(Problem(path, _line(path, str(name)), f"Unknown setting '{name}'. The settings are: {', '.join(names)}."))
    for name, value in values.items():
        for unknown in unknown_placeholders(value):
            problems.append(Problem(path, _line(path, name), f"'{name}' uses an unknown placeholder {{{unknown}}}. Use one of: {_placeholder_list()}."))
    notice = values.get("session_notice", "")
    if len(notice) > NOTICE_MAX_CHARACTERS:
        problems.append(
            Problem(
                path,
                _line(path, "session_notice"),
                f"The session notice has {len(notice)} characters; keep it to one line of {NOTICE_MAX_CHARACTERS} or fewer.",
            )
        )
    if problems:
        return None, problems
    return DeploymentSettings(**values), []


def _line(path: Path, name: str) -> int:
    return setting_line(path, name)


def _placeholder_list() -> str:
    return ", ".join("{" + name + "}" for name in PLACEHOLDERS)


def default_settings() -> DeploymentSettings:
    """The current settings for this content folder (PACEWISE_CONTENT_DIR or content/)."""
    return watched_settings(SETTINGS_FILE, read_settings, UK_DEFAULTS, "Deployment settings")
