"""Problems found in content files, phrased for the clinicians who fix them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    """How bad a problem is.

    ERROR: the topic cannot be served; the bot skips the file until it is fixed.
    WARNING: the topic is served, but the content check fails until it is fixed.
    NOTICE: worth knowing (e.g. a review date has passed); the check still passes.
    """

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str
    severity: Severity = Severity.ERROR

    def describe(self, root: Path | None = None) -> str:
        shown = self.path
        if root is not None and self.path.resolve().is_relative_to(root.resolve()):
            shown = self.path.resolve().relative_to(root.resolve())
        label = "" if self.severity is Severity.ERROR else f" ({self.severity.value})"
        return f"{shown}:{self.line}:{label} {self.message}"


def line_of(path: Path, text: str, *, at_start: bool = False) -> int:
    """The first line containing `text` (or starting with it), to point a clinician at; 1 if none."""
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith(text) if at_start else text in " ".join(line.split()):
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1
