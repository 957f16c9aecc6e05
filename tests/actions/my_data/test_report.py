"""The progress report's page: the patient's own entries, the clinicians' choice of sections, nothing run or fetched."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from actions.goals.progress import apply_flare
from actions.my_data.report import gather, render_report
from pacewise.checkins.peg import PegAnswers
from pacewise.content.pacing_settings import pacing_settings
from pacewise.storage.goals import record_session, start_goal
from pacewise.storage.pain_diary import PainEntry, add_pain_entry
from pacewise.storage.peg import record_peg
from pacewise.storage.topics_read import record_topic_read

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
ALL = ("pain_diary", "peg", "activity_goals", "flare_ups", "topics_read")


def _patient(key: str) -> None:
    for day, score in enumerate([7, 7, 6, 8, 6, 6, 5, 5, 4, 5, 4, 4, 5, 4]):
        add_pain_entry(key, PainEntry(score, NOW - timedelta(days=30 - day * 2)))
    record_peg(key, PegAnswers(8, 7, 7), NOW - timedelta(weeks=6))
    record_peg(key, PegAnswers(5, 4, 4), NOW - timedelta(days=1))
    goal = start_goal(key, "walking", "minutes", {"amounts": [10, 12, 8]}, 10.0, NOW - timedelta(days=20))
    for day in (18, 16, 12):
        record_session(goal, key, NOW - timedelta(days=day), 8.0)
    apply_flare(goal, key, NOW - timedelta(days=10), pacing_settings())
    for days_ago in (25, 9, 2):
        record_topic_read(key, "pacing", NOW - timedelta(days=days_ago))
    record_topic_read(key, "flare_ups", NOW - timedelta(days=10))


def test_the_report_shows_each_section_from_the_patients_entries(content_copy, database):
    _patient("patient-a")
    page = render_report(gather("patient-a", NOW), NOW, ALL)
    assert "14, from 29 Oct 2026 to 24 Nov 2026" in page and "lowest 4, highest 8" in page
    assert "Average of the first and last 7 entered" in page and "6.4 and 4.4" in page
    assert "4.3 (pain 5, enjoyment of life 4, general activity 4)" in page
    assert "From 7.3 to 4.3 over 6 weeks: a fall of 41%" in page and "meaningful improvement" in page
    assert "<td>Walking</td><td>8 Nov 2026</td><td>10 minutes</td>" in page and "<td>3</td>" in page
    assert "Reported on 18 Nov 2026" in page
    assert "<td>Pacing and the boom-bust cycle</td><td>3 Nov 2026</td><td>3 times</td>" in page
    assert "<td>Coping with a flare-up</td><td>18 Nov 2026</td><td>once</td>" in page
    assert page.index("Pacing and the boom-bust") < page.index("Coping with a flare-up")  # in the order first read
    assert "<script" not in page and "http" not in page  # self-contained: nothing to run or fetch


def test_another_patients_entries_never_appear(content_copy, database):
    _patient("patient-a")
    add_pain_entry("patient-b", PainEntry(2, NOW - timedelta(days=3)))
    page = render_report(gather("patient-b", NOW), NOW, ALL)
    assert "1, from 25 Nov 2026 to 25 Nov 2026" in page
    assert "PEG-3 questionnaire was not answered" in page and "No activity plan" in page and "Walking" not in page
    assert "No topics read here yet" in page and "boom-bust" not in page


def test_the_clinicians_choose_the_sections(content_copy, database):
    _patient("patient-a")
    page = render_report(gather("patient-a", NOW), NOW, ("peg",))
    assert "PEG-3 questionnaire" in page and "Pain diary" not in page and "Flare-ups" not in page
