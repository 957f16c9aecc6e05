"""A settings file under content/ as it is on disk now, re-read whenever it changes.

Clinicians edit these files while the bot runs; the next reply uses the edit.
A missing or broken file never stops the bot: the built-in defaults are used
and each problem is logged until the file is fixed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from pacewise.content.library import REPO_ROOT, content_dir
from pacewise.content.problems import Problem

logger = logging.getLogger(__name__)

T = TypeVar("T")
Reader = Callable[[Path], tuple[T | None, list[Problem]]]


class WatchedFile(Generic[T]):
    def __init__(self, path: Path, reader: Reader[T], defaults: T, label: str) -> None:
        self.path = path
        self._reader = reader
        self._defaults = defaults
        self._label = label
        self._signature: Any = object()
        self._value = defaults

    def current(self) -> T:
        try:
            stat = os.stat(self.path)
            signature: Any = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            signature = None
        if signature != self._signature:
            self._signature = signature
            value, problems = self._reader(self.path)
            for problem in problems:
                logger.error("%s problem (using the built-in defaults until it is fixed): %s", self._label, problem.describe(REPO_ROOT))
            self._value = value if value is not None else self._defaults
        return self._value


_watched: dict[tuple[Path, Any], WatchedFile[Any]] = {}


def watched_settings(relative_path: Path, reader: Reader[T], defaults: T, label: str) -> T:
    """The current value of content/<relative_path> (PACEWISE_CONTENT_DIR aware)."""
    path = content_dir() / relative_path
    key = (path, reader)
    if key not in _watched:
        _watched[key] = WatchedFile(path, reader, defaults, label)
    return _watched[key].current()
