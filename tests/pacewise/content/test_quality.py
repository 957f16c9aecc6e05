"""make check-content on readability, jargon and plan numbers: what a clinician is told, on a private copy of content/."""

from __future__ import annotations

from pathlib import Path

from pacewise.cli import check_content as check
from pacewise.content.library import load_topics
from pacewise.content.pacing_settings import PacingSettings
from pacewise.content.quality import readability


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_check(content: Path, capsys) -> tuple[int, str]:
    status = check.main([str(content / "topics")])
    return status, capsys.readouterr().out


def test_every_shipped_short_answer_reads_at_grade_7_or_below():
    snapshot = load_topics(Path(__file__).resolve().parents[3] / "content" / "topics")
    grades = {topic.id: readability(topic.short_answer, PacingSettings(), 7).grade for topic in snapshot.topics.values()}
    assert max(grades.values()) <= 7, grades


def test_a_hard_short_answer_fails_the_check_and_names_its_hardest_sentence(content_copy, capsys):
    hard = (
        "Notwithstanding considerable interindividual variability, contemporary multidisciplinary rehabilitation "
        "programmes demonstrate consistently favourable outcomes regarding functional capacity and psychological wellbeing."
    )
    replace_in(content_copy / "topics" / "pacing.md", "## Short answer\n\n", f"## Short answer\n\n{hard} ")

    status, out = run_check(content_copy, capsys)

    assert status == 1
    assert "pacing.md" in out and "reads at grade" in out and "Notwithstanding considerable" in out


def test_jargon_is_flagged_unless_the_sentence_explains_it(content_copy, capsys):
    topic = content_copy / "topics" / "pacing.md"
    replace_in(topic, "## Tell me more\n\n", "## Tell me more\n\nThis helps with kinesiophobia too.\n\n")
    _, out = run_check(content_copy, capsys)
    assert "'kinesiophobia' may be jargon to patients: say 'fear of movement'" in out

    replace_in(topic, "This helps with kinesiophobia too.", "This helps with fear of movement (sometimes called kinesiophobia) too.")
    _, out = run_check(content_copy, capsys)
    assert "kinesiophobia" not in out


def test_a_plan_number_typed_into_the_text_must_agree_with_the_settings(content_copy, capsys):
    topic = content_copy / "topics" / "graded_activity.md"
    replace_in(topic, "add {weekly_step_percent}% of your baseline", "add 25% of your baseline")
    status, out = run_check(content_copy, capsys)
    assert status == 1
    assert "25% does not match the plans in content/settings/pacing.yml" in out and "{weekly_step_percent}" in out

    replace_in(topic, "add 25% of your baseline", "add 10% of your baseline")
    status, out = run_check(content_copy, capsys)
    assert status == 0  # agrees today: a notice asks for the placeholder so it keeps agreeing
    assert "write {weekly_step_percent} so the text follows the settings" in out


def test_a_misspelt_pacing_placeholder_is_explained(content_copy, capsys):
    replace_in(content_copy / "topics" / "graded_activity.md", "{weekly_step_percent}%", "{weekly_steps_percent}%")
    status, out = run_check(content_copy, capsys)
    assert status == 1 and "{weekly_steps_percent} is not a placeholder" in out and "{weekly_step_percent}" in out
