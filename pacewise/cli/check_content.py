"""`make check-content`: validate every topic file, the deployment, pacing and check-in settings and the safety descriptions, explaining each problem.

Also how easy each topic is to read, jargon, and plan numbers typed into the text
that disagree with the settings (pacewise/content/quality.py).

Exit status 0 when the content is fine (notices such as a passed review date do
not fail it), 1 when any file has an error or a warning.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pacewise.content.check_in_settings import CHECK_INS_FILE, read_check_in_settings
from pacewise.content.library import REPO_ROOT, TOPICS_SUBDIR, content_dir, load_topics
from pacewise.content.pacing_settings import PACING_FILE, PacingSettings, read_pacing_settings
from pacewise.content.problems import Severity
from pacewise.content.quality import load_jargon, quality_problems
from pacewise.content.safety_descriptions import DESCRIPTIONS_FILE, DescriptionsError, load_descriptions
from pacewise.content.settings import SETTINGS_FILE, read_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the Pacewise content files.")
    parser.add_argument("directory", nargs="?", type=Path, help="folder of topic files (default: content/topics)")
    args = parser.parse_args(argv)
    directory = args.directory or content_dir() / TOPICS_SUBDIR

    snapshot = load_topics(directory)
    _, settings_problems = read_settings(directory.parent / SETTINGS_FILE)
    pacing, pacing_problems = read_pacing_settings(directory.parent / PACING_FILE)
    _, check_in_problems = read_check_in_settings(directory.parent / CHECK_INS_FILE)
    jargon, jargon_problems = load_jargon(directory.parent)
    quality = quality_problems(list(snapshot.topics.values()), pacing or PacingSettings(), jargon)
    problems = [*snapshot.problems, *settings_problems, *pacing_problems, *check_in_problems, *jargon_problems, *quality]
    failing: list[object] = [p for p in problems if p.severity is not Severity.NOTICE]
    for problem in problems:
        print(problem.describe(REPO_ROOT))
    try:
        load_descriptions(directory.parent / DESCRIPTIONS_FILE)
    except DescriptionsError as error:
        print(error)
        failing.append(error)
    files = len(list(directory.glob("*.md")))
    if failing:
        print(f"\n{len(failing)} problem(s) to fix in {directory}. {len(snapshot.topics)} of {files} topic(s) can be served.")
        return 1
    print(f"Content OK: {len(snapshot.topics)} topics in {directory}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
