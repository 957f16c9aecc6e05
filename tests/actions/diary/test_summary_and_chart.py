"""The diary summary in words, the comparison with recent scores, and the chart image."""

from __future__ import annotations

import struct
from datetime import datetime, timedelta, timezone

from actions.diary.chart import render_pain_chart
from actions.diary.context import activity_mentioned, body_location
from actions.diary.replies import compared_with_recent, describe
from actions.diary.summary import PeriodSummary, summarise

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def test_the_week_and_month_are_summarised_separately():
    entries = [(ago(25), 8), (ago(20), 7), (ago(6), 4), (ago(3), 5), (ago(1), 3)]
    week = summarise(entries, NOW, 7)
    month = summarise(entries, NOW, 30)
    assert (week.count, week.average, week.lowest, week.highest) == (3, 4, 3, 5)
    assert (month.count, month.average, month.lowest, month.highest) == (5, 5.4, 3, 8)


def test_a_falling_trend_is_described_in_words():
    entries = [(ago(28), 8), (ago(21), 7), (ago(14), 5), (ago(7), 4)]
    assert summarise(entries, NOW, 30).trend == "lower"
    text = describe(summarise(entries, NOW, 30))
    assert text == "Last 30 days: 4 entries, average 6 out of 10 (lowest 4, highest 8); your scores have been coming down."


def test_no_trend_is_claimed_from_too_few_entries():
    assert summarise([(ago(2), 9), (ago(1), 2)], NOW, 7).trend is None


def test_an_empty_week_is_said_plainly():
    assert describe(PeriodSummary(7, 0)) == "Last week: no entries."


def test_a_change_of_two_points_from_the_recent_average_is_pointed_out():
    assert compared_with_recent(7, [4, 5, 6], 2) == "That's 2 points higher than your recent average of 5."
    assert compared_with_recent(3, [6, 6], 2) == "That's 3 points lower than your recent average of 6."


def test_smaller_changes_and_a_first_entry_say_nothing():
    assert compared_with_recent(6, [4, 5, 6], 2) is None
    assert compared_with_recent(6, [], 2) is None


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_chart_is_a_png_of_a_sensible_size():
    data = render_pain_chart([(ago(10), 6), (ago(5), 4), (ago(1), 5)], NOW)
    width, height = png_size(data)
    assert (width, height) == (640, 320)
    assert len(data) < 150_000


def test_a_chart_with_no_entries_still_renders():
    assert png_size(render_pain_chart([], NOW)) == (640, 320)


def test_where_it_hurts_and_what_they_were_doing_are_picked_out():
    assert body_location("lower back, after gardening") == "lower back"
    assert activity_mentioned("lower back, after gardening") == "gardening"
    assert body_location("my neck again") == "neck"
    assert body_location("just tired") is None
