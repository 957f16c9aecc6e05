"""The live content library the action server answers from.

Files are re-read whenever one changes on disk (checked on each request by
comparing file names, sizes and modification times), so a clinician's edit is
in the next reply with no restart. A broken file is reported and skipped; every
other topic keeps being served.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import date
from difflib import get_close_matches
from pathlib import Path

from pacewise.content.model import Topic
from pacewise.content.parser import parse_topic_file
from pacewise.content.problems import Problem, Severity, line_of

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIR_ENV = "PACEWISE_CONTENT_DIR"
TOPICS_SUBDIR = "topics"


def content_dir() -> Path:
    """content/ of this repository, unless PACEWISE_CONTENT_DIR points elsewhere."""
    return Path(os.environ.get(CONTENT_DIR_ENV) or REPO_ROOT / "content")


@dataclass(frozen=True)
class Snapshot:
    """All topics as they stood at one moment: what is served and what is wrong."""

    topics: dict[str, Topic] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def get(self, topic_id: str | None) -> Topic | None:
        return self.topics.get(topic_id) if topic_id else None

    def related_topics(self, topic: Topic) -> list[Topic]:
        return [self.topics[related] for related in topic.related if related in self.topics]


def load_topics(directory: Path, today: date | None = None) -> Snapshot:
    """Parse every topic file and run the checks that span files."""
    problems: list[Problem] = []
    topics: dict[str, Topic] = {}
    paths = sorted(directory.glob("*.md")) if directory.is_dir() else []
    if not paths:
        problems.append(Problem(directory, 0, "No topic files (*.md) were found in this folder."))
    for path in paths:
        result = parse_topic_file(path, today)
        problems.extend(result.problems)
        if result.topic is None:
            continue
        if result.topic.id in topics:
            first = topics[result.topic.id].path.name
            problems.append(Problem(path, 2, f"The id '{result.topic.id}' is already used by {first}. Each topic needs its own id."))
            continue
        topics[result.topic.id] = result.topic
    problems.extend(_cross_file_problems(topics))
    return Snapshot(topics, tuple(problems))


def _cross_file_problems(topics: dict[str, Topic]) -> list[Problem]:
    problems: list[Problem] = []
    example_owner: dict[str, str] = {}
    for topic in sorted(topics.values(), key=lambda t: t.id):
        related_line = line_of(topic.path, "related:")
        for related in topic.related:
            if related == topic.id:
                message = f"The topic lists itself under 'related'. Remove '{related}'."
                problems.append(Problem(topic.path, related_line, message, Severity.WARNING))
            elif related not in topics:
                guess = get_close_matches(related, list(topics), n=1)
                hint = f"Did you mean '{guess[0]}'?" if guess else f"Use one of: {', '.join(sorted(topics))}."
                message = f"The related topic '{related}' does not exist. {hint}"
                problems.append(Problem(topic.path, related_line, message, Severity.WARNING))
        for example in topic.examples:
            owner = example_owner.setdefault(example.lower(), topic.id)
            if owner != topic.id:
                problems.append(
                    Problem(
                        topic.path,
                        line_of(topic.path, example),
                        f"The example '{example}' is also an example of '{owner}'. Keep it in one topic only.",
                        Severity.WARNING,
                    )
                )
    return problems


class ContentLibrary:
    """Serves the current snapshot of a topics folder, reloading it on change."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._signature: tuple | None = None
        self._snapshot = Snapshot()

    def snapshot(self) -> Snapshot:
        signature = self._signature_now()
        if signature != self._signature:
            self._snapshot = load_topics(self.directory)
            self._signature = signature
            self._log_problems()
        return self._snapshot

    def _signature_now(self) -> tuple:
        try:
            entries = sorted(os.scandir(self.directory), key=lambda entry: entry.name)
        except OSError:
            return ()
        signature = []
        for entry in entries:
            if entry.name.endswith(".md"):
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                signature.append((entry.name, stat.st_mtime_ns, stat.st_size))
        return tuple(signature)

    def _log_problems(self) -> None:
        levels = {Severity.ERROR: logging.ERROR, Severity.WARNING: logging.WARNING, Severity.NOTICE: logging.INFO}
        for problem in self._snapshot.problems:
            logger.log(levels[problem.severity], "Content problem: %s", problem.describe(REPO_ROOT))
        logger.info("Content loaded: %d topics from %s", len(self._snapshot.topics), self.directory)


_libraries: dict[Path, ContentLibrary] = {}


def default_library() -> ContentLibrary:
    """The library for content/topics, one per folder and process."""
    directory = content_dir() / TOPICS_SUBDIR
    if directory not in _libraries:
        _libraries[directory] = ContentLibrary(directory)
    return _libraries[directory]
