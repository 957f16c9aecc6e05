"""The content library across files: duplicates, related ids, live reloading."""

from __future__ import annotations

import os
import shutil

from pacewise.content.library import ContentLibrary, load_topics
from pacewise.content.problems import Severity


def test_unknown_related_topic_is_a_warning_with_a_suggestion(content_copy):
    path = content_copy / "topics" / "pacing.md"
    path.write_text(path.read_text().replace("flare_ups", "flareups", 1))

    snapshot = load_topics(content_copy / "topics")

    problems = [p for p in snapshot.problems if p.path == path]
    assert any("'flareups' does not exist. Did you mean 'flare_ups'?" in p.message and p.severity is Severity.WARNING for p in problems)
    assert "pacing" in snapshot.topics
    assert "flareups" not in [t.id for t in snapshot.related_topics(snapshot.topics["pacing"])]


def test_duplicate_id_keeps_the_first(content_copy):
    topics = content_copy / "topics"
    shutil.copy(topics / "pacing.md", topics / "zz_pacing_copy.md")

    snapshot = load_topics(topics)

    assert snapshot.topics["pacing"].path.name == "pacing.md"
    copy_problems = [p.message for p in snapshot.problems if p.path.name == "zz_pacing_copy.md"]
    assert any("does not match the file name" in message for message in copy_problems)


def test_library_reloads_only_when_files_change(content_copy):
    library = ContentLibrary(content_copy / "topics")
    first = library.snapshot()
    assert library.snapshot() is first

    path = content_copy / "topics" / "flare_ups.md"
    path.write_text(path.read_text().replace("title:", "title: Updated -", 1))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))

    second = library.snapshot()
    assert second is not first
    assert second.topics["flare_ups"].title.startswith("Updated -")


def test_removed_and_added_files_are_noticed(content_copy):
    library = ContentLibrary(content_copy / "topics")
    assert "pacing" in library.snapshot().topics
    (content_copy / "topics" / "pacing.md").unlink()
    assert "pacing" not in library.snapshot().topics


def test_missing_folder_is_reported_not_raised(tmp_path):
    snapshot = ContentLibrary(tmp_path / "nowhere").snapshot()

    assert snapshot.topics == {}
    assert "No topic files" in snapshot.problems[0].message
