"""Reading a clinician-edited YAML settings file, with problems explained in plain English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pacewise.content.problems import Problem, line_of


def read_yaml_mapping(path: Path, missing: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The file's 'name: value' lines as a dict, or None and what is wrong (`missing` if there is no file)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [Problem(path, 0, missing)]
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(path, 1, f"The file cannot be read ({error}). Save it again as UTF-8 text.")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return None, [Problem(path, line, "The file cannot be read. Check the indentation, and put each value in double quotes.")]
    if not isinstance(data, dict):
        return None, [Problem(path, 1, "The file must be a list of 'name: value' lines.")]
    return data, []


def setting_line(path: Path, name: str) -> int:
    """The line where a setting is written, to point a clinician at."""
    return line_of(path, f"{name}:", at_start=True)
